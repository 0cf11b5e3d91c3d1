"""How a Podero wallbox's mode and flags become a connector status (the documented table)."""

from __future__ import annotations

from typing import Any

import pytest

from custom_components.ev_charger_cloud.api import ChargerStatus
from custom_components.ev_charger_cloud.api.podero.mapping import connector_status, to_device
from custom_components.ev_charger_cloud.api.podero.models import (
    PoderoDevice,
    PoderoMode,
    PoderoVehicle,
    PoderoWallbox,
)


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ({"mode": PoderoMode.UNAVAILABLE, "is_pause_power_active": True}, "disconnected"),
        ({"mode": PoderoMode.CHARGING, "is_pause_power_active": True}, "paused"),
        ({"mode": PoderoMode.READY, "is_pause_power_active": True}, "paused"),
        ({"mode": PoderoMode.CHARGING}, "charging"),
        ({"mode": PoderoMode.PLUGGED_IN}, "waiting"),
        ({"mode": PoderoMode.PLUGGED_IN, "is_fully_charged": True}, "waiting_for_car_demand"),
        ({"mode": PoderoMode.READY}, "ready"),
        # No mode (older shape) or one Podero added later: the flags tell.
        ({"is_charging": True, "is_plugged_in": True}, "charging"),
        ({"mode": PoderoMode.UNKNOWN, "is_plugged_in": True}, "waiting"),
        ({"is_plugged_in": False}, "ready"),
        ({"mode": PoderoMode.UNKNOWN}, "unknown"),
        ({}, "unknown"),
    ],
)
def test_status_table(fields: dict[str, Any], status: str) -> None:
    """Offline first, then the user's pause, then what the wallbox does."""
    assert connector_status(PoderoWallbox(id="w", **fields)) is ChargerStatus(status)


def test_names_without_make_or_model() -> None:
    """Neither comment nor make nor model: the kind's name."""
    device = to_device(PoderoWallbox(id="w", comment="  Carport "))
    assert device.name == "Carport"
    device = to_device(PoderoWallbox(id="w"))
    assert (device.name, device.manufacturer) == ("Wallbox", "Unknown")
    assert to_device(PoderoVehicle(id="v")).name == "Electric vehicle"


def test_only_wallboxes_and_vehicles() -> None:
    """The plain base model is no device of its own."""
    with pytest.raises(TypeError):
        to_device(PoderoDevice(id="x"))
