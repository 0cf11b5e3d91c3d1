"""Buttons: the demo accounts' snapshot, and a Wallbox charger's resume schedule and restart."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from .conftest import RunningSimulator, advance, state_of
from .service_calls import call_service

pytest_plugins = ["tests.demo_accounts"]


@pytest.fixture
def demo_platforms() -> list[Platform]:
    """Only the buttons."""
    return [Platform.BUTTON]


async def test_demo_accounts(snapshot_demo: Callable[[], Awaitable[None]]) -> None:
    """Every button of the cloud's demo account: registry entry and state."""
    await snapshot_demo()


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_buttons(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
    wallbox_account: list[int],
) -> None:
    """Resume schedule clears a manual pause; restart takes the charger offline for a while."""
    cloud = simulator.sim.wallbox
    garage = wallbox_account[0]
    await call_service(hass, "switch", "turn_off", "switch.garage_charging")
    await call_service(hass, "button", "press", "button.garage_resume_schedule")
    assert not cloud.charger(garage).paused
    await call_service(hass, "button", "press", "button.garage_restart")
    await advance(hass, freezer, timedelta(seconds=61))
    assert state_of(hass, "sensor.garage_status") == "disconnected"
    actions = [
        r.path for r in simulator.sim.requests if r.method == "POST" and "remote-action" in r.path
    ]
    assert len(actions) == 3
