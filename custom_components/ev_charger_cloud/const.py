"""Constants of the EV Charger Cloud integration."""

from __future__ import annotations

import logging
from typing import Final

DOMAIN: Final = "ev_charger_cloud"
LOGGER = logging.getLogger(__package__)

CONF_PROVIDER: Final = "provider"
CONF_API_URL: Final = "api_url"
# The config flow's collapsed form section holding CONF_API_URL; entries keep the URL flat.
CONF_ADVANCED: Final = "advanced"
CONF_TOKENS: Final = "tokens"
CONF_CHARGERS: Final = "chargers"
# Podero: the partner organisation and the one of its users an entry follows.
CONF_ORG_ID: Final = "org_id"
CONF_USER_ID: Final = "user_id"
# Options: how long switching charging off pauses it (Podero pauses until a time).
CONF_PAUSE_MINUTES: Final = "pause_minutes"
DEFAULT_PAUSE_MINUTES: Final = 120
