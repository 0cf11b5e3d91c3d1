"""Lifetime energy of Thor connectors: finished charges read in day windows, over HTTP.

The total is None until the back-fill reaches the account's first charge, then
the exact sum of the finished charges plus the running one; it never drops and
never counts a charge twice, across windows, days and restarts.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from custom_components.ev_charger_cloud.api import Charger, Connector, Device
from custom_components.ev_charger_cloud.api.thor.cloud import ThorCloud
from custom_components.ev_charger_cloud.api.thor.history import (
    EMPTY_WINDOWS_TO_STOP,
    HISTORY_FLOOR,
    WINDOW_DAYS,
    WINDOW_GROWTH,
    ThorEnergyHistory,
)
from simulator import Simulator
from tests.thor_helpers import START, TODAY, Sent, epoch, requests_of

from .conftest import charge_locally

pytest_plugins = ["tests.thor_fixtures"]

FINISHED = "/charges/finished"


def plug(devices: list[Device], box_id: str, number: int = 1) -> Connector:
    charger = next(d for d in devices if d.device_id == box_id)
    assert isinstance(charger, Charger)
    connector = charger.connector(str(number))
    assert connector is not None
    return connector


def finished_days(sent: list[Sent]) -> list[tuple[str, str]]:
    """(from, to) of every finished-charges request sent."""
    return [(s.query["from"][0], s.query["to"][0]) for s in sent if s.path.endswith(FINISHED)]


def ymd(day: date) -> str:
    return day.strftime("%Y%m%d")


def add_charge(sim: Simulator, box_id: str, finished: datetime, energy_wh: float) -> None:
    """A charge of an hour that finished at ``finished`` (connector 1)."""
    started = finished - timedelta(hours=1)
    sim.thor.add_finished_charge(box_id, 1, epoch(started), epoch(finished), energy_wh)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=START.tzinfo)


def until(sim: Simulator, moment: datetime) -> None:
    """Move the simulated clock (and the client's now) forward to ``moment``."""
    sim.clock.advance(epoch(moment) - sim.clock.now())


# --- back-fill ------------------------------------------------------------------------


def backfill_windows(first_with_charges: int, today: date = TODAY) -> list[tuple[str, str]]:
    """(from, to) of the back-fill when the first ``first_with_charges`` windows have charges.

    The first window reaches up to today; a month while charges are found, then each
    empty window WINDOW_GROWTH times as long as the one before, down to HISTORY_FLOOR.
    """
    windows = []
    end, empty = today - timedelta(days=1), 0
    while True:
        days = WINDOW_DAYS * WINDOW_GROWTH**empty
        start = max(HISTORY_FLOOR, end - timedelta(days=days - 1))
        windows.append((ymd(start), ymd(today if not windows else end)))
        if start == HISTORY_FLOOR:
            return windows
        if len(windows) > first_with_charges:
            empty += 1
        end = start - timedelta(days=1)


async def test_backfill_grows_its_windows_while_they_are_empty(
    thor_sim: Simulator,
    thor_cloud: ThorCloud,
    garage_id: str,
    parking_id: str,
    thor_sent: list[Sent],
) -> None:
    """Unknown until complete; then finished charges (also today's) plus the running one.

    A month per window while charges are found; after an empty one, 16 months, then
    21 years (to 2010): an old charge found after an empty window resets the growth.
    """
    add_charge(thor_sim, garage_id, START - timedelta(days=5), 3_000)
    add_charge(thor_sim, garage_id, START - timedelta(days=40), 5_000)
    add_charge(thor_sim, parking_id, START - timedelta(days=100), 2_000)
    add_charge(thor_sim, garage_id, START - timedelta(hours=2), 1_000)  # today
    charge_locally(thor_sim, garage_id, 1, max_power_w=6_000)

    # 1: today back to 31 days ago (charges), 2: the month before (charges), 3: empty,
    # 4: 496 days (the charge 100 days ago), 5: a month again (empty), 6: 496 days
    # (empty), 7: back to 2010.
    expected = [
        (ymd(TODAY - timedelta(days=31)), ymd(TODAY)),
        (ymd(TODAY - timedelta(days=62)), ymd(TODAY - timedelta(days=32))),
        (ymd(TODAY - timedelta(days=93)), ymd(TODAY - timedelta(days=63))),
        (ymd(TODAY - timedelta(days=589)), ymd(TODAY - timedelta(days=94))),
        (ymd(TODAY - timedelta(days=620)), ymd(TODAY - timedelta(days=590))),
        (ymd(TODAY - timedelta(days=1116)), ymd(TODAY - timedelta(days=621))),
        (ymd(HISTORY_FLOOR), ymd(TODAY - timedelta(days=1117))),
    ]
    for poll in range(len(expected) - 1):
        thor_sim.clock.advance(60)
        devices = await thor_cloud.async_read_all()
        assert plug(devices, garage_id).total_energy is None, poll
        assert plug(devices, parking_id).total_energy is None
    thor_sim.clock.advance(60)
    devices = await thor_cloud.async_read_all()

    assert thor_cloud.history.complete
    assert finished_days(thor_sent) == expected
    running = thor_sim.thor.running_charge(garage_id, 1)
    assert running is not None
    assert running.energy_wh == len(expected) * 100
    # Today was read with the first window, and nothing ended since: known at once.
    assert (
        plug(devices, garage_id).total_energy == (3_000 + 5_000 + 1_000 + running.energy_wh) / 1000
    )
    assert plug(devices, parking_id, 1).total_energy == 2.0
    assert plug(devices, parking_id, 2).total_energy == 0.0

    thor_sim.clock.advance(60)
    devices = await thor_cloud.async_read_all()  # nothing due: no finished charges read

    assert len(finished_days(thor_sent)) == len(expected)
    assert plug(devices, garage_id).total_energy == (9_000 + (len(expected) + 1) * 100) / 1000


async def test_backfill_of_an_account_without_charges(
    thor_sim: Simulator,
    thor_cloud: ThorCloud,
    garage_id: str,
    thor_sent: list[Sent],
) -> None:
    """No charge ever: three requests (31 days, 16 months, the rest back to 2010), then 0."""
    for _ in range(2):
        devices = await thor_cloud.async_read_all()
        assert plug(devices, garage_id).total_energy is None
        thor_sim.clock.advance(60)

    devices = await thor_cloud.async_read_all()

    assert plug(devices, garage_id).total_energy == 0.0
    assert finished_days(thor_sent) == backfill_windows(0)
    assert len(finished_days(thor_sent)) == 3


async def test_backfill_across_days_counts_the_days_in_between(
    thor_sim: Simulator,
    thor_cloud_factory: Any,
    thor_states: list[dict[str, Any]],
    garage_id: str,
    thor_sent: list[Sent],
) -> None:
    """A back-fill resumed days later (a restart) still counts every charge once.

    The days from the first window's end to the restart are read after the
    back-fill; the first window's last days are read again and not counted twice.
    """
    add_charge(thor_sim, garage_id, at(TODAY - timedelta(days=3), 8), 1_000)
    add_charge(thor_sim, garage_id, at(TODAY - timedelta(days=1), 20), 2_000)
    first = thor_cloud_factory()
    await first.async_read_all()  # the first window, ending today
    saved = thor_states[-1]["history"]

    later = TODAY + timedelta(days=5)
    until(thor_sim, at(later, 9))
    add_charge(thor_sim, garage_id, at(TODAY, 18), 4_000)  # after that read, before the restart
    add_charge(thor_sim, garage_id, at(TODAY + timedelta(days=2), 9), 8_000)
    add_charge(thor_sim, garage_id, at(later, 8), 16_000)
    client = thor_cloud_factory(history=ThorEnergyHistory.from_dict(saved))
    for _ in range(len(backfill_windows(1)) - 1):
        devices = await client.async_read_all()
        assert plug(devices, garage_id).total_energy is None

    devices = await client.async_read_all()

    assert finished_days(thor_sent)[-1] == (ymd(TODAY - timedelta(days=2)), ymd(later))
    assert finished_days(thor_sent)[:-1] == backfill_windows(1)
    assert plug(devices, garage_id).total_energy == 31.0
    assert client.history.through == later - timedelta(days=1)


# --- a complete history ---------------------------------------------------------------


async def test_a_finished_charge_is_read_when_it_ended(
    thor_sim: Simulator,
    thor_ready: ThorCloud,
    garage_id: str,
    thor_sent: list[Sent],
) -> None:
    """Today's finished charges are read in the poll that sees a charge gone: no drop."""
    charge_locally(thor_sim, garage_id, 1, max_power_w=6_000)
    thor_sim.clock.advance(600)
    devices = await thor_ready.async_read_all()
    assert plug(devices, garage_id).total_energy == 1.0
    thor_sim.clock.advance(300)
    thor_sim.thor.stop_local(garage_id, 1)  # 1.5 kWh, half a kWh after the last read
    thor_sim.clock.advance(60)
    thor_sim.requests.clear()

    devices = await thor_ready.async_read_all()

    assert [path for _, path in requests_of(thor_sim)] == [
        "/chargeboxes",
        "/charges/running",
        FINISHED,
    ]
    assert finished_days(thor_sent)[-1] == (ymd(TODAY), ymd(TODAY))
    connector = plug(devices, garage_id)
    assert connector.total_energy == 1.5
    assert connector.session_energy == 1.5  # the last charge's, while idle
    assert connector.charging_power == 0.0

    thor_sim.clock.advance(60)
    devices = await thor_ready.async_read_all()  # read once: not again, not counted twice

    assert len(finished_days(thor_sent)) == 2
    assert plug(devices, garage_id).total_energy == 1.5


async def test_a_charge_followed_by_another_between_reads(
    thor_sim: Simulator, thor_ready: ThorCloud, garage_id: str
) -> None:
    """Another transaction on the same connector: the ended one is read, the total holds."""
    charge_locally(thor_sim, garage_id, 1, max_power_w=6_000)
    thor_sim.clock.advance(600)
    before = plug(await thor_ready.async_read_all(), garage_id).total_energy
    thor_sim.clock.advance(600)
    thor_sim.thor.stop_local(garage_id, 1)  # 2 kWh
    thor_sim.thor.start_local(garage_id, 1, "RFID-2")
    thor_sim.clock.advance(60)

    after = plug(await thor_ready.async_read_all(), garage_id)

    assert before == 1.0
    assert after.total_energy == 2.1


async def test_day_rollover(
    thor_sim: Simulator,
    thor_ready: ThorCloud,
    garage_id: str,
    parking_id: str,
    thor_sent: list[Sent],
) -> None:
    """After midnight, one request reads the days since (overlapping) and today.

    A charge seen running before midnight and ended after counts once; one
    counted yesterday is read again in the overlap and not counted twice.
    """
    add_charge(thor_sim, parking_id, START - timedelta(hours=1), 700)  # today, 09:00
    assert (await thor_ready.async_read_all()) is not None
    thor_sim.thor.plug_in(garage_id, 1, max_power_w=6_000)
    until(thor_sim, at(TODAY, 23, 40))
    thor_sim.thor.start_local(garage_id, 1, "RFID-1")
    thor_sim.clock.advance(600)  # 23:50, 1 kWh
    devices = await thor_ready.async_read_all()
    assert plug(devices, garage_id).total_energy == 1.0
    assert plug(devices, parking_id).total_energy == 0.7
    tomorrow = TODAY + timedelta(days=1)
    until(thor_sim, at(tomorrow, 0, 5))
    thor_sim.thor.stop_local(garage_id, 1)  # 2.5 kWh in all, after midnight
    thor_sim.clock.advance(60)
    thor_sim.requests.clear()

    devices = await thor_ready.async_read_all()

    assert len(requests_of(thor_sim)) == 3
    assert finished_days(thor_sent)[-1] == (ymd(TODAY - timedelta(days=2)), ymd(tomorrow))
    assert plug(devices, garage_id).total_energy == 2.5
    assert plug(devices, parking_id).total_energy == 0.7
    assert thor_ready.history.through == TODAY

    until(thor_sim, at(tomorrow + timedelta(days=1), 0, 1))
    devices = await thor_ready.async_read_all()

    assert finished_days(thor_sent)[-1] == (
        ymd(TODAY - timedelta(days=1)),
        ymd(tomorrow + timedelta(days=1)),
    )
    assert plug(devices, garage_id).total_energy == 2.5
    assert plug(devices, parking_id).total_energy == 0.7
    assert thor_ready.history.through == tomorrow


# --- kept with the entry --------------------------------------------------------------


async def test_history_kept_and_restored(
    thor_sim: Simulator,
    thor_cloud_factory: Any,
    thor_states: list[dict[str, Any]],
    garage_id: str,
    thor_sent: list[Sent],
) -> None:
    """on_state hands the history over; a restart days later reads only the days since."""
    add_charge(thor_sim, garage_id, START - timedelta(days=2), 2_500)
    client = thor_cloud_factory()
    for _ in range(len(backfill_windows(1)) - 1):
        await client.async_read_all()
    devices = await client.async_read_all()
    assert plug(devices, garage_id).total_energy == 2.5
    kept = thor_states[-1]
    assert kept["history"] == client.history.as_dict()
    assert kept["id_tags"] == {}
    assert ThorEnergyHistory.from_dict(kept["history"]) == client.history

    later = TODAY + timedelta(days=3)
    until(thor_sim, at(later, 7))
    add_charge(thor_sim, garage_id, at(later - timedelta(days=1), 12), 500)
    sent_before = len(thor_sent)
    restarted = thor_cloud_factory(history=ThorEnergyHistory.from_dict(kept["history"]))

    devices = await restarted.async_read_all()

    assert finished_days(thor_sent[sent_before:]) == [(ymd(TODAY - timedelta(days=2)), ymd(later))]
    assert plug(devices, garage_id).total_energy == 3.0


def test_history_round_trip() -> None:
    """as_dict is plain data that from_dict reads back unchanged."""
    history = ThorEnergyHistory()
    history.add_window(date(2030, 5, 15), date(2030, 6, 14), [], TODAY)
    assert ThorEnergyHistory.from_dict(history.as_dict()) == history
    assert history.backfill_end == date(2030, 6, 14)
    assert ThorEnergyHistory.from_dict(ThorEnergyHistory().as_dict()) == ThorEnergyHistory()


def test_corrupt_history_starts_afresh() -> None:
    """Anything unreadable: an empty history, back-filled again."""
    corrupt: list[dict[str, Any]] = [
        {},
        {"totals_wh": 5},
        {"totals_wh": {"CB-1/1": "much"}},
        {"totals_wh": {}, "through": "yesterday"},
        {"totals_wh": {}, "through": 20300614},
        {"totals_wh": {}, "recent": {"5001": ["CB-1/1", 100.0]}},
        {"totals_wh": {}, "recent": {"x": ["CB-1/1", 100.0, "2030-06-14T10:00:00+00:00"]}},
        {"totals_wh": {}, "recent": []},
        {"totals_wh": {}, "empty_windows": "many"},
    ]
    for data in corrupt:
        assert ThorEnergyHistory.from_dict(data) == ThorEnergyHistory(), data


def test_history_from_before_backfill_end() -> None:
    """A back-fill kept before its first window's end was: complete up to yesterday."""
    history = ThorEnergyHistory.from_dict(
        {"totals_wh": {}, "backfilled_to": "2030-01-01", "empty_windows": 0}
    )
    history.add_window(date(2029, 12, 1), date(2029, 12, 31), [], TODAY)
    assert not history.complete
    history.empty_windows = EMPTY_WINDOWS_TO_STOP - 1
    history.add_window(date(2029, 11, 1), date(2029, 11, 30), [], TODAY)
    assert history.through == TODAY - timedelta(days=1)
