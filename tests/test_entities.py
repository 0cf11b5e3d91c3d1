"""Entity states, units and every command, against the simulated charger."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import ATTR_ENTITY_ID, ATTR_UNIT_OF_MEASUREMENT, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
)

from simulator.faults import Fault
from simulator.wallbox.model import Car

from .conftest import EMAIL, PASSWORD, POLL, RunningSimulator, advance


def _state(hass: HomeAssistant, entity_id: str) -> tuple[str, Any]:
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    return state.state, state.attributes.get(ATTR_UNIT_OF_MEASUREMENT)


async def _call(
    hass: HomeAssistant, domain: str, service: str, entity_id: str, **data: Any
) -> None:
    await hass.services.async_call(
        domain, service, {ATTR_ENTITY_ID: entity_id, **data}, blocking=True
    )
    await hass.async_block_till_done()


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_every_entity_state_and_unit(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
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
        assert _state(hass, entity_id) == (value, unit), entity_id
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


async def test_energy_accumulates_while_charging(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """30 minutes at 3.68 kW add 1.84 kWh to the session."""
    for _ in range(20):
        await advance(hass, freezer, POLL)
    # The charging garage is read at every poll (the idle office only every 15 min).
    assert _state(hass, "sensor.garage_session_energy") == ("1.84", "kWh")
    minutes, unit = _state(hass, "sensor.garage_charging_time")
    assert (round(float(minutes), 2), unit) == (30.0, "min")


async def test_pause_and_resume(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
    wallbox_account: list[int],
) -> None:
    """The switch pauses the simulated charger; one follow-up read shows it."""
    cloud, log = simulator.sim.wallbox, simulator.sim.requests
    garage = wallbox_account[0]
    log.clear()
    await _call(hass, "switch", "turn_off", "switch.garage_charging")
    assert cloud.charger(garage).paused
    assert log.count(method="POST", path_contains="remote-action") == 1
    assert log.count(method="GET") == 0
    # Shown at once, before any read: a pause stops the power.
    assert _state(hass, "switch.garage_charging")[0] == "off"
    assert _state(hass, "sensor.garage_status")[0] == "paused"
    assert _state(hass, "sensor.garage_charging_power")[0] == "0.0"
    # The setup spent the burst (discovery and two chargers): the confirming read
    # comes once the cloud has a read again, a minute after the setup.
    await advance(hass, freezer, timedelta(seconds=55))
    assert log.count(method="GET") == 0
    await advance(hass, freezer, timedelta(seconds=6))
    assert log.count(method="GET", path_contains=f"status/{garage}") == 1
    assert _state(hass, "switch.garage_charging")[0] == "off"
    assert _state(hass, "sensor.garage_status")[0] == "paused"
    assert _state(hass, "sensor.garage_charging_power")[0] == "0.0"

    await _call(hass, "switch", "turn_on", "switch.garage_charging")
    assert not cloud.charger(garage).paused
    # Shown at once as a running session, waiting for the car until a read tells more.
    assert _state(hass, "switch.garage_charging")[0] == "on"
    assert _state(hass, "sensor.garage_status")[0] == "waiting"
    assert _state(hass, "sensor.garage_charging_power")[0] == "0.0"
    await advance(hass, freezer, timedelta(seconds=30))
    assert _state(hass, "switch.garage_charging")[0] == "on"  # it does not spring back
    await advance(hass, freezer, timedelta(seconds=31))
    assert _state(hass, "switch.garage_charging")[0] == "on"
    assert _state(hass, "sensor.garage_status")[0] == "charging"
    assert _state(hass, "sensor.garage_charging_power")[0] == "3.68"
    # Two commands, two confirming reads.
    assert log.count(method="GET") == 2


async def test_lock_and_unlock(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulator: RunningSimulator,
    wallbox_account: list[int],
) -> None:
    """Locking uses the write's answer: the state changes without another read."""
    cloud, log = simulator.sim.wallbox, simulator.sim.requests
    log.clear()
    await _call(hass, "lock", "lock", "lock.garage_lock")
    assert cloud.charger(wallbox_account[0]).locked
    assert _state(hass, "lock.garage_lock")[0] == "locked"
    assert _state(hass, "sensor.garage_status")[0] == "locked_car_connected"
    await _call(hass, "lock", "unlock", "lock.garage_lock")
    assert not cloud.charger(wallbox_account[0]).locked
    assert _state(hass, "lock.garage_lock")[0] == "unlocked"
    assert log.count(method="GET") == 0
    assert log.count(method="PUT") == 2


async def test_set_max_charging_current(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
    wallbox_account: list[int],
) -> None:
    """A new current reaches the charger, shows at once and changes the power."""
    cloud = simulator.sim.wallbox
    await _call(hass, "number", "set_value", "number.garage_maximum_charging_current", value=10)
    assert cloud.charger(wallbox_account[0]).max_charging_current == 10
    assert _state(hass, "number.garage_maximum_charging_current")[0] == "10"
    await advance(hass, freezer, POLL)
    assert _state(hass, "sensor.garage_charging_power")[0] == "2.3"


async def test_max_charging_current_out_of_range(
    hass: HomeAssistant, init_integration: MockConfigEntry, simulator: RunningSimulator
) -> None:
    """Values outside 6 A..max available are refused before anything is sent."""
    simulator.sim.requests.clear()
    with pytest.raises(ServiceValidationError):
        await _call(hass, "number", "set_value", "number.garage_maximum_charging_current", value=40)
    assert simulator.sim.requests.count(method="PUT") == 0


