"""Wallbox tokens: what sign-in and refresh return, and when to renew them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
import time
from typing import Any

from .errors import UnexpectedResponseError
from .tokens import EXPIRY_MARGIN, still_valid

__all__ = ["EXPIRY_MARGIN", "WallboxTokens"]


@dataclass(frozen=True, slots=True, kw_only=True)
class WallboxTokens:
    """An access token, its refresh token and their absolute expiry (epoch seconds)."""

    token: str
    expires_at: float
    refresh_token: str
    refresh_expires_at: float
    user_id: str

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
        """Parse ``data.attributes`` of a sign-in or refresh answer (TTLs in epoch ms)."""
        try:
            attributes = payload["data"]["attributes"]
            return cls(
                token=str(attributes["token"]),
                expires_at=float(attributes["ttl"]) / 1000,
                refresh_token=str(attributes["refresh_token"]),
                refresh_expires_at=float(attributes["refresh_token_ttl"]) / 1000,
                user_id=str(attributes["user_id"]),
            )
        except (KeyError, TypeError, ValueError) as err:
            raise UnexpectedResponseError("Token answer of an unknown shape") from err
