"""What the Wallbox client tests share besides fixtures: the account, paths and small helpers."""

from __future__ import annotations

from dataclasses import dataclass

from custom_components.ev_charger_cloud.api.models import Charger, Connector
from custom_components.ev_charger_cloud.api.wallbox.auth import WallboxTokens
from simulator import Simulator
from tests.paths import FIXTURES

EMAIL = "owner@example.com"
PASSWORD = "s3cret pa55word"
USER_ID = 777001
SEED = FIXTURES / "wallbox_status_seed.json"
STATUS_PATH = "/wallbox/chargers/status/"
SIGNIN_PATH = "/wallbox/users/signin"
REFRESH_PATH = "/wallbox/users/refresh-token"
ACTION_PATH = "/remote-action"


@dataclass(frozen=True, slots=True)
class Sent:
    """One request as it left the client, headers included."""

    method: str
    url: str
    headers: dict[str, str]


def connector_of(charger: Charger) -> Connector:
    """The session values of a Wallbox: it is a charger with one connector, "1"."""
    assert [c.connector_id for c in charger.connectors] == ["1"]
    return charger.connectors[0]


def count(
    sim: Simulator, path: str, *, method: str | None = None, status: int | None = None
) -> int:
    """Requests the cloud received whose path contains `path`."""
    return sim.requests.count(provider="wallbox", path_contains=path, method=method, status=status)


def grant_tokens(sim: Simulator) -> WallboxTokens:
    """Tokens signed in directly at the cloud, outside the HTTP API and its log."""
    grant = sim.wallbox.sign_in(EMAIL, PASSWORD)
    return WallboxTokens(
        token=grant.token,
        expires_at=grant.ttl_ms / 1000,
        refresh_token=grant.refresh_token,
        refresh_expires_at=grant.refresh_ttl_ms / 1000,
        user_id=str(grant.user_id),
    )
