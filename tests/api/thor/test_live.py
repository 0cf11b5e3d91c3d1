"""ThorLive: how reads and notifications meet on a connector, rule by rule.

The integration tests (tests/push/test_thor_push_rules.py) show what the user sees; these pin
the rules down with exact instants, as api/thor/live.py states them.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from custom_components.ev_charger_cloud.api.thor.live import (
    ENERGY_LAG,
    PUSH_POWER_FRESH,
    UNRATED_MAX_W,
    StopResult,
    ThorLive,
    max_power_w,
)
from custom_components.ev_charger_cloud.api.thor.models import ThorCharge
from custom_components.ev_charger_cloud.api.thor.push import (
    ThorMeterNotice,
    ThorStartNotice,
    ThorStopNotice,
)

KEY = "CB-1/1"
LIMIT = 44_000.0  # twice a 22 kW connector
T0 = datetime(2030, 6, 15, 10, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def charge(transaction: int, energy_wh: float | None, started: datetime | None = T0) -> ThorCharge:
    return ThorCharge(
        id=transaction, chargebox="CB-1", connector=1, date_started=started, energy_wh=energy_wh
    )


def start(transaction: int | None, *, accepted: bool = True) -> ThorStartNotice:
    return ThorStartNotice(
        chargebox="CB-1", connector=1, accepted=accepted, transaction_id=transaction
    )


def stop(transaction: int | None, energy_wh: float | None = None) -> ThorStopNotice:
    return ThorStopNotice(
        chargebox="CB-1",
        connector=1,
        accepted=True,
        transaction_id=transaction,
        energy_wh=energy_wh,
    )


def meters(**values: float | None) -> ThorMeterNotice:
    return ThorMeterNotice(chargebox="CB-1", connector=1, **values)  # type: ignore[arg-type]


def read(
    live: ThorLive, seconds: float, running: ThorCharge | None = None, finished: int = 0
) -> bool:
    """A read that began ``seconds`` after T0 and listed ``running`` on the connector."""
    charges = {} if running is None else {KEY: running}
    return live.take_read({KEY: LIMIT}, charges, {KEY: finished}, at(seconds))


def test_max_power() -> None:
    assert (max_power_w(22_000), max_power_w(None), max_power_w(0)) == (
        44_000,
        UNRATED_MAX_W,
        UNRATED_MAX_W,
    )


def test_a_start_counts_only_for_a_newer_transaction() -> None:
    live = ThorLive()
    assert not live.start(KEY, start(9), at(0))  # no read yet: the connector is unknown
    read(live, 0, finished=40)  # yesterday's transaction 40 is in the history
    for refused in (start(40), start(39), start(None), start(41, accepted=False)):
        assert not live.start(KEY, refused, at(1))
    assert live.start(KEY, start(41), at(2))
    session = live.running(KEY)
    assert session is not None
    assert (session.transaction_id, session.started, session.energy_wh) == (41, at(2), 0.0)
    assert not live.start(KEY, start(41), at(3))  # replayed


def test_a_replayed_start_never_resets_the_energy_nor_the_start() -> None:
    live = ThorLive()
    read(live, 0, charge(41, 1_000))
    assert not live.start(KEY, start(41), at(30))
    session = live.running(KEY)
    assert session is not None
    assert (session.energy_wh, session.started) == (1_000, T0)


def test_a_start_that_replaces_the_running_one_ends_it() -> None:
    live = ThorLive()
    read(live, 0, charge(41, 1_000))
    assert live.start(KEY, start(42), at(30))
    ended = live.ended(KEY)
    assert ended is not None
    assert (ended.transaction_id, ended.energy_wh) == (41, 1_000)


def test_a_stop_counts_only_for_the_running_transaction() -> None:
    live = ThorLive()
    assert live.stop(KEY, stop(41), at(0), LIMIT) is StopResult.IGNORED  # unknown connector
    read(live, 0, charge(41, 1_000))
    assert live.stop(KEY, stop(40), at(10), LIMIT) is StopResult.IGNORED  # an older one
    assert live.stop(KEY, stop(None), at(10), LIMIT) is StopResult.IGNORED
    refused = ThorStopNotice(chargebox="CB-1", connector=1, accepted=False, transaction_id=41)
    assert live.stop(KEY, refused, at(10), LIMIT) is StopResult.IGNORED
    assert live.running(KEY) is not None
    assert live.stop(KEY, stop(41, 1_050), at(20), LIMIT) is StopResult.ENDED
    assert live.running(KEY) is None
    assert live.power_w(KEY, at(20)) == 0.0
    ended = live.ended(KEY)
    assert ended is not None
    assert ended.energy_wh == 1_050


def test_a_stop_ahead_of_its_start_keeps_the_start_out() -> None:
    live = ThorLive()
    read(live, 0)
    assert live.stop(KEY, stop(50), at(10), LIMIT) is StopResult.UNSEEN
    assert live.stop(KEY, stop(50), at(11), LIMIT) is StopResult.IGNORED  # repeated
    assert not live.start(KEY, start(50), at(12))
    assert live.running(KEY) is None
    read(live, 60, charge(50, 300))  # a read says it runs: the read wins
    assert live.running(KEY) is not None


@pytest.mark.parametrize(
    ("told", "shown"),
    [
        (1_200.0, 1_200.0),  # plausible
        (0.0, 1_000.0),  # "might be 0 if the chargebox doesn't have a dedicated meter"
        (999.0, 1_000.0),  # below what was read
        (1e300, 1_000.0),  # beyond what the connector delivers
        (None, 1_000.0),
    ],
)
def test_the_stop_energy_only_where_plausible(told: float | None, shown: float) -> None:
    live = ThorLive()
    read(live, 0, charge(41, 1_000))
    live.stop(KEY, stop(41, told), at(60), LIMIT)
    ended = live.ended(KEY)
    assert ended is not None
    assert ended.energy_wh == shown


def test_plausible_energy_allows_the_lag_at_the_limit() -> None:
    live = ThorLive()
    read(live, 0, charge(41, 1_000))
    session = live.running(KEY)
    assert session is not None
    most = 1_000 + LIMIT * (60 + ENERGY_LAG.total_seconds()) / 3600
    assert session.plausible(most, at(60), LIMIT)
    assert not session.plausible(most + 1, at(60), LIMIT)
    unknown = ThorLive()
    read(unknown, 0, charge(7, None, started=None))
    nothing_known = unknown.running(KEY)
    assert nothing_known is not None
    assert not nothing_known.plausible(10.0, at(60), LIMIT)  # nothing to measure it by


def test_a_read_that_began_before_a_notice_does_not_undo_it() -> None:
    live = ThorLive()
    read(live, 0)
    live.start(KEY, start(41), at(30))
    read(live, 20)  # began before the start arrived: the start holds
    assert live.running(KEY) is not None
    read(live, 60)  # began after it and lists nothing: the read wins
    assert live.running(KEY) is None
    ended = live.ended(KEY)
    assert ended is not None
    assert ended.energy_wh is None  # only a notice told of it: no energy to show


def test_energy_never_goes_back_within_a_transaction() -> None:
    live = ThorLive()
    read(live, 0, charge(41, 1_000))
    read(live, 60, charge(41, 900))
    session = live.running(KEY)
    assert session is not None
    assert (session.energy_wh, session.read_wh) == (1_000, 1_000)


def test_meter_values_only_while_a_transaction_runs() -> None:
    live = ThorLive()
    read(live, 0)
    assert not live.meters(KEY, meters(power_w=7_000), at(1), LIMIT)
    assert not live.meters("CB-2/1", meters(power_w=7_000), at(1), LIMIT)


def test_meter_values_within_the_limits() -> None:
    live = ThorLive()
    read(live, 0, charge(41, 1_000))
    for absurd in (-1.0, LIMIT + 1):
        assert not live.meters(KEY, meters(power_w=absurd), at(10), LIMIT)
    assert live.meters(KEY, meters(power_w=LIMIT), at(10), LIMIT)
    assert live.power_w(KEY, at(10)) == LIMIT
    assert live.meters(KEY, meters(transaction_energy_wh=1_100), at(20), LIMIT)
    assert not live.meters(KEY, meters(transaction_energy_wh=1_100), at(21), LIMIT)  # the same
    assert not live.meters(KEY, meters(transaction_energy_wh=1_050), at(22), LIMIT)  # lower
    session = live.running(KEY)
    assert session is not None
    assert (session.energy_wh, session.read_wh) == (1_100, 1_000)  # totals count reads only


def test_a_pushed_power_lasts_until_a_read_measures_or_it_is_stale() -> None:
    live = ThorLive()
    read(live, 0, charge(41, 1_000))
    live.meters(KEY, meters(power_w=1_000), at(10), LIMIT)
    assert live.power_w(KEY, at(10) + PUSH_POWER_FRESH) == 1_000
    assert live.power_w(KEY, at(11) + PUSH_POWER_FRESH) is None  # stale, and no rise read
    live.meters(KEY, meters(power_w=1_000), at(20), LIMIT)
    read(live, 60, charge(41, 1_000 + 11_000 / 60))
    assert live.power_w(KEY, at(60)) == pytest.approx(11_000)
    read(live, 60, charge(41, 1_000 + 11_000 / 60))  # no time between reads: no rise
    assert live.power_w(KEY, at(60)) is None


def test_a_read_rise_beyond_the_limit_is_no_power() -> None:
    live = ThorLive()
    read(live, 0, charge(41, 1_000))
    read(live, 60, charge(41, 1_000 + LIMIT))  # an hour's worth in a minute
    assert live.power_w(KEY, at(60)) is None


def test_a_read_of_another_transaction_than_a_newer_notice_says() -> None:
    """The read began before a start of the next transaction: its energy is not taken."""
    live = ThorLive()
    read(live, 0, charge(41, 1_000))
    live.start(KEY, start(42), at(30))
    read(live, 20, charge(41, 1_100))
    session = live.running(KEY)
    assert session is not None
    assert (session.transaction_id, session.energy_wh) == (42, 0.0)


def test_connectors_gone_are_forgotten() -> None:
    live = ThorLive()
    read(live, 0, charge(41, 1_000))
    live.take_read({}, {}, {}, at(60))
    assert (live.running(KEY), live.ended(KEY), live.power_w(KEY, at(60))) == (None, None, 0.0)
