"""The Wallbox client over HTTP against the simulated cloud on 127.0.0.1."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import time as time_of_day
import json
import socket
import time
from types import SimpleNamespace
from typing import Any, cast

import aiohttp
import pytest

from custom_components.ev_charger_cloud.api.base import ChargerCloudClient
from custom_components.ev_charger_cloud.api.errors import (
    AuthenticationError,
    ChargerCloudError,
    ChargerNotFoundError,
    CloudConnectionError,
    CommandNotSupportedError,
    CommandRejectedError,
    DeviceGoneError,
    NotPermittedError,
    RateLimitedError,
    TokenRejectedError,
    UnexpectedResponseError,
    WrongServerError,
)
from custom_components.ev_charger_cloud.api.http import Response
from custom_components.ev_charger_cloud.api.models import (
    Account,
    Charger,
    ChargerStatus,
    Connector,
    DeviceKind,
    DeviceRef,
    EcoSmartMode,
    Feature,
    Provider,
    Target,
)
from custom_components.ev_charger_cloud.api.wallbox import auth as wallbox_auth
from custom_components.ev_charger_cloud.api.wallbox.auth import EXPIRY_MARGIN, WallboxTokens
from custom_components.ev_charger_cloud.api.wallbox.cloud import WallboxCloud
from simulator import Simulator
from simulator.faults import Fault
from simulator.testing import SimulatorServer
from simulator.wallbox.model import Car, EcoSmartMode as SimEcoSmartMode, Status
from tests.paths import FIXTURES

EMAIL = "owner@example.com"
PASSWORD = "s3cret pa55word"
USER_ID = 777001
SEED = FIXTURES / "wallbox_status_seed.json"
STATUS_PATH = "/wallbox/chargers/status/"
SIGNIN_PATH = "/wallbox/users/signin"
REFRESH_PATH = "/wallbox/users/refresh-token"
ACTION_PATH = "/remote-action"


@dataclass(frozen=True, slots=True)
class Sent:
    """One request as it left the client, headers included."""

    method: str
    url: str
    headers: dict[str, str]


# --- fixtures -----------------------------------------------------------------------


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
    return WallboxCloud(session, EMAIL, PASSWORD, base_url=base_url, on_tokens=stored_tokens.append)


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


def connector_of(charger: Charger) -> Connector:
    """The session values of a Wallbox: it is a charger with one connector, "1"."""
    assert [c.connector_id for c in charger.connectors] == ["1"]
    return charger.connectors[0]


def count(
    sim: Simulator, path: str, *, method: str | None = None, status: int | None = None
) -> int:
    """Requests the cloud received whose path contains `path`."""
    return sim.requests.count(provider="wallbox", path_contains=path, method=method, status=status)


def grant_tokens(sim: Simulator) -> WallboxTokens:
    """Tokens signed in directly at the cloud, outside the HTTP API and its log."""
    grant = sim.wallbox.sign_in(EMAIL, PASSWORD)
    return WallboxTokens(
        token=grant.token,
        expires_at=grant.ttl_ms / 1000,
        refresh_token=grant.refresh_token,
        refresh_expires_at=grant.refresh_ttl_ms / 1000,
        user_id=str(grant.user_id),
    )


# --- sign-in and tokens -------------------------------------------------------------


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
    client = WallboxCloud(session, email, password, base_url=base_url, on_tokens=stored.append)

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
    client = WallboxCloud(session, EMAIL, PASSWORD, base_url=base_url)
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
        session, EMAIL, PASSWORD, base_url=base_url, tokens=tokens, on_tokens=stored.append
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
        session, EMAIL, PASSWORD, base_url=base_url, tokens=tokens, on_tokens=stored.append
    )

    await client.async_get_device(str(idle_id))

    assert count(sim, SIGNIN_PATH) == 0
    assert count(sim, REFRESH_PATH, status=200) == 1
    assert len(stored) == 1
    assert stored[0] == client.tokens
    assert stored[0].token != tokens.token


# --- discovery and reading ------------------------------------------------------------


async def test_discovery_lists_the_chargers(
    client: WallboxCloud, sim: Simulator, idle_id: int, charging_id: int
) -> None:
    """Every charger of the account's groups, by id and name."""
    sim.wallbox.add_account("other@example.com", "pw")
    sim.wallbox.add_charger("other@example.com", name="Not mine")

    refs = await client.async_discover()

    assert refs == [
        DeviceRef(device_id=str(idle_id), name="Office", kind=DeviceKind.CHARGER),
        DeviceRef(device_id=str(charging_id), name="Garage", kind=DeviceKind.CHARGER),
    ]
    assert count(sim, "/v3/chargers/groups", status=200) == 1


