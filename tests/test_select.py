"""Selects: the demo accounts' snapshot, and the solar charging mode of a Wallbox charger."""

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
    """Only the selects."""
    return [Platform.SELECT]


async def test_demo_accounts(snapshot_demo: Callable[[], Awaitable[None]]) -> None:
    """Every select of the cloud's demo account: registry entry and state."""
    await snapshot_demo()


@pytest.mark.parametrize(
    ("option", "enabled", "mode"),
    [("eco_mode", True, 0), ("full_solar", True, 1), ("off", False, None)],
)
async def test_select_eco_smart(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
    wallbox_account: list[int],
    option: str,
    enabled: bool,
    mode: int | None,
) -> None:
    """Each solar mode reaches the charger, shows at once and is confirmed by one read."""
    simulator.sim.requests.clear()
    await call_service(
        hass, "select", "select_option", "select.garage_solar_charging", option=option
    )
    eco = simulator.sim.wallbox.charger(wallbox_account[0]).eco_smart
    assert eco is not None
    assert eco.enabled is enabled
    if mode is not None:
        assert int(eco.mode) == mode
    assert state_of(hass, "select.garage_solar_charging") == option
    await advance(hass, freezer, timedelta(seconds=61))
    assert simulator.sim.requests.count(method="GET", path_contains="chargers/status") == 1
    assert state_of(hass, "select.garage_solar_charging") == option
