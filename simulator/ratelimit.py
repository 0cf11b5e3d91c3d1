"""Token buckets keyed by anything (e.g. account and request kind), driven by the Clock."""

from collections.abc import Hashable
from dataclasses import dataclass
import math


@dataclass(slots=True)
class _Bucket:
    tokens: float
    updated_at: float


class RateLimiter:
    """Per-key token buckets whose rate and capacity are passed on every call.

    Taking the limits per call lets tests change settings at run time without
    rebuilding buckets; a new key starts with a full bucket.
    """

    def __init__(self) -> None:
        self._buckets: dict[Hashable, _Bucket] = {}

    def try_acquire(
        self, key: Hashable, now: float, per_minute: float, burst: float
    ) -> float | None:
        """Take one token; None on success, else seconds until one is available.

        A rejected request takes nothing, so clients that back off recover.
        """
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = _Bucket(tokens=burst, updated_at=now)
        rate = max(per_minute, 0.0) / 60.0
        elapsed = max(now - bucket.updated_at, 0.0)
        bucket.tokens = min(burst, bucket.tokens + elapsed * rate)
        bucket.updated_at = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return None
        if rate == 0.0:
            return math.inf
        return (1.0 - bucket.tokens) / rate

    def reset(self) -> None:
        """Forget all buckets so every key starts full again."""
        self._buckets.clear()


def retry_after_header(wait: float) -> str:
    """Whole seconds to put in Retry-After: rounded up, at least 1, capped at a day."""
    return str(max(1, min(math.ceil(wait), 86_400)))