async def test_discovery_of_an_empty_account(client: WallboxCloud) -> None:
    """No chargers, no refs."""
    assert await client.async_discover() == []


@pytest.mark.parametrize(
    "body",
    [
        '{"result": null}',
        '{"groups": []}',
        '{"result": {"groups": [{"chargers": [{"name": "no id"}]}]}}',
        "[]",
    ],
)
async def test_discovery_answer_of_another_shape(
    client: WallboxCloud, sim: Simulator, body: str
) -> None:
    """A groups answer the client cannot read is an unexpected response."""
    await client.async_authenticate()
    sim.wallbox.faults.add(Fault(malformed=True, body=body, path="/v3/chargers/groups"))

    with pytest.raises(UnexpectedResponseError):
        await client.async_discover()


async def test_get_charger_reads_the_live_status(
    client: WallboxCloud, sim: Simulator, charging_id: int
) -> None:
    """A charging Pulsar Plus as the cloud reports it."""
    charger = await client.async_get_device(str(charging_id))

    assert charger.device_id == str(charging_id)
    assert charger.name == "Garage"
    assert charger.manufacturer == "Wallbox"
    assert charger.model == "Pulsar Plus"
    assert charger.serial_number == str(charging_id)
    assert charger.firmware_version == "5.17.59"
    assert charger.update_available is False
    assert connector_of(charger).status is ChargerStatus.CHARGING
    assert connector_of(charger).status_code == Status.CHARGING
    # 16 A on one phase at 230 V, below the car's 11 kW.
    assert connector_of(charger).charging_power == 3680.0
    assert charger.max_charging_current == 16.0
    assert charger.max_available_current == 32.0
    assert charger.min_charging_current == 6.0
    assert charger.locked is False
    assert charger.energy_price == 0.24
    assert charger.currency == "EUR"
    assert charger.icp_max_current == 40.0
    assert charger.eco_smart is EcoSmartMode.OFF
    assert connector_of(charger).state_of_charge == 40.0
    assert {Feature.ECO_SMART, Feature.ICP_MAX_CURRENT} <= charger.features
    assert connector_of(charger).charging_enabled is True


async def test_session_counters_follow_the_cloud(
    client: WallboxCloud, sim: Simulator, charging_id: int
) -> None:
    """Ten minutes at 3.68 kW: energy, time, range and state of charge grow."""
    sim.clock.advance(600)

    charger = await client.async_get_device(str(charging_id))

    assert connector_of(charger).session_energy == pytest.approx(3.68 * 600 / 3600, abs=0.005)
    assert connector_of(charger).session_grid_energy == pytest.approx(
        connector_of(charger).session_energy, abs=0.001
    )
    assert connector_of(charger).session_green_energy == 0.0
    assert connector_of(charger).charging_time == pytest.approx(600, abs=2)
    assert connector_of(charger).added_range == 4.0
    assert connector_of(charger).state_of_charge == 41.0


async def test_charger_without_eco_smart(
    client: WallboxCloud, sim: Simulator, idle_id: int
) -> None:
    """A charger without Eco-Smart or power boost offers neither."""
    charger = await client.async_get_device(str(idle_id))

    assert charger.eco_smart is None
    assert charger.icp_max_current == 0.0
    assert Feature.ECO_SMART not in charger.features
    assert Feature.ICP_MAX_CURRENT not in charger.features


