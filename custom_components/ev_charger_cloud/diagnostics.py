"""Diagnostics: what the integration knows, with every secret and personal detail removed."""

from __future__ import annotations

import dataclasses
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_CLIENT_ID, CONF_CLIENT_SECRET, CONF_EMAIL, CONF_PASSWORD
from homeassistant.core import HomeAssistant

from .const import CONF_ORG_ID, CONF_TOKENS, CONF_WEBHOOK_ID
from .coordinator import EVChargerCloudConfigEntry

TO_REDACT = {
    CONF_EMAIL,
    CONF_PASSWORD,
    CONF_TOKENS,
    CONF_CLIENT_ID,
    CONF_CLIENT_SECRET,
    CONF_ORG_ID,
    CONF_WEBHOOK_ID,
    # Thor: the tags of charges started here, and the box the account is known by.
    "id_tags",
    "account_box",
    "owner",
    "first_name",
    "last_name",
    "comment",
    "latitude",
    "longitude",
    "token",
    "refresh_token",
    "api_key",
    "user_id",
    "user_name",
    "owner_id",
    "unlock_user_id",
    "car_plate",
    "depot_name",
    "sim_iccid",
    "uid",
    "unique_id",
    "title",
}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: EVChargerCloudConfigEntry
) -> dict[str, Any]:
    """The entry, the parsed devices and the cloud's last raw answers."""
    runtime = entry.runtime_data
    return async_redact_data(
        {
            "entry": entry.as_dict(),
            "devices": {
                device_id: {"kind": device.kind, **_plain(dataclasses.asdict(device))}
                for device_id, device in runtime.coordinator.data.items()
            },
            "cloud": runtime.client.diagnostics(),
        },
        TO_REDACT,
    )


def _plain(value: Any) -> Any:
    """A dataclass dump with feature sets as sorted lists (JSON has no sets)."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, frozenset):
        return sorted(value)
    return value
