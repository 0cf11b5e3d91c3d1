"""The Podero controls against the simulator: switches, the charge limit and the deadline."""

from __future__ import annotations

from datetime import time

from homeassistant.components.number import (
    ATTR_MAX,
    ATTR_MIN,
    ATTR_MODE,
    ATTR_STEP,
)
from homeassistant.const import ATTR_UNIT_OF_MEASUREMENT, STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from simulator import Simulator
from simulator.faults import Fault
from simulator.podero.model import PoderoVehicle as SimVehicle, PoderoWallbox as SimWallbox

from .conftest import state_of
from .entity_helpers import set_number, set_time, turn
from .podero_helpers import HOME_EV as EV, HOME_WALLBOX as WALLBOX

pytest_plugins = ["tests.podero_entry_fixtures"]


@pytest.mark.parametrize(
    ("entity", "device", "view", "field"),
    [
        (f"{WALLBOX}_smart_optimization", 0, "state_json", "is_smart_optimization_active"),
        (f"{EV}_smart_optimization", 1, "state_json", "is_smart_optimization_active"),
        (f"{EV}_charge_target", 1, "vehicle_json", "is_charge_policy_enabled"),
    ],
    ids=["wallbox-smart-optimization", "ev-smart-optimization", "ev-charge-target"],
)
async def test_switch_sets_its_flag(
    hass: HomeAssistant,
    podero_sim: Simulator,
    home: tuple[SimWallbox, SimVehicle],
    entry: MockConfigEntry,
    entity: str,
    device: int,
    view: str,
    field: str,
) -> None:
    """Podero's optimisation (wallboxes, EVs) and the EV's charge target go on and off again.

    The switch follows the answer; the flag is read back from the cloud each time.
    """
    sim_device = home[device]
    shown = getattr(podero_sim.podero, view)
    entity_id = f"switch.{entity}"
    assert state_of(hass, entity_id) == STATE_OFF

    for on, state in ((True, STATE_ON), (False, STATE_OFF)):
        await turn(hass, entity_id, on)
        assert shown(sim_device.id)[field] is on
        assert state_of(hass, entity_id) == state


async def test_vehicle_charging_pauses_and_resumes(
    hass: HomeAssistant, podero_sim: Simulator, podero_ev: SimVehicle
) -> None:
    """Off pauses the EV (it stops charging), on resumes it."""
    entity_id = f"switch.{EV}_charging"
    assert state_of(hass, entity_id) == STATE_ON

    await turn(hass, entity_id, False)
    state = podero_sim.podero.vehicle_json(podero_ev.id)
    assert state["is_pause_power_active"] is True
    assert state["pause_power_until"] is not None
    assert state["is_charging"] is False
    assert state_of(hass, entity_id) == STATE_OFF

    await turn(hass, entity_id, True)
    state = podero_sim.podero.vehicle_json(podero_ev.id)
    assert state["is_pause_power_active"] is False
    assert state["is_charging"] is True
    assert state_of(hass, entity_id) == STATE_ON


async def test_minimum_charge_limit(
    hass: HomeAssistant, podero_sim: Simulator, podero_ev: SimVehicle
) -> None:
    """A percentage from 0 to 100 in steps of 1, sent as Podero's minimum_charge_limit."""
    entity_id = f"number.{EV}_minimum_charge_limit"
    state = hass.states.get(entity_id)
    assert state is not None
    assert state.state == "100"
    assert state.attributes[ATTR_UNIT_OF_MEASUREMENT] == "%"
    assert (state.attributes[ATTR_MIN], state.attributes[ATTR_MAX]) == (0, 100)
    assert state.attributes[ATTR_STEP] == 1
    assert state.attributes[ATTR_MODE] == "slider"

    await set_number(hass, entity_id, 80)
    assert podero_sim.podero.vehicle_json(podero_ev.id)["minimum_charge_limit"] == 80
    assert state_of(hass, entity_id) == "80"


async def test_charge_deadline(
    hass: HomeAssistant, podero_sim: Simulator, podero_ev: SimVehicle
) -> None:
    """The deadline is a time of day, sent to the minute."""
    entity_id = f"time.{EV}_charge_deadline"
    assert state_of(hass, entity_id) == "06:00:00"

    await set_time(hass, entity_id, time(7, 30, 15))
    assert podero_sim.podero.vehicle_json(podero_ev.id)["charge_deadline_at"] == "07:30:00"
    assert state_of(hass, entity_id) == "07:30:00"


async def test_rejected_setting_is_translated(
    hass: HomeAssistant, podero_sim: Simulator, podero_ev: SimVehicle
) -> None:
    """A 422 from Podero reaches the user as command_rejected; nothing changes."""
    podero_sim.podero.faults.add(Fault(status=422, method="PUT", times=1))

    with pytest.raises(HomeAssistantError) as err:
        await set_number(hass, f"number.{EV}_minimum_charge_limit", 70)
    assert err.value.translation_key == "command_rejected"
    assert podero_sim.podero.vehicle_json(podero_ev.id)["minimum_charge_limit"] == 100