async def test_unknown_charger(client: WallboxCloud, sim: Simulator, idle_id: int) -> None:
    """A charger id the account does not have, or another account's charger, is not found.

    Read, it is ChargerNotFoundError only (one 404 may be a glitch); commanded, it is
    DeviceGoneError, as a command to a device gone is for every cloud.
    """
    sim.wallbox.add_account("other@example.com", "pw")
    foreign = sim.wallbox.add_charger("other@example.com").id

    for device_id in ("999999", str(foreign)):
        with pytest.raises(ChargerNotFoundError) as read:
            await client.async_get_device(device_id)
        assert type(read.value) is ChargerNotFoundError
    with pytest.raises(DeviceGoneError):
        await client.async_set_locked(Target("999999"), True)
    with pytest.raises(DeviceGoneError):
        await client.async_restart(Target(str(foreign)))

    assert count(sim, "/999999", status=404) == 2
    assert count(sim, f"/{foreign}", status=404) == 2


async def test_diagnostics_keep_the_last_raw_status(client: WallboxCloud, sim: Simulator) -> None:
    """diagnostics() holds the status JSON exactly as the cloud sent it."""
    assert client.diagnostics() == {"status": {}}
    seed_text = SEED.read_text(encoding="utf-8")
    sim.wallbox.faults.add(
        Fault(malformed=True, body=seed_text, path="/chargers/status/9988552", times=1)
    )

    charger = await client.async_get_device("9988552")

    assert connector_of(charger).status is ChargerStatus.LOCKED_CAR_CONNECTED
    assert connector_of(charger).session_energy == 0.546
    assert client.diagnostics() == {"status": {"9988552": json.loads(seed_text)}}

    # A broken answer later does not replace the last good one.
    sim.wallbox.faults.add(Fault(malformed=True, body='{"status_id": 194}', path=STATUS_PATH))
    with pytest.raises(UnexpectedResponseError):
        await client.async_get_device("9988552")
    assert client.diagnostics() == {"status": {"9988552": json.loads(seed_text)}}


async def test_diagnostics_of_live_chargers(
    client: WallboxCloud, sim: Simulator, idle_id: int, charging_id: int
) -> None:
    """One entry per charger read, with what the cloud answered."""
    await client.async_get_device(str(idle_id))
    await client.async_get_device(str(charging_id))

    status = client.diagnostics()["status"]

    assert set(status) == {str(idle_id), str(charging_id)}
    assert status[str(idle_id)]["status_id"] == Status.READY
    assert status[str(charging_id)]["status_id"] == Status.CHARGING
    assert status[str(charging_id)]["config_data"]["serial_number"] == str(charging_id)


# --- commands -------------------------------------------------------------------------


async def test_pause_and_resume(client: WallboxCloud, sim: Simulator, charging_id: int) -> None:
    """Pause and resume change the charger; the answer does not tell the new state."""
    assert await client.async_set_charging(Target(str(charging_id), "1"), False) is None
    assert sim.wallbox.charger(charging_id).paused is True
    assert sim.wallbox.status_id(charging_id) == Status.PAUSED

    assert await client.async_set_charging(Target(str(charging_id), "1"), True) is None
    assert sim.wallbox.charger(charging_id).paused is False
    assert sim.wallbox.status_id(charging_id) == Status.CHARGING
    assert count(sim, ACTION_PATH, method="POST", status=200) == 2


async def test_pause_locked_charger_is_not_permitted(
    client: WallboxCloud, sim: Simulator, charging_id: int
) -> None:
    """The cloud answers 403 to pausing a locked charger."""
    sim.wallbox.set_locked(charging_id, True)

    with pytest.raises(NotPermittedError):
        await client.async_set_charging(Target(str(charging_id), "1"), False)

    assert sim.wallbox.charger(charging_id).paused is False
    assert count(sim, ACTION_PATH, status=403) == 1


async def test_resume_when_not_paused_is_rejected(
    client: WallboxCloud, sim: Simulator, charging_id: int
) -> None:
    """409 on resume of a charger that is not paused carries the cloud's reason."""
    with pytest.raises(CommandRejectedError, match="not paused"):
        await client.async_set_charging(Target(str(charging_id), "1"), True)


async def test_pause_without_a_session_is_rejected(
    client: WallboxCloud, sim: Simulator, idle_id: int
) -> None:
    """Nothing to pause without a car: 409."""
    with pytest.raises(CommandRejectedError, match="not charging"):
        await client.async_set_charging(Target(str(idle_id), "1"), False)


