"""Fixtures of the Podero client tests: the simulated cloud on 127.0.0.1 and a client of it.

Loaded by the Podero test modules through ``pytest_plugins``; every name starts
with ``podero_`` so nothing clashes with the fixtures of other tests.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from types import SimpleNamespace
from typing import Any

import aiohttp
import pytest

from custom_components.ev_charger_cloud.api.podero import auth as podero_auth
from custom_components.ev_charger_cloud.api.podero.auth import PoderoToken
from custom_components.ev_charger_cloud.api.podero.client import PoderoClient
from custom_components.ev_charger_cloud.api.podero.cloud import PoderoCloud
from simulator import Simulator
from simulator.testing import SimulatorServer
from tests.podero_helpers import CLIENT_ID, CLIENT_SECRET, EMAIL, ORG_ID, USER_ID, Sent
from tests.traced_session import traced_session


def user_client(session: aiohttp.ClientSession, base_url: str, **options: Any) -> PoderoClient:
    """A client of the simulated organisation's user; ``options`` go to PoderoClient."""
    return PoderoClient(
        session,
        CLIENT_ID,
        CLIENT_SECRET,
        ORG_ID,
        user_id=USER_ID,
        base_url=base_url,
        timeout=2.0,
        **options,
    )


@pytest.fixture
def podero_sim() -> Simulator:
    """A Podero cloud with one organisation and one user, without devices yet."""
    sim = Simulator()
    sim.podero.add_org(CLIENT_ID, CLIENT_SECRET, org_id=ORG_ID)
    sim.podero.add_user(ORG_ID, EMAIL, first_name="Jane", last_name="Driver", user_id=USER_ID)
    return sim


@pytest.fixture
async def podero_url(podero_sim: Simulator, socket_enabled: None) -> AsyncIterator[str]:
    """The simulator on a free port; the URL the client takes as its base."""
    async with SimulatorServer(podero_sim) as server:
        yield server.podero_url


@pytest.fixture
def podero_sent() -> list[Sent]:
    """Every request the session sent, in order."""
    return []


@pytest.fixture
async def podero_session(podero_sent: list[Sent]) -> AsyncIterator[aiohttp.ClientSession]:
    """A plain session that records what it sends."""
    async with traced_session(podero_sent, Sent) as session:
        yield session


@pytest.fixture
def podero_clock(podero_sim: Simulator, monkeypatch: pytest.MonkeyPatch) -> None:
    """Let the client judge token expiry by the simulator's clock, as by a real one."""
    monkeypatch.setattr(podero_auth, "time", SimpleNamespace(time=podero_sim.clock.now))


@pytest.fixture
def podero_tokens() -> list[PoderoToken]:
    """What the client handed to `on_token`, in order."""
    return []


@pytest.fixture
def podero_client(
    podero_session: aiohttp.ClientSession,
    podero_url: str,
    podero_clock: None,
    podero_tokens: list[PoderoToken],
) -> PoderoClient:
    """A client of the simulated organisation's user, without a token yet."""
    return user_client(podero_session, podero_url, on_token=podero_tokens.append)


@pytest.fixture
def podero_stored_token(podero_sim: Simulator, podero_clock: None) -> PoderoToken:
    """A valid token as an entry keeps it, issued by the simulator without a request."""
    token, lifetime = podero_sim.podero.issue_token(podero_sim.podero.org(ORG_ID))
    return PoderoToken(access_token=token, expires_at=podero_sim.clock.now() + lifetime)


@pytest.fixture
def podero_cloud(
    podero_session: aiohttp.ClientSession, podero_url: str, podero_stored_token: PoderoToken
) -> PoderoCloud:
    """The neutral client of the simulated user, with a stored valid token."""
    return PoderoCloud(user_client(podero_session, podero_url, token=podero_stored_token))
