"""Constants of the EV Charger Cloud integration."""

from __future__ import annotations

import logging
from typing import Final

from .api import THOR_ACCOUNT_BOX

DOMAIN: Final = "ev_charger_cloud"
LOGGER = logging.getLogger(__package__)

CONF_PROVIDER: Final = "provider"
CONF_API_URL: Final = "api_url"
# The config flow's collapsed form section holding CONF_API_URL; entries keep the URL flat.
CONF_ADVANCED: Final = "advanced"
CONF_TOKENS: Final = "tokens"
# The ids of every device of the account (chargers, vehicles, ...) as last discovered.
# Its key is still "chargers", from when chargers were the only devices: it is only a
# storage name, and keeping it spares every stored entry a migration.
CONF_DEVICE_IDS: Final = "chargers"
# Podero: the partner organisation and the one of its users an entry follows.
CONF_ORG_ID: Final = "org_id"
CONF_USER_ID: Final = "user_id"
# Options: how long switching charging off pauses it (Podero pauses until a time).
CONF_PAUSE_MINUTES: Final = "pause_minutes"
DEFAULT_PAUSE_MINUTES: Final = 120
# Thor: the chargebox whose id the entry's unique id is a digest of, and the state kept
# across restarts (lifetime energy history, id tags of charges started here).
CONF_ACCOUNT_BOX: Final = THOR_ACCOUNT_BOX
CONF_THOR_STATE: Final = "thor_state"
# Thor: the id of the Home Assistant webhook its push notifications are sent to.
CONF_WEBHOOK_ID: Final = "webhook_id"
# Thor: the Home Assistant Cloud URL forwarding to that webhook, when the user chose one.
CONF_CLOUDHOOK_URL: Final = "cloudhook_url"