async def test_set_energy_price_and_icp(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulator: RunningSimulator,
    wallbox_account: list[int],
) -> None:
    """Config writes reach the charger and show from the answer."""
    cloud = simulator.sim.wallbox
    await _call(hass, "number", "set_value", "number.garage_energy_price", value=0.312)
    assert cloud.charger(wallbox_account[0]).energy_price == pytest.approx(0.312)
    assert _state(hass, "number.garage_energy_price") == ("0.312", "EUR/kWh")
    await _call(hass, "number", "set_value", "number.garage_power_boost_supply_limit", value=25)
    assert cloud.charger(wallbox_account[0]).icp_max_current == 25
    assert _state(hass, "number.garage_power_boost_supply_limit")[0] == "25"


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
    await _call(hass, "select", "select_option", "select.garage_solar_charging", option=option)
    eco = simulator.sim.wallbox.charger(wallbox_account[0]).eco_smart
    assert eco is not None
    assert eco.enabled is enabled
    if mode is not None:
        assert int(eco.mode) == mode
    assert _state(hass, "select.garage_solar_charging")[0] == option
    await advance(hass, freezer, timedelta(seconds=61))
    assert simulator.sim.requests.count(method="GET", path_contains="chargers/status") == 1
    assert _state(hass, "select.garage_solar_charging")[0] == option


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
    await _call(hass, "switch", "turn_off", "switch.garage_charging")
    await _call(hass, "button", "press", "button.garage_resume_schedule")
    assert not cloud.charger(garage).paused
    await _call(hass, "button", "press", "button.garage_restart")
    await advance(hass, freezer, timedelta(seconds=61))
    assert _state(hass, "sensor.garage_status")[0] == "disconnected"
    actions = [
        r.path for r in simulator.sim.requests if r.method == "POST" and "remote-action" in r.path
    ]
    assert len(actions) == 3


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
async def test_failed_commands_raise_translated_errors(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
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
        await _call(hass, entity_id.split(".")[0], service, entity_id, **data)
    assert err.value.translation_domain == "ev_charger_cloud"
    assert err.value.translation_key == key
    # The entity keeps its state; the failure does not make it unavailable.
    assert _state(hass, entity_id)[0] != STATE_UNAVAILABLE


async def test_command_with_refused_credentials_starts_reauth(
    hass: HomeAssistant, init_integration: MockConfigEntry, simulator: RunningSimulator
) -> None:
    """A command that finds the password changed asks the user to sign in again."""
    cloud = simulator.sim.wallbox
    cloud.account(init_integration.data["email"]).password = "changed"
    cloud.revoke_tokens(init_integration.data["email"])
    with pytest.raises(HomeAssistantError) as err:
        await _call(hass, "lock", "lock", "lock.garage_lock")
    assert err.value.translation_key == "authentication_error"
    await hass.async_block_till_done()
    flows = hass.config_entries.flow.async_progress()
    assert [flow["context"]["source"] for flow in flows] == ["reauth"]


async def test_firmware_update(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: RunningSimulator,
    config_entry: MockConfigEntry,
) -> None:
    """A newer firmware shows as an update; installing it reaches the charger."""
    cloud = simulator.sim.wallbox
    cloud.add_account(EMAIL, PASSWORD, user_id=4242)
    charger = cloud.add_charger(EMAIL, name="Garage", firmware="6.1.0", latest_firmware="6.2.4")
    config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    state = hass.states.get("update.garage_firmware")
    assert state is not None
    assert state.state == "on"
    assert (state.attributes["installed_version"], state.attributes["latest_version"]) == (
        "6.1.0",
        "6.2.4",
    )
    await _call(hass, "update", "install", "update.garage_firmware")
    assert cloud.charger(charger.id).firmware == "6.2.4"
    await advance(hass, freezer, timedelta(seconds=61))  # the follow-up read
    assert _state(hass, "update.garage_firmware")[0] == "off"


async def test_install_without_update_is_refused(
    hass: HomeAssistant, init_integration: MockConfigEntry, simulator: RunningSimulator
) -> None:
    """Without newer firmware Home Assistant refuses before asking the cloud."""
    assert _state(hass, "update.garage_firmware")[0] == "off"
    simulator.sim.requests.clear()
    with pytest.raises(HomeAssistantError, match="No update available"):
        await _call(hass, "update", "install", "update.garage_firmware")
    assert simulator.sim.requests.count(method="POST") == 0


async def test_state_of_charge_appears_when_a_car_reports_it(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: RunningSimulator,
    config_entry: MockConfigEntry,
) -> None:
    """A charger that reads the battery gets the sensor once a car tells its level."""
    cloud = simulator.sim.wallbox
    cloud.add_account(EMAIL, PASSWORD, user_id=4242)
    charger = cloud.add_charger(EMAIL, name="Garage", reports_soc=True)
    config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get("sensor.garage_state_of_charge") is None  # no car yet
    cloud.plug_in(charger.id, Car(soc_percent=40))
    await advance(hass, freezer)
    assert _state(hass, "sensor.garage_state_of_charge") == ("40.0", "%")
    # It stays when the car leaves, and reads unknown.
    cloud.unplug(charger.id)
    await advance(hass, freezer)
    assert _state(hass, "sensor.garage_state_of_charge")[0] == "unknown"
