"""When an access token is due for renewal; shared by the vendor clients.

A cloud's token lifetimes are not trusted blindly: a TTL in seconds where
milliseconds are expected, a TTL already in the past or a clock an hour off
would otherwise renew the token before every request. ``RenewalGuard`` bounds
the renewals whatever the cloud or the clock says: a token younger than
``MIN_TOKEN_AGE`` is used as long as the cloud accepts it (a 401 still renews
it at once), and there are at most ``MAX_RENEWALS_PER_HOUR`` renewals an hour.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
import logging
import time

# Renew this long before the cloud would refuse a token, so a poll never races expiry.
EXPIRY_MARGIN = 60.0

# A token is not renewed by its lifetime before it is this old (s); a 401 renews it.
MIN_TOKEN_AGE = 300.0

# At most this many renewals (sign-ins, refreshes, token requests) in any hour.
MAX_RENEWALS_PER_HOUR = 10

_HOUR = 3600.0


def still_valid(expires_at: float, now: float) -> bool:
    """Whether a token expiring at ``expires_at`` (epoch s) may still be used at ``now``."""
    return expires_at - EXPIRY_MARGIN > now


class RenewalGuard:
    """Counts a client's token renewals and keeps them within bounds.

    A token's age is measured on ``clock``, the wall clock its expiry is compared
    with (a clock that is off by a constant does not change an age; one that
    jumps back makes the token young again). The hourly budget is counted on
    the monotonic clock, which no setting of the wall clock moves. An anomaly
    is logged once per client, as a warning without any token or account data.
    """

    def __init__(
        self, cloud: str, logger: logging.Logger, clock: Callable[[], float] = time.time
    ) -> None:
        """``cloud`` names the cloud in the warning; ``clock`` is the wall clock (epoch s)."""
        self._cloud = cloud
        self._logger = logger
        self._clock = clock
        self._renewals: deque[float] = deque()
        self._issued_at: float | None = None
        self._warned = False

    @property
    def renewals_last_hour(self) -> int:
        """How many renewals the last hour saw."""
        self._forget_old(time.monotonic())
        return len(self._renewals)

    def too_young(self) -> bool:
        """The token in use was issued less than ``MIN_TOKEN_AGE`` ago by this client."""
        if self._issued_at is None:
            return False
        return self._clock() - self._issued_at < MIN_TOKEN_AGE

    def may_renew(self) -> bool:
        """Whether one more renewal stays within the hour's budget (warns once if not)."""
        if self.renewals_last_hour < MAX_RENEWALS_PER_HOUR:
            return True
        self._warn(
            "%s needed more than %d new tokens within an hour; the token in use is "
            "kept until the hour allows another one",
            self._cloud,
            MAX_RENEWALS_PER_HOUR,
        )
        return False

    def renewed(self, expires_at: float) -> None:
        """Count a renewal; warn (once) when the new token's lifetime makes no sense."""
        self._renewals.append(time.monotonic())
        self._issued_at = now = self._clock()
        lifetime = expires_at - now
        if lifetime < MIN_TOKEN_AGE + EXPIRY_MARGIN:
            self._warn(
                "%s issued a token that expires in %.0f s by this computer's clock (a wrong "
                "lifetime or a clock that is off); it is renewed at most every %.0f minutes",
                self._cloud,
                lifetime,
                MIN_TOKEN_AGE / 60,
            )

    def _forget_old(self, now: float) -> None:
        while self._renewals and now - self._renewals[0] >= _HOUR:
            self._renewals.popleft()

    def _warn(self, message: str, *args: object) -> None:
        if not self._warned:
            self._warned = True
            self._logger.warning(message, *args)
