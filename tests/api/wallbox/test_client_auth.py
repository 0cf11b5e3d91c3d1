"""Wallbox sign-in and tokens over HTTP against the simulated cloud on 127.0.0.1."""

from __future__ import annotations

import asyncio
import base64

import aiohttp
import pytest

from custom_components.ev_charger_cloud.api import WallboxClient
from custom_components.ev_charger_cloud.api.errors import (
    AuthenticationError,
    ChargerCloudError,
    CloudConnectionError,
    RateLimitedError,
    TokenRejectedError,
    UnexpectedResponseError,
    WrongServerError,
)
from custom_components.ev_charger_cloud.api.models import Account, ChargerStatus
from custom_components.ev_charger_cloud.api.wallbox.auth import EXPIRY_MARGIN, WallboxTokens
from custom_components.ev_charger_cloud.api.wallbox.cloud import WallboxCloud
from simulator import Simulator
from simulator.faults import Fault
from tests.api.wallbox.helpers import (
    EMAIL,
    PASSWORD,
    REFRESH_PATH,
    SIGNIN_PATH,
    STATUS_PATH,
    USER_ID,
    Sent,
    connector_of,
    count,
    grant_tokens,
)


async def test_sign_in_names_the_account(
    client: WallboxCloud,
    sim: Simulator,
    base_url: str,
    sent: list[Sent],
    stored_tokens: list[WallboxTokens],
) -> None:
    """Sign-in sends HTTP Basic and the Partner header; the account is the user id."""
    account = await client.async_authenticate()

    assert account == Account(unique_id=str(USER_ID), title=EMAIL)
    assert len(sent) == 1
    assert sent[0].method == "GET"
    assert sent[0].url == f"{base_url}/users/signin"
    basic = base64.b64encode(f"{EMAIL}:{PASSWORD}".encode()).decode()
    assert sent[0].headers["Authorization"] == f"Basic {basic}"
    assert sent[0].headers["Partner"] == "wallbox"
    records = sim.requests.matching(path_contains=SIGNIN_PATH)
    assert [(r.status, r.account) for r in records] == [(200, EMAIL)]
    tokens = client.tokens
    assert tokens is not None
    assert tokens.user_id == str(USER_ID)
    # ttl arrives in epoch milliseconds: the client keeps seconds.
    assert tokens.expires_at == pytest.approx(
        sim.clock.now() + sim.wallbox.settings.token_lifetime, abs=5
    )
    assert tokens.refresh_expires_at == pytest.approx(
        sim.clock.now() + sim.wallbox.settings.refresh_lifetime, abs=5
    )
    assert stored_tokens == [tokens]


async def test_simulator_refuses_sign_in_without_partner(
    session: aiohttp.ClientSession, base_url: str
) -> None:
    """The header check above matters: the cloud answers 400 without Partner."""
    async with session.get(
        f"{base_url}/users/signin",
        headers={"Authorization": aiohttp.encode_basic_auth(EMAIL, PASSWORD)},
    ) as response:
        assert response.status == 400


@pytest.mark.parametrize(
    ("email", "password"),
    [(EMAIL, "wrong password"), ("stranger@example.com", PASSWORD), (EMAIL, "")],
)
async def test_refused_credentials(
    session: aiohttp.ClientSession,
    base_url: str,
    sim: Simulator,
    email: str,
    password: str,
) -> None:
    """A wrong password or an unknown email is an authentication error, and nothing is stored."""
    stored: list[WallboxTokens] = []
    client = WallboxCloud(
        WallboxClient(session, email, password, base_url=base_url, on_tokens=stored.append)
    )

    with pytest.raises(AuthenticationError):
        await client.async_authenticate()

    assert client.tokens is None
    assert stored == []
    assert count(sim, SIGNIN_PATH, status=403) == 1


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (Fault(status=500), CloudConnectionError),
        (Fault(status=503), CloudConnectionError),
        (Fault(status=429), RateLimitedError),
        (Fault(status=401), AuthenticationError),
        (Fault(status=400), AuthenticationError),
        # No sign-in at that URL, or a web page answering: not the API, not the password.
        (Fault(status=404), WrongServerError),
        (Fault(status=418), UnexpectedResponseError),
        (Fault(malformed=True), WrongServerError),
        (Fault(malformed=True, body='{"data": {"attributes": {}}}'), UnexpectedResponseError),
    ],
)
async def test_sign_in_failures(
    client: WallboxCloud, sim: Simulator, fault: Fault, error: type[ChargerCloudError]
) -> None:
    """A cloud outage is not a credentials problem (no reauth on a 5xx or a broken body)."""
    fault.path = SIGNIN_PATH
    sim.wallbox.faults.add(fault)

    with pytest.raises(error) as caught:
        await client.async_authenticate()

    assert type(caught.value) is error
    assert client.tokens is None


