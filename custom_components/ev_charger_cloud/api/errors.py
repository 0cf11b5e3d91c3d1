"""Typed errors raised by the vendor clients.

Every client maps its cloud's failures onto this one hierarchy so the Home
Assistant side can react without knowing which cloud it talks to.
"""

from __future__ import annotations

from enum import StrEnum


class ChargerCloudError(Exception):
    """Base class of every error a vendor client raises."""


class AuthenticationError(ChargerCloudError):
    """The credentials were refused; only the user can fix this."""


class CloudConnectionError(ChargerCloudError):
    """The cloud could not be reached, timed out or answered with a server error.

    ``retry_after``: the seconds a 503's Retry-After asked to wait (None without one).
    """

    def __init__(self, *args: object, retry_after: float | None = None) -> None:
        """Keep the cloud's Retry-After (seconds) when an unavailable service sent one."""
        super().__init__(*args)
        self.retry_after = retry_after


class TokenRejectedError(CloudConnectionError):
    """The cloud refused an access token although the credentials are good.

    Raised when a data request is answered 401 even with a token just issued
    (or when renewing it again is over the hour's budget): a glitch of the
    cloud, not a reason to ask the user for new credentials. A failed poll;
    the next one tries again.
    """


class RateLimitedError(ChargerCloudError):
    """The cloud refused the request because the account sent too many."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        """Keep the cloud's Retry-After (seconds) when it sent one."""
        super().__init__(message)
        self.retry_after = retry_after


class NotPermittedError(ChargerCloudError):
    """The account may not perform this command (not owner/admin, or wrong state)."""


class CommandRejectedError(ChargerCloudError):
    """The cloud rejected the command in the charger's current state or its value."""


class ChargerNotFoundError(ChargerCloudError):
    """The charger is not (or no longer) part of the account."""


class DeviceGoneError(ChargerNotFoundError):
    """The device (charger or vehicle) is not, or no longer, part of the account."""


class AccountNotFoundError(ChargerCloudError):
    """The organisation or user the client is set up for is unknown to the cloud."""


class AccountWithoutDevicesError(ChargerCloudError):
    """The account lists no device, and its devices are all it can be recognised by.

    Thor: the key is not the account (a renewed key is the same account), so an
    account is known by one of its chargeboxes; one without any has no identity.
    """


class BoostRefusalReason(StrEnum):
    """Why a cloud refused to charge now; reasons it adds later become UNKNOWN."""

    ALREADY_CHARGING = "already_charging"
    FULLY_CHARGED = "fully_charged"
    NO_ACTIVE_SESSION = "no_active_session"
    INTERNAL_ERROR = "internal_error"
    UNKNOWN = "unknown"


class BoostRefusedError(CommandRejectedError):
    """The cloud refused to charge now (boost), telling why."""

    def __init__(
        self,
        message: str | None = None,
        *,
        reason: BoostRefusalReason = BoostRefusalReason.UNKNOWN,
        state: str | None = None,
    ) -> None:
        """Keep the reason and the boost state the cloud reported with it."""
        super().__init__(message or f"Boost refused: {reason.value}")
        self.reason = reason
        self.state = state


class UnexpectedResponseError(ChargerCloudError):
    """The cloud answered with a payload the client cannot understand."""


class WrongServerError(UnexpectedResponseError):
    """What answers at the configured URL is not this cloud's API.

    A 404 to the first request (sign-in, token, first list), or a success whose
    body is not JSON (an HTML page): the server URL lacks its path prefix or
    names another server, which new credentials would not fix.
    """


class RedirectRefusedError(UnexpectedResponseError):
    """The server redirected a request in a way the client does not follow.

    To another origin (scheme, host or port), where the credentials the request
    carries must not go; or too often; or a 301/302 of a request other than a
    read, whose method a redirect would change.
    """


class CommandNotSupportedError(ChargerCloudError):
    """The provider or charger does not offer this command."""


class ServiceDisabledReason(StrEnum):
    """Why a cloud's API refuses every request until the user changes its dashboard."""

    REST_API_DISABLED = "rest_api_disabled"
    IP_NOT_ALLOWED = "ip_not_allowed"


class ServiceDisabledError(NotPermittedError):
    """The API is switched off for this account, or not for this source address.

    The credentials are good: asking for new ones does not help, a change in the
    cloud's dashboard does.
    """

    def __init__(self, message: str | None = None, *, reason: ServiceDisabledReason) -> None:
        """Keep the reason the cloud gave."""
        super().__init__(message or f"API access disabled: {reason.value}")
        self.reason = reason


class ChargeRefusalReason(StrEnum):
    """Why a cloud refused to start or stop a charge; reasons it adds later become UNKNOWN."""

    CHARGEBOX_NOT_FREE = "chargebox_not_free"
    ALREADY_IN_TRANSACTION = "already_in_transaction"
    NOT_IN_TRANSACTION = "not_in_transaction"
    WRONG_TRANSACTION = "wrong_transaction"
    CONNECTOR_NOT_VALID = "connector_not_valid"
    CHARGEBOX_NOT_ACTIVE = "chargebox_not_active"
    TOO_MANY_REQUESTS = "too_many_requests"
    UNKNOWN = "unknown"


class ChargeRefusedError(CommandRejectedError):
    """The cloud refused to start or stop a charge, telling why."""

    def __init__(
        self,
        message: str | None = None,
        *,
        reason: ChargeRefusalReason = ChargeRefusalReason.UNKNOWN,
        code: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        """Keep the reason, the cloud's own message name and any Retry-After (seconds)."""
        super().__init__(message or f"Charge refused: {reason.value}")
        self.reason = reason
        self.code = code
        self.retry_after = retry_after
