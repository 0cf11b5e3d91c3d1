"""Sign-in, refresh and token expiry."""

import aiohttp
import pytest

from simulator import Simulator
from simulator.testing import WallboxTestClient
from simulator.wallbox.cloud import WallboxError
from simulator.wallbox.model import WallboxAccount


async def test_sign_in_returns_token_pair(
    account: WallboxAccount, sim: Simulator, wallbox: WallboxTestClient
) -> None:
    now = sim.clock.now()
    response = await wallbox.sign_in()
    assert response.status == 200
    attributes = (await response.json())["data"]["attributes"]
    assert attributes["user_id"] == sim.wallbox.account(account.email).user_id
    assert isinstance(attributes["token"], str)
    assert attributes["token"]
    assert attributes["refresh_token"] != attributes["token"]
    # Absolute epoch milliseconds, 15 min and 30 days ahead by default.
    assert abs(attributes["ttl"] / 1000 - (now + 900)) < 5
    assert abs(attributes["refresh_token_ttl"] / 1000 - (now + 30 * 86400)) < 5


async def test_wrong_password_is_403(wallbox: WallboxTestClient) -> None:
    response = await wallbox.sign_in(password="wrong")
    assert response.status == 403
    assert await response.json() == {"errors": [{"status": 403, "title": "Invalid credentials"}]}
    assert (await wallbox.sign_in(email="nobody@example.com")).status == 403


async def test_partner_header_is_required(
    account: WallboxAccount, session: aiohttp.ClientSession, wallbox: WallboxTestClient
) -> None:
    response = await session.get(
        f"{wallbox.base}/users/signin",
        headers={"Authorization": aiohttp.encode_basic_auth(account.email, "x")},
    )
    assert response.status == 400


async def test_several_tokens_stay_valid(signed_in: WallboxTestClient) -> None:
    first = signed_in.token
    assert (await signed_in.sign_in()).status == 200
    assert signed_in.token != first
    assert (await signed_in.request("GET", "/v3/chargers/groups", token=first)).status == 200
    assert (await signed_in.request("GET", "/v3/chargers/groups")).status == 200


async def test_refresh_rotates_the_refresh_token(
    session: aiohttp.ClientSession, wallbox: WallboxTestClient
) -> None:
    signin = await (await wallbox.sign_in()).json()
    old_refresh = signin["data"]["attributes"]["refresh_token"]

    async def refresh(token: str) -> aiohttp.ClientResponse:
        return await session.get(
            f"{wallbox.base}/users/refresh-token",
            headers={"Authorization": f"Bearer {token}", "Partner": "wallbox"},
        )

    response = await refresh(old_refresh)
    assert response.status == 200
    attributes = (await response.json())["data"]["attributes"]
    assert attributes["refresh_token"] != old_refresh
    assert (await refresh(old_refresh)).status == 401
    new_token = attributes["token"]
    assert (await wallbox.request("GET", "/v3/chargers/groups", token=new_token)).status == 200
    assert (await refresh(attributes["refresh_token"])).status == 200


async def test_expired_token_is_401(sim: Simulator, signed_in: WallboxTestClient) -> None:
    sim.clock.advance(901)
    response = await signed_in.request("GET", "/v3/chargers/groups")
    assert response.status == 401
    assert (await response.json())["errors"][0]["status"] == 401
    assert (await signed_in.request("GET", "/v3/chargers/groups", token="bogus")).status == 401


async def test_expired_refresh_token_is_401(account: WallboxAccount, sim: Simulator) -> None:
    grant = sim.wallbox.sign_in(account.email, account.password)
    sim.clock.advance(30 * 86400 + 1)
    with pytest.raises(WallboxError) as err:
        sim.wallbox.refresh(grant.refresh_token)
    assert err.value.status == 401
