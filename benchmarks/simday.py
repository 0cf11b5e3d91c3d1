"""Helpers shared by the benchmarks: run the integration over a simulated day, read the log."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant

from simulator.requestlog import RequestRecord
from tests.conftest import advance

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


async def run_day[T](
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    step: timedelta,
    first_hour: Callable[[], T],
) -> T:
    """Move time on by `step` for one day, letting polls and token refreshes run.

    Returns what `first_hour()` gave once the first hour had passed.
    """
    elapsed = timedelta()
    hour: T | None = None
    while elapsed < DAY:
        await advance(hass, freezer, step)
        elapsed += step
        if elapsed == HOUR:
            hour = first_hour()
    assert hour is not None, "the step must divide an hour"
    return hour


def busiest_minute(records: Iterable[RequestRecord]) -> int:
    """The largest number of the records in any 60 s window."""
    times = sorted(record.at for record in records)
    return max((sum(1 for t in times if start <= t < start + 60) for start in times), default=0)
