"""Wallbox tokens: what sign-in and refresh return, and when to renew them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
import time
from typing import Any

from ..errors import UnexpectedResponseError
from ..parse import as_float, as_str
from ..tokens import EXPIRY_MARGIN, still_valid

__all__ = ["EXPIRY_MARGIN", "WallboxTokens"]


@dataclass(frozen=True, slots=True, kw_only=True)
class WallboxTokens:
    """An access token, its refresh token and their absolute expiry (epoch seconds).

    The tokens (and the account's user id) stay out of ``repr``, so no log line or
    traceback that shows the object shows them.
    """

    token: str = field(repr=False)
    expires_at: float
    refresh_token: str = field(repr=False)
    refresh_expires_at: float
    user_id: str = field(repr=False)

    @property
    def access_valid(self) -> bool:
        """The access token can still be used."""
        return still_valid(self.expires_at, time.time())

    @property
    def refresh_valid(self) -> bool:
        """The refresh token can still be exchanged for a new pair."""
        return still_valid(self.refresh_expires_at, time.time())

    def as_dict(self) -> dict[str, Any]:
        """Plain data for storing in the config entry."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> WallboxTokens | None:
        """Restore stored tokens; None when the stored data is unusable."""
        try:
            return cls(
                token=str(data["token"]),
                expires_at=float(data["expires_at"]),
                refresh_token=str(data["refresh_token"]),
                refresh_expires_at=float(data["refresh_expires_at"]),
                user_id=str(data["user_id"]),
            )
        except (KeyError, TypeError, ValueError):
            return None

    @classmethod
    def from_response(cls, payload: Any) -> WallboxTokens:
        """Parse ``data.attributes`` of a sign-in or refresh answer (TTLs in epoch ms).

        Tokens must be text, the user id text or a whole number and the TTLs finite
        numbers (also as text); anything else is UnexpectedResponseError.
        """
        data = payload.get("data") if isinstance(payload, Mapping) else None
        attributes = data.get("attributes") if isinstance(data, Mapping) else None
        if not isinstance(attributes, Mapping):
            raise UnexpectedResponseError("Token answer of an unknown shape")
        token = _text(attributes.get("token"))
        refresh_token = _text(attributes.get("refresh_token"))
        user_id = attributes.get("user_id")
        whole = isinstance(user_id, int) and not isinstance(user_id, bool)
        user = as_str(user_id) if whole or isinstance(user_id, str) else None
        ttl = as_float(attributes.get("ttl"))
        refresh_ttl = as_float(attributes.get("refresh_token_ttl"))
        if token is None or refresh_token is None or user is None:
            raise UnexpectedResponseError("Token answer of an unknown shape")
        if ttl is None or refresh_ttl is None:
            raise UnexpectedResponseError("Token answer without finite TTLs")
        return cls(
            token=token,
            expires_at=ttl / 1000,
            refresh_token=refresh_token,
            refresh_expires_at=refresh_ttl / 1000,
            user_id=user,
        )


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def clock() -> float:
    """The wall clock token expiries are compared with (epoch s)."""
    return time.time()
