"""Every refusal the simulated Thor documents reaches ThorCloud's caller, typed."""

from __future__ import annotations

from typing import Any

import pytest

from custom_components.ev_charger_cloud.api import (
    AuthenticationError,
    ChargeRefusalReason,
    ChargeRefusedError,
    CloudConnectionError,
    DeviceGoneError,
    ServiceDisabledError,
    ServiceDisabledReason,
    Target,
)
from custom_components.ev_charger_cloud.api.errors import TokenRejectedError
from custom_components.ev_charger_cloud.api.thor.cloud import ThorCloud
from simulator import Simulator
from simulator.faults import Fault
from tests.thor_helpers import API_KEY

from .conftest import charge_locally

pytest_plugins = ["tests.thor_fixtures"]


async def refused(client: ThorCloud, target: Target, enabled: bool) -> ChargeRefusedError:
    with pytest.raises(ChargeRefusedError) as caught:
        await client.async_set_charging(target, enabled)
    return caught.value


async def test_start_refusals(
    thor_sim: Simulator, thor_ready: ThorCloud, garage_id: str, parking_id: str
) -> None:
    """ChargeboxNotFree, ChargeboxNotActive, ConnectorNotValid, AlreadyInTransaction."""
    paid = thor_sim.thor.add_chargebox(API_KEY, id="CB-PAID", free=False).id
    off = thor_sim.thor.add_chargebox(API_KEY, id="CB-OFF", active=False).id
    charge_locally(thor_sim, garage_id, 1)
    await thor_ready.async_read_all()

    cases = [
        (Target(paid, "1"), ChargeRefusalReason.CHARGEBOX_NOT_FREE, "ChargeboxNotFree"),
        (Target(off, "1"), ChargeRefusalReason.CHARGEBOX_NOT_ACTIVE, "ChargeboxNotActive"),
        (Target(parking_id, "3"), ChargeRefusalReason.CONNECTOR_NOT_VALID, "ConnectorNotValid"),
        (
            Target(garage_id, "1"),
            ChargeRefusalReason.ALREADY_IN_TRANSACTION,
            "AlreadyInTransaction",
        ),
    ]
    for target, reason, code in cases:
        error = await refused(thor_ready, target, True)
        assert (error.reason, error.code) == (reason, code)
    assert [c["status"] for c in thor_sim.thor.account(API_KEY).commands] == [402, 403, 400, 400]


async def test_too_many_starts(thor_sim: Simulator, thor_ready: ThorCloud, garage_id: str) -> None:
    """The fourth start of a connector within a minute: TooManyRequests with Retry-After."""
    await thor_ready.async_read_all()
    await thor_ready.async_set_charging(Target(garage_id, "1"), True)
    for _ in range(2):
        error = await refused(thor_ready, Target(garage_id, "1"), True)
        assert error.reason is ChargeRefusalReason.ALREADY_IN_TRANSACTION

    error = await refused(thor_ready, Target(garage_id, "1"), True)

    assert (error.reason, error.code) == (ChargeRefusalReason.TOO_MANY_REQUESTS, "TooManyRequests")
    assert error.retry_after is not None
    assert error.retry_after > 0


async def test_stop_refusals(
    thor_sim: Simulator, thor_ready: ThorCloud, garage_id: str, parking_id: str
) -> None:
    """The charge read ended at the box (NotInTransaction), or another began (WrongTransaction)."""
    for box_id in (garage_id, parking_id):
        charge_locally(thor_sim, box_id, 1, f"RFID-{box_id}")
    await thor_ready.async_read_all()
    thor_sim.thor.stop_local(garage_id, 1)
    thor_sim.thor.stop_local(parking_id, 1)
    thor_sim.thor.start_local(parking_id, 1, f"RFID-{parking_id}")

    ended = await refused(thor_ready, Target(garage_id, "1"), False)
    other = await refused(thor_ready, Target(parking_id, "1"), False)

    assert (ended.reason, ended.code) == (
        ChargeRefusalReason.NOT_IN_TRANSACTION,
        "NotInTransaction",
    )
    assert (other.reason, other.code) == (ChargeRefusalReason.WRONG_TRANSACTION, "WrongTransaction")


