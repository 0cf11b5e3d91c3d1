"""Lifetime energy per Thor connector, summed from finished charges read in day windows.

Thor has no meter reading per connector, but it lists every finished charge
with its energy. Summing them gives an exact lifetime total that needs no
counting of polls: finished charges of past days are read once, going back from
yesterday to the account's first charge, then the days after the first window
(however long the back-fill took) and the days after that as they end, and
today's when a running charge has ended.

The back-fill reads a month per request while it finds charges. Each empty
window in a row makes the next one WINDOW_GROWTH times as long (31 days, 16
months, 21 years), so the empty far past back to HISTORY_FLOOR takes a few
requests, not one a month: an account without charges is complete after 3
windows, one whose charges all lie in the last month after 4.
Thor documents no longest range for ``from``/``to``; a long window that fails
halves the longest one tried from then on (``window_cap_days``), and windows
that small end the back-fill after EMPTY_WINDOWS_TO_STOP empty ones in a row,
as all windows did before.

Windows overlap by a day and every charge counts once (by its transaction id),
so it does not matter whether Thor cuts days in UTC or in the box's time zone.
The state is plain data the caller keeps with the entry, so a restart reads
only the days since; the data of earlier versions (without a window cap) loads.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from .models import ThorFinishedCharge

WINDOW_DAYS = 31
# After each empty back-fill window in a row, the next one is this many times as long.
WINDOW_GROWTH = 16
# The back-fill is complete once it has read back to this day: before OCPP 1.5 (2012),
# so before any chargebox Thor serves could have charged.
HISTORY_FLOOR = date(2010, 1, 1)
# Or after this many windows in a row without a charge (only reached when long windows
# fail and the windows stay short): the account's start, as before windows grew.
EMPTY_WINDOWS_TO_STOP = 12
# The growth stops here (WINDOW_DAYS * WINDOW_GROWTH ** 3 is past the floor already).
_MAX_GROWTH_STEPS = 3
# Transaction ids of the charges of the last REMEMBER_DAYS days up to ``through`` (the next
# window starts the day before it) and after are remembered: overlapping windows count them once.
REMEMBER_DAYS = 3


def connector_key(chargebox: str, connector: int) -> str:
    """How a connector is named in the totals."""
    return f"{chargebox}/{connector}"


@dataclass(slots=True)
class CountedCharge:
    """A finished charge that is part of the totals."""

    key: str
    energy_wh: float
    finished: datetime


@dataclass(slots=True)
class ThorEnergyHistory:
    """Finished-charge energy per connector: complete back to the account's first charge."""

    # Energy (Wh) of the charges counted so far, per connector.
    totals_wh: dict[str, float] = field(default_factory=dict)
    # The last whole day counted; None until the back-fill has reached the present.
    through: date | None = None
    # The oldest day read so far while back-filling, and the empty windows in a row there.
    backfilled_to: date | None = None
    empty_windows: int = 0
    # The last day of the first back-fill window: where the history is complete up to
    # once the back-fill ends (the days after it are read then, however many passed).
    backfill_end: date | None = None
    # Recent charges by transaction id (the overlap of windows), with the last one per connector.
    recent: dict[int, CountedCharge] = field(default_factory=dict)
    last_charge_wh: dict[str, float] = field(default_factory=dict)
    # When each connector's last charge finished: the back-fill reads older windows after
    # newer ones, and an older charge must not replace the last one.
    last_charge_at: dict[str, datetime] = field(default_factory=dict)
    # The longest window to ask for, once a longer one failed (None: no limit seen).
    window_cap_days: int | None = None

    @property
    def complete(self) -> bool:
        """Whether every past day is counted (the totals are lifetime totals)."""
        return self.through is not None

    def next_window(self, today: date) -> tuple[date, date] | None:
        """The days to read next, or None when only today is missing.

        While back-filling: the window before the oldest read, going back, as long
        as the empty windows before it allow (module docstring). Once complete:
        from the day before ``through`` (the overlap) to yesterday.
        """
        yesterday = today - timedelta(days=1)
        if self.through is None:
            end = (self.backfilled_to or today) - timedelta(days=1)
            days = WINDOW_DAYS * WINDOW_GROWTH ** min(self.empty_windows, _MAX_GROWTH_STEPS)
            if self.window_cap_days is not None:
                days = min(days, self.window_cap_days)
            start = max(HISTORY_FLOOR, end - timedelta(days=days - 1))
            return min(start, end), end
        if self.through >= yesterday:
            return None
        start = self.through - timedelta(days=1)
        if self.window_cap_days is not None:
            yesterday = min(yesterday, start + timedelta(days=self.window_cap_days - 1))
        return start, yesterday

    def refused(self, start: date, end: date) -> bool:
        """A window could not be read; True when it was long, and longer ones are not tried.

        Thor may refuse a long range (undocumented) or time out on its answer: the
        longest window is halved, never below WINDOW_DAYS.
        """
        days = (end - start).days + 1
        cap = max(WINDOW_DAYS, days // 2)
        if days <= WINDOW_DAYS:
            return False
        if self.window_cap_days is not None and self.window_cap_days <= cap:
            return False  # not shorter than the windows tried before
        self.window_cap_days = cap
        return True

    def add_window(
        self, start: date, end: date, charges: Iterable[ThorFinishedCharge], today: date
    ) -> None:
        """Count the charges of a window that was read (past days only)."""
        counted = self.add(charges)
        yesterday = today - timedelta(days=1)
        if self.through is None:
            if self.backfilled_to is None:  # the first window
                self.backfill_end = end
            self.backfilled_to = start
            self.empty_windows = 0 if counted else self.empty_windows + 1
            if start <= HISTORY_FLOOR or self.empty_windows >= EMPTY_WINDOWS_TO_STOP:
                # Complete up to the first window's end: the days after it (the
                # back-fill may have taken days) are read next, overlapping by a day.
                self.through = self.backfill_end or yesterday
        else:
            self.through = max(self.through, end)
        # Forget only charges older than the overlap of the next window.
        last_read = self.through or self.backfill_end or yesterday
        self._forget_before(last_read - timedelta(days=REMEMBER_DAYS - 1))

    def add(self, charges: Iterable[ThorFinishedCharge]) -> int:
        """Count charges not counted yet (today's as they end); returns how many were new."""
        new = 0
        for charge in charges:
            if (
                charge.id in self.recent
                or charge.chargebox is None
                or charge.connector is None
                or charge.energy_wh is None
                or charge.date_finished is None
                or charge.energy_wh < 0
            ):
                continue
            key = connector_key(charge.chargebox, charge.connector)
            self.totals_wh[key] = self.totals_wh.get(key, 0.0) + charge.energy_wh
            self.recent[charge.id] = CountedCharge(key, charge.energy_wh, charge.date_finished)
            last_at = self.last_charge_at.get(key)
            if last_at is None or charge.date_finished >= last_at:
                self.last_charge_wh[key] = charge.energy_wh
                self.last_charge_at[key] = charge.date_finished
            new += 1
        return new

    def newest_finished(self) -> dict[str, tuple[int, float]]:
        """Per connector, the newest finished charge remembered: its transaction id and Wh."""
        newest: dict[str, tuple[int, float]] = {}
        for transaction, charge in self.recent.items():
            if transaction > newest.get(charge.key, (0, 0.0))[0]:
                newest[charge.key] = (transaction, charge.energy_wh)
        return newest

    def _forget_before(self, day: date) -> None:
        self.recent = {
            transaction: charge
            for transaction, charge in self.recent.items()
            if charge.finished.date() >= day
        }

    # --- kept with the entry --------------------------------------------------

    def as_dict(self) -> dict[str, Any]:
        """Plain data for the entry (no tags, no users: ids and energy only)."""
        return {
            "totals_wh": dict(self.totals_wh),
            "through": None if self.through is None else self.through.isoformat(),
            "backfilled_to": None if self.backfilled_to is None else self.backfilled_to.isoformat(),
            "empty_windows": self.empty_windows,
            "backfill_end": None if self.backfill_end is None else self.backfill_end.isoformat(),
            "recent": {
                str(transaction): [c.key, c.energy_wh, c.finished.isoformat()]
                for transaction, c in self.recent.items()
            },
            "last_charge_wh": dict(self.last_charge_wh),
            "last_charge_at": {k: at.isoformat() for k, at in self.last_charge_at.items()},
            "window_cap_days": self.window_cap_days,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ThorEnergyHistory:
        """Back from the entry; anything unreadable starts the history afresh."""
        try:
            return cls(
                totals_wh={str(k): float(v) for k, v in data["totals_wh"].items()},
                through=_day(data.get("through")),
                backfilled_to=_day(data.get("backfilled_to")),
                empty_windows=int(data.get("empty_windows", 0)),
                backfill_end=_day(data.get("backfill_end")),
                recent={
                    int(transaction): CountedCharge(
                        str(key), float(energy), datetime.fromisoformat(finished)
                    )
                    for transaction, (key, energy, finished) in data.get("recent", {}).items()
                },
                last_charge_wh={
                    str(k): float(v) for k, v in data.get("last_charge_wh", {}).items()
                },
                last_charge_at={
                    str(k): datetime.fromisoformat(v)
                    for k, v in data.get("last_charge_at", {}).items()
                },
                window_cap_days=_days(data.get("window_cap_days")),
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            return cls()


def _day(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _days(value: Any) -> int | None:
    """A kept window cap: a whole number of days of at least WINDOW_DAYS, or None."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("window_cap_days is not a whole number")
    return max(WINDOW_DAYS, int(value))
