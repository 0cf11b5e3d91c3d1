"""Wallbox entities across the platforms, against the simulated account of conftest.

What a user sees right after setup, which entities start disabled, and how a failed
command of any platform is reported; each platform's own behaviour is in test_<platform>.py.
"""

from __future__ import annotations

from typing import Any

from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
)

from simulator.faults import Fault

from .conftest import RunningSimulator, attributes, state_of
from .platform_helpers import call_service


@pytest.mark.usefixtures("entity_registry_enabled_by_default", "init_integration")
async def test_every_entity_state_and_unit(hass: HomeAssistant) -> None:
    """What a user sees right after setup: a car charging at 16 A on one phase."""
    expected = {
        "sensor.garage_charging_power": ("3.68", "kW"),
        "sensor.garage_session_energy": ("0.0", "kWh"),
        "sensor.garage_total_energy": ("0.0", "kWh"),
        "sensor.garage_session_green_energy": ("0.0", "kWh"),
        "sensor.garage_session_grid_energy": ("0.0", "kWh"),
        "sensor.garage_added_range": ("0.0", "km"),
        "sensor.garage_charging_time": ("0.0", "min"),
        "sensor.garage_status": ("charging", None),
        "sensor.garage_maximum_available_current": ("32.0", "A"),
        "sensor.garage_energy_price_read_only": ("0.24", "EUR/kWh"),
        "sensor.garage_status_code": ("194", None),
        "switch.garage_charging": ("on", None),
        "lock.garage_lock": ("unlocked", None),
        "number.garage_maximum_charging_current": ("16", "A"),
        "number.garage_energy_price": ("0.24", "EUR/kWh"),
        "number.garage_power_boost_supply_limit": ("40", "A"),
        "select.garage_solar_charging": ("off", None),
        "button.garage_resume_schedule": ("unknown", None),
        "button.garage_restart": ("unknown", None),
        "sensor.office_status": ("ready", None),
        "sensor.office_charging_power": ("0.0", "kW"),
        "switch.office_charging": ("off", None),
    }
    for entity_id, (value, unit) in expected.items():
        assert attributes(hass, entity_id)[:2] == (value, unit), entity_id
    # Only chargers with Eco-Smart get the select; only power boost gets the ICP limit;
    # only chargers that learn the car's battery level get a state of charge.
    assert hass.states.get("sensor.garage_state_of_charge") is None
    assert hass.states.get("select.office_solar_charging") is None
    assert hass.states.get("number.office_power_boost_supply_limit") is None
    number = hass.states.get("number.garage_maximum_charging_current")
    assert number is not None
    assert (number.attributes["min"], number.attributes["max"]) == (6, 32)


async def test_diagnostic_entities_are_disabled_by_default(
    hass: HomeAssistant, init_integration: MockConfigEntry, entity_registry: er.EntityRegistry
) -> None:
    """Noisy and diagnostic entities start disabled; the main ones do not."""
    disabled = {
        entry.entity_id
        for entry in er.async_entries_for_config_entry(entity_registry, init_integration.entry_id)
        if entry.disabled_by is not None
        and entry.entity_id.startswith(("sensor.garage", "button.garage"))
    }
    assert disabled == {
        "sensor.garage_session_green_energy",
        "sensor.garage_session_grid_energy",
        "sensor.garage_maximum_available_current",
        "sensor.garage_energy_price_read_only",
        "sensor.garage_status_code",
        "button.garage_restart",
    }


@pytest.mark.parametrize(
    ("service", "entity_id", "data", "fault", "key"),
    [
        ("turn_on", "switch.garage_charging", {}, None, "command_rejected"),
        (
            "turn_off",
            "switch.garage_charging",
            {},
            Fault(status=403, method="POST"),
            "not_permitted",
        ),
        ("lock", "lock.garage_lock", {}, Fault(status=500, method="PUT"), "communication_error"),
        ("lock", "lock.garage_lock", {}, Fault(status=429, method="PUT"), "rate_limited"),
        ("lock", "lock.garage_lock", {}, Fault(status=404, method="PUT"), "device_gone"),
        (
            "select_option",
            "select.garage_solar_charging",
            {"option": "eco_mode"},
            Fault(malformed=True, status=502, method="PUT"),
            "communication_error",
        ),
    ],
)
@pytest.mark.usefixtures("init_integration")
async def test_failed_commands_raise_translated_errors(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    service: str,
    entity_id: str,
    data: dict[str, Any],
    fault: Fault | None,
    key: str,
) -> None:
    """A refused or failed command is never dropped silently."""
    if fault is not None:
        simulator.sim.wallbox.faults.add(fault)
    with pytest.raises(HomeAssistantError) as err:
        await call_service(hass, entity_id.split(".")[0], service, entity_id, **data)
    assert err.value.translation_domain == "ev_charger_cloud"
    assert err.value.translation_key == key
    # The entity keeps its state; the failure does not make it unavailable.
    assert state_of(hass, entity_id) != STATE_UNAVAILABLE


async def test_command_with_refused_credentials_starts_reauth(
    hass: HomeAssistant, init_integration: MockConfigEntry, simulator: RunningSimulator
) -> None:
    """A command that finds the password changed asks the user to sign in again."""
    cloud = simulator.sim.wallbox
    cloud.account(init_integration.data["email"]).password = "changed"
    cloud.revoke_tokens(init_integration.data["email"])
    with pytest.raises(HomeAssistantError) as err:
        await call_service(hass, "lock", "lock", "lock.garage_lock")
    assert err.value.translation_key == "authentication_error"
    await hass.async_block_till_done()
    flows = hass.config_entries.flow.async_progress()
    assert [flow["context"]["source"] for flow in flows] == ["reauth"]
