"""Constants of the EV Charger Cloud integration."""

from __future__ import annotations

import logging
from typing import Final

DOMAIN: Final = "ev_charger_cloud"
LOGGER = logging.getLogger(__package__)

CONF_PROVIDER: Final = "provider"
CONF_API_URL: Final = "api_url"
CONF_TOKENS: Final = "tokens"
CONF_CHARGERS: Final = "chargers"
