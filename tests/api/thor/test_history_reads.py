"""Total energy when the finished-charges reads fail, and when Thor refuses long windows.

A back-fill window that fails leaves Total energy unknown (never a partial sum)
and is tried again after a back-off. When today's finished charges cannot be
read after a charge ended, Total energy keeps the value it showed last: it never
drops, never leaves out the ended charge once a new one runs, and is exact once
the read succeeds. A window Thor refuses as too long is read shorter.
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from typing import Any

import pytest

from custom_components.ev_charger_cloud.api import Charger, Connector, Device
from custom_components.ev_charger_cloud.api.thor.cloud import ThorCloud
from custom_components.ev_charger_cloud.api.thor.history import (
    EMPTY_WINDOWS_TO_STOP,
    HISTORY_FLOOR,
    WINDOW_DAYS,
    ThorEnergyHistory,
)
from custom_components.ev_charger_cloud.api.thor.models import ThorFinishedCharge
from simulator import Simulator
from simulator.faults import Fault
from tests.thor_helpers import START, TODAY, Sent, complete_history, epoch

from .conftest import charge_locally

pytest_plugins = ["tests.thor_fixtures"]

FINISHED = "/charges/finished"
MINUTE = 60.0


def garage(devices: list[Device], box_id: str) -> Connector:
    charger = next(d for d in devices if d.device_id == box_id)
    assert isinstance(charger, Charger)
    return charger.connectors[0]


def windows(sent: list[Sent]) -> list[tuple[date, date]]:
    """(from, to) of every finished-charges request sent, as days."""
    return [
        (
            date.fromisoformat(_iso(s.query["from"][0])),
            date.fromisoformat(_iso(s.query["to"][0])),
        )
        for s in sent
        if s.path.endswith(FINISHED)
    ]


def _iso(ymd: str) -> str:
    return f"{ymd[:4]}-{ymd[4:6]}-{ymd[6:]}"


async def test_a_failed_backfill_window_stays_unknown_and_backs_off(
    thor_sim: Simulator,
    thor_cloud_factory: Any,
    garage_id: str,
    thor_sent: list[Sent],
) -> None:
    """A 500 on the history: boxes shown, Total energy unknown, retried after 2 then 4 min."""
    started = START - timedelta(days=3)
    thor_sim.thor.add_finished_charge(garage_id, 1, epoch(started), epoch(started) + 3600, 2_000)
    client: ThorCloud = thor_cloud_factory()
    thor_sim.thor.faults.add(Fault(path=FINISHED, status=500, times=2))

    shown = []
    for _ in range(12):
        devices = await client.async_read_all()
        shown.append(garage(devices, garage_id).total_energy)
        thor_sim.clock.advance(MINUTE)

    # Failed at 0 and 2 minutes; read at 6, 7, 8 and 9 (four windows), known from minute 9.
    assert shown == [None] * 9 + [2.0] * 3
    assert len(windows(thor_sent)) == 2 + 4
    assert windows(thor_sent)[0] == windows(thor_sent)[2]


async def test_total_energy_holds_while_todays_charges_cannot_be_read(
    thor_sim: Simulator,
    thor_cloud_factory: Any,
    garage_id: str,
) -> None:
    """After a stop the finished charges fail: the last total stays, also once a new charge
    runs (the ended one is not counted yet); then exact, and never lower than before."""
    client: ThorCloud = thor_cloud_factory(history=complete_history())
    charge_locally(thor_sim, garage_id, 1, max_power_w=6_000)
    await client.async_read_all()  # today's finished charges: none
    thor_sim.clock.advance(10 * MINUTE)
    last = garage(await client.async_read_all(), garage_id).total_energy
    assert last == 1.0
    thor_sim.clock.advance(5 * MINUTE)
    thor_sim.thor.stop_local(garage_id, 1)  # 1.5 kWh
    thor_sim.thor.faults.add(Fault(path=FINISHED, status=502))

    shown = []
    for minute in range(8):
        if minute == 3:
            thor_sim.thor.start_local(garage_id, 1, "RFID-2")
        thor_sim.clock.advance(MINUTE)
        shown.append(garage(await client.async_read_all(), garage_id).total_energy)
    assert shown == [last] * 8

    thor_sim.thor.faults.clear()
    thor_sim.clock.advance(8 * MINUTE)
    total = garage(await client.async_read_all(), garage_id).total_energy
    running = thor_sim.thor.running_charge(garage_id, 1)
    assert running is not None
    assert total == pytest.approx(1.5 + running.energy_wh / 1000)
    assert total is not None
    assert total > last


async def test_unknown_until_todays_charges_are_read_at_start(
    thor_sim: Simulator, thor_cloud_factory: Any, garage_id: str
) -> None:
    """A restart with a complete history: nothing shown before today's charges are read."""
    client: ThorCloud = thor_cloud_factory(history=complete_history())
    thor_sim.thor.faults.add(Fault(path=FINISHED, status=500, times=1))

    assert garage(await client.async_read_all(), garage_id).total_energy is None
    thor_sim.clock.advance(2 * MINUTE)
    assert garage(await client.async_read_all(), garage_id).total_energy == 0.0