async def test_lock_and_unlock(client: WallboxCloud, sim: Simulator, charging_id: int) -> None:
    """Lock and unlock answer with the lock and the status the cloud reports."""
    before = await client.async_get_device(str(charging_id))

    locked = await client.async_set_locked(Target(str(charging_id)), True)

    # Locked, the charging stops: 0 W, not the power of the last reading.
    assert locked == replace(before, locked=True).with_connector(
        "1",
        status=ChargerStatus.LOCKED_CAR_CONNECTED,
        status_code=Status.LOCKED_CAR_CONNECTED,
        charging_power=0.0,
    )
    assert sim.wallbox.charger(charging_id).locked is True

    unlocked = await client.async_set_locked(Target(str(charging_id)), False)

    # Charging again: the power is unknown until a read (confirmed=False asks for one).
    assert unlocked == replace(before, confirmed=False).with_connector("1", charging_power=None)
    assert sim.wallbox.charger(charging_id).locked is False
    assert count(sim, "/v2/charger/", method="PUT", status=200) == 2


async def test_lock_before_any_reading_returns_none(
    client: WallboxCloud, sim: Simulator, idle_id: int
) -> None:
    """Without a reading to patch, the caller has to read the charger again."""
    assert await client.async_set_locked(Target(str(idle_id)), True) is None
    assert sim.wallbox.charger(idle_id).locked is True
    assert sim.wallbox.status_id(idle_id) == Status.LOCKED


@pytest.mark.parametrize(("asked", "sent_amps"), [(20, 20), (19.6, 20), (6.4, 6)])
async def test_set_max_charging_current(
    client: WallboxCloud, sim: Simulator, charging_id: int, asked: float, sent_amps: int
) -> None:
    """The current is sent in whole amps and the answer shows it."""
    before = await client.async_get_device(str(charging_id))

    charger = await client.async_set_max_charging_current(Target(str(charging_id)), asked)

    if sent_amps < before.max_charging_current:
        # A lower limit while charging: the power is unknown until the next read.
        before = replace(before, confirmed=False).with_connector("1", charging_power=None)
    assert charger == replace(before, max_charging_current=float(sent_amps))
    assert sim.wallbox.charger(charging_id).max_charging_current == sent_amps
    assert sim.wallbox.charging_power_kw(charging_id) == pytest.approx(sent_amps * 0.23)


async def test_max_charging_current_out_of_range(
    client: WallboxCloud, sim: Simulator, charging_id: int
) -> None:
    """400 from the cloud is a rejected command with its reason; nothing changes."""
    with pytest.raises(CommandRejectedError, match=r"6\.\.32"):
        await client.async_set_max_charging_current(Target(str(charging_id)), 40)

    assert sim.wallbox.charger(charging_id).max_charging_current == 16


async def test_set_energy_price(client: WallboxCloud, sim: Simulator, charging_id: int) -> None:
    """The price is rounded to three decimals and read back from the config answer."""
    before = await client.async_get_device(str(charging_id))

    charger = await client.async_set_energy_price(Target(str(charging_id)), 0.31249)

    assert charger == replace(before, energy_price=0.312)
    assert sim.wallbox.charger(charging_id).energy_price == 0.312


async def test_set_icp_max_current(client: WallboxCloud, sim: Simulator, charging_id: int) -> None:
    """The power-boost limit in whole amps, read back from the config answer."""
    before = await client.async_get_device(str(charging_id))

    charger = await client.async_set_icp_max_current(Target(str(charging_id)), 25.2)

    assert charger == replace(before, icp_max_current=25.0)
    assert sim.wallbox.charger(charging_id).icp_max_current == 25


async def test_icp_max_current_out_of_range(
    client: WallboxCloud, sim: Simulator, charging_id: int
) -> None:
    """The cloud accepts 1..255 A."""
    with pytest.raises(CommandRejectedError, match="icp_max_current"):
        await client.async_set_icp_max_current(Target(str(charging_id)), 300)

    assert sim.wallbox.charger(charging_id).icp_max_current == 40


