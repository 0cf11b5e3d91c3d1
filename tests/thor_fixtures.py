"""Fixtures of the Thor tests: the simulated Thor cloud on 127.0.0.1 and clients of it.

Loaded by the Thor test modules through ``pytest_plugins``; every fixture name
starts with ``thor_`` so nothing clashes with the fixtures of other tests. The
constants and helpers are in thor_helpers.

Time: ``thor_clock`` stops the simulator's real-time base at ``START`` (so only
``sim.clock.advance`` moves it) and lets ThorCloud read "now" from the same
clock, so both sides agree on every instant and day.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import datetime, tzinfo
from types import SimpleNamespace
from typing import Any

import aiohttp
import pytest

from custom_components.ev_charger_cloud.api.thor import cloud as thor_cloud_module
from custom_components.ev_charger_cloud.api.thor.client import ThorClient
from custom_components.ev_charger_cloud.api.thor.cloud import ThorCloud
from simulator import Simulator, clock
from simulator.testing import SimulatorServer
from tests.thor_helpers import API_KEY, PREFIX, PUSH_URL, START, Sent, complete_history
from tests.traced_session import traced_session


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
        yield f"{server.base_url}{PREFIX}"


@pytest.fixture
def thor_sent() -> list[Sent]:
    """Every request the session sent, in order."""
    return []


@pytest.fixture
async def thor_session(thor_sent: list[Sent]) -> AsyncIterator[aiohttp.ClientSession]:
    """A plain session that records what it sends."""
    async with traced_session(thor_sent, Sent) as session:
        yield session


@pytest.fixture
def thor_client(thor_session: aiohttp.ClientSession, thor_url: str) -> ThorClient:
    """A client of the simulated account."""
    return ThorClient(thor_session, API_KEY, base_url=thor_url, timeout=2.0)


@pytest.fixture
def thor_clock(thor_sim: Simulator, monkeypatch: pytest.MonkeyPatch) -> None:
    """One clock for both sides: the simulator's, standing at START until advanced."""
    base = START.timestamp()
    monkeypatch.setattr(clock, "time", SimpleNamespace(time=lambda: base))

    class SimDatetime(datetime):
        """datetime whose now() is the simulator's clock."""

        @classmethod
        def now(cls, tz: tzinfo | None = None) -> SimDatetime:
            moment = datetime.fromtimestamp(thor_sim.clock.now(), tz)
            return cls.fromtimestamp(moment.timestamp(), tz)

    monkeypatch.setattr(thor_cloud_module, "datetime", SimDatetime)


@pytest.fixture
def thor_states() -> list[dict[str, Any]]:
    """What the client handed to ``on_state`` (history and id tags), in order."""
    return []


@pytest.fixture
def thor_cloud_factory(
    thor_session: aiohttp.ClientSession,
    thor_url: str,
    thor_clock: None,
    thor_states: list[dict[str, Any]],
) -> Any:
    """Make a ThorCloud of the simulated account (keyword arguments as the constructor)."""

    def make(**options: Any) -> ThorCloud:
        options.setdefault("timeout", 2.0)
        options.setdefault("on_state", thor_states.append)
        api_key = options.pop("api_key", API_KEY)
        return ThorCloud(thor_session, api_key, base_url=thor_url, **options)

    return make


@pytest.fixture
def thor_cloud(thor_cloud_factory: Any) -> ThorCloud:
    """The neutral client of the simulated account, with no history kept yet."""
    client: ThorCloud = thor_cloud_factory()
    return client


@pytest.fixture
def thor_ready(thor_cloud_factory: Any) -> ThorCloud:
    """The neutral client with a complete (empty) history, as after its back-fill."""
    client: ThorCloud = thor_cloud_factory(history=complete_history())
    return client


@pytest.fixture
def thor_boxes(thor_sim: Simulator, thor_clock: None) -> tuple[str, str]:
    """Two boxes: "Garage" (one 22 kW connector) and "Parking" (two 11 kW, 16 A connectors)."""
    garage = thor_sim.thor.add_chargebox(API_KEY, id="CB-GARAGE", alias="Garage")
    parking = thor_sim.thor.add_chargebox(
        API_KEY,
        id="CB-PARKING",
        alias="Parking",
        connectors=2,
        power=11_000,
        max_amperage=16,
        version="1.5",
    )
    return garage.id, parking.id


@pytest.fixture
def thor_pushes(
    thor_sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> Callable[[], list[dict[str, Any]]]:
    """The notification payloads the simulator pushed so far (start, stop, meters), in order.

    Every kind has a URL, but nothing is sent: the simulator keeps each payload.
    """
    thor_sim.thor.set_push_urls(API_KEY, dict.fromkeys(("start", "stop", "meters"), PUSH_URL))
    account = thor_sim.thor.account(API_KEY)

    async def deliver(state: Any, _delivery: Any) -> None:
        state.pending -= 1

    monkeypatch.setattr(thor_sim.thor.push, "_deliver", deliver)
    return lambda: [delivery.payload for delivery in account.push.deliveries]
