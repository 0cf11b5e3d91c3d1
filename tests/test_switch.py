"""Switches: the demo accounts' snapshot, and Wallbox's pause/resume switch.

Without a session the switch is off, not unavailable, and says why it cannot switch.
"""

from __future__ import annotations

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import SERVICE_TURN_OFF, SERVICE_TURN_ON, STATE_OFF, Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
import pytest

from custom_components.ev_charger_cloud.const import DOMAIN
from simulator.requestlog import RequestLog

from .conftest import advance, state_of
from .platform_helpers import SnapshotDemo, WallboxHome, call_service

GARAGE = "switch.garage_charging"  # a car charging
OFFICE = "switch.office_charging"  # no car

pytest_plugins = ["tests.demo_accounts", "tests.wallbox_home"]


@pytest.mark.parametrize("demo_platforms", [[Platform.SWITCH]], ids=["switch"])
async def test_demo_accounts(snapshot_demo: SnapshotDemo) -> None:
    """Every switch of the cloud's demo account: registry entry and state."""
    await snapshot_demo()


def _remote_actions(log: RequestLog) -> int:
    return log.count(provider="wallbox", path_contains="remote-action")


async def _refused(
    hass: HomeAssistant, log: RequestLog, service: str, entity_id: str, key: str
) -> None:
    """The command fails with the translated reason, and nothing reaches the cloud."""
    log.clear()
    with pytest.raises(HomeAssistantError) as err:
        await call_service(hass, "switch", service, entity_id)
    assert err.value.translation_domain == DOMAIN
    assert err.value.translation_key == key
    assert len(log) == 0
    # Still shown as off, and usable once a car is there.
    assert state_of(hass, entity_id) == STATE_OFF


async def test_no_car_is_off_and_refuses_commands(
    hass: HomeAssistant, wallbox_home: WallboxHome
) -> None:
    """Without a car the switch is off (not unavailable); switching it says why not."""
    assert state_of(hass, OFFICE) == STATE_OFF
    await _refused(hass, wallbox_home.log, SERVICE_TURN_ON, OFFICE, "no_session_to_resume")
    await _refused(hass, wallbox_home.log, SERVICE_TURN_OFF, OFFICE, "no_session_to_pause")


async def test_locked_charger_is_off_and_refuses_commands(
    hass: HomeAssistant, wallbox_home: WallboxHome, freezer: FrozenDateTimeFactory
) -> None:
    """A locked charger, with or without a car: off, and it asks to be unlocked first."""
    cloud = wallbox_home.cloud
    garage, office = wallbox_home.garage, wallbox_home.office
    cloud.set_locked(garage, True)
    cloud.set_locked(office, True)
    await advance(hass, freezer, times=2)  # each poll may read only one charger
    assert state_of(hass, "sensor.garage_status") == "locked_car_connected"
    assert state_of(hass, "sensor.office_status") == "locked"
    for entity_id in (GARAGE, OFFICE):
        assert state_of(hass, entity_id) == STATE_OFF
        for service in (SERVICE_TURN_ON, SERVICE_TURN_OFF):
            await _refused(
                hass, wallbox_home.log, service, entity_id, "charger_locked_no_pause_resume"
            )


async def test_charging_car_pauses_and_resumes(
    hass: HomeAssistant, wallbox_home: WallboxHome, freezer: FrozenDateTimeFactory
) -> None:
    """With a session, off pauses and on resumes through the cloud, as before."""
    cloud = wallbox_home.cloud
    garage = wallbox_home.garage
    assert state_of(hass, GARAGE) == "on"
    wallbox_home.log.clear()

    await call_service(hass, "switch", SERVICE_TURN_OFF, GARAGE)
    assert cloud.charger(garage).paused
    assert state_of(hass, GARAGE) == STATE_OFF
    assert _remote_actions(wallbox_home.log) == 1

    await advance(hass, freezer)
    assert state_of(hass, "sensor.garage_status") == "paused"
    await call_service(hass, "switch", SERVICE_TURN_ON, GARAGE)
    assert not cloud.charger(garage).paused
    assert _remote_actions(wallbox_home.log) == 2
    # A resume is shown by the follow-up read.
    await advance(hass, freezer, timedelta(seconds=61))
    assert state_of(hass, GARAGE) == "on"


async def test_car_plugged_in_later_can_be_paused(
    hass: HomeAssistant, wallbox_home: WallboxHome, freezer: FrozenDateTimeFactory
) -> None:
    """The switch that refused without a car works once one charges."""
    office = wallbox_home.office
    wallbox_home.cloud.plug_in(office)
    # An idle charger is read at least every 15 min (the charging garage at every poll).
    await advance(hass, freezer, timedelta(minutes=15))
    assert state_of(hass, OFFICE) == "on"
    await call_service(hass, "switch", SERVICE_TURN_OFF, OFFICE)
    assert wallbox_home.cloud.charger(office).paused
    assert state_of(hass, OFFICE) == STATE_OFF


async def test_pause_and_resume(
    hass: HomeAssistant, wallbox_home: WallboxHome, freezer: FrozenDateTimeFactory
) -> None:
    """The switch pauses the simulated charger; one follow-up read shows it."""
    cloud, log = wallbox_home.cloud, wallbox_home.log
    garage = wallbox_home.garage
    log.clear()
    await call_service(hass, "switch", "turn_off", "switch.garage_charging")
    assert cloud.charger(garage).paused
    assert log.count(method="POST", path_contains="remote-action") == 1
    assert log.count(method="GET") == 0
    # Shown at once, before any read: a pause stops the power.
    assert state_of(hass, "switch.garage_charging") == "off"
    assert state_of(hass, "sensor.garage_status") == "paused"
    assert state_of(hass, "sensor.garage_charging_power") == "0.0"
    # The setup spent the burst (discovery and two chargers): the confirming read
    # comes once the cloud has a read again, a minute after the setup.
    await advance(hass, freezer, timedelta(seconds=55))
    assert log.count(method="GET") == 0
    await advance(hass, freezer, timedelta(seconds=6))
    assert log.count(method="GET", path_contains=f"status/{garage}") == 1
    assert state_of(hass, "switch.garage_charging") == "off"
    assert state_of(hass, "sensor.garage_status") == "paused"
    assert state_of(hass, "sensor.garage_charging_power") == "0.0"

    await call_service(hass, "switch", "turn_on", "switch.garage_charging")
    assert not cloud.charger(garage).paused
    # Shown at once as a running session, waiting for the car until a read tells more.
    assert state_of(hass, "switch.garage_charging") == "on"
    assert state_of(hass, "sensor.garage_status") == "waiting"
    assert state_of(hass, "sensor.garage_charging_power") == "0.0"
    await advance(hass, freezer, timedelta(seconds=30))
    assert state_of(hass, "switch.garage_charging") == "on"  # it does not spring back
    await advance(hass, freezer, timedelta(seconds=31))
    assert state_of(hass, "switch.garage_charging") == "on"
    assert state_of(hass, "sensor.garage_status") == "charging"
    assert state_of(hass, "sensor.garage_charging_power") == "3.68"
    # Two commands, two confirming reads.
    assert log.count(method="GET") == 2
