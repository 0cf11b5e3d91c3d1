"""Diagnostics: what the integration knows, with every secret and personal detail removed."""

from __future__ import annotations

import dataclasses
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_EMAIL, CONF_PASSWORD
from homeassistant.core import HomeAssistant

from .const import CONF_TOKENS
from .coordinator import EVChargerCloudConfigEntry

TO_REDACT = {
    CONF_EMAIL,
    CONF_PASSWORD,
    CONF_TOKENS,
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
    """The entry, the parsed chargers and the cloud's last raw answers."""
    runtime = entry.runtime_data
    return async_redact_data(
        {
            "entry": entry.as_dict(),
            "chargers": {
                cid: {**dataclasses.asdict(charger), "features": sorted(charger.features)}
                for cid, charger in runtime.coordinator.data.items()
            },
            "cloud": runtime.client.diagnostics(),
        },
        TO_REDACT,
    )
