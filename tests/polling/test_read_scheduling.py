"""Which Wallbox charger is read when: busy ones first, idle ones bounded, discovery hourly."""

from __future__ import annotations

from datetime import timedelta
import itertools

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ev_charger_cloud.const import CONF_DEVICE_IDS
from simulator.faults import Fault
from simulator.requestlog import RequestRecord
from tests.conftest import POLL, RunningSimulator, advance, state_of

HOUR_OF_POLLS = 40  # 90 s each


def status_reads(simulator: RunningSimulator, charger_id: int) -> list[RequestRecord]:
    return [
        r
        for r in simulator.sim.requests
        if r.method == "GET" and r.path.endswith(f"chargers/status/{charger_id}")
    ]


async def setup_listed(
    hass: HomeAssistant, config_entry: MockConfigEntry, charger_ids: list[int]
) -> None:
    """Set up an entry whose config flow has just listed the chargers."""
    config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        config_entry,
        data={**config_entry.data, CONF_DEVICE_IDS: [str(i) for i in charger_ids]},
    )
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()


async def test_no_second_discovery_after_the_config_flow(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: RunningSimulator,
    config_entry: MockConfigEntry,
    wallbox_account: list[int],
) -> None:
    """The flow listed the chargers: setup reads them, and the next list comes an hour on."""
    await setup_listed(hass, config_entry, wallbox_account)
    log = simulator.sim.requests
    for _ in range(HOUR_OF_POLLS - 1):
        await advance(hass, freezer)
    assert log.count(path_contains="chargers/groups") == 0
    await advance(hass, freezer, times=2)
    assert log.count(path_contains="chargers/groups") == 1


async def test_a_new_charger_shows_within_the_hour_within_budget(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    simulator: RunningSimulator,
) -> None:
    """A charger added in the app gets its entities within an hour, at no extra reads."""
    simulator.sim.wallbox.add_charger("driver@example.com", name="Carport")
    log = simulator.sim.requests
    log.clear()
    for _ in range(HOUR_OF_POLLS + 1):
        await advance(hass, freezer)
    assert state_of(hass, "sensor.carport_status") == "ready"
    data_gets = [r for r in log if r.method == "GET" and "/users/" not in r.path]
    # One a poll, the idle office every 15 min and the discovery: well within 60 an hour.
    assert len(data_gets) <= HOUR_OF_POLLS + 7
    assert log.count(status=429) == 0


async def test_the_charging_charger_is_read_most_and_idle_ones_within_15_minutes(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    simulator: RunningSimulator,
    wallbox_account: list[int],
) -> None:
    """Over an hour: the garage (charging) at every poll, the idle office every 15 min."""
    garage, office = wallbox_account
    simulator.sim.requests.clear()
    for _ in range(HOUR_OF_POLLS):
        await advance(hass, freezer)
    office_reads = [r.at for r in status_reads(simulator, office)]
    gaps = [b - a for a, b in itertools.pairwise(office_reads)]
    # At 15, 30 and 45 min; at 60 min the discovery takes the spare read, the office waits a poll.
    assert len(office_reads) == 3
    assert max(gaps) <= 15 * 60 + POLL.total_seconds()  # at the first poll after 15 min
    assert len(status_reads(simulator, garage)) == HOUR_OF_POLLS


async def test_idle_chargers_take_turns(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    simulator: RunningSimulator,
    wallbox_account: list[int],
) -> None:
    """With no car charging, the chargers are read in turn, the longest unread first."""
    garage, office = wallbox_account
    simulator.sim.wallbox.unplug(garage)
    await advance(hass, freezer)  # the garage is read: no longer charging
    simulator.sim.requests.clear()
    await advance(hass, freezer, times=4)
    assert [r.path.rsplit("/", 1)[-1] for r in simulator.sim.requests if r.method == "GET"] == [
        str(office),
        str(garage),
        str(office),
        str(garage),
    ]


async def test_a_command_is_confirmed_at_once_from_the_burst(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: RunningSimulator,
    config_entry: MockConfigEntry,
    wallbox_account: list[int],
) -> None:
    """Setup spent two of three reads; a pause is read back 5 s later, not a minute later."""
    await setup_listed(hass, config_entry, wallbox_account)
    log = simulator.sim.requests
    log.clear()
    await hass.services.async_call(
        "switch", "turn_off", {"entity_id": "switch.garage_charging"}, blocking=True
    )
    await advance(hass, freezer, timedelta(seconds=6))
    assert len(status_reads(simulator, wallbox_account[0])) == 1
    assert state_of(hass, "sensor.garage_status") == "paused"
    assert log.count(status=429) == 0


async def test_after_an_outage_every_charger_is_read_within_the_budget(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    simulator: RunningSimulator,
    wallbox_account: list[int],
) -> None:
    """Ten minutes of 429: afterwards both chargers are fresh within two polls, none refused."""
    _, office = wallbox_account
    cloud = simulator.sim.wallbox
    cloud.faults.add(Fault(status=429, headers={"Retry-After": "60"}))
    for _ in range(10):
        await advance(hass, freezer, timedelta(minutes=1))
    assert state_of(hass, "lock.office_lock") == STATE_UNAVAILABLE
    cloud.faults.clear()
    cloud.set_locked(office, locked=True)
    simulator.sim.requests.clear()
    await advance(hass, freezer, timedelta(minutes=1))
    await advance(hass, freezer)
    assert state_of(hass, "lock.office_lock") == "locked"
    assert state_of(hass, "sensor.garage_charging_power") == "3.68"
    assert {r.status for r in simulator.sim.requests} == {200}
    assert len(status_reads(simulator, office)) == 1


async def test_a_listed_charger_that_always_answers_404_is_capped(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    simulator: RunningSimulator,
    wallbox_account: list[int],
) -> None:
    """Listed by discovery but never readable: unavailable, and read only every 15 min."""
    _, office = wallbox_account
    simulator.sim.wallbox.faults.add(Fault(status=404, path=f"chargers/status/{office}"))
    simulator.sim.requests.clear()
    for _ in range(2 * HOUR_OF_POLLS):
        await advance(hass, freezer)
    assert state_of(hass, "lock.office_lock") == STATE_UNAVAILABLE
    assert state_of(hass, "sensor.garage_charging_power") == "3.68"
    assert len(status_reads(simulator, office)) <= 10  # about 4 an hour
    assert simulator.sim.requests.count(path_contains="chargers/groups") <= 3
