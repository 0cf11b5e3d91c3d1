"""When an access token is due for renewal; shared by the vendor clients."""

from __future__ import annotations

# Renew this long before the cloud would refuse a token, so a poll never races expiry.
EXPIRY_MARGIN = 60.0


def still_valid(expires_at: float, now: float) -> bool:
    """Whether a token expiring at ``expires_at`` (epoch s) may still be used at ``now``."""
    return expires_at - EXPIRY_MARGIN > now
