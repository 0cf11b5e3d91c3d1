"""What the cloud's allowance for reads likely holds, learned from its answers.

Clouds like Wallbox's limit reads per account with what behaves like a token
bucket: a known refill rate (one read a minute) and an unknown size (the burst
it accepts at once). The budget models that bucket from our own reads:

- every read we send takes a token; tokens come back at the known rate;
- a read beyond what we thought the bucket held that still succeeds proves the
  bucket is larger: the burst grows (up to the plan's ``burst_max``);
- a refusal while we thought two or more tokens were left proves it smaller:
  the burst shrinks. Any refusal empties the bucket, and its Retry-After
  holds reads off for that long.

We only read beyond the known burst to probe (``may_probe``): one read at a
time, when reads are waiting, and not for hours after the cloud refused a read.

One exception: refusals that go on although we waited as told (two or more
in a row with a read in the model each time) are an outage, not our own
overuse; a token bucket that refuses takes nothing, so after the outage it
is likely fuller than the model says. For a while after the first read that
gets through, probing is allowed again (still one read at a time), so the
devices missed meanwhile are read at once; a refused probe ends it.
"""

from __future__ import annotations

import math

# After any refusal, the burst stays as learned for this long (no probing).
PROBE_AGAIN_AFTER = 6 * 3600.0
# Refusals in a row, each with a read in the model, that make an outage.
OUTAGE_REFUSALS = 2
# After an outage, probing is allowed again for this long from the first good read.
RECOVERY_PROBING = 600.0


class ReadBudget:
    """A token bucket of known refill rate and learned size, in monotonic seconds."""

    def __init__(self, per_minute: float | None, burst: int, burst_max: int) -> None:
        """Start full: ``burst`` reads may go at once (``per_minute`` None: no limit)."""
        self._rate = per_minute / 60.0 if per_minute else None
        self.burst = max(1, burst)
        self._burst_max = max(self.burst, burst_max)
        self._used = 0.0  # reads the bucket has not refilled yet
        self._at: float | None = None
        self._blocked_until = -math.inf
        self._refused_at = -math.inf
        self._unexplained = 0  # refusals in a row while the model had a read left
        self._burst_before_refusals = self.burst
        self._recovering_until = -math.inf

    def tokens(self, now: float) -> float:
        """How many reads the cloud likely takes now."""
        if self._rate is None:
            return math.inf
        if now < self._blocked_until:
            return 0.0
        return self.burst - self._used_at(now)

    def can_read(self, now: float) -> bool:
        """Whether a read now stays within the learned budget."""
        return self.tokens(now) >= 1.0

    def may_probe(self, now: float) -> bool:
        """Whether one read beyond the learned burst may go now, to learn a larger one."""
        if self._rate is None or now < self._blocked_until:
            return False
        if now < self._recovering_until:
            return True
        return (
            self.burst < self._burst_max
            and now - self._refused_at >= PROBE_AGAIN_AFTER
            and self.tokens(now) >= 0.0
        )

    def wait(self, now: float) -> float:
        """Seconds until a read fits the budget again (0: now)."""
        if self._rate is None:
            return 0.0
        missing = 1.0 - self.tokens(now)
        blocked = max(0.0, self._blocked_until - now)
        return max(blocked, missing / self._rate if missing > 0 else 0.0)

    def note_read(self, now: float) -> None:
        """A read was answered (not refused): it took a token."""
        if self._rate is None:
            return
        self._refill(now)
        self._used += 1.0
        if self._unexplained >= OUTAGE_REFUSALS:
            self._recovering_until = now + RECOVERY_PROBING
        self._unexplained = 0
        if self._used > self.burst:
            if now < self._recovering_until:
                # The outage left the bucket fuller than modelled; its size is as learned.
                self._used = float(self.burst)
                return
            # The cloud took more than we thought it would: the bucket is that large.
            self.burst = min(self._burst_max, math.ceil(self._used))
            self._used = min(self._used, float(self.burst))

    def note_refused(self, now: float, retry_after: float | None, *, probe: bool) -> None:
        """The cloud refused a read for its limit: its bucket is empty."""
        if self._rate is None:
            return
        self._refill(now)
        self._refused_at = now
        self._recovering_until = -math.inf
        had_a_read = now >= self._blocked_until and self.burst - self._used >= 1.0
        self._unexplained = self._unexplained + 1 if had_a_read and not probe else 0
        if self._unexplained <= 1:
            self._burst_before_refusals = self.burst
        if self._unexplained >= OUTAGE_REFUSALS:
            # An outage, not a smaller bucket: undo what its first refusal taught.
            self.burst = max(self.burst, self._burst_before_refusals)
        elif not probe and self.burst - self._used >= 2.0:
            self.burst = max(1, self.burst - 1)
        self._used = float(self.burst)
        if retry_after:
            self._blocked_until = max(self._blocked_until, now + retry_after)

    def _used_at(self, now: float) -> float:
        """The reads not yet refilled at ``now`` (any time, also ahead: nothing changes)."""
        if self._rate is None or self._at is None:
            return self._used
        return max(0.0, self._used - max(0.0, now - self._at) * self._rate)

    def _refill(self, now: float) -> None:
        self._used = self._used_at(now)
        self._at = max(now, self._at) if self._at is not None else now
