"""Thor's refusals: `ThorError` and the message names the API answers.

The error body is `{"message": name}`; the names below are the documented ones, plus
two the simulator uses for requests the documentation says nothing about.
"""

from collections.abc import Iterable
from typing import Any

from simulator.errors import CloudError

# Message names of the API (the error body is `{"message": name}`).
API_KEY_NOT_FOUND = "APIKeyNotFound"
REST_API_NOT_ENABLED = "RestAPINotEnabled"
INVALID_SOURCE_IP = "InvalidSourceIPAddr"
CHARGEBOX_NOT_FOUND = "ChargeboxNotFound"
CHARGEBOX_NOT_ACTIVE = "ChargeboxNotActive"
CHARGEBOX_NOT_FREE = "ChargeboxNotFree"
CONNECTOR_NOT_VALID = "ConnectorNotValid"
ALREADY_IN_TRANSACTION = "AlreadyInTransaction"
NOT_IN_TRANSACTION = "NotInTransaction"
WRONG_TRANSACTION = "WrongTransaction"
TOO_MANY_REQUESTS = "TooManyRequests"
# Not documented: what the simulator answers for missing or malformed parameters.
BAD_REQUEST = "BadRequest"
NOT_FOUND = "NotFound"


class ThorError(CloudError):
    """A refusal; the API answers `{"message": title}` with `status`."""

    @property
    def body(self) -> dict[str, Any]:
        return {"message": self.title}


def check_choice(value: str, allowed: Iterable[str], name: str) -> None:
    """400 unless `value` is one of `allowed` (`name` is the field the message names)."""
    if value not in allowed:
        raise ThorError(400, f"{name} must be one of {sorted(allowed)}")


def parse_bool(value: str | None, default: bool) -> bool:
    """A query flag: true/false or 1/0 (any case); 400 otherwise."""
    if value is None:
        return default
    text = value.strip().lower()
    if text in ("true", "1"):
        return True
    if text in ("false", "0"):
        return False
    raise ThorError(400, BAD_REQUEST)