async def test_data_requests_carry_the_token(
    client: WallboxCloud, base_url: str, sent: list[Sent], idle_id: int
) -> None:
    """Data calls send the access token as Bearer, JSON Accept and a User-Agent."""
    await client.async_get_device(str(idle_id))

    assert client.tokens is not None
    assert [s.url for s in sent] == [
        f"{base_url}/users/signin",
        f"{base_url}/chargers/status/{idle_id}",
    ]
    headers = sent[1].headers
    assert headers["Authorization"] == f"Bearer {client.tokens.token}"
    assert headers["Accept"] == "application/json"
    assert headers["User-Agent"].startswith("HomeAssistant")


async def test_second_call_reuses_the_token(
    client: WallboxCloud, sim: Simulator, idle_id: int, stored_tokens: list[WallboxTokens]
) -> None:
    """One sign-in serves many calls."""
    await client.async_authenticate()
    await client.async_get_device(str(idle_id))
    await client.async_get_device(str(idle_id))
    await client.async_discover()

    assert count(sim, SIGNIN_PATH) == 1
    assert count(sim, REFRESH_PATH) == 0
    assert count(sim, STATUS_PATH, status=200) == 2
    assert len(stored_tokens) == 1


async def test_concurrent_first_calls_sign_in_once(
    client: WallboxCloud, sim: Simulator, idle_id: int, charging_id: int
) -> None:
    """Calls racing for the first token share one sign-in."""
    first, second, account = await asyncio.gather(
        client.async_get_device(str(idle_id)),
        client.async_get_device(str(charging_id)),
        client.async_authenticate(),
    )

    assert (first.device_id, second.device_id) == (str(idle_id), str(charging_id))
    assert account.unique_id == str(USER_ID)
    assert count(sim, SIGNIN_PATH) == 1


async def test_expired_token_is_refreshed(
    client: WallboxCloud,
    sim: Simulator,
    idle_id: int,
    base_url: str,
    sent: list[Sent],
    stored_tokens: list[WallboxTokens],
) -> None:
    """After the token's lifetime the refresh token buys a new pair; no second sign-in."""
    await client.async_authenticate()
    first = client.tokens
    assert first is not None
    sim.clock.advance(sim.wallbox.settings.token_lifetime)

    charger = await client.async_get_device(str(idle_id))

    assert connector_of(charger).status is ChargerStatus.READY
    assert count(sim, SIGNIN_PATH) == 1
    assert count(sim, REFRESH_PATH, status=200) == 1
    # Renewed before use: the cloud never saw the expired token.
    assert count(sim, STATUS_PATH, status=401) == 0
    refresh = sent[1]
    assert refresh.url == f"{base_url}/users/refresh-token"
    assert refresh.headers["Authorization"] == f"Bearer {first.refresh_token}"
    assert refresh.headers["Partner"] == "wallbox"
    renewed = client.tokens
    assert renewed is not None
    assert renewed.token != first.token
    assert renewed.refresh_token != first.refresh_token
    assert renewed.expires_at > first.expires_at
    assert sent[2].headers["Authorization"] == f"Bearer {renewed.token}"
    assert stored_tokens == [first, renewed]


