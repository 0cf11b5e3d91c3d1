"""Constants and helpers of the Podero client tests (fixtures: podero_fixtures)."""

from __future__ import annotations

from dataclasses import dataclass, field
import hashlib
import json
from typing import Any

from simulator import Simulator

CLIENT_ID = "partner-client-7"
CLIENT_SECRET = "s3cret:with colon"
ORG_ID = "9d0f3a52-1c4e-4b9a-8f27-0a5e1f6b2c11"
USER_ID = "5b3e2d10-7a6f-4e4b-9c1d-2f8a7b6c5d40"
# The account settings device of that user: a digest, so the user id stays private.
ACCOUNT = "account-" + hashlib.sha256(f"{ORG_ID}/{USER_ID}".encode()).hexdigest()[:16]
EMAIL = "jane.driver@example.com"
TOKEN_PATH = "/podero/oauth2/token/"
USER_PATH = f"/org/{ORG_ID}/users/{USER_ID}"


@dataclass(slots=True)
class Sent:
    """One request as it left the client: headers and body included."""

    method: str
    url: str
    headers: dict[str, str]
    chunks: list[bytes] = field(default_factory=list)

    def json(self) -> Any:
        return json.loads(b"".join(self.chunks))


def count(
    sim: Simulator, path: str, *, method: str | None = None, status: int | None = None
) -> int:
    """Requests the Podero cloud received whose path contains `path`."""
    return sim.requests.count(provider="podero", path_contains=path, method=method, status=status)


# The devices of podero_entry_fixtures' `home`, as Home Assistant names them.
HOME_WALLBOX = "garage"
HOME_EV = "volkswagen_id_4"
