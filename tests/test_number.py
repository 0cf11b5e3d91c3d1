"""Numbers: the demo accounts' snapshot, and a Wallbox charger's current, price and boost limit."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
import pytest

from .conftest import POLL, advance, attributes, state_of
from .platform_helpers import SnapshotDemo, WallboxHome, call_service

pytest_plugins = ["tests.demo_accounts", "tests.wallbox_home"]


@pytest.mark.parametrize("demo_platforms", [[Platform.NUMBER]], ids=["number"])
async def test_demo_accounts(snapshot_demo: SnapshotDemo) -> None:
    """Every number of the cloud's demo account: registry entry and state."""
    await snapshot_demo()


async def test_set_max_charging_current(
    hass: HomeAssistant, wallbox_home: WallboxHome, freezer: FrozenDateTimeFactory
) -> None:
    """A new current reaches the charger, shows at once and changes the power."""
    cloud = wallbox_home.cloud
    await call_service(
        hass, "number", "set_value", "number.garage_maximum_charging_current", value=10
    )
    assert cloud.charger(wallbox_home.garage).max_charging_current == 10
    assert state_of(hass, "number.garage_maximum_charging_current") == "10"
    await advance(hass, freezer, POLL)
    assert state_of(hass, "sensor.garage_charging_power") == "2.3"


async def test_max_charging_current_out_of_range(
    hass: HomeAssistant, wallbox_home: WallboxHome
) -> None:
    """Values outside 6 A..max available are refused before anything is sent."""
    wallbox_home.log.clear()
    with pytest.raises(ServiceValidationError):
        await call_service(
            hass, "number", "set_value", "number.garage_maximum_charging_current", value=40
        )
    assert wallbox_home.log.count(method="PUT") == 0


async def test_set_energy_price_and_icp(hass: HomeAssistant, wallbox_home: WallboxHome) -> None:
    """Config writes reach the charger and show from the answer."""
    cloud = wallbox_home.cloud
    await call_service(hass, "number", "set_value", "number.garage_energy_price", value=0.312)
    assert cloud.charger(wallbox_home.garage).energy_price == pytest.approx(0.312)
    assert attributes(hass, "number.garage_energy_price")[:2] == ("0.312", "EUR/kWh")
    await call_service(
        hass, "number", "set_value", "number.garage_power_boost_supply_limit", value=25
    )
    assert cloud.charger(wallbox_home.garage).icp_max_current == 25
    assert state_of(hass, "number.garage_power_boost_supply_limit") == "25"
