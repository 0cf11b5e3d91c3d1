"""How the Wallbox client reports what goes wrong: rate limits, refusals, outages, odd bodies."""

from __future__ import annotations

import socket
import time

import aiohttp
import pytest

from custom_components.ev_charger_cloud.api import WallboxClient
from custom_components.ev_charger_cloud.api.errors import (
    ChargerCloudError,
    CloudConnectionError,
    CommandRejectedError,
    DeviceGoneError,
    NotPermittedError,
    RateLimitedError,
    UnexpectedResponseError,
)
from custom_components.ev_charger_cloud.api.http import Response
from custom_components.ev_charger_cloud.api.models import Target
from custom_components.ev_charger_cloud.api.wallbox.cloud import WallboxCloud
from simulator import Simulator
from simulator.faults import Fault
from tests.api.wallbox.helpers import (
    ACTION_PATH,
    EMAIL,
    PASSWORD,
    REFRESH_PATH,
    SIGNIN_PATH,
    STATUS_PATH,
    count,
)


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
    client = WallboxCloud(WallboxClient(session, EMAIL, PASSWORD, base_url=base_url, timeout=0.2))
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
    client = WallboxCloud(
        WallboxClient(session, EMAIL, PASSWORD, base_url=f"http://127.0.0.1:{port}/wallbox")
    )

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
