"""The Podero client's tokens over HTTP against the simulated cloud on 127.0.0.1."""

from __future__ import annotations

import asyncio
import base64
import logging

import aiohttp
import pytest

from custom_components.ev_charger_cloud.api.errors import (
    AuthenticationError,
    CloudConnectionError,
    TokenRejectedError,
    UnexpectedResponseError,
)
from custom_components.ev_charger_cloud.api.podero.auth import PoderoToken
from custom_components.ev_charger_cloud.api.podero.client import PoderoClient
from custom_components.ev_charger_cloud.api.tokens import EXPIRY_MARGIN
from simulator import Simulator
from simulator.faults import Fault
from tests.podero_helpers import (
    CLIENT_ID,
    CLIENT_SECRET,
    EMAIL,
    ORG_ID,
    TOKEN_PATH,
    USER_ID,
    USER_PATH,
    Sent,
    count,
)

pytest_plugins = ["tests.podero_fixtures"]


def client_with(
    session: aiohttp.ClientSession,
    url: str,
    *,
    secret: str = CLIENT_SECRET,
    token: PoderoToken | None = None,
    tokens: list[PoderoToken] | None = None,
) -> PoderoClient:
    return PoderoClient(
        session,
        CLIENT_ID,
        secret,
        ORG_ID,
        user_id=USER_ID,
        base_url=url,
        token=token,
        on_token=None if tokens is None else tokens.append,
    )


async def test_token_request_shape(
    podero_client: PoderoClient,
    podero_sim: Simulator,
    podero_url: str,
    podero_sent: list[Sent],
    podero_tokens: list[PoderoToken],
) -> None:
    """POST oauth2/token/ with HTTP Basic and a JSON client-credentials body."""
    token = await podero_client.async_authenticate()

    assert len(podero_sent) == 1
    request = podero_sent[0]
    assert (request.method, request.url) == ("POST", f"{podero_url}/oauth2/token/")
    basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    assert request.headers["Authorization"] == f"Basic {basic}"
    assert request.headers["Content-Type"] == "application/json"
    assert request.json() == {"grant_type": "client_credentials"}
    assert count(podero_sim, TOKEN_PATH, status=200) == 1
    now = podero_sim.clock.now()
    lifetime = podero_sim.podero.settings.token_lifetime
    assert now + lifetime - 5 < token.expires_at <= now + lifetime
    assert podero_tokens == [token]
    assert podero_client.token == token
    assert (podero_client.org_id, podero_client.user_id) == (ORG_ID, USER_ID)


async def test_token_is_reused(
    podero_client: PoderoClient,
    podero_sim: Simulator,
    podero_sent: list[Sent],
    podero_tokens: list[PoderoToken],
) -> None:
    """One token serves every call; each call carries it as a Bearer token."""
    await podero_client.async_get_wallboxes()
    await podero_client.async_get_vehicles()
    await podero_client.async_authenticate()

    assert count(podero_sim, TOKEN_PATH) == 1
    assert len(podero_tokens) == 1
    bearer = f"Bearer {podero_tokens[0].access_token}"
    assert [s.headers.get("Authorization") for s in podero_sent[1:]] == [bearer, bearer]


async def test_concurrent_calls_share_one_token_request(
    podero_client: PoderoClient, podero_sim: Simulator
) -> None:
    """Calls that start together wait for the same token."""
    await asyncio.gather(
        podero_client.async_get_wallboxes(),
        podero_client.async_get_vehicles(),
        podero_client.async_get_charging_config(),
    )
    assert count(podero_sim, TOKEN_PATH) == 1


async def test_stored_token_survives_a_restart(
    podero_client: PoderoClient,
    podero_session: aiohttp.ClientSession,
    podero_url: str,
    podero_sim: Simulator,
    podero_tokens: list[PoderoToken],
) -> None:
    """A new client with the stored token sends no token request."""
    await podero_client.async_authenticate()
    stored = PoderoToken.from_dict(podero_tokens[0].as_dict())
    assert stored is not None

    restarted_tokens: list[PoderoToken] = []
    restarted = client_with(podero_session, podero_url, token=stored, tokens=restarted_tokens)
    await restarted.async_get_wallboxes()

    assert count(podero_sim, TOKEN_PATH) == 1
    assert restarted_tokens == []
    assert restarted.token == stored


@pytest.mark.usefixtures("podero_clock")
async def test_token_is_renewed_shortly_before_expiry(
    podero_client: PoderoClient, podero_sim: Simulator, podero_tokens: list[PoderoToken]
) -> None:
    """Within the margin before expiry a new token is requested, while the old still works."""
    await podero_client.async_get_wallboxes()
    lifetime = podero_sim.podero.settings.token_lifetime
    podero_sim.clock.advance(lifetime - EXPIRY_MARGIN - 5)
    await podero_client.async_get_wallboxes()
    assert count(podero_sim, TOKEN_PATH) == 1

    podero_sim.clock.advance(10)
    await podero_client.async_get_wallboxes()

    assert count(podero_sim, TOKEN_PATH) == 2
    assert count(podero_sim, "/wallboxes", status=401) == 0
    assert len(podero_tokens) == 2
    assert podero_tokens[0].access_token != podero_tokens[1].access_token