@pytest.mark.parametrize(
    ("start", "mode", "enabled", "sim_mode"),
    [
        (False, EcoSmartMode.FULL_SOLAR, True, SimEcoSmartMode.FULL_GREEN),
        (False, EcoSmartMode.ECO_MODE, True, SimEcoSmartMode.ECO),
        (True, EcoSmartMode.OFF, False, SimEcoSmartMode.ECO),
    ],
)
async def test_set_eco_smart(
    client: WallboxCloud,
    sim: Simulator,
    charging_id: int,
    start: bool,
    mode: EcoSmartMode,
    enabled: bool,
    sim_mode: SimEcoSmartMode,
) -> None:
    """The mode is taken as set on a 2xx, the cloud has it and a new reading agrees."""
    eco = sim.wallbox.charger(charging_id).eco_smart
    assert eco is not None
    eco.enabled = start
    eco.mode = SimEcoSmartMode.FULL_GREEN if start else SimEcoSmartMode.ECO
    before = await client.async_get_device(str(charging_id))

    charger = await client.async_set_eco_smart(Target(str(charging_id)), mode)

    # Shown at once but marked for a confirming read: Wallbox answers with a status only.
    assert charger == replace(before, eco_smart=mode, confirmed=False)
    eco = sim.wallbox.charger(charging_id).eco_smart
    assert eco is not None
    assert (eco.enabled, eco.mode) == (enabled, sim_mode)
    assert (await client.async_get_device(str(charging_id))).eco_smart is mode


async def test_set_eco_smart_before_any_reading_returns_none(
    client: WallboxCloud, sim: Simulator, charging_id: int
) -> None:
    """Accepted, but there is no reading to patch."""
    assert (
        await client.async_set_eco_smart(Target(str(charging_id)), EcoSmartMode.FULL_SOLAR) is None
    )
    eco = sim.wallbox.charger(charging_id).eco_smart
    assert eco is not None
    assert eco.enabled is True


async def test_resume_schedule(client: WallboxCloud, sim: Simulator, charging_id: int) -> None:
    """Action 9 lifts a manual pause and, unlike resume, is accepted when not paused."""
    await client.async_set_charging(Target(str(charging_id), "1"), False)

    assert await client.async_resume_schedule(Target(str(charging_id))) is None

    assert sim.wallbox.charger(charging_id).paused is False
    assert sim.wallbox.status_id(charging_id) == Status.CHARGING
    assert await client.async_resume_schedule(Target(str(charging_id))) is None
    assert count(sim, ACTION_PATH, status=200) == 3


async def test_restart(client: WallboxCloud, sim: Simulator, charging_id: int) -> None:
    """The charger goes offline for the restart and comes back."""
    assert await client.async_restart(Target(str(charging_id))) is None

    restart_until = sim.wallbox.charger(charging_id).restart_until
    assert restart_until == pytest.approx(sim.clock.now() + 90, abs=2)
    charger = await client.async_get_device(str(charging_id))
    assert connector_of(charger).status is ChargerStatus.DISCONNECTED
    sim.clock.advance(91)
    charger = await client.async_get_device(str(charging_id))
    assert connector_of(charger).status is ChargerStatus.CHARGING


# --- errors ---------------------------------------------------------------------------


async def test_read_rate_limited_with_retry_after(
    client: WallboxCloud, sim: Simulator, idle_id: int
) -> None:
    """429 carries the cloud's Retry-After: one GET a minute leaves 60 s to wait."""
    sim.wallbox.settings.get_burst = 1
    await client.async_get_device(str(idle_id))

    with pytest.raises(RateLimitedError) as caught:
        await client.async_get_device(str(idle_id))

    assert caught.value.retry_after == 60.0
    assert count(sim, STATUS_PATH, status=429) == 1


async def test_write_rate_limited_with_retry_after(
    client: WallboxCloud, sim: Simulator, idle_id: int
) -> None:
    """Writes have their own budget: five a minute leave 12 s to wait."""
    settings = sim.wallbox.settings
    settings.write_burst = 1
    settings.write_per_minute = 5
    await client.async_set_locked(Target(str(idle_id)), True)

    with pytest.raises(RateLimitedError) as caught:
        await client.async_set_locked(Target(str(idle_id)), False)

    assert caught.value.retry_after == 12.0
    assert sim.wallbox.charger(idle_id).locked is True


