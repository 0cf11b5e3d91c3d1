"""How a provider wants its account polled: the poll plan every client declares.

The coordinator follows it; the clients' ``poll_plan`` class attribute says
how often, how many devices at a time, and within which read budget.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

# How long a device may be settling before the regular polls take over again.
_SETTLE_FOR = timedelta(minutes=10)


@dataclass(frozen=True, slots=True, kw_only=True)
class PollPlan:
    """How a provider wants to be polled so an account stays within its budget.

    ``interval`` is the regular poll; each poll reads ``devices_per_poll``
    devices (None: all of them), the most urgent first, plus urgent ones (a
    command touched them, never read, missed, overdue) as far as the read
    budget allows; at a start, as many as the budget allows, the others at
    later polls. ``min_spacing`` is the shortest gap between two regular polls,
    also for refreshes asked for after a command.

    ``read_all``: the cloud lists every device with its full state, so each
    poll (and each refresh after a command) is one ``async_read_all`` call
    instead of device reads; its answer is also the discovery, so
    ``devices_per_poll``, ``rediscover_every`` and the read budget do not apply.
    """

    interval: timedelta
    min_spacing: timedelta
    devices_per_poll: int | None
    rediscover_every: timedelta
    read_all: bool = False
    # The cloud's known allowance for reads: it refills at ``cloud_reads_per_minute``
    # (None: no known limit) and takes ``burst`` reads at once at first; a larger
    # burst, up to ``burst_max``, is learned from its answers (see ReadBudget).
    cloud_reads_per_minute: float | None = None
    burst: int = 1
    burst_max: int = 1
    # An idle device is read at least this often (busy ones come first).
    idle_staleness: timedelta = timedelta(minutes=15)
    # While a device is settling (e.g. a boost about to start), poll every
    # ``settle_interval`` instead, but for ``settle_for`` at most.
    settle_interval: timedelta | None = None
    settle_for: timedelta = _SETTLE_FOR

    @classmethod
    def reading_all(
        cls,
        interval: timedelta,
        *,
        min_spacing: timedelta,
        settle_interval: timedelta | None = None,
        settle_for: timedelta = _SETTLE_FOR,
    ) -> PollPlan:
        """The plan of a cloud whose lists carry every device's full state (``read_all``).

        Each poll reads the whole account, and that reading is the discovery too.
        """
        return cls(
            interval=interval,
            min_spacing=min_spacing,
            devices_per_poll=None,
            rediscover_every=interval,
            read_all=True,
            settle_interval=settle_interval,
            settle_for=settle_for,
        )
