"""Buttons: the demo accounts' snapshot, and a Wallbox charger's resume schedule and restart."""

from __future__ import annotations

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
import pytest

from .conftest import advance, state_of
from .platform_helpers import SnapshotDemo, WallboxHome, call_service

pytest_plugins = ["tests.demo_accounts", "tests.wallbox_home"]


@pytest.mark.parametrize("demo_platforms", [[Platform.BUTTON]], ids=["button"])
async def test_demo_accounts(snapshot_demo: SnapshotDemo) -> None:
    """Every button of the cloud's demo account: registry entry and state."""
    await snapshot_demo()


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_buttons(
    hass: HomeAssistant, wallbox_home: WallboxHome, freezer: FrozenDateTimeFactory
) -> None:
    """Resume schedule clears a manual pause; restart takes the charger offline for a while."""
    await call_service(hass, "switch", "turn_off", "switch.garage_charging")
    await call_service(hass, "button", "press", "button.garage_resume_schedule")
    assert not wallbox_home.cloud.charger(wallbox_home.garage).paused
    await call_service(hass, "button", "press", "button.garage_restart")
    await advance(hass, freezer, timedelta(seconds=61))
    assert state_of(hass, "sensor.garage_status") == "disconnected"
    actions = [r.path for r in wallbox_home.log if r.method == "POST" and "remote-action" in r.path]
    assert len(actions) == 3