async def test_rate_limited_without_retry_after(
    client: WallboxCloud, sim: Simulator, idle_id: int
) -> None:
    """Without the header the client does not invent a wait."""
    sim.wallbox.settings.get_burst = 1
    sim.wallbox.settings.send_retry_after = False
    await client.async_get_device(str(idle_id))

    with pytest.raises(RateLimitedError) as caught:
        await client.async_get_device(str(idle_id))

    assert caught.value.retry_after is None


async def test_403_on_a_read_is_rate_limiting(
    client: WallboxCloud, sim: Simulator, idle_id: int
) -> None:
    """Wallbox answers 403 to reads when polled too often: back off, do not reauthenticate."""
    await client.async_authenticate()
    sim.wallbox.faults.add(Fault(status=403, method="GET"))

    with pytest.raises(RateLimitedError) as caught:
        await client.async_get_device(str(idle_id))
    with pytest.raises(RateLimitedError):
        await client.async_discover()

    assert caught.value.retry_after is None
    assert count(sim, SIGNIN_PATH) == 1
    assert count(sim, REFRESH_PATH) == 0


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, CommandRejectedError),
        (403, NotPermittedError),
        (404, DeviceGoneError),
        (409, CommandRejectedError),
        (422, CommandRejectedError),
        (418, UnexpectedResponseError),
        (429, RateLimitedError),
        (500, CloudConnectionError),
        (502, CloudConnectionError),
        (503, CloudConnectionError),
    ],
)
async def test_write_errors(
    client: WallboxCloud,
    sim: Simulator,
    idle_id: int,
    status: int,
    error: type[ChargerCloudError],
) -> None:
    """Each HTTP status of a write becomes its typed error."""
    sim.wallbox.faults.add(Fault(status=status, method="PUT", path="/v2/charger/"))

    with pytest.raises(error) as caught:
        await client.async_set_locked(Target(str(idle_id)), True)

    assert type(caught.value) is error
    assert sim.wallbox.charger(idle_id).locked is False


@pytest.mark.parametrize(
    "body", ["{}", "[]", '{"errors": []}', '{"errors": [{"status": 409}]}', '{"errors": "busy"}']
)
async def test_rejected_command_without_an_error_title(
    client: WallboxCloud, sim: Simulator, idle_id: int, body: str
) -> None:
    """A 409 without a title in Wallbox's error list still names the status."""
    sim.wallbox.faults.add(Fault(status=409, malformed=True, body=body, path=ACTION_PATH))

    with pytest.raises(CommandRejectedError, match="HTTP 409"):
        await client.async_restart(Target(str(idle_id)))


@pytest.mark.parametrize(
    ("headers", "retry_after"),
    [
        ({"Retry-After": "120"}, 120.0),
        ({"Retry-After": "2.5"}, 2.5),
        ({"Retry-After": "-5"}, None),
        ({"Retry-After": "Wed, 21 Oct 2026 07:28:00 GMT"}, None),
        ({}, None),
    ],
)
def test_retry_after_header(headers: dict[str, str], retry_after: float | None) -> None:
    """Seconds are read, negative ones and anything else are no hint."""
    assert Response(429, headers, None).retry_after == retry_after


async def test_server_error_on_a_read(client: WallboxCloud, sim: Simulator, idle_id: int) -> None:
    """A 500 is a connection problem."""
    sim.wallbox.faults.add(Fault(status=500, path=STATUS_PATH))

    with pytest.raises(CloudConnectionError):
        await client.async_get_device(str(idle_id))


async def test_slow_answer_times_out(
    session: aiohttp.ClientSession, base_url: str, sim: Simulator, idle_id: int
) -> None:
    """An answer slower than the client's timeout is a connection error, and quickly."""
    client = WallboxCloud(session, EMAIL, PASSWORD, base_url=base_url, timeout=0.2)
    await client.async_authenticate()
    sim.wallbox.faults.add(Fault(delay=1, path=STATUS_PATH))

    started = time.monotonic()
    with pytest.raises(CloudConnectionError):
        await client.async_get_device(str(idle_id))

    assert time.monotonic() - started < 0.8


