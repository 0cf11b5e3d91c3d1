"""Fixtures of the Thor client's HTTP tests: the simulated Thor cloud on 127.0.0.1.

It holds no tests itself. The Thor client test modules bind these fixtures to
module names of their own (``thor_sim = fixtures.thor_sim``) rather than loading
this module through ``pytest_plugins``: pytest also collects it as a test module,
and a module it has collected first is not read again as a plugin. Every
fixture name starts with ``thor_``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
import json
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qs, urlsplit

import aiohttp
import pytest

from custom_components.ev_charger_cloud.api.thor import ThorClient
from simulator import Simulator
from simulator.testing import SimulatorServer

API_KEY = "thor-test-key-7c1f"


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


@pytest.fixture
def thor_sim() -> Simulator:
    """A Thor cloud with one account whose request budget does not get in the way."""
    sim = Simulator()
    sim.thor.add_account(API_KEY, "Test operator")
    sim.thor.settings.burst = 1000
    return sim


@pytest.fixture
async def thor_url(thor_sim: Simulator, socket_enabled: None) -> AsyncIterator[str]:
    """The simulator on a free port; the URL the client takes as its base."""
    async with SimulatorServer(thor_sim) as server:
        yield f"{server.base_url}/thor/latest/integration"


@pytest.fixture
def thor_sent() -> list[Sent]:
    """Every request the session sent, in order."""
    return []


@pytest.fixture
async def thor_session(thor_sent: list[Sent]) -> AsyncIterator[aiohttp.ClientSession]:
    """A plain session that records what it sends."""

    async def on_headers_sent(
        _session: aiohttp.ClientSession,
        _context: SimpleNamespace,
        params: aiohttp.TraceRequestHeadersSentParams,
    ) -> None:
        thor_sent.append(Sent(params.method, str(params.url), dict(params.headers)))

    async def on_chunk_sent(
        _session: aiohttp.ClientSession,
        _context: SimpleNamespace,
        params: aiohttp.TraceRequestChunkSentParams,
    ) -> None:
        thor_sent[-1].chunks.append(params.chunk)

    trace = aiohttp.TraceConfig()
    trace.on_request_headers_sent.append(on_headers_sent)
    trace.on_request_chunk_sent.append(on_chunk_sent)
    async with aiohttp.ClientSession(trace_configs=[trace]) as session:
        yield session


@pytest.fixture
def thor_client(thor_session: aiohttp.ClientSession, thor_url: str) -> ThorClient:
    """A client of the simulated account."""
    return ThorClient(thor_session, API_KEY, base_url=thor_url, timeout=2.0)