async def test_long_windows_refused_are_read_shorter(
    thor_sim: Simulator,
    thor_cloud_factory: Any,
    thor_states: list[dict[str, Any]],
    garage_id: str,
    thor_sent: list[Sent],
) -> None:
    """A Thor that refuses more than 100 days (400): halved until accepted, never a failed poll.

    With windows that short, 12 empty ones in a row end the back-fill (as before
    windows grew); the shorter length is kept with the history.
    """
    thor_sim.thor.settings.finished_max_days = 100
    client: ThorCloud = thor_cloud_factory()

    polls = 0
    while garage(await client.async_read_all(), garage_id).total_energy is None:
        polls += 1
        assert polls < 30, "the back-fill stalled"
        thor_sim.clock.advance(MINUTE)

    read = windows(thor_sent)
    lengths = [(end - start).days + 1 for start, end in read]
    # The first (31 days and today), 496 refused, 248 refused, 124 refused, then 62 days.
    assert lengths[:5] == [WINDOW_DAYS + 1, 496, 248, 124, 62]
    assert set(lengths[5:]) == {62}
    assert len(read) == 3 + EMPTY_WINDOWS_TO_STOP
    assert thor_sim.requests.count(status=400) == 3
    assert thor_states[-1]["history"]["window_cap_days"] == 62
    assert client.history.through == TODAY - timedelta(days=1)


def test_history_of_an_earlier_version_loads() -> None:
    """Entry data without a window cap (earlier versions): read on with growing windows."""
    kept = {
        "totals_wh": {"CB-1/1": 1200.0},
        "through": None,
        "backfilled_to": "2030-05-15",
        "empty_windows": 2,
        "backfill_end": "2030-06-14",
        "recent": {"5001": ["CB-1/1", 1200.0, "2030-06-10T08:00:00+00:00"]},
        "last_charge_wh": {"CB-1/1": 1200.0},
    }
    history = ThorEnergyHistory.from_dict(kept)

    assert history.window_cap_days is None
    assert history.totals_wh == {"CB-1/1": 1200.0}
    start, end = history.next_window(TODAY) or (None, None)
    assert (start, end) == (HISTORY_FLOOR, date(2030, 5, 14))  # two empty: 21 years

    complete = ThorEnergyHistory.from_dict({"totals_wh": {}, "through": "2030-06-10"})
    assert complete.complete
    assert complete.next_window(TODAY) == (date(2030, 6, 9), date(2030, 6, 14))


