"""The lifetime energy meter built from the per-session counter."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
)

from simulator.wallbox.model import Car

from .conftest import RunningSimulator, advance, set_up_entry, set_up_restored, state_of

TOTAL = "sensor.garage_total_energy"


async def test_total_keeps_growing_across_sessions(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
    wallbox_account: list[int],
) -> None:
    """The session counter resets with a new session; the total does not."""
    state = hass.states.get(TOTAL)
    assert state is not None
    assert (state.state, state.attributes["unit_of_measurement"]) == ("0.0", "kWh")
    assert state.attributes["state_class"] == "total_increasing"
    # The charging garage is read at every poll (90 s; the idle office waits): 360 s at 3.68 kW.
    await advance(hass, freezer, times=4)
    assert state_of(hass, "sensor.garage_session_energy") == "0.368"
    assert state_of(hass, TOTAL) == "0.368"

    await advance(hass, freezer, times=2)
    assert state_of(hass, TOTAL) == "0.552"

    cloud = simulator.sim.wallbox
    cloud.unplug(wallbox_account[0])
    cloud.plug_in(wallbox_account[0], Car())
    await advance(hass, freezer)  # garage read 90 s into the new session
    assert state_of(hass, "sensor.garage_session_energy") == "0.092"
    # A drop with no unplugged status seen could be a glitch: held for a read.
    assert state_of(hass, TOTAL) == "0.552"
    await advance(hass, freezer)  # 180 s in: grown from the held reading
    assert state_of(hass, "sensor.garage_session_energy") == "0.184"
    assert state_of(hass, TOTAL) == "0.736"


@pytest.mark.usefixtures("wallbox_account")
async def test_total_is_restored_after_a_restart(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, config_entry: MockConfigEntry
) -> None:
    """A restart continues from the stored total instead of starting over."""
    await set_up_restored(
        hass, config_entry, State(TOTAL, "12.5"), {"total": 12.5, "last_session": 0.0}
    )
    assert state_of(hass, TOTAL) == "12.5"
    await advance(hass, freezer, times=1)  # garage read after 90 s: 0.092 kWh more
    assert state_of(hass, TOTAL) == "12.592"


@pytest.mark.usefixtures("freezer", "wallbox_account")
async def test_unusable_restored_data_starts_from_zero(
    hass: HomeAssistant, config_entry: MockConfigEntry
) -> None:
    """Corrupt stored data is ignored rather than crashing the sensor."""
    await set_up_restored(hass, config_entry, State(TOTAL, "x"), {"total": "lots"})
    assert state_of(hass, TOTAL) == "0.0"


@pytest.mark.usefixtures("freezer", "wallbox_account")
async def test_new_meter_starts_with_the_running_session(
    hass: HomeAssistant, simulator: RunningSimulator, config_entry: MockConfigEntry
) -> None:
    """Added mid-session, the total counts that session's energy too: never below it."""
    simulator.sim.clock.advance(3600)  # the car has charged for an hour already
    await set_up_entry(hass, config_entry)
    assert state_of(hass, "sensor.garage_session_energy") == "3.68"
    assert state_of(hass, TOTAL) == "3.68"


async def test_renamed_entity_keeps_its_total(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    entity_registry: er.EntityRegistry,
) -> None:
    """A user renaming the entity id keeps the meter going where it was."""
    await advance(hass, freezer)
    assert state_of(hass, TOTAL) == "0.092"
    entity_registry.async_update_entity(TOTAL, new_entity_id="sensor.car_meter")
    await hass.async_block_till_done()
    assert hass.states.get(TOTAL) is None
    assert state_of(hass, "sensor.car_meter") == "0.092"
    await advance(hass, freezer, times=2)
    assert state_of(hass, "sensor.car_meter") == "0.276"
