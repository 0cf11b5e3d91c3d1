"""How the Thor client maps statuses and message names onto the typed errors.

Thor documents a status and a message name per error but not the body's
format: the status decides first, then the name, found in JSON or plain text.
The simulator answers `{"message": name}`; injected faults try the other shapes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
import socket
import time

import aiohttp
import pytest

from custom_components.ev_charger_cloud.api.errors import (
    AuthenticationError,
    ChargerCloudError,
    ChargeRefusalReason,
    ChargeRefusedError,
    CloudConnectionError,
    CommandRejectedError,
    DeviceGoneError,
    NotPermittedError,
    RateLimitedError,
    ServiceDisabledError,
    ServiceDisabledReason,
    UnexpectedResponseError,
)
from custom_components.ev_charger_cloud.api.thor.client import ThorClient
from simulator import Simulator
from simulator.faults import Fault
from tests.thor_helpers import API_KEY

pytest_plugins = ["tests.thor_fixtures"]

MISSING = "CB-MISSING"


# --- 403: a wrong key, or a dashboard setting -----------------------------------------


async def test_unknown_key(thor_session: aiohttp.ClientSession, thor_url: str) -> None:
    """403 APIKeyNotFound: the key is wrong, a reauthentication fixes it."""
    client = ThorClient(thor_session, "not-the-key", base_url=thor_url)
    with pytest.raises(AuthenticationError) as caught:
        await client.async_get_chargeboxes()
    assert not isinstance(caught.value, NotPermittedError)


async def test_rest_api_disabled(thor_sim: Simulator, thor_client: ThorClient) -> None:
    """403 RestAPINotEnabled: the key is fine; the dashboard must enable the API."""
    thor_sim.thor.set_rest_api_enabled(API_KEY, False)
    with pytest.raises(ServiceDisabledError) as caught:
        await thor_client.async_get_chargeboxes()
    assert caught.value.reason is ServiceDisabledReason.REST_API_DISABLED
    assert isinstance(caught.value, NotPermittedError)
    assert not isinstance(caught.value, AuthenticationError)


async def test_source_ip_not_allowed(thor_sim: Simulator, thor_client: ThorClient) -> None:
    """403 InvalidSourceIPAddr: this address is not the dashboard's allowed one."""
    thor_sim.thor.set_source_ip(API_KEY, "203.0.113.9")
    with pytest.raises(ServiceDisabledError) as caught:
        await thor_client.async_get_running_charges()
    assert caught.value.reason is ServiceDisabledReason.IP_NOT_ALLOWED


@pytest.mark.parametrize(
    ("body", "error", "reason"),
    [
        ("RestAPINotEnabled", ServiceDisabledError, ServiceDisabledReason.REST_API_DISABLED),
        (
            '{"error": "InvalidSourceIPAddr"}',
            ServiceDisabledError,
            ServiceDisabledReason.IP_NOT_ALLOWED,
        ),
        (
            '{"error": {"message": "RestAPINotEnabled"}}',
            ServiceDisabledError,
            ServiceDisabledReason.REST_API_DISABLED,
        ),
        ('"InvalidSourceIPAddr"', ServiceDisabledError, ServiceDisabledReason.IP_NOT_ALLOWED),
        ("Error: APIKeyNotFound", AuthenticationError, None),
        ("", AuthenticationError, None),
        ("<html><h1>403 Forbidden</h1></html>", AuthenticationError, None),
        ('{"message": "AccountSuspended"}', NotPermittedError, None),
    ],
)
async def test_403_body_shapes(
    thor_sim: Simulator,
    thor_client: ThorClient,
    body: str,
    error: type[ChargerCloudError],
    reason: ServiceDisabledReason | None,
) -> None:
    """The name is found in JSON (message/error, nested, a bare string) or plain text.

    No name at all is a wrong key; an undocumented name is not (no reauth loop).
    """
    thor_sim.thor.faults.add(Fault(status=403, malformed=True, body=body))
    with pytest.raises(error) as caught:
        await thor_client.async_get_chargeboxes()
    assert type(caught.value) is error
    if reason is not None:
        assert isinstance(caught.value, ServiceDisabledError)
        assert caught.value.reason is reason


async def test_401_is_a_wrong_key(thor_sim: Simulator, thor_client: ThorClient) -> None:
    """Not documented, but a 401 (a gateway) can only mean the credentials."""
    thor_sim.thor.faults.add(Fault(status=401))
    with pytest.raises(AuthenticationError):
        await thor_client.async_get_chargeboxes()


# --- 404: a chargebox that is gone ----------------------------------------------------


async def test_chargebox_gone(thor_sim: Simulator, thor_client: ThorClient) -> None:
    """404 ChargeboxNotFound on reads and commands: DeviceGoneError."""
    calls: list[Callable[[], Awaitable[object]]] = [
        lambda: thor_client.async_get_chargebox(MISSING),
        lambda: thor_client.async_start_charge(MISSING, 1),
        lambda: thor_client.async_stop_charge(MISSING, 1, "API1"),
    ]
    for call in calls:
        with pytest.raises(DeviceGoneError):
            await call()
    assert thor_sim.requests.count(provider="thor", status=404) == 3