async def test_token_is_renewed_shortly_before_it_expires(
    client: WallboxCloud, sim: Simulator, idle_id: int
) -> None:
    """Within EXPIRY_MARGIN of the expiry the client refreshes, while the cloud still accepts it."""
    await client.async_authenticate()
    first = client.tokens
    assert first is not None
    lifetime = sim.wallbox.settings.token_lifetime

    sim.clock.advance(lifetime - EXPIRY_MARGIN - 5)
    await client.async_get_device(str(idle_id))
    assert count(sim, REFRESH_PATH) == 0

    sim.clock.advance(10)
    await client.async_get_device(str(idle_id))
    assert count(sim, REFRESH_PATH, status=200) == 1
    assert count(sim, SIGNIN_PATH) == 1
    assert count(sim, STATUS_PATH, status=401) == 0
    # The old token was still good at the cloud: the renewal came early, not late.
    assert sim.wallbox.authenticate(first.token).email == EMAIL


async def test_both_tokens_expired_signs_in_again(
    client: WallboxCloud, sim: Simulator, idle_id: int, stored_tokens: list[WallboxTokens]
) -> None:
    """With the refresh token expired too there is no point in trying it."""
    await client.async_authenticate()
    first = client.tokens
    sim.clock.advance(sim.wallbox.settings.refresh_lifetime)

    await client.async_get_device(str(idle_id))

    assert count(sim, SIGNIN_PATH, status=200) == 2
    assert count(sim, REFRESH_PATH) == 0
    assert count(sim, STATUS_PATH, status=401) == 0
    assert len(stored_tokens) == 2
    assert stored_tokens[1] == client.tokens != first


async def test_refused_refresh_token_falls_back_to_sign_in(
    client: WallboxCloud, sim: Simulator, idle_id: int, stored_tokens: list[WallboxTokens]
) -> None:
    """A refresh token the cloud no longer knows is replaced by a sign-in."""
    await client.async_authenticate()
    sim.clock.advance(sim.wallbox.settings.token_lifetime)
    sim.wallbox.revoke_tokens(EMAIL)

    charger = await client.async_get_device(str(idle_id))

    assert charger.device_id == str(idle_id)
    assert count(sim, REFRESH_PATH, status=401) == 1
    assert count(sim, SIGNIN_PATH, status=200) == 2
    assert count(sim, STATUS_PATH, status=200) == 1
    assert len(stored_tokens) == 2


async def test_refresh_outage_is_not_hidden_by_a_sign_in(
    client: WallboxCloud, sim: Simulator, idle_id: int
) -> None:
    """A 5xx on refresh is a connection problem; signing in would spend a login session."""
    await client.async_authenticate()
    sim.clock.advance(sim.wallbox.settings.token_lifetime)
    sim.wallbox.faults.add(Fault(status=502, path=REFRESH_PATH))

    with pytest.raises(CloudConnectionError):
        await client.async_get_device(str(idle_id))

    assert count(sim, SIGNIN_PATH) == 1
    assert count(sim, STATUS_PATH) == 0


async def test_401_renews_the_token_and_retries_once(
    client: WallboxCloud, sim: Simulator, idle_id: int, stored_tokens: list[WallboxTokens]
) -> None:
    """Tokens revoked at the cloud: the refused call is repeated with new ones."""
    await client.async_authenticate()
    first = client.tokens
    sim.wallbox.revoke_tokens(EMAIL)

    charger = await client.async_get_device(str(idle_id))

    assert connector_of(charger).status is ChargerStatus.READY
    assert count(sim, STATUS_PATH, status=401) == 1
    assert count(sim, STATUS_PATH, status=200) == 1
    # The revoked refresh token is tried first, then a sign-in.
    assert count(sim, REFRESH_PATH, status=401) == 1
    assert count(sim, SIGNIN_PATH, status=200) == 2
    assert client.tokens is not None
    assert client.tokens != first
    assert stored_tokens[-1] == client.tokens


