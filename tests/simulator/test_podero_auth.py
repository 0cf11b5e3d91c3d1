"""Podero: client-credentials tokens, expiry, revocation and organisation boundaries."""

import aiohttp

from simulator import Simulator
from simulator.podero.model import PoderoOrg, PoderoUser
from simulator.testing import PoderoTestClient


async def test_token_answer(podero: PoderoTestClient) -> None:
    response = await podero.get_token()
    assert response.status == 200
    body = await response.json()
    assert set(body) == {"access_token", "expires_in", "token_type", "scope"}
    assert body["expires_in"] == 36000
    assert body["token_type"] == "Bearer"
    assert body["scope"] == "read write"
    assert body["access_token"] == podero.token
    await podero.get_token()
    assert podero.token != body["access_token"]


async def test_token_lifetime_follows_the_setting(sim: Simulator, podero: PoderoTestClient) -> None:
    sim.podero.settings.token_lifetime = 120
    assert (await (await podero.get_token()).json())["expires_in"] == 120


async def test_bad_client_credentials_are_401(
    podero: PoderoTestClient, session: aiohttp.ClientSession
) -> None:
    for response in (
        await podero.get_token(client_secret="wrong"),
        await podero.get_token(client_id="nobody"),
        await session.post(f"{podero.base}/oauth2/token/", json={"grant_type": "x"}),
    ):
        assert response.status == 401
        assert await response.json() == {"error": "invalid_client"}


async def test_other_grants_and_bodies_are_400(
    podero: PoderoTestClient, session: aiohttp.ClientSession
) -> None:
    assert (await podero.get_token(body={"grant_type": "password"})).status == 400
    assert (await podero.get_token(body=["client_credentials"])).status == 400
    response = await session.post(
        f"{podero.base}/oauth2/token/",
        data="grant_type=client_credentials",
        headers={"Authorization": aiohttp.encode_basic_auth(podero.client_id, "partner-secret")},
    )
    assert response.status == 400
    assert await response.json() == {"error": "unsupported_grant_type"}


async def test_tokens_expire_on_the_clock(
    sim: Simulator, org: PoderoOrg, authorized: PoderoTestClient
) -> None:
    path = f"/org/{org.id}/users"
    sim.clock.advance(35_999)
    assert (await authorized.request("GET", path)).status == 200
    sim.clock.advance(2)
    response = await authorized.request("GET", path)
    assert response.status == 401
    assert "detail" in await response.json()
    assert (await authorized.request("GET", path, token="made-up")).status == 401
    assert (await authorized.get_token()).status == 200
    assert (await authorized.request("GET", path)).status == 200


async def test_several_tokens_and_revocation(
    sim: Simulator, org: PoderoOrg, authorized: PoderoTestClient
) -> None:
    first = authorized.token
    await authorized.get_token()
    path = f"/org/{org.id}/users"
    assert (await authorized.request("GET", path, token=first)).status == 200
    sim.podero.revoke_tokens(org.id)
    assert (await authorized.request("GET", path, token=first)).status == 401
    assert (await authorized.request("GET", path)).status == 401


async def test_other_organisations_are_forbidden(
    sim: Simulator, user: PoderoUser, user_path: str, authorized: PoderoTestClient
) -> None:
    other = sim.podero.add_org("other-client", "other-secret")
    stranger = sim.podero.add_user(other.id, "someone@example.com")
    wallbox = sim.podero.add_wallbox(stranger.id)
    for path in (
        f"/org/{other.id}/users",
        f"/org/{other.id}/users/{stranger.id}/wallboxes/{wallbox.id}",
        "/org/00000000-0000-0000-0000-000000000000/users",
    ):
        response = await authorized.request("GET", path)
        assert response.status == 403, path
    # Another org's user or device under one's own org id: not found.
    own_org = user_path.split("/users/")[0]
    assert (await authorized.request("GET", f"{own_org}/users/{stranger.id}")).status == 404
    assert (await authorized.request("GET", f"{user_path}/wallboxes/{wallbox.id}")).status == 404


async def test_request_log_names_the_organisation(
    sim: Simulator, org: PoderoOrg, authorized: PoderoTestClient
) -> None:
    await authorized.request("GET", f"/org/{org.id}/users")
    await authorized.request("GET", f"/org/{org.id}/users", token="bad")
    records = [(r.provider, r.method, r.path, r.status, r.account) for r in sim.requests]
    assert records == [
        ("podero", "POST", "/podero/oauth2/token/", 200, org.id),
        ("podero", "GET", f"/podero/api/partners/v2.0/org/{org.id}/users", 200, org.id),
        ("podero", "GET", f"/podero/api/partners/v2.0/org/{org.id}/users", 401, None),
    ]
    assert sim.requests.count(provider="podero", account=org.id) == 2
