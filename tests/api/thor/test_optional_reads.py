"""The third request of a Thor poll is optional: in every documented shape, and when it fails.

Reservations come in the three shapes their page documents. A reservations read,
a history window or today's finished charges that fail (a server error, a
timeout, a 404, a wrong shape) never fail the poll: the boxes and the running
charges are shown, the read backs off (2, 4, 8, 16, then every 30 minutes), the
last reservations stay until they expire, and Total energy is never a sum that
misses an ended charge. What concerns the whole account (a refused key, the
dashboard's switches, a rate limit) still fails the poll.
"""

from __future__ import annotations

from itertools import pairwise
import json
import logging
from typing import Any

import pytest

from custom_components.ev_charger_cloud.api import (
    Charger,
    ChargerStatus,
    Connector,
    Device,
    RateLimitedError,
    ServiceDisabledError,
)
from custom_components.ev_charger_cloud.api.errors import TokenRejectedError
from custom_components.ev_charger_cloud.api.thor.cloud import ThorCloud
from simulator import Simulator
from simulator.faults import Fault
from tests.thor_helpers import API_KEY, Sent, complete_history, requests_of

from .conftest import charge_locally

pytest_plugins = ["tests.thor_fixtures"]

RESERVATIONS = "/reservations"
FINISHED = "/charges/finished"
MINUTE = 60.0
# A failed optional read waits this long (minutes) before each retry, failures in a row.
BACKOFF = [2, 4, 8, 16, 30, 30]
# Every failure of an optional read that is not the account's: (fault, what it is).
FAILURES = [
    pytest.param({"status": 500}, id="500"),
    pytest.param({"status": 502, "malformed": True, "body": "<html>Bad gateway</html>"}, id="502"),
    pytest.param({"status": 404}, id="404"),
    pytest.param({"status": 400}, id="400"),
    pytest.param({"malformed": True, "body": '{"data": 42, "items": 7}'}, id="wrong-shape"),
    pytest.param({"malformed": True, "body": '"surprise"'}, id="wrong-type"),
    pytest.param({"malformed": True, "body": "{'id': 1,"}, id="not-json"),
    pytest.param({"delay": 0.6}, id="timeout"),
]


def connector(devices: list[Device], box_id: str, number: int) -> Connector:
    charger = next(d for d in devices if d.device_id == box_id)
    assert isinstance(charger, Charger)
    found = charger.connector(str(number))
    assert found is not None
    return found