async def test_closed_port(session: aiohttp.ClientSession, socket_enabled: None) -> None:
    """Nobody listening is a connection error."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = WallboxCloud(session, EMAIL, PASSWORD, base_url=f"http://127.0.0.1:{port}/wallbox")

    with pytest.raises(CloudConnectionError):
        await client.async_authenticate()


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (Fault(malformed=True), UnexpectedResponseError),
        (Fault(malformed=True, body=""), UnexpectedResponseError),
        (Fault(malformed=True, body='{"status_id": 194}'), UnexpectedResponseError),
        (Fault(malformed=True, status=502), CloudConnectionError),
    ],
)
async def test_malformed_status_answer(
    client: WallboxCloud,
    sim: Simulator,
    idle_id: int,
    fault: Fault,
    error: type[ChargerCloudError],
) -> None:
    """A body that is not a status is an unexpected response (a broken 5xx page stays a 5xx)."""
    await client.async_authenticate()
    fault.path = STATUS_PATH
    sim.wallbox.faults.add(fault)

    with pytest.raises(error):
        await client.async_get_device(str(idle_id))

    assert client.diagnostics() == {"status": {}}


@pytest.mark.parametrize(
    ("path", "method", "body", "command", "value"),
    [
        ("/v2/charger/", "PUT", '{"data": {}}', "async_set_locked", True),
        (
            "/v2/charger/",
            "PUT",
            '{"data": {"chargerData": {"status": "x"}}}',
            "async_set_max_charging_current",
            10,
        ),
        ("/chargers/config/", "POST", "{}", "async_set_energy_price", 0.3),
        ("/chargers/config/", "POST", "[0.3]", "async_set_energy_price", 0.3),
        ("/chargers/config/", "POST", '{"energy_price": "cheap"}', "async_set_icp_max_current", 20),
    ],
)
async def test_write_answer_of_another_shape(
    client: WallboxCloud,
    sim: Simulator,
    idle_id: int,
    path: str,
    method: str,
    body: str,
    command: str,
    value: Any,
) -> None:
    """A 2xx write answer without the fields the client reads back confirms nothing: None."""
    await client.async_get_device(str(idle_id))
    sim.wallbox.faults.add(Fault(malformed=True, body=body, path=path, method=method))

    assert await getattr(client, command)(Target(str(idle_id)), value) is None


# --- default hosts --------------------------------------------------------------------


class _FakeResponse:
    """Just what JsonHttp reads of an aiohttp response."""

    def __init__(self, body: Any) -> None:
        self.status = 200
        self.headers: dict[str, str] = {}
        self._text = json.dumps(body)

    async def __aenter__(self) -> _FakeResponse:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        return None

    async def text(self, errors: str = "strict") -> str:
        return self._text


class _FakeSession:
    """Answers by URL and records where requests went; no network involved."""

    def __init__(self, answers: dict[str, Any]) -> None:
        self.answers = answers
        self.calls: list[tuple[str, str]] = []

    def request(self, method: str, url: object, **_kwargs: Any) -> _FakeResponse:
        self.calls.append((method, str(url)))
        return _FakeResponse(self.answers[str(url)])


def _token_answer(user_id: int) -> dict[str, Any]:
    later_ms = round((time.time() + 3600) * 1000)
    return {
        "data": {
            "attributes": {
                "token": "access",
                "ttl": later_ms,
                "refresh_token": "refresh",
                "refresh_token_ttl": later_ms,
                "user_id": user_id,
            }
        }
    }


async def test_default_hosts() -> None:
    """Without a base URL, sign-in goes to user-api.wall-box.com and data to api.wall-box.com."""
    seed = json.loads(SEED.read_text(encoding="utf-8"))
    fake = _FakeSession(
        {
            "https://user-api.wall-box.com/users/signin": _token_answer(286113),
            "https://api.wall-box.com/chargers/status/9988552": seed,
        }
    )
    client = WallboxCloud(cast("aiohttp.ClientSession", fake), EMAIL, PASSWORD)

    account = await client.async_authenticate()
    charger = await client.async_get_device("9988552")

    assert account.unique_id == "286113"
    assert charger.serial_number == "9988552"
    assert fake.calls == [
        ("GET", "https://user-api.wall-box.com/users/signin"),
        ("GET", "https://api.wall-box.com/chargers/status/9988552"),
    ]


async def test_default_host_of_the_refresh() -> None:
    """Refreshing also goes to user-api.wall-box.com."""
    now = time.time()
    fake = _FakeSession({"https://user-api.wall-box.com/users/refresh-token": _token_answer(1)})
    tokens = WallboxTokens(
        token="old",
        expires_at=now - 1,
        refresh_token="r",
        refresh_expires_at=now + 3600,
        user_id="1",
    )
    client = WallboxCloud(cast("aiohttp.ClientSession", fake), EMAIL, PASSWORD, tokens=tokens)

    await client.async_authenticate()

    assert fake.calls == [("GET", "https://user-api.wall-box.com/users/refresh-token")]


@pytest.mark.parametrize("base", ["https://sim.test/wallbox", "https://sim.test/wallbox/"])
async def test_base_url_with_or_without_slash(base: str) -> None:
    """A base URL serves both sign-in and data, whether or not it ends in a slash."""
    fake = _FakeSession(
        {
            "https://sim.test/wallbox/users/signin": _token_answer(1),
            "https://sim.test/wallbox/v3/chargers/groups": {"result": {"groups": []}},
        }
    )
    client = WallboxCloud(cast("aiohttp.ClientSession", fake), EMAIL, PASSWORD, base_url=base)

    assert await client.async_discover() == []
    assert [url for _, url in fake.calls] == [
        "https://sim.test/wallbox/users/signin",
        "https://sim.test/wallbox/v3/chargers/groups",
    ]


def test_poll_plan_keeps_within_the_budget() -> None:
    """About one GET a minute per account: one charger per poll, polls at least 60 s apart."""
    plan = WallboxCloud.poll_plan

    assert WallboxCloud.provider is Provider.WALLBOX
    assert plan.devices_per_poll == 1
    assert plan.min_spacing.total_seconds() >= 60
    assert plan.interval >= plan.min_spacing
    # Regular reads stay below the cloud's refill, leaving room for the rest.
    assert plan.cloud_reads_per_minute == 1.0
    assert 3600 / plan.interval.total_seconds() < 60 * plan.cloud_reads_per_minute
    assert plan.burst <= plan.burst_max


# --- the base class -------------------------------------------------------------------


class _ReadOnlyClient(ChargerCloudClient):
    """A provider that can only read."""

    provider = Provider.WALLBOX

    async def async_authenticate(self) -> Account:
        return Account(unique_id="1", title="read only")

    async def async_discover(self) -> list[DeviceRef]:
        return []

    async def async_get_device(self, device_id: str) -> Charger:
        return Charger(device_id=device_id, name="x", manufacturer="y")

    def diagnostics(self) -> dict[str, Any]:
        return {}


@pytest.mark.parametrize(
    ("command", "args", "feature"),
    [
        ("async_set_charging", (True,), Feature.PAUSE_RESUME),
        ("async_set_locked", (True,), Feature.LOCK),
        ("async_set_max_charging_current", (16,), Feature.MAX_CHARGING_CURRENT),
        ("async_set_energy_price", (0.3,), Feature.ENERGY_PRICE),
        ("async_set_icp_max_current", (20,), Feature.ICP_MAX_CURRENT),
        ("async_set_eco_smart", (EcoSmartMode.OFF,), Feature.ECO_SMART),
        ("async_resume_schedule", (), Feature.RESUME_SCHEDULE),
        ("async_restart", (), Feature.RESTART),
        ("async_install_update", (), Feature.FIRMWARE),
        ("async_set_smart_optimization", (True,), Feature.SMART_OPTIMIZATION),
        ("async_set_charge_policy", (True,), Feature.CHARGE_POLICY),
        ("async_set_minimum_charge_limit", (80,), Feature.CHARGE_LIMIT),
        ("async_set_charge_deadline", (time_of_day(7, 0),), Feature.CHARGE_DEADLINE),
        ("async_boost", (), Feature.BOOST),
        ("async_cancel_boost", (), Feature.BOOST),
    ],
)
async def test_commands_a_provider_does_not_offer(
    command: str, args: tuple[Any, ...], feature: Feature
) -> None:
    """Commands not overridden raise CommandNotSupportedError naming the feature."""
    client = _ReadOnlyClient()

    with pytest.raises(CommandNotSupportedError) as caught:
        await getattr(client, command)(Target("1", "1"), *args)

    assert str(caught.value) == feature.value
    assert (await client.async_get_device("1")).device_id == "1"
