"""Fixtures running the simulator on a real local socket, as the integration sees it."""

from collections.abc import AsyncIterator

import aiohttp
import pytest

from simulator import Simulator
from simulator.podero_model import PoderoOrg, PoderoUser
from simulator.testing import PoderoTestClient, SimulatorServer, WallboxTestClient
from simulator.wallbox_model import WallboxAccount, WallboxCharger

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
    response = await wallbox.sign_in()
    assert response.status == 200
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
    response = await podero.get_token()
    assert response.status == 200
    return podero


@pytest.fixture
def user_path(org: PoderoOrg, user: PoderoUser) -> str:
    """Path of the user below the API prefix."""
    return f"/org/{org.id}/users/{user.id}"
