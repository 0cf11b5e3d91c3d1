"""Thor's refusals: an error status and the message name in its body, as typed errors.

Every refusal of Thor's integration API is a status plus a message name in a body
whose format is undocumented (parse.error_name finds it). A 403 means four
different things: only ``APIKeyNotFound`` (or no name) is a wrong key, two names
ask for a change on the dashboard and ``ChargeboxNotActive`` refuses a charge. A
start or stop has refusals of its own, also for a 429.
"""

from __future__ import annotations

from ..errors import (
    AuthenticationError,
    ChargerCloudError,
    ChargeRefusalReason,
    ChargeRefusedError,
    CommandRejectedError,
    DeviceGoneError,
    NotPermittedError,
    RateLimitedError,
    ServiceDisabledError,
    ServiceDisabledReason,
    UnexpectedResponseError,
    WrongServerError,
)
from ..http import Response, server_error
from .parse import error_name

# Message name -> why a charge was refused (400, 402, 403 and 429 answers).
_CHARGE_REFUSALS: dict[str, ChargeRefusalReason] = {
    "ChargeboxNotFree": ChargeRefusalReason.CHARGEBOX_NOT_FREE,
    "AlreadyInTransaction": ChargeRefusalReason.ALREADY_IN_TRANSACTION,
    "NotInTransaction": ChargeRefusalReason.NOT_IN_TRANSACTION,
    "WrongTransaction": ChargeRefusalReason.WRONG_TRANSACTION,
    "ConnectorNotValid": ChargeRefusalReason.CONNECTOR_NOT_VALID,
    "ChargeboxNotActive": ChargeRefusalReason.CHARGEBOX_NOT_ACTIVE,
    "TooManyRequests": ChargeRefusalReason.TOO_MANY_REQUESTS,
}

# 403 message names that need a change on the Thor dashboard, not a new key.
_SERVICE_DISABLED: dict[str, tuple[ServiceDisabledReason, str]] = {
    "RestAPINotEnabled": (
        ServiceDisabledReason.REST_API_DISABLED,
        "The REST API integration is disabled on the Thor dashboard",
    ),
    "InvalidSourceIPAddr": (
        ServiceDisabledReason.IP_NOT_ALLOWED,
        "Thor does not accept requests from this IP address (dashboard allowlist)",
    ),
}


def check_answer(response: Response, *, chargebox: bool, charge: bool) -> Response:
    """Map Thor's error statuses, then their message names, onto the typed errors."""
    status = response.status
    if 200 <= status < 300:
        return response
    name = error_name(response.body)
    if status == 401:  # undocumented; a gateway in front of Thor
        raise AuthenticationError("Thor refused the API key")
    if status == 403:
        raise _forbidden(name)
    if status in (400, 402):
        raise _refused(status, name, charge=charge)
    if status == 404 and (chargebox or name == "ChargeboxNotFound"):
        raise DeviceGoneError("Thor does not know this chargebox (any more)")
    if status == 404:  # every path the client reads exists: the URL is not Thor's API
        raise WrongServerError("Thor's API is not at this URL (HTTP 404)")
    if status == 429:
        if charge:
            raise ChargeRefusedError(
                reason=ChargeRefusalReason.TOO_MANY_REQUESTS,
                code=name,
                retry_after=response.retry_after,
            )
        raise RateLimitedError("Too many requests", response.retry_after)
    if status >= 500:  # a 503's Retry-After (clamped) travels with the error
        raise server_error(response, name)
    raise UnexpectedResponseError(f"Unexpected HTTP status {status}")


def _forbidden(name: str | None) -> ChargerCloudError:
    """A 403: only ``APIKeyNotFound`` (or no name at all) is a wrong key."""
    if name in _SERVICE_DISABLED:
        reason, message = _SERVICE_DISABLED[name]
        return ServiceDisabledError(message, reason=reason)
    if name in _CHARGE_REFUSALS:  # ChargeboxNotActive
        return ChargeRefusedError(reason=_CHARGE_REFUSALS[name], code=name)
    if name is None or name == "APIKeyNotFound":
        return AuthenticationError("Thor refused the API key")
    return NotPermittedError(f"Thor refused the request: {name}")


def _refused(status: int, name: str | None, *, charge: bool) -> ChargerCloudError:
    """A 400 or 402: a refused charge when named so (402 always), else a rejected request."""
    reason = _CHARGE_REFUSALS.get(name) if name is not None else None
    if reason is None and status == 402:
        reason = ChargeRefusalReason.CHARGEBOX_NOT_FREE
    if reason is not None:
        return ChargeRefusedError(reason=reason, code=name)
    if charge:
        return ChargeRefusedError(f"Charge refused: {name or f'HTTP {status}'}", code=name)
    return CommandRejectedError(name or f"HTTP {status}")