async def test_chargebox_gone(
    thor_sim: Simulator, thor_ready: ThorCloud, thor_boxes: tuple[str, str]
) -> None:
    """ChargeboxNotFound (a box of another account, or one removed): DeviceGoneError."""
    thor_sim.thor.add_account("other-key")
    foreign = thor_sim.thor.add_chargebox("other-key", id="CB-FOREIGN").id
    await thor_ready.async_read_all()

    with pytest.raises(DeviceGoneError):
        await thor_ready.async_set_charging(Target(foreign, "1"), True)


@pytest.mark.parametrize(
    ("setup", "error", "reason"),
    [
        # Polls: a glitch until refused for 15 minutes; the flow's key check: wrong at once.
        ({"api_key": "wrong-key"}, TokenRejectedError, None),
        (
            {"rest_api_enabled": False},
            ServiceDisabledError,
            ServiceDisabledReason.REST_API_DISABLED,
        ),
        ({"source_ip": "203.0.113.9"}, ServiceDisabledError, ServiceDisabledReason.IP_NOT_ALLOWED),
    ],
)
async def test_403(
    thor_sim: Simulator,
    thor_cloud_factory: Any,
    thor_boxes: tuple[str, str],
    setup: dict[str, Any],
    error: type[Exception],
    reason: ServiceDisabledReason | None,
) -> None:
    """APIKeyNotFound is a wrong key; the dashboard switches are not (no reauth)."""
    if "rest_api_enabled" in setup:
        thor_sim.thor.set_rest_api_enabled(API_KEY, setup["rest_api_enabled"])
    if "source_ip" in setup:
        thor_sim.thor.set_source_ip(API_KEY, setup["source_ip"])
    client: ThorCloud = thor_cloud_factory(api_key=setup.get("api_key", API_KEY))

    for call in (client.async_read_all, client.async_authenticate, client.async_discover):
        expected = error
        if error is TokenRejectedError and call == client.async_authenticate:
            expected = AuthenticationError
        with pytest.raises(expected) as caught:
            await call()
        assert type(caught.value) is expected
        if reason is not None:
            assert isinstance(caught.value, ServiceDisabledError)
            assert caught.value.reason is reason


@pytest.mark.parametrize("path", ["/chargeboxes", "/charges/running"])
async def test_server_errors_and_timeouts(
    thor_sim: Simulator, thor_cloud_factory: Any, thor_boxes: tuple[str, str], path: str
) -> None:
    """A 5xx or no answer in time on a read every poll needs: CloudConnectionError.

    (The finished charges and reservations are optional: test_optional_reads.py.)
    """
    client: ThorCloud = thor_cloud_factory(timeout=0.2)
    thor_sim.thor.faults.add(Fault(status=503, path=path, times=1))
    with pytest.raises(CloudConnectionError):
        await client.async_read_all()
    thor_sim.thor.faults.add(Fault(status=500, path=path, times=1))
    with pytest.raises(CloudConnectionError):
        await client.async_read_all()
    thor_sim.thor.faults.add(Fault(delay=5.0, path=path, times=1))
    with pytest.raises(CloudConnectionError):
        await client.async_read_all()

    devices = await client.async_read_all()  # and back

    assert len(devices) == 2


async def test_command_timeout(
    thor_sim: Simulator, thor_cloud_factory: Any, garage_id: str
) -> None:
    """A start without an answer in time: CloudConnectionError."""
    client: ThorCloud = thor_cloud_factory(timeout=0.2)
    thor_sim.thor.faults.add(Fault(delay=5.0, path="/charges/start", times=1))
    with pytest.raises(CloudConnectionError):
        await client.async_set_charging(Target(garage_id, "1"), True)
