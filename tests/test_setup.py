"""Setting up and unloading an account against the simulator."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ev_charger_cloud.const import DOMAIN

from .conftest import RunningSimulator


async def test_setup_creates_a_device_per_charger(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    wallbox_account: list[int],
    device_registry: dr.DeviceRegistry,
) -> None:
    """Each charger of the account becomes a device with its model and firmware."""
    assert init_integration.state is ConfigEntryState.LOADED
    garage = device_registry.async_get_device(identifiers={(DOMAIN, f"wallbox_{wallbox_account[0]}")})
    assert garage is not None
    assert garage.name == "Garage"
    assert garage.manufacturer == "Wallbox"
    assert garage.model == "Pulsar Plus"
    assert garage.serial_number == str(wallbox_account[0])
    office = device_registry.async_get_device(identifiers={(DOMAIN, f"wallbox_{wallbox_account[1]}")})
    assert office is not None
    assert office.model == "Copper C"
    state = hass.states.get("sensor.garage_charging_power")
    assert state is not None
    print(state)
    for s in hass.states.async_all():
        print(s.entity_id, s.state, s.attributes.get("unit_of_measurement"))
