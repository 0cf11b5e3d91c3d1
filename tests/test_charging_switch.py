"""The Wallbox pause/resume switch: off, not unavailable, when there is no session."""

from __future__ import annotations

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.switch import DOMAIN as SWITCH_DOMAIN
from homeassistant.const import ATTR_ENTITY_ID, SERVICE_TURN_OFF, SERVICE_TURN_ON, STATE_OFF
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ev_charger_cloud.const import DOMAIN

from .conftest import RunningSimulator, advance, state_of

GARAGE = "switch.garage_charging"  # a car charging
OFFICE = "switch.office_charging"  # no car


async def _switch(hass: HomeAssistant, service: str, entity_id: str) -> None:
    await hass.services.async_call(
        SWITCH_DOMAIN, service, {ATTR_ENTITY_ID: entity_id}, blocking=True
    )
    await hass.async_block_till_done()


def _remote_actions(simulator: RunningSimulator) -> int:
    return simulator.sim.requests.count(provider="wallbox", path_contains="remote-action")


async def _refused(
    hass: HomeAssistant, simulator: RunningSimulator, service: str, entity_id: str, key: str
) -> None:
    """The command fails with the translated reason, and nothing reaches the cloud."""
    simulator.sim.requests.clear()
    with pytest.raises(HomeAssistantError) as err:
        await _switch(hass, service, entity_id)
    assert err.value.translation_domain == DOMAIN
    assert err.value.translation_key == key
    assert len(simulator.sim.requests) == 0
    # Still shown as off, and usable once a car is there.
    assert state_of(hass, entity_id) == STATE_OFF


async def test_no_car_is_off_and_refuses_commands(
    hass: HomeAssistant, init_integration: MockConfigEntry, simulator: RunningSimulator
) -> None:
    """Without a car the switch is off (not unavailable); switching it says why not."""
    assert state_of(hass, OFFICE) == STATE_OFF
    await _refused(hass, simulator, SERVICE_TURN_ON, OFFICE, "no_session_to_resume")
    await _refused(hass, simulator, SERVICE_TURN_OFF, OFFICE, "no_session_to_pause")


async def test_locked_charger_is_off_and_refuses_commands(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
    wallbox_account: list[int],
) -> None:
    """A locked charger, with or without a car: off, and it asks to be unlocked first."""
    cloud = simulator.sim.wallbox
    garage, office = wallbox_account
    cloud.set_locked(garage, True)
    cloud.set_locked(office, True)
    await advance(hass, freezer, times=2)  # each poll may read only one charger
    assert state_of(hass, "sensor.garage_status") == "locked_car_connected"
    assert state_of(hass, "sensor.office_status") == "locked"
    for entity_id in (GARAGE, OFFICE):
        assert state_of(hass, entity_id) == STATE_OFF
        for service in (SERVICE_TURN_ON, SERVICE_TURN_OFF):
            await _refused(hass, simulator, service, entity_id, "charger_locked_no_pause_resume")


async def test_charging_car_pauses_and_resumes(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
    wallbox_account: list[int],
) -> None:
    """With a session, off pauses and on resumes through the cloud, as before."""
    cloud = simulator.sim.wallbox
    garage = wallbox_account[0]
    assert state_of(hass, GARAGE) == "on"
    simulator.sim.requests.clear()

    await _switch(hass, SERVICE_TURN_OFF, GARAGE)
    assert cloud.charger(garage).paused
    assert state_of(hass, GARAGE) == STATE_OFF
    assert _remote_actions(simulator) == 1

    await advance(hass, freezer)
    assert state_of(hass, "sensor.garage_status") == "paused"
    await _switch(hass, SERVICE_TURN_ON, GARAGE)
    assert not cloud.charger(garage).paused
    assert _remote_actions(simulator) == 2
    # A resume is shown by the follow-up read.
    await advance(hass, freezer, timedelta(seconds=61))
    assert state_of(hass, GARAGE) == "on"


async def test_car_plugged_in_later_can_be_paused(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
    wallbox_account: list[int],
) -> None:
    """The switch that refused without a car works once one charges."""
    office = wallbox_account[1]
    simulator.sim.wallbox.plug_in(office)
    # An idle charger is read at least every 15 min (the charging garage at every poll).
    await advance(hass, freezer, timedelta(minutes=15))
    assert state_of(hass, OFFICE) == "on"
    await _switch(hass, SERVICE_TURN_OFF, OFFICE)
    assert simulator.sim.wallbox.charger(office).paused
    assert state_of(hass, OFFICE) == STATE_OFF
