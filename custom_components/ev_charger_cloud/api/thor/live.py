"""What runs on each Thor connector now: the transaction, its energy and power.

Two sources tell it: the reads (``GET /charges/running``, once a poll) and the
notifications Thor posts (start, stop, meter values). A notification can come late,
twice, out of order, or from anyone who found the URL, so it is checked against what
is known of the connector before it is shown:

- a start counts only for a transaction newer than every one seen on the connector
  (Thor numbers them progressively), and not for one already stopped; it never
  touches a running transaction's energy;
- a stop counts only for the running transaction; the charge then shows its own
  energy (the stop's ``kwh`` where plausible, else the last one read), never another's;
- meter values count only while a transaction runs; a power, a transaction energy or
  a register rise beyond what the connector can deliver (twice its rated power) or
  going backwards is left out. Power from the register is its rise over the time
  between arrivals (our clock: the notice carries none);
- what a notification changed holds until a read that began after it: the read wins,
  also over a pushed power once the read measures one itself (the energy's rise
  since the previous read), and a pushed power lasts PUSH_POWER_FRESH at most.

Within a transaction the energy shown never goes down (the session energy is a
``total_increasing`` sensor: a fall would count the session twice). Lifetime totals
count only what reads told (``Session.read_wh``): a notice's energy that the finished
charge does not confirm would make the total fall.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum

from .models import ThorCharge
from .push import ThorMeterNotice, ThorStartNotice, ThorStopNotice

# A pushed power counts this long at most; a read that measures the power ends it sooner.
PUSH_POWER_FRESH = timedelta(minutes=5)
# The most a connector of unknown rating is believed to deliver.
UNRATED_MAX_W = 1_000_000.0
# An energy told by a notice may lead the last one known by this much time at the
# connector's limit (Thor's energy of a running charge lags the meter).
ENERGY_LAG = timedelta(minutes=5)
# Register values closer than this are not used for a power (delivery jitter).
MIN_RISE_INTERVAL = timedelta(seconds=10)
# Stops of transactions never seen running, remembered per connector: their late
# start must not show a charge.
_STOPPED_AHEAD = 8


class StopResult(Enum):
    """What a stop notice did."""

    ENDED = "ended"  # the running transaction ended: shown
    UNSEEN = "unseen"  # a transaction never seen running (between reads): not shown
    IGNORED = "ignored"  # refused, late, repeated, or about another transaction


def max_power_w(rated_power_w: float | None) -> float:
    """What a connector can deliver at most, as far as a notification is believed."""
    if rated_power_w is None or rated_power_w <= 0:
        return UNRATED_MAX_W
    return 2 * rated_power_w


@dataclass(slots=True)
class Session:
    """A transaction on a connector as far as it is known."""

    transaction_id: int
    started: datetime | None
    energy_wh: float | None = None
    energy_at: datetime | None = None  # when energy_wh was known
    confirmed: bool = False  # a read listed it (else only notices told of it)
    read_wh: float | None = None  # the most a read told (what lifetime totals may count)

    def take_energy(self, energy_wh: float, at: datetime) -> None:
        """A newer energy of the transaction; a lower one is kept out (it never goes back)."""
        if self.energy_wh is None or energy_wh >= self.energy_wh:
            self.energy_wh = energy_wh
            self.energy_at = at

    def plausible(self, energy_wh: float | None, now: datetime, limit_w: float) -> bool:
        """Whether a notice's energy of the transaction can be true (see ENERGY_LAG)."""
        known = self.energy_wh or 0.0
        since = self.energy_at or self.started
        if energy_wh is None or since is None or energy_wh < known:
            return False
        hours = (max(now - since, timedelta()) + ENERGY_LAG).total_seconds() / 3600
        return energy_wh - known <= limit_w * hours


@dataclass(slots=True)
class _Sample:
    energy_wh: float
    at: datetime


@dataclass(slots=True)
class _Pushed:
    watts: float
    at: datetime