async def test_refused_token_is_renewed_once(
    podero_client: PoderoClient, podero_sim: Simulator, podero_tokens: list[PoderoToken]
) -> None:
    """A 401 (token revoked) gets one new token and the call is sent again."""
    await podero_client.async_get_wallboxes()
    podero_sim.podero.revoke_tokens(ORG_ID)

    assert await podero_client.async_get_wallboxes() == []

    assert count(podero_sim, TOKEN_PATH) == 2
    assert count(podero_sim, "/wallboxes", status=401) == 1
    assert count(podero_sim, "/wallboxes", status=200) == 2
    assert len(podero_tokens) == 2


async def test_concurrent_refusals_renew_once(
    podero_client: PoderoClient, podero_sim: Simulator, podero_tokens: list[PoderoToken]
) -> None:
    """Calls refused together with the same token share one renewal."""
    await podero_client.async_authenticate()
    podero_sim.podero.revoke_tokens(ORG_ID)

    await asyncio.gather(podero_client.async_get_wallboxes(), podero_client.async_get_vehicles())

    assert count(podero_sim, TOKEN_PATH) == 2
    assert len(podero_tokens) == 2
    assert count(podero_sim, USER_PATH, status=401) == 2
    assert count(podero_sim, USER_PATH, status=200) == 2


async def test_stored_token_refused_then_new_token_refused(
    podero_session: aiohttp.ClientSession, podero_url: str, podero_sim: Simulator
) -> None:
    """A stored token refused, and the new one too: one renewal, then TokenRejectedError."""
    stored = PoderoToken(access_token="revoked-long-ago", expires_at=4_000_000_000.0)
    client = client_with(podero_session, podero_url, token=stored)
    podero_sim.podero.faults.add(Fault(status=401, path="/wallboxes"))

    with pytest.raises(TokenRejectedError):
        await client.async_get_wallboxes()

    assert count(podero_sim, TOKEN_PATH) == 1
    assert count(podero_sim, "/wallboxes", status=401) == 2


async def test_fresh_token_refused_is_a_rejected_token(
    podero_client: PoderoClient, podero_sim: Simulator
) -> None:
    """A 401 right after a new token: no second token request, TokenRejectedError (no reauth)."""
    podero_sim.podero.faults.add(Fault(status=401, path="/electric-vehicles"))

    with pytest.raises(TokenRejectedError):
        await podero_client.async_get_vehicles()

    assert count(podero_sim, TOKEN_PATH) == 1
    assert count(podero_sim, "/electric-vehicles", status=401) == 1


async def test_wrong_secret_is_refused(
    podero_session: aiohttp.ClientSession, podero_url: str, podero_sim: Simulator
) -> None:
    """The cloud's 401 invalid_client is an AuthenticationError; no API call follows."""
    tokens: list[PoderoToken] = []
    client = client_with(podero_session, podero_url, secret="wrong", tokens=tokens)

    with pytest.raises(AuthenticationError):
        await client.async_get_users()

    assert count(podero_sim, TOKEN_PATH, status=401) == 1
    assert count(podero_sim, "/users") == 0
    assert (tokens, client.token) == ([], None)


@pytest.mark.parametrize("status", [400, 401, 403])
async def test_refused_token_request(
    podero_client: PoderoClient, podero_sim: Simulator, status: int
) -> None:
    """Every refusal of the token request means the credentials do not work."""
    podero_sim.podero.faults.add(Fault(status=status, path=TOKEN_PATH))
    with pytest.raises(AuthenticationError):
        await podero_client.async_authenticate()


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (Fault(status=503, path=TOKEN_PATH), CloudConnectionError),
        (Fault(status=404, path=TOKEN_PATH), UnexpectedResponseError),
        (Fault(malformed=True, path=TOKEN_PATH), UnexpectedResponseError),
        (Fault(malformed=True, path=TOKEN_PATH, body='{"token": "x"}'), UnexpectedResponseError),
    ],
    ids=["server-error", "not-found", "not-json", "no-access-token"],
)
async def test_token_endpoint_failures(
    podero_client: PoderoClient,
    podero_sim: Simulator,
    fault: Fault,
    error: type[Exception],
) -> None:
    """A token endpoint that is down or answers nonsense is no credentials problem."""
    podero_sim.podero.faults.add(fault)
    with pytest.raises(error):
        await podero_client.async_authenticate()
    assert podero_client.token is None


async def test_secrets_stay_out_of_the_logs(
    podero_client: PoderoClient,
    podero_sim: Simulator,
    podero_url: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Debug logs name method and path, never the secret, token, e-mail or coordinates."""
    caplog.set_level(logging.DEBUG, logger="custom_components.ev_charger_cloud")
    vehicle = podero_sim.podero.add_vehicle(USER_ID, latitude=47.0707, longitude=15.4395)
    await podero_client.async_get_users()
    await podero_client.async_get_vehicle(vehicle.id)
    podero_sim.podero.revoke_tokens(ORG_ID)
    await podero_client.async_get_vehicles()

    # The request is logged, with its ids left out.
    assert f"GET {podero_url}/api/partners/v2.0/org/*/users/*" in caplog.text
    token = podero_client.token
    assert token is not None
    for secret in (CLIENT_SECRET, token.access_token, EMAIL, "47.0707", "15.4395"):
        assert secret not in caplog.text