def ours(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """The integration's log records (not asyncio's slow-callback notes)."""
    return [r for r in caplog.records if r.name.startswith("custom_components")]


def third_requests(sim: Simulator) -> list[str]:
    """The paths of the optional requests sent so far."""
    return [
        path for _, path in requests_of(sim) if path not in ("/chargeboxes", "/charges/running")
    ]


@pytest.fixture
def reservable(thor_sim: Simulator, parking_id: str) -> str:
    """The two-connector box, reservable, with connector 2 reserved for an hour."""
    thor_sim.thor.update_chargebox(parking_id, reservable=True)
    thor_sim.thor.add_reservation(parking_id, 2, thor_sim.clock.now() + 3600)
    return parking_id


@pytest.fixture
def client(thor_cloud_factory: Any) -> ThorCloud:
    """A client whose history is complete, giving up on an answer after 0.3 s."""
    made: ThorCloud = thor_cloud_factory(history=complete_history(), timeout=0.3)
    return made


# --- shapes ---------------------------------------------------------------------------


@pytest.mark.parametrize("shape", ["count_items", "list", "object"])
async def test_reservations_in_every_documented_shape(
    thor_sim: Simulator, client: ThorCloud, reservable: str, shape: str
) -> None:
    """`{count, items}` (the table), a bare list (the text), one bare object (the example)."""
    thor_sim.thor.settings.reservations_shape = shape
    await client.async_read_all()  # today's finished charges first

    devices = await client.async_read_all()

    assert third_requests(thor_sim) == [FINISHED, RESERVATIONS]
    assert connector(devices, reservable, 1).status is ChargerStatus.READY
    assert connector(devices, reservable, 2).status is ChargerStatus.RESERVED


async def test_an_empty_bare_object_is_no_reservation(
    thor_sim: Simulator,
    client: ThorCloud,
    parking_id: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The example's shape without a reservation (`{}`): nothing reserved, nothing failed."""
    thor_sim.thor.update_chargebox(parking_id, reservable=True)
    thor_sim.thor.settings.reservations_shape = "object"
    await client.async_read_all()

    devices = await client.async_read_all()
    for _ in range(4):  # read: due again in 5 minutes, not retried after 2
        thor_sim.clock.advance(MINUTE)
        await client.async_read_all()

    assert third_requests(thor_sim) == [FINISHED, RESERVATIONS]
    assert [connector(devices, parking_id, n).status for n in (1, 2)] == [ChargerStatus.READY] * 2
    assert not [r for r in ours(caplog) if r.levelno >= logging.WARNING]
    thor_sim.clock.advance(MINUTE)
    await client.async_read_all()
    assert third_requests(thor_sim)[-1] == RESERVATIONS


# --- failures that are the read's own -------------------------------------------------


@pytest.mark.parametrize("fault", FAILURES)
async def test_failed_reservations_keep_the_account_and_back_off(
    thor_sim: Simulator,
    client: ThorCloud,
    reservable: str,
    garage_id: str,
    thor_sent: list[Sent],
    fault: dict[str, Any],
) -> None:
    """Every poll still shows the boxes; the reservations read waits 2, 4, 8... minutes."""
    charge_locally(thor_sim, garage_id, 1)
    await client.async_read_all()  # today's finished charges
    thor_sim.thor.faults.add(Fault(path=RESERVATIONS, **fault))

    attempts: list[int] = []
    for minute in range(sum(BACKOFF[:4]) + 1):
        devices = await client.async_read_all()
        assert connector(devices, garage_id, 1).status is ChargerStatus.CHARGING
        assert connector(devices, reservable, 1).status is ChargerStatus.READY
        if thor_sent[-1].path.endswith(RESERVATIONS):  # sent (a timed-out one is logged late)
            attempts.append(minute)
        thor_sim.clock.advance(MINUTE)

    assert attempts == [0, 2, 6, 14, 30]
    thor_sim.thor.faults.clear()
    thor_sim.clock.advance(30 * MINUTE)
    devices = await client.async_read_all()
    assert connector(devices, reservable, 2).status is ChargerStatus.READY  # expired meanwhile


async def test_the_backoff_is_capped_at_half_an_hour(
    thor_sim: Simulator, client: ThorCloud, reservable: str
) -> None:
    """2, 4, 8, 16, then every 30 minutes; a success starts over at 2."""
    await client.async_read_all()
    thor_sim.thor.faults.add(Fault(path=RESERVATIONS, status=500))
    attempts: list[int] = []
    for minute in range(sum(BACKOFF) + 1):
        await client.async_read_all()
        if third_requests(thor_sim)[-1:] == [RESERVATIONS]:
            attempts.append(minute)
            thor_sim.requests.clear()
        thor_sim.clock.advance(MINUTE)

    gaps = [later - earlier for earlier, later in pairwise(attempts)]
    assert gaps == BACKOFF

    thor_sim.thor.faults.clear()
    thor_sim.clock.advance(30 * MINUTE)
    await client.async_read_all()  # read again: the failures are over
    thor_sim.thor.faults.add(Fault(path=RESERVATIONS, status=500))
    thor_sim.clock.advance(5 * MINUTE)
    await client.async_read_all()
    thor_sim.requests.clear()
    thor_sim.clock.advance(2 * MINUTE)
    await client.async_read_all()
    assert third_requests(thor_sim) == [RESERVATIONS]


async def test_a_503_retry_after_lengthens_the_wait(
    thor_sim: Simulator, client: ThorCloud, reservable: str
) -> None:
    """A 503 asking for 10 minutes: the reservations wait 10 minutes, not 2."""
    await client.async_read_all()
    thor_sim.thor.faults.add(
        Fault(path=RESERVATIONS, status=503, headers={"Retry-After": "600"}, times=1)
    )
    await client.async_read_all()
    thor_sim.requests.clear()
    for _ in range(9):
        thor_sim.clock.advance(MINUTE)
        await client.async_read_all()
    assert third_requests(thor_sim) == []

    thor_sim.clock.advance(MINUTE)
    devices = await client.async_read_all()

    assert third_requests(thor_sim) == [RESERVATIONS]
    assert connector(devices, reservable, 2).status is ChargerStatus.RESERVED


async def test_last_reservations_stay_until_they_expire(
    thor_sim: Simulator, client: ThorCloud, reservable: str
) -> None:
    """Read once, then failing: Reserved until the expiry read last, then Ready."""
    await client.async_read_all()
    assert connector(await client.async_read_all(), reservable, 2).status is ChargerStatus.RESERVED
    thor_sim.thor.faults.add(Fault(path=RESERVATIONS, status=500))

    thor_sim.clock.advance(59 * MINUTE)
    assert connector(await client.async_read_all(), reservable, 2).status is ChargerStatus.RESERVED
    thor_sim.clock.advance(2 * MINUTE)
    assert connector(await client.async_read_all(), reservable, 2).status is ChargerStatus.READY


async def test_one_warning_an_hour_for_a_failing_read(
    thor_sim: Simulator,
    client: ThorCloud,
    reservable: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A read failing for hours warns once an hour (the rest at debug level), no traceback."""
    await client.async_read_all()
    thor_sim.thor.faults.add(Fault(path=RESERVATIONS, status=500))
    caplog.set_level(logging.DEBUG)
    for _ in range(150):
        await client.async_read_all()
        thor_sim.clock.advance(MINUTE)

    warnings = [r for r in ours(caplog) if r.levelno == logging.WARNING]
    assert len(warnings) == 3  # at 0, 60 and 120 minutes
    assert "reservations could not be read" in warnings[0].getMessage()
    assert all(r.exc_info is None for r in caplog.records)
    assert API_KEY not in caplog.text


# --- failures that concern the account ------------------------------------------------


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (
            {"status": 403, "malformed": True, "body": '{"message": "APIKeyNotFound"}'},
            TokenRejectedError,
        ),
        (
            {"status": 403, "malformed": True, "body": '{"message": "RestAPINotEnabled"}'},
            ServiceDisabledError,
        ),
        ({"status": 401}, TokenRejectedError),
        ({"status": 429, "headers": {"Retry-After": "90"}}, RateLimitedError),
    ],
)
@pytest.mark.parametrize("path", [RESERVATIONS, FINISHED])
async def test_account_wide_refusals_still_fail_the_poll(
    thor_sim: Simulator,
    client: ThorCloud,
    reservable: str,
    path: str,
    fault: dict[str, Any],
    error: type[Exception],
) -> None:
    """A refused key, the REST API switched off, a rate limit: the poll fails, as before."""
    if path == RESERVATIONS:
        await client.async_read_all()  # today's finished charges first
    thor_sim.thor.faults.add(Fault(path=path, **fault))

    for _ in range(2):  # no back-off: the next poll fails the same way
        with pytest.raises(error):
            await client.async_read_all()
        thor_sim.clock.advance(MINUTE)
    assert third_requests(thor_sim).count(path) == 2


async def test_the_latest_reservation_of_a_connector_counts(
    thor_sim: Simulator, client: ThorCloud, reservable: str
) -> None:
    """An expired and a new reservation of one connector: reserved until the new one ends.

    Items naming no box or connector are left out; one without an end holds until read again.
    """
    thor_sim.clock.advance(3601)  # the fixture's reservation expired
    thor_sim.thor.add_reservation(reservable, 2, thor_sim.clock.now() + 600)
    await client.async_read_all()
    assert connector(await client.async_read_all(), reservable, 2).status is ChargerStatus.RESERVED

    items = [
        {"chargebox": reservable, "connector": 1},  # no expiry date
        {"chargebox": reservable, "connector": 1, "expiry_date": 1},
        {"connector": 2, "expiry_date": 4_102_444_800_000},
        {"chargebox": reservable, "expiry_date": 4_102_444_800_000},
    ]
    thor_sim.thor.faults.add(
        Fault(path=RESERVATIONS, malformed=True, body=json.dumps(items), times=1)
    )
    thor_sim.clock.advance(5 * MINUTE)
    devices = await client.async_read_all()

    assert [connector(devices, reservable, n).status for n in (1, 2)] == [
        ChargerStatus.RESERVED,
        ChargerStatus.READY,
    ]
