"""The third request of a Thor poll: the reads a poll can do without.

A poll needs the chargeboxes and the running charges: without them nothing can
be shown. It adds at most one more request, the first of these that is due:

1. while the history is back-filled, its next window of past days
   (history.py; the first window reaches up to today);
2. the finished charges of the days not counted yet up to today: at start,
   after a charge ended and after midnight, so the lifetime totals stay exact;
3. the reservations, when a box is reservable, every 5 minutes (they are made
   ahead of time).

These reads are optional. One that fails (a server error, a timeout, a 404, an
answer of the wrong shape...) does not fail the poll: it waits 2 minutes, then
4, 8, 16, at most 30 minutes (longer when a 503 asks for it, up to an hour),
and the slot goes meanwhile to the next read that is due. A history window
longer than a month that fails is first tried shorter (history.py), at the
next poll unless the cloud was unreachable. Only what concerns the whole
account fails the poll as before: a refused key, the REST API switched off or
the IP not allowed on the dashboard, too many requests.

What a failed read leaves on show:
- history windows: Total energy stays unknown until the back-fill is complete,
  never a partial sum;
- today's finished charges: Total energy keeps the last value it showed (true
  when it was shown, so never more than was delivered) until they are read,
  and is never a sum that misses a charge that ended;
- reservations: the last ones read stay until they expire (one without an
  expiry date until a read succeeds).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
import logging

from ..errors import (
    AuthenticationError,
    ChargerCloudError,
    CloudConnectionError,
    RateLimitedError,
    ServiceDisabledError,
    TokenRejectedError,
)
from .client import ThorClient
from .history import ThorEnergyHistory, connector_key
from .models import ThorReservation

_LOGGER = logging.getLogger(__name__)

# Reservations are made ahead of time: reading them this often is enough.
RESERVATIONS_EVERY = timedelta(minutes=5)
# After a failed optional read: wait this long, doubled with every failure in a row.
BACKOFF_FIRST = timedelta(minutes=2)
BACKOFF_MAX = timedelta(minutes=30)
# The longest wait a 503's Retry-After may ask of an optional read.
RETRY_AFTER_MAX = timedelta(hours=1)
# A failing read warns at most this often; the other failures are logged at debug level.
WARN_EVERY = timedelta(hours=1)
# Errors of an optional read that concern the whole account: the poll fails on them.
_ACCOUNT_WIDE = (
    AuthenticationError,
    TokenRejectedError,  # a refused key, until its grace is over (client.py)
    ServiceDisabledError,
    RateLimitedError,
)


@dataclass(slots=True)
class _Backoff:
    """Failures in a row of one optional read, and when it may be tried again."""

    name: str
    failures: int = 0
    until: datetime | None = None
    warned: datetime | None = None

    def ready(self, now: datetime) -> bool:
        return self.until is None or now >= self.until

    def failed(self, now: datetime, err: ChargerCloudError) -> None:
        self.failures += 1
        wait = min(BACKOFF_FIRST * 2 ** min(self.failures - 1, 8), BACKOFF_MAX)
        retry_after = err.retry_after if isinstance(err, CloudConnectionError) else None
        if retry_after is not None:
            wait = max(wait, min(timedelta(seconds=retry_after), RETRY_AFTER_MAX))
        self.until = now + wait
        log = _LOGGER.debug
        if self.warned is None or now - self.warned >= WARN_EVERY:
            self.warned, log = now, _LOGGER.warning
        log(
            "Thor's %s could not be read (%s: %s); the rest of the account is shown, "
            "trying again in %d min",
            self.name,
            type(err).__name__,
            err,
            wait.total_seconds() // 60,
        )

    def succeeded(self) -> None:
        if self.failures:
            _LOGGER.debug("Thor's %s could be read again", self.name)
        self.failures = 0
        self.until = None


class ThorOptionalReads:
    """Schedules and does the third request of a poll; keeps what it read."""

    def __init__(
        self, thor: ThorClient, history: ThorEnergyHistory, on_history: Callable[[], None]
    ) -> None:
        """``on_history`` is called whenever the history changed (to keep it with the entry)."""
        self._thor = thor
        self.history = history
        self._on_history = on_history
        # Reserved connectors with the end of their reservation (None: open-ended).
        self.reservations: dict[str, datetime | None] = {}
        self._reservations_read: datetime | None = None
        self._today: date | None = None
        self._finished = _Backoff("finished charges")
        self._reserved = _Backoff("reservations")
        # The lifetime (Wh) last shown per connector, held while today's charges are due.
        self._shown_wh: dict[str, float] = {}

    async def async_read(self, now: datetime, today_due: bool, *, reservable: bool) -> bool:
        """Do the read that is due, if any; returns whether today's charges are still due.

        ``today_due``: today's finished charges are to be read (at start, after a
        charge ended). Only the errors of ``_ACCOUNT_WIDE`` escape.
        """
        today = now.date()
        if self._today is not None and today != self._today:
            today_due = True  # a new day: yesterday goes into the history
        self._today = today
        if not reservable:
            self.reservations = {}
            self._reservations_read = None
        window = self.history.next_window(today)
        finished_due = not self.history.complete or today_due or window is not None
        if finished_due and self._finished.ready(now):
            return await self._attempt(
                self._finished, now, self._read_finished(window, today, today_due), today_due
            )
        last = self._reservations_read
        if (
            reservable
            and self._reserved.ready(now)
            and (last is None or now - last >= RESERVATIONS_EVERY)
        ):
            await self._attempt(self._reserved, now, self._read_reservations(now), today_due)
        return today_due

    @staticmethod
    async def _attempt(
        backoff: _Backoff, now: datetime, read: Awaitable[bool], today_due: bool
    ) -> bool:
        try:
            due = await read
        except _ACCOUNT_WIDE:
            raise
        except ChargerCloudError as err:
            backoff.failed(now, err)
            return today_due
        backoff.succeeded()
        return due

    async def _read_finished(
        self, window: tuple[date, date] | None, today: date, today_due: bool
    ) -> bool:
        """A history window (up to today where it ends yesterday), or today's charges.

        The first back-fill window reaches up to today too, so an account whose
        back-fill ends the same day needs no read of today's charges after it.
        """
        yesterday = today - timedelta(days=1)
        start, end = (today, today) if window is None else window
        first = not self.history.complete and self.history.backfilled_to is None
        if window is not None and end == yesterday and (first or self.history.complete):
            end = today
        try:
            charges = await self._thor.async_get_finished_charges(start, end)
        except _ACCOUNT_WIDE:
            raise
        except ChargerCloudError as err:
            shorter = window is not None and self.history.refused(*window)
            if shorter:
                self._on_history()
            if shorter and not isinstance(err, CloudConnectionError):
                # Maybe refused as too long (undocumented): shorter at the next poll.
                _LOGGER.debug("Thor refused finished charges from %s to %s: %s", start, end, err)
                return today_due
            raise
        if window is None:
            self.history.add(charges)
        else:
            self.history.add_window(*window, charges, today)
        self._on_history()
        return today_due and end != today

    async def _read_reservations(self, now: datetime) -> bool:
        self.reservations = _reservations(await self._thor.async_get_reservations())
        self._reservations_read = now
        return True

    def reserved(self, key: str, now: datetime) -> bool:
        """Whether a connector is reserved now, by the reservations last read."""
        if key not in self.reservations:
            return False
        end = self.reservations[key]
        return end is None or end > now

    def lifetime_kwh(self, key: str, running_wh: float | None, today_due: bool) -> float | None:
        """A connector's lifetime energy: the history plus its running charge (kWh).

        None until the history is complete. While today's finished charges are due
        (a charge ended and is not counted yet), the value shown last: a sum
        without the ended charge would show it delivered again once it is read.
        """
        if not self.history.complete:
            return None
        if today_due:
            held = self._shown_wh.get(key)
            return None if held is None else held / 1000
        total = self.history.totals_wh.get(key, 0.0) + (running_wh or 0.0)
        self._shown_wh[key] = total
        return total / 1000


def _reservations(reservations: list[ThorReservation]) -> dict[str, datetime | None]:
    """Reserved connectors with the latest end of their reservations (None: no end given)."""
    ends: dict[str, datetime | None] = {}
    for r in reservations:
        if r.chargebox is None or r.connector is None:
            continue
        key = connector_key(r.chargebox, r.connector)
        end = r.expiry_date
        if key in ends:
            previous = ends[key]
            end = None if previous is None or end is None else max(previous, end)
        ends[key] = end
    return ends
