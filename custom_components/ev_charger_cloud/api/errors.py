"""Typed errors raised by the vendor clients.

Every client maps its cloud's failures onto this one hierarchy so the Home
Assistant side can react without knowing which cloud it talks to.
"""

from __future__ import annotations


class ChargerCloudError(Exception):
    """Base class of every error a vendor client raises."""


class AuthenticationError(ChargerCloudError):
    """The credentials were refused; only the user can fix this."""


class CloudConnectionError(ChargerCloudError):
    """The cloud could not be reached, timed out or answered with a server error."""


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


class UnexpectedResponseError(ChargerCloudError):
    """The cloud answered with a payload the client cannot understand."""


class CommandNotSupportedError(ChargerCloudError):
    """The provider or charger does not offer this command."""
