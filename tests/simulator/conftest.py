"""Fixtures running the simulator on a real local socket, as the integration sees it."""

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
import pytest

from simulator import Simulator
from simulator.podero.model import PoderoOrg, PoderoUser
from simulator.testing import PoderoTestClient, SimulatorServer, WallboxTestClient
from simulator.thor.model import ThorAccount
from simulator.wallbox.model import WallboxAccount, WallboxCharger

PODERO_CLIENT_ID = "partner-client"
PODERO_CLIENT_SECRET = "partner-secret"


@pytest.fixture
def sim() -> Simulator:
    return Simulator()


@pytest.fixture
def account(sim: Simulator) -> WallboxAccount:
    return sim.wallbox.add_account("owner@example.com", "correct horse")


@pytest.fixture
def charger(sim: Simulator, account: WallboxAccount) -> WallboxCharger:
    return sim.wallbox.add_charger(account.email)


@pytest.fixture
async def server(sim: Simulator, socket_enabled: None) -> AsyncIterator[SimulatorServer]:
    """The app on a free port of 127.0.0.1 (the HA test plugin blocks sockets otherwise)."""
    async with SimulatorServer(sim) as running:
        yield running


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client_session:
        yield client_session


@pytest.fixture
def base_url(server: SimulatorServer) -> str:
    return server.base_url


@pytest.fixture
def wallbox(
    session: aiohttp.ClientSession, server: SimulatorServer, account: WallboxAccount
) -> WallboxTestClient:
    return WallboxTestClient(session, server.wallbox_url, account.email, account.password)


@pytest.fixture
async def signed_in(wallbox: WallboxTestClient) -> WallboxTestClient:
    assert (await wallbox.sign_in()).status == 200
    return wallbox


@pytest.fixture
def org(sim: Simulator) -> PoderoOrg:
    return sim.podero.add_org(PODERO_CLIENT_ID, PODERO_CLIENT_SECRET)


@pytest.fixture
def user(sim: Simulator, org: PoderoOrg) -> PoderoUser:
    return sim.podero.add_user(org.id, "driver@example.com", "Dana", "Driver")


@pytest.fixture
def podero(
    session: aiohttp.ClientSession, server: SimulatorServer, org: PoderoOrg
) -> PoderoTestClient:
    return PoderoTestClient(session, server.podero_url, PODERO_CLIENT_ID, PODERO_CLIENT_SECRET)


@pytest.fixture
async def authorized(podero: PoderoTestClient) -> PoderoTestClient:
    assert (await podero.get_token()).status == 200
    return podero


@pytest.fixture
def user_path(org: PoderoOrg, user: PoderoUser) -> str:
    """Path of the user below the API prefix."""
    return f"/org/{org.id}/users/{user.id}"


THOR_API_KEY = "thor-test-key"


@pytest.fixture
def thor_account(sim: Simulator) -> ThorAccount:
    return sim.thor.add_account(THOR_API_KEY, "Thor test customer")


@pytest.fixture
def thor_url(server: SimulatorServer) -> str:
    """What a client uses as the base URL of the Thor integration API."""
    return f"{server.base_url}/thor/latest/integration"


@pytest.fixture
def thor_call(
    session: aiohttp.ClientSession, thor_url: str, thor_account: ThorAccount
) -> Callable[..., Awaitable[aiohttp.ClientResponse]]:
    """`await thor_call(method, path, json=None, key=..., params=None)` with `X-Api-Key`."""

    async def call(
        method: str,
        path: str,
        json: Any = None,
        *,
        key: str | None = THOR_API_KEY,
        params: dict[str, str] | None = None,
    ) -> aiohttp.ClientResponse:
        headers = {} if key is None else {"X-Api-Key": key}
        return await session.request(
            method, f"{thor_url}{path}", json=json, headers=headers, params=params
        )

    return call


@pytest.fixture
def thor_control(
    session: aiohttp.ClientSession, server: SimulatorServer
) -> Callable[..., Awaitable[Any]]:
    """`await thor_control(method, path, body=None, status=200)`: the decoded answer."""

    async def call(method: str, path: str, body: Any = None, status: int = 200) -> Any:
        response = await session.request(method, f"{server.base_url}/_sim/thor{path}", json=body)
        assert response.status == status, await response.text()
        return await response.json()

    return call