@dataclass(slots=True)
class _Connector:
    running: Session | None = None
    ended: Session | None = None  # the last transaction seen ending here
    newest: int = 0  # the newest transaction id seen here (running, ended or finished)
    stopped_ahead: deque[int] = field(default_factory=lambda: deque(maxlen=_STOPPED_AHEAD))
    pushed_at: datetime | None = None  # when a notice last changed `running`
    read_power: float | None = None
    pushed_power: _Pushed | None = None
    read_sample: tuple[int, _Sample] | None = None  # transaction id, energy at a read
    register: _Sample | None = None  # the meter register of the running transaction

    def begin(self, session: Session) -> None:
        self.end()
        self.running = session
        self.newest = max(self.newest, session.transaction_id)
        if session.transaction_id in self.stopped_ahead:
            self.stopped_ahead.remove(session.transaction_id)

    def end(self) -> bool:
        """The running transaction is over; whether there was one."""
        ended = self.running is not None
        if ended:
            self.ended = self.running
        self.running = None
        self.read_power = None
        self.pushed_power = None
        self.read_sample = None
        self.register = None
        return ended


class ThorLive:
    """The live state of every connector of an account (keys: thor_history.connector_key)."""

    def __init__(self) -> None:
        """Nothing known yet."""
        self._connectors: dict[str, _Connector] = {}

    # --- reads ------------------------------------------------------------------

    def take_read(
        self,
        limits_w: Mapping[str, float],
        running: Mapping[str, ThorCharge],
        finished: Mapping[str, int],
        now: datetime,
    ) -> bool:
        """A read of the running charges that began at ``now``; whether a transaction ended.

        ``limits_w`` names every connector with what it can deliver; ``finished`` the
        newest finished transaction id known per connector (from the history).
        """
        for key in set(self._connectors) - set(limits_w):
            del self._connectors[key]
        ended = False
        for key, limit in limits_w.items():
            live = self._connectors.setdefault(key, _Connector())
            live.newest = max(live.newest, finished.get(key, 0))
            charge = running.get(key)
            if live.pushed_at is None or live.pushed_at <= now:  # else a notice is newer
                live.pushed_at = None
                ended |= _take_charge(live, charge, now)
            _take_power(live, charge, now, limit)
        return ended

    # --- notifications ----------------------------------------------------------

    def start(self, key: str, notice: ThorStartNotice, now: datetime) -> bool:
        """A start notice; whether it was shown (a new transaction, see the module)."""
        live = self._connectors.get(key)
        transaction = notice.transaction_id
        if live is None or not notice.accepted or transaction is None:
            return False
        if transaction <= live.newest or transaction in live.stopped_ahead:
            return False  # known, finished or older: late or replayed
        live.begin(Session(transaction, started=now, energy_wh=0.0, energy_at=now))
        live.pushed_at = now
        return True

    def stop(self, key: str, notice: ThorStopNotice, now: datetime, limit_w: float) -> StopResult:
        """A stop notice: whether it ended the running transaction, or one never seen."""
        live = self._connectors.get(key)
        transaction = notice.transaction_id
        if live is None or not notice.accepted or transaction is None:
            return StopResult.IGNORED
        session = live.running
        if session is None or session.transaction_id != transaction:
            if transaction <= live.newest or transaction in live.stopped_ahead:
                return StopResult.IGNORED
            live.stopped_ahead.append(transaction)  # its start may still come: ignore it
            return StopResult.UNSEEN
        if session.plausible(notice.energy_wh, now, limit_w) and notice.energy_wh is not None:
            session.energy_wh, session.energy_at = notice.energy_wh, now
        live.end()
        live.pushed_at = now
        return StopResult.ENDED

    def meters(self, key: str, notice: ThorMeterNotice, now: datetime, limit_w: float) -> bool:
        """Meter values of the running transaction; whether anything shown changed."""
        live = self._connectors.get(key)
        session = None if live is None else live.running
        if live is None or session is None:
            return False
        changed = False
        energy = notice.transaction_energy_wh
        if session.plausible(energy, now, limit_w) and energy is not None:
            changed = energy != session.energy_wh
            session.take_energy(energy, now)
        watts = notice.power_w
        if watts is not None and not 0 <= watts <= limit_w:
            watts = None
        derived = _register_rise(live, notice.energy_register_wh, now, limit_w)
        if watts is None:
            watts = derived
        if watts is not None:
            live.pushed_power = _Pushed(watts, now)
            changed = True
        return changed

    # --- what is shown ----------------------------------------------------------

    def running(self, key: str) -> Session | None:
        """The transaction running on a connector, if one is known."""
        live = self._connectors.get(key)
        return None if live is None else live.running

    def ended(self, key: str) -> Session | None:
        """The last transaction seen ending on a connector (since start-up)."""
        live = self._connectors.get(key)
        return None if live is None else live.ended

    def power_w(self, key: str, now: datetime) -> float | None:
        """A fresh pushed power, else the rise between reads; 0 W without a transaction."""
        live = self._connectors.get(key)
        if live is None or live.running is None:
            return 0.0
        pushed = live.pushed_power
        if pushed is not None and now - pushed.at <= PUSH_POWER_FRESH:
            return pushed.watts
        return live.read_power


