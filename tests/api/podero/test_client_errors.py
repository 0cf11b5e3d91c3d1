"""How the Podero client maps the cloud's refusals and failures onto typed errors."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
import time
from typing import Any

import aiohttp
import pytest

from custom_components.ev_charger_cloud.api.errors import (
    AccountNotFoundError,
    BoostRefusalReason,
    BoostRefusedError,
    ChargerNotFoundError,
    CloudConnectionError,
    CommandRejectedError,
    DeviceGoneError,
    NotPermittedError,
    RateLimitedError,
    UnexpectedResponseError,
)
from custom_components.ev_charger_cloud.api.podero.client import (
    ELECTRIC_VEHICLE,
    WALLBOX,
    PoderoClient,
    PoderoDeviceKind,
)
from custom_components.ev_charger_cloud.api.podero.models import PoderoChargingMode
from simulator import Simulator
from simulator.faults import Fault
from simulator.podero.cloud import SimulatedPodero
from tests.podero_helpers import CLIENT_ID, CLIENT_SECRET, USER_ID, count

pytest_plugins = ["tests.podero_fixtures"]

MISSING = "00000000-0000-4000-8000-000000000000"


# --- boost refusals (409) -----------------------------------------------------------


# What a boost is sent to, made ready in the simulated cloud.
type BoostTarget = tuple[PoderoDeviceKind[Any], str]
type Arrange = Callable[[SimulatedPodero], BoostTarget]


def _car_charging_anyway(cloud: SimulatedPodero) -> BoostTarget:
    wallbox = cloud.add_wallbox(USER_ID)
    cloud.plug_in(cloud.add_vehicle(USER_ID, battery_level=20.0).id, wallbox.id)
    return WALLBOX, wallbox.id


def _full_car(cloud: SimulatedPodero) -> BoostTarget:
    vehicle = cloud.add_vehicle(USER_ID, battery_level=100.0)
    cloud.plug_in(vehicle.id)
    return ELECTRIC_VEHICLE, vehicle.id


def _car_not_plugged_in(cloud: SimulatedPodero) -> BoostTarget:
    return ELECTRIC_VEHICLE, cloud.add_vehicle(USER_ID).id


def _podero_in_trouble(cloud: SimulatedPodero) -> BoostTarget:
    cloud.settings.boost_internal_error = True
    return WALLBOX, cloud.add_wallbox(USER_ID).id


def _reason_added_later(cloud: SimulatedPodero) -> BoostTarget:
    wallbox = cloud.add_wallbox(USER_ID)
    cloud.faults.add(Fault(status=409, path="/boost"))
    return WALLBOX, wallbox.id


@pytest.mark.parametrize(
    ("arrange", "reason", "state"),
    [
        # A car charging anyway, with the boost state.
        pytest.param(
            _car_charging_anyway, BoostRefusalReason.ALREADY_CHARGING, "available", id="charging"
        ),
        pytest.param(_full_car, BoostRefusalReason.FULLY_CHARGED, "available", id="full"),
        pytest.param(
            _car_not_plugged_in,
            BoostRefusalReason.NO_ACTIVE_SESSION,
            "unavailable",
            id="not_plugged_in",
        ),
        # Podero's own trouble.
        pytest.param(
            _podero_in_trouble, BoostRefusalReason.INTERNAL_ERROR, "unavailable", id="trouble"
        ),
        # A 409 with another body is still a boost refusal, reason unknown.
        pytest.param(_reason_added_later, BoostRefusalReason.UNKNOWN, None, id="other_409"),
    ],
)
async def test_boost_refused(
    podero_sim: Simulator,
    podero_client: PoderoClient,
    arrange: Arrange,
    reason: BoostRefusalReason,
    state: str | None,
) -> None:
    """A 409 to a boost is a BoostRefusedError (a CommandRejectedError) with reason and state."""
    kind, device_id = arrange(podero_sim.podero)

    with pytest.raises(BoostRefusedError) as caught:
        await podero_client.async_boost(kind, device_id)

    assert caught.value.reason is reason
    assert caught.value.state == state
    assert isinstance(caught.value, CommandRejectedError)


# --- rejected values, missing things, permissions ------------------------------------


async def test_unavailable_charging_mode_is_rejected(
    podero_sim: Simulator, podero_client: PoderoClient
) -> None:
    """422 (HEMS without an inverter) is a CommandRejectedError with the cloud's message."""
    with pytest.raises(CommandRejectedError, match="not available") as caught:
        await podero_client.async_set_charging_mode(PoderoChargingMode.HEMS)
    assert not isinstance(caught.value, BoostRefusedError)
    assert podero_sim.podero.user(USER_ID).charging_mode == "none"


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (422, None, "Injected fault"),
        (422, "", "HTTP 422"),
        (400, '{"detail": "Cannot parse request body"}', "Cannot parse"),
        (409, '{"message": "Device busy"}', "Device busy"),
        (422, '{"detail": [{"msg": ""}]}', "HTTP 422"),
        (422, '{"detail": 5}', "HTTP 422"),
    ],
)
async def test_rejected_device_update(
    podero_sim: Simulator,
    podero_client: PoderoClient,
    status: int,
    body: str | None,
    message: str,
) -> None:
    """400, 409 and 422 on a PUT are rejected commands, with the message when there is one."""
    wallbox = podero_sim.podero.add_wallbox(USER_ID)
    podero_sim.podero.faults.add(
        Fault(status=status, malformed=body is not None, body=body, method="PUT")
    )
    with pytest.raises(CommandRejectedError, match=message) as caught:
        await podero_client.async_set_smart_optimization(WALLBOX, wallbox.id, True)
    assert not isinstance(caught.value, BoostRefusedError)


