"""How a failed poll reaches Home Assistant: api errors become translated update errors.

Refused credentials start a reauthentication (``ConfigEntryAuthFailed``);
everything else is a failed update whose message says what happened, with
the wait the cloud asked for (clamped) as its ``retry_after``.
"""

from __future__ import annotations

from datetime import timedelta

from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.update_coordinator import UpdateFailed

from custom_components.ev_charger_cloud.api import (
    MAX_RETRY_AFTER,
    AuthenticationError,
    ChargerCloudError,
    CloudConnectionError,
    RateLimitedError,
    ServiceDisabledError,
)
from custom_components.ev_charger_cloud.const import DOMAIN


def update_error(
    err: ChargerCloudError,
    *,
    account: str,
    poll_interval: timedelta,
    update_interval: timedelta | None,
) -> ConfigEntryAuthFailed | UpdateFailed:
    """The error a poll that failed with ``err`` raises.

    ``poll_interval`` is the plan's regular one, ``update_interval`` the one
    the coordinator runs at now.
    """
    if isinstance(err, AuthenticationError):
        return ConfigEntryAuthFailed(
            translation_domain=DOMAIN, translation_key="authentication_error"
        )
    if isinstance(err, ServiceDisabledError):
        return UpdateFailed(
            translation_domain=DOMAIN,
            translation_key=err.reason.value,
            translation_placeholders={"account": account},
        )
    if isinstance(err, RateLimitedError):
        wait = err.retry_after or 2 * poll_interval.total_seconds()
        return UpdateFailed(
            translation_domain=DOMAIN,
            translation_key="rate_limited",
            retry_after=min(wait, MAX_RETRY_AFTER),
        )
    retry_after = None
    if isinstance(err, CloudConnectionError) and err.retry_after:
        # A 503's Retry-After: wait that long (at most the clamp), never less than a poll.
        regular = update_interval.total_seconds() if update_interval else 0.0
        retry_after = min(max(err.retry_after, regular), MAX_RETRY_AFTER)
    return UpdateFailed(
        translation_domain=DOMAIN,
        translation_key="communication_error",
        translation_placeholders={"error": str(err)},
        retry_after=retry_after,
    )
