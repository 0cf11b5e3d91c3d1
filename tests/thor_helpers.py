"""Constants and helpers of the Thor tests (fixtures: thor_fixtures)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

from custom_components.ev_charger_cloud.api.thor.history import ThorEnergyHistory
from simulator import Simulator

API_KEY = "thor-test-key-7c1f"
PREFIX = "/thor/latest/integration"
# The simulated "now" of every test using thor_clock: a Saturday, 10:00 UTC.
START = datetime(2030, 6, 15, 10, 0, tzinfo=UTC)
TODAY = START.date()
# Where pushes go: nothing listens there, the simulator keeps every payload anyway.
PUSH_URL = "http://127.0.0.1:9/thor-push"


@dataclass
class Sent:
    """One request as it left the client: headers and body included."""

    method: str
    url: str
    headers: dict[str, str]
    chunks: list[bytes] = field(default_factory=list)

    @property
    def path(self) -> str:
        return urlsplit(self.url).path

    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.url).query, keep_blank_values=True)

    def json(self) -> Any:
        return json.loads(b"".join(self.chunks))


def requests_of(sim: Simulator) -> list[tuple[str, str]]:
    """(method, path below the API root) of every request the simulated Thor received."""
    return [
        (record.method, record.path.removeprefix(PREFIX))
        for record in sim.requests
        if record.provider == "thor"
    ]


def epoch(moment: datetime) -> float:
    """Epoch seconds, as the simulator's Python API takes times."""
    return moment.timestamp()


def sim_now(sim: Simulator) -> datetime:
    """The simulator's clock as an aware datetime."""
    return datetime.fromtimestamp(sim.clock.now(), UTC)


def complete_history(today: date = TODAY) -> ThorEnergyHistory:
    """A history back-filled up to yesterday without any charge (as kept by an entry)."""
    return ThorEnergyHistory(through=today - timedelta(days=1))
