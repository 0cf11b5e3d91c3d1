"""Podero's refusals: `PoderoError` and its kinds (validation, throttling, OAuth).

Each carries the body the API answers: `{"detail": ...}` by default, pydantic-style
lists for 422, OAuth's `{"error": code}` for the token endpoint.
"""

from typing import Any

from simulator.errors import CloudError

from .answers import detail_json

NOT_FOUND = "Not found."
FORBIDDEN = "You do not have permission to perform this action."


class PoderoError(CloudError):
    """A refusal; `body` is what the API answers (default `{"detail": title}`)."""

    def __init__(self, status: int, title: str, body: Any = None) -> None:
        super().__init__(status, title)
        self.body = detail_json(title) if body is None else body


class PoderoValidationError(PoderoError):
    """422 with pydantic-style `{"detail": [{"loc", "msg", "type"}, ...]}`."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(422, errors[0]["msg"], {"detail": errors})


class PoderoRateLimited(PoderoError):
    """429, with the seconds until the organisation's bucket has a token again."""

    def __init__(self, retry_after: float) -> None:
        seconds = max(1, round(retry_after))
        super().__init__(429, f"Request was throttled. Expected available in {seconds} seconds.")
        self.retry_after = retry_after


class PoderoAuthError(PoderoError):
    """Failures of `oauth2/token/`, answered with OAuth's `{"error": code}`."""

    def __init__(self, status: int, code: str) -> None:
        super().__init__(status, code, {"error": code})


def raise_invalid(errors: list[dict[str, Any]]) -> None:
    """422 listing every problem found, unless there is none."""
    if errors:
        raise PoderoValidationError(errors)
