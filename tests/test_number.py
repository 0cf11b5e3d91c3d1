"""Numbers: the demo accounts' snapshot, and a Wallbox charger's current, price and boost limit."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from .conftest import POLL, RunningSimulator, advance, attributes, state_of
from .service_calls import call_service

pytest_plugins = ["tests.demo_accounts"]


@pytest.fixture
def demo_platforms() -> list[Platform]:
    """Only the numbers."""
    return [Platform.NUMBER]


async def test_demo_accounts(snapshot_demo: Callable[[], Awaitable[None]]) -> None:
    """Every number of the cloud's demo account: registry entry and state."""
    await snapshot_demo()


async def test_set_max_charging_current(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
    wallbox_account: list[int],
) -> None:
    """A new current reaches the charger, shows at once and changes the power."""
    cloud = simulator.sim.wallbox
    await call_service(
        hass, "number", "set_value", "number.garage_maximum_charging_current", value=10
    )
    assert cloud.charger(wallbox_account[0]).max_charging_current == 10
    assert state_of(hass, "number.garage_maximum_charging_current") == "10"
    await advance(hass, freezer, POLL)
    assert state_of(hass, "sensor.garage_charging_power") == "2.3"


async def test_max_charging_current_out_of_range(
    hass: HomeAssistant, init_integration: MockConfigEntry, simulator: RunningSimulator
) -> None:
    """Values outside 6 A..max available are refused before anything is sent."""
    simulator.sim.requests.clear()
    with pytest.raises(ServiceValidationError):
        await call_service(
            hass, "number", "set_value", "number.garage_maximum_charging_current", value=40
        )
    assert simulator.sim.requests.count(method="PUT") == 0


async def test_set_energy_price_and_icp(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulator: RunningSimulator,
    wallbox_account: list[int],
) -> None:
    """Config writes reach the charger and show from the answer."""
    cloud = simulator.sim.wallbox
    await call_service(hass, "number", "set_value", "number.garage_energy_price", value=0.312)
    assert cloud.charger(wallbox_account[0]).energy_price == pytest.approx(0.312)
    assert attributes(hass, "number.garage_energy_price")[:2] == ("0.312", "EUR/kWh")
    await call_service(
        hass, "number", "set_value", "number.garage_power_boost_supply_limit", value=25
    )
    assert cloud.charger(wallbox_account[0]).icp_max_current == 25
    assert state_of(hass, "number.garage_power_boost_supply_limit") == "25"
