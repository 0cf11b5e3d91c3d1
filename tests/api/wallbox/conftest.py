"""Fixtures of the Wallbox client tests: a simulated cloud on 127.0.0.1 and a client of it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from types import SimpleNamespace

import aiohttp
import pytest

from custom_components.ev_charger_cloud.api.wallbox import auth as wallbox_auth
from custom_components.ev_charger_cloud.api.wallbox.auth import WallboxTokens
from custom_components.ev_charger_cloud.api.wallbox.client import WallboxClient
from custom_components.ev_charger_cloud.api.wallbox.cloud import WallboxCloud
from simulator import Simulator
from simulator.testing import SimulatorServer
from simulator.wallbox.model import Car
from tests.api.wallbox.helpers import EMAIL, PASSWORD, USER_ID, Sent


@pytest.fixture
def sim() -> Simulator:
    """A cloud with one account whose rate limits do not get in the way."""
    simulator = Simulator()
    simulator.wallbox.add_account(EMAIL, PASSWORD, user_id=USER_ID)
    settings = simulator.wallbox.settings
    settings.get_burst = 100
    settings.write_burst = 100
    return simulator


@pytest.fixture
async def base_url(sim: Simulator, socket_enabled: None) -> AsyncIterator[str]:
    """The simulator on a free port; the URL the client takes as its base."""
    async with SimulatorServer(sim) as server:
        yield server.wallbox_url


@pytest.fixture
def sent() -> list[Sent]:
    """Every request the session sent, in order."""
    return []


@pytest.fixture
async def session(sent: list[Sent]) -> AsyncIterator[aiohttp.ClientSession]:
    """A plain session that records the headers it sends."""

    async def on_headers_sent(
        _session: aiohttp.ClientSession,
        _context: SimpleNamespace,
        params: aiohttp.TraceRequestHeadersSentParams,
    ) -> None:
        sent.append(Sent(params.method, str(params.url), dict(params.headers)))

    trace = aiohttp.TraceConfig()
    trace.on_request_headers_sent.append(on_headers_sent)
    async with aiohttp.ClientSession(trace_configs=[trace]) as client_session:
        yield client_session


@pytest.fixture
def shared_clock(sim: Simulator, monkeypatch: pytest.MonkeyPatch) -> None:
    """Let the client judge token expiry by the simulator's clock, as by a real one."""
    monkeypatch.setattr(wallbox_auth, "time", SimpleNamespace(time=sim.clock.now))


@pytest.fixture
def stored_tokens() -> list[WallboxTokens]:
    """What the client handed to `on_tokens`, in order."""
    return []


@pytest.fixture
def client(
    session: aiohttp.ClientSession,
    base_url: str,
    shared_clock: None,
    stored_tokens: list[WallboxTokens],
) -> WallboxCloud:
    """A client of the simulated account, without tokens yet."""
    return WallboxCloud(
        WallboxClient(session, EMAIL, PASSWORD, base_url=base_url, on_tokens=stored_tokens.append)
    )


@pytest.fixture
def raw_client(session: aiohttp.ClientSession, base_url: str, shared_clock: None) -> WallboxClient:
    """The HTTP client alone (no neutral model) of the simulated account."""
    return WallboxClient(session, EMAIL, PASSWORD, base_url=base_url)


@pytest.fixture
def idle_id(sim: Simulator) -> int:
    """A charger without a car."""
    return sim.wallbox.add_charger(EMAIL, name="Office").id


@pytest.fixture
def charging_id(sim: Simulator) -> int:
    """A 1-phase 16 A Pulsar Plus with Eco-Smart and power boost, charging a car."""
    charger = sim.wallbox.add_charger(
        EMAIL,
        name="Garage",
        eco_smart=True,
        power_boost=True,
        reports_soc=True,
        max_charging_current=16,
    )
    sim.wallbox.plug_in(charger.id, Car(max_power_kw=11.0, battery_kwh=60.0, soc_percent=40.0))
    return charger.id
