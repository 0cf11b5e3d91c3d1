"""The Podero controls against the simulator: switches, the charge limit and the deadline."""

from __future__ import annotations

from datetime import time

from homeassistant.components.number import (
    ATTR_MAX,
    ATTR_MIN,
    ATTR_MODE,
    ATTR_STEP,
    ATTR_VALUE,
    SERVICE_SET_VALUE,
)
from homeassistant.components.time import ATTR_TIME
from homeassistant.const import (
    ATTR_ENTITY_ID,
    ATTR_UNIT_OF_MEASUREMENT,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    STATE_OFF,
    STATE_ON,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from simulator import Simulator
from simulator.faults import Fault
from simulator.podero.model import PoderoVehicle as SimVehicle, PoderoWallbox as SimWallbox

from .conftest import state_of

pytest_plugins = ["tests.podero_entry_fixtures"]

# The fixtures' devices as Home Assistant names them.
WALLBOX = "garage"
EV = "volkswagen_id_4"


async def switch(hass: HomeAssistant, entity_id: str, on: bool) -> None:
    await hass.services.async_call(
        "switch",
        SERVICE_TURN_ON if on else SERVICE_TURN_OFF,
        {ATTR_ENTITY_ID: entity_id},
        blocking=True,
    )
    await hass.async_block_till_done()


@pytest.mark.parametrize("device", [WALLBOX, EV])
async def test_smart_optimization(
    hass: HomeAssistant,
    podero_sim: Simulator,
    home: tuple[SimWallbox, SimVehicle],
    entry: MockConfigEntry,
    device: str,
) -> None:
    """Wallboxes and EVs switch Podero's optimisation; the switch follows the answer."""
    sim_device = home[0] if device == WALLBOX else home[1]
    entity_id = f"switch.{device}_smart_optimization"
    assert state_of(hass, entity_id) == STATE_OFF

    await switch(hass, entity_id, True)
    assert podero_sim.podero.state_json(sim_device.id)["is_smart_optimization_active"] is True
    assert state_of(hass, entity_id) == STATE_ON

    await switch(hass, entity_id, False)
    assert podero_sim.podero.state_json(sim_device.id)["is_smart_optimization_active"] is False
    assert state_of(hass, entity_id) == STATE_OFF


async def test_charge_policy(
    hass: HomeAssistant,
    podero_sim: Simulator,
    home: tuple[SimWallbox, SimVehicle],
    entry: MockConfigEntry,
) -> None:
    """The EV's charge target is put in force and lifted again."""
    vehicle = home[1]
    entity_id = f"switch.{EV}_charge_target"
    assert state_of(hass, entity_id) == STATE_OFF

    await switch(hass, entity_id, True)
    assert podero_sim.podero.vehicle_json(vehicle.id)["is_charge_policy_enabled"] is True
    assert state_of(hass, entity_id) == STATE_ON

    await switch(hass, entity_id, False)
    assert podero_sim.podero.vehicle_json(vehicle.id)["is_charge_policy_enabled"] is False
    assert state_of(hass, entity_id) == STATE_OFF


async def test_vehicle_charging_pauses_and_resumes(
    hass: HomeAssistant,
    podero_sim: Simulator,
    home: tuple[SimWallbox, SimVehicle],
    entry: MockConfigEntry,
) -> None:
    """Off pauses the EV (it stops charging), on resumes it."""
    vehicle = home[1]
    entity_id = f"switch.{EV}_charging"
    assert state_of(hass, entity_id) == STATE_ON

    await switch(hass, entity_id, False)
    state = podero_sim.podero.vehicle_json(vehicle.id)
    assert state["is_pause_power_active"] is True
    assert state["pause_power_until"] is not None
    assert state["is_charging"] is False
    assert state_of(hass, entity_id) == STATE_OFF

    await switch(hass, entity_id, True)
    state = podero_sim.podero.vehicle_json(vehicle.id)
    assert state["is_pause_power_active"] is False
    assert state["is_charging"] is True
    assert state_of(hass, entity_id) == STATE_ON


async def test_minimum_charge_limit(
    hass: HomeAssistant,
    podero_sim: Simulator,
    home: tuple[SimWallbox, SimVehicle],
    entry: MockConfigEntry,
) -> None:
    """A percentage from 0 to 100 in steps of 1, sent as Podero's minimum_charge_limit."""
    vehicle = home[1]
    entity_id = f"number.{EV}_minimum_charge_limit"
    state = hass.states.get(entity_id)
    assert state is not None
    assert state.state == "100"
    assert state.attributes[ATTR_UNIT_OF_MEASUREMENT] == "%"
    assert (state.attributes[ATTR_MIN], state.attributes[ATTR_MAX]) == (0, 100)
    assert state.attributes[ATTR_STEP] == 1
    assert state.attributes[ATTR_MODE] == "slider"

    await hass.services.async_call(
        "number",
        SERVICE_SET_VALUE,
        {ATTR_ENTITY_ID: entity_id, ATTR_VALUE: 80},
        blocking=True,
    )
    await hass.async_block_till_done()
    assert podero_sim.podero.vehicle_json(vehicle.id)["minimum_charge_limit"] == 80
    assert state_of(hass, entity_id) == "80"


async def test_charge_deadline(
    hass: HomeAssistant,
    podero_sim: Simulator,
    home: tuple[SimWallbox, SimVehicle],
    entry: MockConfigEntry,
) -> None:
    """The deadline is a time of day, sent to the minute."""
    vehicle = home[1]
    entity_id = f"time.{EV}_charge_deadline"
    assert state_of(hass, entity_id) == "06:00:00"

    await hass.services.async_call(
        "time",
        "set_value",
        {ATTR_ENTITY_ID: entity_id, ATTR_TIME: time(7, 30, 15)},
        blocking=True,
    )
    await hass.async_block_till_done()
    assert podero_sim.podero.vehicle_json(vehicle.id)["charge_deadline_at"] == "07:30:00"
    assert state_of(hass, entity_id) == "07:30:00"


async def test_rejected_setting_is_translated(
    hass: HomeAssistant,
    podero_sim: Simulator,
    home: tuple[SimWallbox, SimVehicle],
    entry: MockConfigEntry,
) -> None:
    """A 422 from Podero reaches the user as command_rejected; nothing changes."""
    vehicle = home[1]
    podero_sim.podero.faults.add(Fault(status=422, method="PUT", times=1))

    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            "number",
            SERVICE_SET_VALUE,
            {ATTR_ENTITY_ID: f"number.{EV}_minimum_charge_limit", ATTR_VALUE: 70},
            blocking=True,
        )
    assert err.value.translation_key == "command_rejected"
    assert podero_sim.podero.vehicle_json(vehicle.id)["minimum_charge_limit"] == 100
