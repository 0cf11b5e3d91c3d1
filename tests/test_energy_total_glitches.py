"""The lifetime energy meter against glitching session counters and real new sessions."""

from __future__ import annotations

import json

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant, State
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
)

from custom_components.ev_charger_cloud.energy_total import TotalEnergyData
from simulator.faults import Fault
from simulator.wallbox.model import Car

from .conftest import RunningSimulator, advance, set_up_restored, state_of

TOTAL = "sensor.garage_total_energy"
SESSION = "sensor.garage_session_energy"


def glitch_next_status(simulator: RunningSimulator, charger_id: int, **changes: object) -> None:
    """Answer the charger's next status read with the current one, some fields changed."""
    cloud = simulator.sim.wallbox
    body = cloud.status_json(charger_id) | changes
    cloud.faults.add(
        Fault(
            status=200,
            malformed=True,
            body=json.dumps(body),
            path=f"/chargers/status/{charger_id}",
            times=1,
        )
    )


@pytest.mark.parametrize(
    ("changes", "session_shown"),
    [
        ({"added_energy": 0}, "0.0"),
        # Energy and charging time both read 0 once: still a glitch once they come back.
        ({"added_energy": 0, "charging_time": 0}, "0.0"),
        # An older, lower reading once (charging time too).
        ({"added_energy": 0.1, "charging_time": 98}, "0.1"),
    ],
    ids=["energy-zero", "every-counter-zero", "lower-value"],
)
async def test_glitch_and_back_adds_nothing_extra(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
    wallbox_account: list[int],
    changes: dict[str, float],
    session_shown: str,
) -> None:
    """One glitched read mid-session, then the real value: only the real growth counts."""
    await advance(hass, freezer, times=4)  # the charging garage is read at every poll
    assert state_of(hass, TOTAL) == "0.368"
    glitch_next_status(simulator, wallbox_account[0], **changes)
    await advance(hass, freezer)
    assert state_of(hass, SESSION) == session_shown
    assert state_of(hass, TOTAL) == "0.368"
    await advance(hass, freezer)  # the garage read 540 s in, at 3.68 kW
    assert state_of(hass, SESSION) == "0.552"
    assert state_of(hass, TOTAL) == "0.552"


async def test_new_session_after_an_unplugged_read_counts_at_once(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
    wallbox_account: list[int],
) -> None:
    """Unplugged (read as ready), plugged again: the restarted counter is a new session."""
    await advance(hass, freezer, times=4)
    cloud = simulator.sim.wallbox
    cloud.unplug(wallbox_account[0])
    await advance(hass, freezer)
    assert state_of(hass, "sensor.garage_status") == "ready"
    # The session charged until unplugged (360 s); its counters stay readable.
    assert state_of(hass, SESSION) == "0.368"
    assert state_of(hass, TOTAL) == "0.368"
    # Both chargers idle now: read in turn, the office (unread since the start) first.
    await advance(hass, freezer, times=2)
    assert state_of(hass, TOTAL) == "0.368"  # still unplugged: nothing new
    cloud.plug_in(wallbox_account[0], Car())
    await advance(hass, freezer, times=2)  # the office, then the garage 180 s into the session
    assert state_of(hass, SESSION) == "0.184"
    assert state_of(hass, TOTAL) == "0.552"
    await advance(hass, freezer, times=2)
    assert state_of(hass, TOTAL) == "0.736"  # then it grows like any session


async def test_new_session_already_past_the_old_one_counts_whole(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
    wallbox_account: list[int],
) -> None:
    """Replugged between two reads and charging fast: the charging time shows it."""
    await advance(hass, freezer, times=3)
    assert state_of(hass, TOTAL) == "0.276"  # 270 s of charging
    cloud = simulator.sim.wallbox
    cloud.unplug(wallbox_account[0])
    charger = cloud.plug_in(wallbox_account[0], Car())
    charger.session.added_energy = 0.3  # a faster start than the simulated car
    await advance(hass, freezer)  # 90 s of charging in the new session
    assert state_of(hass, SESSION) == "0.392"  # above 0.276, but the clock restarted
    assert state_of(hass, TOTAL) == "0.668"


@pytest.mark.usefixtures("wallbox_account")
async def test_restart_mid_session_does_not_count_it_again(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: RunningSimulator,
    config_entry: MockConfigEntry,
) -> None:
    """Restored with the running session's reading: only what follows is added."""
    simulator.sim.clock.advance(3600)
    stored = TotalEnergyData(10.0, 3.68, 3600.0)
    await set_up_restored(hass, config_entry, State(TOTAL, "10.0"), stored.as_dict())
    assert state_of(hass, SESSION) == "3.68"
    assert state_of(hass, TOTAL) == "10.0"
    await advance(hass, freezer, times=1)  # garage read after 90 s
    assert state_of(hass, TOTAL) == "10.092"


@pytest.mark.usefixtures("freezer", "wallbox_account")
async def test_restart_during_a_held_drop_resolves_it(
    hass: HomeAssistant, simulator: RunningSimulator, config_entry: MockConfigEntry
) -> None:
    """A glitch held when Home Assistant stopped is still a glitch after the restart."""
    simulator.sim.clock.advance(3600)
    stored = TotalEnergyData(10.0, 3.5, 3400.0, pending=0.0)
    await set_up_restored(hass, config_entry, State(TOTAL, "10.0"), stored.as_dict())
    assert state_of(hass, TOTAL) == "10.18"  # 3.68 - 3.5, not 3.68 again


def test_stored_data_round_trips_and_old_data_gets_defaults() -> None:
    """New fields are stored; data stored before them restores with defaults."""
    data = TotalEnergyData(1.5, 0.5, 120.0, 0.0, True)
    assert TotalEnergyData.from_dict(data.as_dict()) == data
    assert TotalEnergyData.from_dict({"total": 2, "last_session": None}) == TotalEnergyData(
        2.0, None, None, None, False
    )
    assert TotalEnergyData.from_dict({"total": 2, "last_session": 1, "pending": "x"}) is None
