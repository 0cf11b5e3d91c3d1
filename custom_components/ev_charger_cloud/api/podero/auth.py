"""Podero access tokens: client credentials, no refresh token, about 10 h each."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
import time
from typing import Any

from ..errors import UnexpectedResponseError
from ..parse import as_float, as_str
from ..tokens import still_valid

# Assumed lifetime when a token answer does not tell (Podero documents 36000 s).
FALLBACK_LIFETIME = 3600.0


@dataclass(frozen=True, slots=True, kw_only=True)
class PoderoToken:
    """An access token and its absolute expiry (epoch seconds)."""

    access_token: str = field(repr=False)
    expires_at: float

    @property
    def valid(self) -> bool:
        """The token can still be used (renewed a little before it expires)."""
        return still_valid(self.expires_at, time.time())

    def as_dict(self) -> dict[str, Any]:
        """Plain data for storing in the config entry."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PoderoToken | None:
        """Restore a stored token; None when the stored data is unusable."""
        try:
            access_token = as_str(data.get("access_token"))
            expires_at = as_float(data.get("expires_at"))
        except AttributeError:
            return None
        if access_token is None or expires_at is None:
            return None
        return cls(access_token=access_token, expires_at=expires_at)

    @classmethod
    def from_response(cls, payload: Any) -> PoderoToken:
        """Parse ``POST /oauth2/token/``: ``access_token`` and ``expires_in`` (s)."""
        if not isinstance(payload, Mapping) or as_str(payload.get("access_token")) is None:
            raise UnexpectedResponseError("Token answer without an access token")
        lifetime = as_float(payload.get("expires_in"))
        if lifetime is None or lifetime <= 0:
            lifetime = FALLBACK_LIFETIME
        return cls(access_token=str(payload["access_token"]), expires_at=time.time() + lifetime)


def clock() -> float:
    """The wall clock token expiries are compared with (epoch s)."""
    return time.time()