@pytest.mark.parametrize("kind", [WALLBOX, ELECTRIC_VEHICLE], ids=["wallbox", "vehicle"])
async def test_device_gone(
    podero_sim: Simulator, podero_client: PoderoClient, kind: PoderoDeviceKind[Any]
) -> None:
    """404 on a device: DeviceGoneError (a ChargerNotFoundError) for reads and commands."""
    with pytest.raises(DeviceGoneError):
        await podero_client.async_get_device(kind, MISSING)
    with pytest.raises(DeviceGoneError):
        await podero_client.async_resume(kind, MISSING)
    with pytest.raises(DeviceGoneError):
        await podero_client.async_boost(kind, MISSING)
    with pytest.raises(ChargerNotFoundError):
        await podero_client.async_cancel_boost(kind, MISSING)
    assert count(podero_sim, MISSING, status=404) == 4


async def test_unknown_user(
    podero_session: aiohttp.ClientSession, podero_url: str, podero_sim: Simulator
) -> None:
    """404 on the user's lists: the user is not (or no longer) in the organisation."""
    org = podero_sim.podero.orgs[0]
    client = PoderoClient(
        podero_session, CLIENT_ID, CLIENT_SECRET, org.id, user_id=MISSING, base_url=podero_url
    )
    with pytest.raises(AccountNotFoundError):
        await client.async_get_wallboxes()
    with pytest.raises(AccountNotFoundError):
        await client.async_get_charging_config()


async def test_organisation_of_other_credentials(
    podero_session: aiohttp.ClientSession, podero_url: str
) -> None:
    """403: the credentials belong to another organisation."""
    client = PoderoClient(podero_session, CLIENT_ID, CLIENT_SECRET, MISSING, base_url=podero_url)
    with pytest.raises(NotPermittedError):
        await client.async_get_users()


# --- transport and payload failures -------------------------------------------------


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_server_errors(
    podero_sim: Simulator, podero_client: PoderoClient, status: int
) -> None:
    """5xx is a connection problem, not a credentials one."""
    podero_sim.podero.faults.add(Fault(status=status, path="/wallboxes"))
    with pytest.raises(CloudConnectionError):
        await podero_client.async_get_wallboxes()


async def test_timeout(
    podero_session: aiohttp.ClientSession, podero_url: str, podero_sim: Simulator
) -> None:
    """A cloud slower than the timeout is a connection problem, after the timeout."""
    client = PoderoClient(
        podero_session,
        CLIENT_ID,
        CLIENT_SECRET,
        podero_sim.podero.orgs[0].id,
        user_id=USER_ID,
        base_url=podero_url,
        timeout=0.2,
    )
    podero_sim.podero.faults.add(Fault(delay=1.0, path="/electric-vehicles", times=1))
    started = time.monotonic()
    with pytest.raises(CloudConnectionError, match="Timeout"):
        await client.async_get_vehicles()
    assert time.monotonic() - started < 0.9


async def test_rate_limited(podero_sim: Simulator, podero_client: PoderoClient) -> None:
    """429 with Retry-After is a RateLimitedError carrying the seconds."""
    settings = podero_sim.podero.settings
    settings.burst = 1
    settings.requests_per_minute = 1
    await podero_client.async_get_wallboxes()
    with pytest.raises(RateLimitedError) as caught:
        await podero_client.async_get_wallboxes()
    assert caught.value.retry_after is not None
    assert caught.value.retry_after > 0


@pytest.mark.parametrize(
    ("call", "body"),
    [
        ("wallboxes", None),
        ("wallboxes", '{"items": []}'),
        ("wallbox", "[]"),
        ("users", '[{"email": "x@example.com"}]'),
        ("config", '"none"'),
    ],
)
async def test_malformed_answers(
    podero_sim: Simulator, podero_client: PoderoClient, call: str, body: str | None
) -> None:
    """A body that is not JSON, or not the expected shape, is an UnexpectedResponseError."""
    wallbox = podero_sim.podero.add_wallbox(USER_ID)
    await podero_client.async_authenticate()
    podero_sim.podero.faults.add(Fault(malformed=True, body=body, path="/api/"))
    calls: dict[str, Callable[[], Awaitable[object]]] = {
        "wallboxes": podero_client.async_get_wallboxes,
        "wallbox": lambda: podero_client.async_get_wallbox(wallbox.id),
        "users": podero_client.async_get_users,
        "config": podero_client.async_get_charging_config,
    }
    with pytest.raises(UnexpectedResponseError):
        await calls[call]()


async def test_unexpected_status(podero_sim: Simulator, podero_client: PoderoClient) -> None:
    """A status the API does not use is an UnexpectedResponseError."""
    podero_sim.podero.faults.add(Fault(status=418, path="/charging-config"))
    with pytest.raises(UnexpectedResponseError, match="418"):
        await podero_client.async_get_charging_config()