async def test_404_without_a_chargebox(thor_sim: Simulator, thor_client: ThorClient) -> None:
    """A 404 on a list is a wrong URL, unless Thor names the chargebox."""
    thor_sim.thor.faults.add(Fault(status=404, path="/charges/running", times=1))
    with pytest.raises(UnexpectedResponseError, match="404"):
        await thor_client.async_get_running_charges()
    thor_sim.thor.faults.add(
        Fault(status=404, malformed=True, body="ChargeboxNotFound", path="/charges/running")
    )
    with pytest.raises(DeviceGoneError):
        await thor_client.async_get_running_charges()


# --- refused charges ----------------------------------------------------------------------


async def test_start_on_an_inactive_chargebox(thor_sim: Simulator, thor_client: ThorClient) -> None:
    """403 ChargeboxNotActive is a refused charge, not a wrong key."""
    box = thor_sim.thor.add_chargebox(API_KEY, active=False)
    with pytest.raises(ChargeRefusedError) as caught:
        await thor_client.async_start_charge(box.id, 1)
    assert caught.value.reason is ChargeRefusalReason.CHARGEBOX_NOT_ACTIVE
    assert caught.value.code == "ChargeboxNotActive"
    assert isinstance(caught.value, CommandRejectedError)


async def test_start_on_a_paid_chargebox(thor_sim: Simulator, thor_client: ThorClient) -> None:
    """402 ChargeboxNotFree: the API starts charges on Free chargeboxes only."""
    box = thor_sim.thor.add_chargebox(API_KEY, free=False)
    with pytest.raises(ChargeRefusedError) as caught:
        await thor_client.async_start_charge(box.id, 1)
    assert caught.value.reason is ChargeRefusalReason.CHARGEBOX_NOT_FREE


async def test_402_without_a_name(thor_sim: Simulator, thor_client: ThorClient) -> None:
    """402 is only documented as ChargeboxNotFree: that reason whatever the body says."""
    thor_sim.thor.faults.add(Fault(status=402, path="/charges/start"))
    with pytest.raises(ChargeRefusedError) as caught:
        await thor_client.async_start_charge("CB-1", 1)
    assert caught.value.reason is ChargeRefusalReason.CHARGEBOX_NOT_FREE


async def test_400_refusals(thor_sim: Simulator, thor_client: ThorClient) -> None:
    """400 ConnectorNotValid, AlreadyInTransaction, NotInTransaction, WrongTransaction."""
    cloud = thor_sim.thor
    box = cloud.add_chargebox(API_KEY, connectors=2)
    cloud.start_local(box.id, 1, "RFID1")
    cases: list[tuple[Callable[[], Awaitable[object]], ChargeRefusalReason]] = [
        (
            lambda: thor_client.async_start_charge(box.id, 3),
            ChargeRefusalReason.CONNECTOR_NOT_VALID,
        ),
        (
            lambda: thor_client.async_start_charge(box.id, 1),
            ChargeRefusalReason.ALREADY_IN_TRANSACTION,
        ),
        (
            lambda: thor_client.async_stop_charge(box.id, 2, "RFID1"),
            ChargeRefusalReason.NOT_IN_TRANSACTION,
        ),
        (
            lambda: thor_client.async_stop_charge(box.id, 1, "RFID1", 1),
            ChargeRefusalReason.WRONG_TRANSACTION,
        ),
    ]
    for call, reason in cases:
        with pytest.raises(ChargeRefusedError) as caught:
            await call()
        assert caught.value.reason is reason
    assert cloud.running_charge(box.id, 1) is not None


async def test_too_many_starts(thor_sim: Simulator, thor_client: ThorClient) -> None:
    """429 TooManyRequests on a start is a refused charge, with Thor's Retry-After."""
    box = thor_sim.thor.add_chargebox(API_KEY)
    thor_sim.thor.settings.start_limit = 1
    id_tag = await thor_client.async_start_charge(box.id, 1)
    await thor_client.async_stop_charge(box.id, 1, id_tag)
    with pytest.raises(ChargeRefusedError) as caught:
        await thor_client.async_start_charge(box.id, 1)
    assert caught.value.reason is ChargeRefusalReason.TOO_MANY_REQUESTS
    assert caught.value.retry_after is not None
    assert caught.value.retry_after > 0


async def test_undocumented_refusal_of_a_charge(
    thor_sim: Simulator, thor_client: ThorClient
) -> None:
    """A 400 with another name on a start or stop is a refused charge, reason unknown."""
    box = thor_sim.thor.add_chargebox(API_KEY)
    thor_sim.thor.faults.add(Fault(status=400, path="/charges/"))
    with pytest.raises(ChargeRefusedError, match="Injected fault") as caught:
        await thor_client.async_start_charge(box.id, 1)
    assert caught.value.reason is ChargeRefusalReason.UNKNOWN
    assert caught.value.code == "Injected fault"


