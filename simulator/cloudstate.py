"""What every simulated cloud holds alike: its clock, settings, injected faults, rate limiter.

Each cloud's `state.py` builds on `CloudState`. `reset_shared` is the part of a reset
that every cloud does the same way; `spend` is one request from a token bucket.
"""

from collections.abc import Hashable
from dataclasses import fields
from typing import TYPE_CHECKING

from .clock import Clock
from .faults import FaultList
from .ratelimit import RateLimiter

if TYPE_CHECKING:
    from _typeshed import DataclassInstance


class CloudState[SettingsT: DataclassInstance]:
    """The clock, a settings dataclass, the fault list and the rate limiter of one cloud."""

    def __init__(self, clock: Clock, settings_type: type[SettingsT]) -> None:
        self.clock = clock
        self._settings_type = settings_type
        self.settings = settings_type()
        self.faults = FaultList()
        self.rate_limiter = RateLimiter()

    def reset_rate_limits(self) -> None:
        """Refill every bucket."""
        self.rate_limiter.reset()

    def reset_shared(self) -> None:
        """No faults, full buckets, and every setting back to its default."""
        self.faults.clear()
        self.rate_limiter.reset()
        defaults = self._settings_type()
        for setting in fields(defaults):
            setattr(self.settings, setting.name, getattr(defaults, setting.name))

    def spend(self, key: Hashable, per_minute: float, burst: float) -> float | None:
        """Take one request from the bucket of `key`: None, or the seconds to wait."""
        return self.rate_limiter.try_acquire(key, self.clock.now(), per_minute, burst)