async def test_concurrent_401s_renew_once(
    client: WallboxCloud, sim: Simulator, idle_id: int, charging_id: int
) -> None:
    """Two calls refused at the same time share one renewal."""
    await client.async_authenticate()
    sim.wallbox.revoke_tokens(EMAIL)

    first, second = await asyncio.gather(
        client.async_get_device(str(idle_id)), client.async_get_device(str(charging_id))
    )

    assert (connector_of(first).status, connector_of(second).status) == (
        ChargerStatus.READY,
        ChargerStatus.CHARGING,
    )
    assert count(sim, STATUS_PATH, status=401) == 2
    assert count(sim, STATUS_PATH, status=200) == 2
    assert count(sim, REFRESH_PATH) == 1
    assert count(sim, SIGNIN_PATH, status=200) == 2


async def test_401_after_renewal_is_a_rejected_token(
    client: WallboxCloud, sim: Simulator, idle_id: int
) -> None:
    """A token refused twice is not retried forever; the credentials are good (no reauth)."""
    await client.async_authenticate()
    sim.wallbox.faults.add(Fault(status=401, path=STATUS_PATH))

    with pytest.raises(TokenRejectedError):
        await client.async_get_device(str(idle_id))

    assert count(sim, STATUS_PATH, status=401) == 2
    assert count(sim, REFRESH_PATH, status=200) == 1
    assert count(sim, SIGNIN_PATH) == 1


async def test_cloud_clock_ahead_of_the_client(
    session: aiohttp.ClientSession, base_url: str, sim: Simulator, idle_id: int
) -> None:
    """If the client believes a token valid that the cloud has expired, the 401 path recovers."""
    client = WallboxCloud(WallboxClient(session, EMAIL, PASSWORD, base_url=base_url))
    await client.async_authenticate()
    sim.clock.advance(sim.wallbox.settings.token_lifetime)  # the client's clock stays put

    charger = await client.async_get_device(str(idle_id))

    assert charger.device_id == str(idle_id)
    assert count(sim, STATUS_PATH, status=401) == 1
    assert count(sim, REFRESH_PATH, status=200) == 1
    assert count(sim, SIGNIN_PATH) == 1


async def test_tokens_from_the_constructor_are_used(
    session: aiohttp.ClientSession,
    base_url: str,
    sim: Simulator,
    shared_clock: None,
    idle_id: int,
    sent: list[Sent],
) -> None:
    """Stored tokens survive a restart: no sign-in at all."""
    tokens = grant_tokens(sim)
    stored: list[WallboxTokens] = []
    client = WallboxCloud(
        WallboxClient(
            session, EMAIL, PASSWORD, base_url=base_url, tokens=tokens, on_tokens=stored.append
        )
    )

    account = await client.async_authenticate()
    charger = await client.async_get_device(str(idle_id))

    assert account == Account(unique_id=str(USER_ID), title=EMAIL)
    assert charger.device_id == str(idle_id)
    assert count(sim, SIGNIN_PATH) == 0
    assert count(sim, REFRESH_PATH) == 0
    assert [s.headers["Authorization"] for s in sent] == [f"Bearer {tokens.token}"]
    assert client.tokens is tokens
    assert stored == []


async def test_expired_tokens_from_the_constructor_are_refreshed(
    session: aiohttp.ClientSession,
    base_url: str,
    sim: Simulator,
    shared_clock: None,
    idle_id: int,
) -> None:
    """Stored tokens whose access token expired during a long restart are refreshed."""
    tokens = grant_tokens(sim)
    sim.clock.advance(sim.wallbox.settings.token_lifetime + 1)
    stored: list[WallboxTokens] = []
    client = WallboxCloud(
        WallboxClient(
            session, EMAIL, PASSWORD, base_url=base_url, tokens=tokens, on_tokens=stored.append
        )
    )

    await client.async_get_device(str(idle_id))

    assert count(sim, SIGNIN_PATH) == 0
    assert count(sim, REFRESH_PATH, status=200) == 1
    assert len(stored) == 1
    assert stored[0] == client.tokens
    assert stored[0].token != tokens.token