@pytest.mark.parametrize(
    ("body", "message"), [('{"message": "BoundsTooBig"}', "BoundsTooBig"), ("", "HTTP 400")]
)
async def test_400_on_a_read(
    thor_sim: Simulator, thor_client: ThorClient, body: str, message: str
) -> None:
    """A 400 on a read is a rejected request (not a charge refusal)."""
    thor_sim.thor.faults.add(Fault(status=400, malformed=True, body=body, path="/reservations"))
    with pytest.raises(CommandRejectedError, match=message) as caught:
        await thor_client.async_get_reservations()
    assert not isinstance(caught.value, ChargeRefusedError)


# --- limits, server trouble, transport, payloads ------------------------------------------


async def test_rate_limited_read(thor_sim: Simulator, thor_client: ThorClient) -> None:
    """429 on a read is a RateLimitedError with the seconds to wait."""
    thor_sim.thor.settings.burst = 1
    thor_sim.thor.settings.requests_per_minute = 1
    await thor_client.async_get_chargeboxes()
    with pytest.raises(RateLimitedError) as caught:
        await thor_client.async_get_chargeboxes()
    assert caught.value.retry_after is not None
    assert caught.value.retry_after > 0


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (500, '{"message": "InternalServerError"}', "500: InternalServerError"),
        (502, None, "502"),
        (503, "", "503"),
    ],
)
async def test_server_errors(
    thor_sim: Simulator, thor_client: ThorClient, status: int, body: str | None, message: str
) -> None:
    """5xx (InternalServerError included) is the cloud's trouble: retry later."""
    thor_sim.thor.faults.add(Fault(status=status, malformed=True, body=body))
    with pytest.raises(CloudConnectionError, match=message):
        await thor_client.async_get_chargebox("CB-1")


async def test_unexpected_status(thor_sim: Simulator, thor_client: ThorClient) -> None:
    """A status Thor does not use is an UnexpectedResponseError."""
    thor_sim.thor.faults.add(Fault(status=418))
    with pytest.raises(UnexpectedResponseError, match="418"):
        await thor_client.async_get_reservations()


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/chargeboxes", None),
        ("/chargeboxes", '{"message": "ok"}'),
        ("/chargeboxes/", "[]"),
        ("/charges/running", '{"items": 5}'),
        ("/charges/finished", "null"),
        ("/reservations", '"none"'),
    ],
)
async def test_malformed_answers(
    thor_sim: Simulator, thor_client: ThorClient, path: str, body: str | None
) -> None:
    """A 200 whose body is not JSON or not the documented shape: UnexpectedResponseError."""
    box = thor_sim.thor.add_chargebox(API_KEY)
    thor_sim.thor.faults.add(Fault(malformed=True, body=body, path=path))
    calls: dict[str, Callable[[], Awaitable[object]]] = {
        "/chargeboxes": thor_client.async_get_chargeboxes,
        "/chargeboxes/": lambda: thor_client.async_get_chargebox(box.id),
        "/charges/running": thor_client.async_get_running_charges,
        "/charges/finished": lambda: thor_client.async_get_finished_charges(
            date(2024, 1, 1), date(2024, 1, 31)
        ),
        "/reservations": thor_client.async_get_reservations,
    }
    with pytest.raises(UnexpectedResponseError):
        await calls[path]()


async def test_stop_ignores_a_body(thor_sim: Simulator, thor_client: ThorClient) -> None:
    """A stop answered 200 with some text instead of nothing is still "sent"."""
    thor_sim.thor.faults.add(Fault(malformed=True, body="OK", path="/charges/stop"))
    await thor_client.async_stop_charge("CB-1", 1, "API1")


async def test_timeout(
    thor_sim: Simulator, thor_session: aiohttp.ClientSession, thor_url: str
) -> None:
    """A cloud slower than the timeout is a connection problem, after the timeout."""
    client = ThorClient(thor_session, API_KEY, base_url=thor_url, timeout=0.2)
    thor_sim.thor.faults.add(Fault(delay=1.0, path="/chargeboxes", times=1))
    started = time.monotonic()
    with pytest.raises(CloudConnectionError, match="Timeout"):
        await client.async_get_chargeboxes()
    assert time.monotonic() - started < 0.9


async def test_closed_port(thor_session: aiohttp.ClientSession, socket_enabled: None) -> None:
    """Nobody listening is a connection error."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = ThorClient(thor_session, API_KEY, base_url=f"http://127.0.0.1:{port}/thor")
    with pytest.raises(CloudConnectionError, match="Cannot connect"):
        await client.async_get_chargeboxes()


async def test_default_base_url(thor_session: aiohttp.ClientSession) -> None:
    """Without a base URL the client talks to production (no request made here)."""
    client = ThorClient(thor_session, API_KEY)
    assert client.base_url == "https://api.thor.tools/latest/integration"
    assert ThorClient(thor_session, API_KEY, base_url="http://x/thor/").base_url == "http://x/thor"
    with pytest.raises(ValueError, match="chargebox id"):
        await client.async_get_chargebox("")