def test_window_cap() -> None:
    """Halved on a failed long window, never below 31 days; it limits every window."""
    history = ThorEnergyHistory(empty_windows=1, backfilled_to=date(2030, 5, 15))
    assert history.next_window(TODAY) == (date(2029, 1, 4), date(2030, 5, 14))
    assert history.refused(date(2029, 1, 4), date(2030, 5, 14))
    assert history.window_cap_days == 248
    assert history.next_window(TODAY) == (date(2029, 9, 9), date(2030, 5, 14))
    assert not history.refused(date(2030, 4, 14), date(2030, 5, 14))  # 31 days: no shorter
    assert not history.refused(date(2029, 1, 4), date(2030, 5, 14))  # as long as the cap
    for _ in range(5):
        history.refused(*(history.next_window(TODAY) or (TODAY, TODAY)))
    assert history.window_cap_days == WINDOW_DAYS

    done = ThorEnergyHistory(through=date(2030, 1, 1), window_cap_days=WINDOW_DAYS)
    assert done.next_window(TODAY) == (date(2029, 12, 31), date(2030, 1, 30))
    again = ThorEnergyHistory.from_dict(done.as_dict())
    assert again == done
    for corrupt in ("long", 12.5, True):
        assert ThorEnergyHistory.from_dict({"totals_wh": {}, "window_cap_days": corrupt}) == (
            ThorEnergyHistory()
        )
    assert ThorEnergyHistory.from_dict({"totals_wh": {}, "window_cap_days": 5}).window_cap_days == (
        WINDOW_DAYS
    )


async def test_a_long_window_without_an_answer_is_tried_shorter_after_a_wait(
    thor_sim: Simulator,
    thor_cloud_factory: Any,
    thor_boxes: tuple[str, str],
    thor_sent: list[Sent],
) -> None:
    """No answer in time to 16 months (maybe too big an answer): 8 months, 2 minutes later."""
    client: ThorCloud = thor_cloud_factory(timeout=0.3)
    await client.async_read_all()  # the first month: empty
    thor_sim.thor.faults.add(Fault(path=FINISHED, delay=0.6, times=1))

    for _ in range(3):
        thor_sim.clock.advance(MINUTE)
        await client.async_read_all()

    lengths = [(end - start).days + 1 for start, end in windows(thor_sent)]
    assert lengths == [WINDOW_DAYS + 1, 496, 248]
    assert client.history.window_cap_days == 248


def test_an_older_window_never_replaces_the_last_charge() -> None:
    """The back-fill reads back in time: a charge it finds later is older, not the last one.

    The last charge of a connector is what an idle connector shows; with a recent
    charge of 20 days ago already counted (and no longer among the remembered
    overlap), a charge of 200 days ago must not take its place, also after a restart.
    """
    history = ThorEnergyHistory()
    history.add_window(TODAY - timedelta(days=30), TODAY, [_finished(5009, 20, 2600.0)], TODAY)
    history.add_window(
        TODAY - timedelta(days=520),
        TODAY - timedelta(days=31),
        [_finished(5001, 200, 9500.0)],
        TODAY,
    )
    assert 5009 not in history.recent  # forgotten: older than the overlap
    assert history.last_charge_wh == {"CB-1/1": 2600.0}
    assert history.totals_wh == {"CB-1/1": 12100.0}

    restored = ThorEnergyHistory.from_dict(history.as_dict())
    restored.add([_finished(5000, 400, 7000.0)])
    assert restored.last_charge_wh == {"CB-1/1": 2600.0}
    restored.add([_finished(5010, 0, 1275.0)])
    assert restored.last_charge_wh == {"CB-1/1": 1275.0}


def _finished(transaction: int, days_ago: int, energy_wh: float) -> ThorFinishedCharge:
    finished = START - timedelta(days=days_ago)
    return ThorFinishedCharge(
        id=transaction,
        chargebox="CB-1",
        connector=1,
        date_started=finished - timedelta(hours=2),
        energy_wh=energy_wh,
        date_finished=finished,
    )


def test_newest_finished_charge_per_connector() -> None:
    """The highest transaction id of each connector among the remembered charges."""
    history = ThorEnergyHistory()
    other = dataclasses.replace(_finished(5003, 0, 800.0), connector=2)
    history.add([_finished(5001, 1, 1200.0), _finished(5004, 0, 2600.0), other])
    assert history.newest_finished() == {"CB-1/1": (5004, 2600.0), "CB-1/2": (5003, 800.0)}