def _take_charge(live: _Connector, charge: ThorCharge | None, now: datetime) -> bool:
    """The read's view of the transaction; whether one ended."""
    if charge is None:
        if live.running is not None and not live.running.confirmed:
            live.running.energy_wh = None  # only notices told of it, and the read lacks it
        return live.end()
    session = live.running
    ended = False
    if session is None or session.transaction_id != charge.id:
        ended = live.running is not None  # another one followed it between reads
        session = Session(charge.id, charge.date_started)
        live.begin(session)
    session.confirmed = True
    if charge.date_started is not None:
        session.started = charge.date_started  # the read's is exact
    if charge.energy_wh is not None:
        session.take_energy(charge.energy_wh, now)
        session.read_wh = max(session.read_wh or 0.0, charge.energy_wh)
    return ended


def _take_power(live: _Connector, charge: ThorCharge | None, now: datetime, limit: float) -> None:
    """The power from the energy's rise since the previous read of the same transaction."""
    if charge is None or charge.energy_wh is None or live.running is None:
        return
    if live.running.transaction_id != charge.id:
        return  # a notice says another transaction runs now
    last = live.read_sample
    live.read_sample = (charge.id, _Sample(charge.energy_wh, now))
    if last is None or last[0] != charge.id:
        live.read_power = None
        return
    live.read_power = _watts(last[1], charge.energy_wh, now, limit)
    pushed = live.pushed_power
    if live.read_power is not None and pushed is not None and pushed.at <= now:
        live.pushed_power = None  # the read measured it: it wins over the notice


def _register_rise(
    live: _Connector, register_wh: float | None, now: datetime, limit: float
) -> float | None:
    """W from the register's rise since the last notice of this transaction that had one."""
    if register_wh is None or register_wh < 0:
        return None
    last = live.register
    if last is None:
        live.register = _Sample(register_wh, now)
        return None
    if register_wh <= last.energy_wh or now - last.at < MIN_RISE_INTERVAL:
        return None  # a replay, no news, or too close to tell: keep the older sample
    watts = _watts(last, register_wh, now, limit)
    if watts is not None:  # else absurd: the older sample stays the base
        live.register = _Sample(register_wh, now)
    return watts


def _watts(last: _Sample, energy_wh: float, now: datetime, limit: float) -> float | None:
    seconds = (now - last.at).total_seconds()
    if seconds <= 0 or energy_wh < last.energy_wh:
        return None
    watts = round((energy_wh - last.energy_wh) * 3600 / seconds, 1)
    return watts if watts <= limit else None
