"""Retry-After on 429 and 503, in both forms, clamped, for every provider.

The parser alone; each vendor client against the simulated cloud over HTTP; and the
coordinator, which after a 429 or 503 asking for ``1e9`` seconds polls again after
``MAX_RETRY_AFTER`` (an hour) and recovers.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import aiohttp
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ev_charger_cloud.api import WallboxClient
from custom_components.ev_charger_cloud.api.errors import (
    ChargerCloudError,
    CloudConnectionError,
    RateLimitedError,
)
from custom_components.ev_charger_cloud.api.http import (
    MAX_RETRY_AFTER,
    Response,
    parse_retry_after,
)
from custom_components.ev_charger_cloud.api.podero.client import PoderoClient
from custom_components.ev_charger_cloud.api.thor.client import ThorClient
from custom_components.ev_charger_cloud.api.wallbox.cloud import WallboxCloud
from custom_components.ev_charger_cloud.coordinator import ChargerCloudCoordinator
from simulator import Simulator
from simulator.faults import Fault, FaultList
from simulator.testing import SimulatorServer
from tests.conftest import RunningSimulator, advance

pytest_plugins = ["tests.podero_entry_fixtures", "tests.thor_entry_fixtures"]

NOW = datetime(2026, 11, 22, 5, 0, 0, tzinfo=UTC)


def http_date(moment: datetime) -> str:
    """An IMF-fixdate, as RFC 9110 wants a Retry-After date."""
    return format_datetime(moment.astimezone(UTC), usegmt=True)


# --- the parser -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("120", 120.0),
        ("0", 0.0),
        (" 60 ", 60.0),
        ("2.5", 2.5),
        (".5", 0.5),
        ("+30", 30.0),
        ("3600", MAX_RETRY_AFTER),
        ("3600.5", MAX_RETRY_AFTER),
        ("86400", MAX_RETRY_AFTER),
        ("1e9", MAX_RETRY_AFTER),
        ("1E3", 1000.0),
        ("1e999", MAX_RETRY_AFTER),
        ("9" * 400, MAX_RETRY_AFTER),
        ("inf", MAX_RETRY_AFTER),
        ("Infinity", MAX_RETRY_AFTER),
        (http_date(NOW + timedelta(seconds=90)), 90.0),
        (http_date(NOW + timedelta(minutes=59)), 3540.0),
        (http_date(NOW + timedelta(days=3650)), MAX_RETRY_AFTER),
        ("Sunday, 22-Nov-26 05:02:00 GMT", 120.0),  # RFC 850, obsolete but allowed
        ("Sun Nov 22 05:03:00 2026", 180.0),  # asctime: no zone, UTC
        (http_date(NOW), None),
        (http_date(NOW - timedelta(seconds=1)), None),
        ("Wed, 21 Oct 2015 07:28:00 GMT", None),
        ("-5", None),
        ("-inf", None),
        ("-0.5", None),
        ("nan", None),
        ("NaN", None),
        ("", None),
        ("   ", None),
        (None, None),
        ("soon", None),
        ("60 seconds", None),
        ("1_000", None),
        ("0x10", None),
        ("Wed, 32 Foo 2026 99:99:99 GMT", None),
    ],
)
def test_parse_retry_after(value: str | None, expected: float | None) -> None:
    """Both RFC 9110 forms, clamped to MAX_RETRY_AFTER; anything else is no value."""
    assert parse_retry_after(value, NOW) == expected


def test_max_retry_after_is_an_hour() -> None:
    """The documented clamp."""
    assert MAX_RETRY_AFTER == 3600.0


def test_parse_retry_after_naive_now_is_utc() -> None:
    """A naive "now" is taken as UTC rather than failing to compare."""
    naive = NOW.replace(tzinfo=None)
    assert parse_retry_after(http_date(NOW + timedelta(seconds=30)), naive) == 30.0


def test_response_retry_after_counts_from_now(freezer: FrozenDateTimeFactory) -> None:
    """Response.retry_after uses the parser with the current time."""
    freezer.move_to(NOW)
    date = {"Retry-After": http_date(NOW + timedelta(seconds=45))}
    assert Response(429, date, None).retry_after == 45.0
    assert Response(429, {"Retry-After": "1e9"}, None).retry_after == MAX_RETRY_AFTER
    assert Response(429, {}, None).retry_after is None


# --- every client over HTTP -------------------------------------------------------------

PROVIDERS = ["wallbox", "podero", "thor"]
WALLBOX_EMAIL = "retry@example.com"
WALLBOX_PASSWORD = "pw"
PODERO_ID, PODERO_SECRET = "retry-client", "retry-secret"
PODERO_ORG = "0f8e9a52-1c4e-4b9a-8f27-0a5e1f6b2c11"
PODERO_USER = "1b3e2d10-7a6f-4e4b-9c1d-2f8a7b6c5d40"
THOR_KEY = "thor-retry-key"


@dataclass
class Probe:
    """One provider's client and the fault list of its simulated cloud."""

    faults: FaultList
    read: Callable[[], Awaitable[object]]
    path: str  # the path the read requests (faults are limited to it)


@pytest.fixture(params=PROVIDERS)
async def probe(request: pytest.FixtureRequest, socket_enabled: None) -> AsyncIterator[Probe]:
    """A client of one provider's simulated account, and what one read requests."""
    sim = Simulator()
    sim.wallbox.add_account(WALLBOX_EMAIL, WALLBOX_PASSWORD)
    sim.podero.add_org(PODERO_ID, PODERO_SECRET, org_id=PODERO_ORG)
    sim.podero.add_user(PODERO_ORG, "retry@example.com", user_id=PODERO_USER)
    sim.thor.add_account(THOR_KEY, "Retry operator")
    async with SimulatorServer(sim) as server, aiohttp.ClientSession() as session:
        if request.param == "wallbox":
            wallbox = WallboxCloud(
                WallboxClient(session, WALLBOX_EMAIL, WALLBOX_PASSWORD, base_url=server.wallbox_url)
            )
            yield Probe(sim.wallbox.faults, wallbox.async_discover, "/v3/chargers/groups")
        elif request.param == "podero":
            podero = PoderoClient(
                session,
                PODERO_ID,
                PODERO_SECRET,
                PODERO_ORG,
                user_id=PODERO_USER,
                base_url=server.podero_url,
            )
            yield Probe(sim.podero.faults, podero.async_get_wallboxes, "/wallboxes")
        else:
            thor = ThorClient(
                session, THOR_KEY, base_url=f"{server.base_url}/thor/latest/integration"
            )
            yield Probe(sim.thor.faults, thor.async_get_chargeboxes, "/chargeboxes")


def _in(seconds: float) -> Callable[[], str]:
    """An HTTP-date that many seconds after the real now (the clients' clock)."""
    return lambda: http_date(datetime.now(UTC) + timedelta(seconds=seconds))


@pytest.mark.parametrize("status", [429, 503])
@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (lambda: "30", 30.0),
        (lambda: "2.5", 2.5),
        (lambda: "1e9", MAX_RETRY_AFTER),
        (lambda: "inf", MAX_RETRY_AFTER),
        (_in(600), 600.0),
        (_in(10 * 86_400), MAX_RETRY_AFTER),
        (_in(-600), None),
        (lambda: "-5", None),
        (lambda: "nan", None),
        (lambda: "later", None),
        (None, None),
    ],
    ids=[
        "seconds",
        "fractional",
        "1e9",
        "inf",
        "date-ahead",
        "date-far-ahead",
        "date-past",
        "negative",
        "nan",
        "garbage",
        "missing",
    ],
)
async def test_client_maps_retry_after(
    probe: Probe,
    status: int,
    header: Callable[[], str] | None,
    expected: float | None,
) -> None:
    """429 is RateLimitedError, 503 CloudConnectionError; both carry the clamped wait."""
    headers = None if header is None else {"Retry-After": header()}
    probe.faults.add(Fault(status=status, path=probe.path, times=1, headers=headers))
    error_type = RateLimitedError if status == 429 else CloudConnectionError
    with pytest.raises(error_type) as caught:
        await probe.read()
    error = caught.value
    assert isinstance(error, RateLimitedError | CloudConnectionError)
    retry_after = error.retry_after
    if expected is None:
        assert retry_after is None
    else:
        assert retry_after == pytest.approx(expected, abs=2)
        assert retry_after <= MAX_RETRY_AFTER
    await probe.read()  # the fault was used up: the cloud answers again


@pytest.mark.parametrize("status", [500, 502, 504])
async def test_other_server_errors_carry_no_wait(probe: Probe, status: int) -> None:
    """Only a 503 means "come back then"; other 5xx stay plain connection errors."""
    probe.faults.add(Fault(status=status, path=probe.path, times=1, headers={"Retry-After": "30"}))
    with pytest.raises(CloudConnectionError) as caught:
        await probe.read()
    assert not isinstance(caught.value, RateLimitedError)
    assert caught.value.retry_after is None


def test_rate_limited_is_not_a_connection_error() -> None:
    """The coordinator tells them apart by type: the hierarchy keeps them apart."""
    assert not issubclass(RateLimitedError, CloudConnectionError)
    assert issubclass(CloudConnectionError, ChargerCloudError)


# --- the coordinator --------------------------------------------------------------------


@dataclass
class Integration:
    """A set-up entry of one provider and the simulator behind it."""

    entry: MockConfigEntry
    sim: Simulator
    provider: str
    path: str  # part of every API path the poll requests (not the sign-in)

    @property
    def coordinator(self) -> ChargerCloudCoordinator:
        coordinator: ChargerCloudCoordinator = self.entry.runtime_data.coordinator
        return coordinator

    def api_requests(self) -> int:
        return self.sim.requests.count(provider=self.provider, path_contains=self.path)


@pytest.fixture(params=PROVIDERS)
def integration(request: pytest.FixtureRequest) -> Integration:
    """The provider's entry set up against its simulated account (time frozen)."""
    if request.param == "wallbox":
        entry = request.getfixturevalue("init_integration")
        running: RunningSimulator = request.getfixturevalue("simulator")
        return Integration(entry, running.sim, "wallbox", "/chargers/status/")
    if request.param == "podero":
        entry = request.getfixturevalue("entry")
        return Integration(entry, request.getfixturevalue("podero_sim"), "podero", "/api/")
    entry = request.getfixturevalue("thor_entry")
    return Integration(entry, request.getfixturevalue("thor_entry_sim"), "thor", "/integration/")


@pytest.mark.parametrize("status", [429, 503])
async def test_coordinator_waits_at_most_the_clamp(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    integration: Integration,
    status: int,
) -> None:
    """After a 429/503 asking for 1e9 seconds the next poll comes after an hour, and recovers."""
    coordinator = integration.coordinator
    assert coordinator.last_update_success
    interval = coordinator.update_interval
    assert interval is not None
    integration.sim.requests.clear()
    faults = getattr(integration.sim, integration.provider).faults
    faults.add(Fault(status=status, path=integration.path, times=1, headers={"Retry-After": "1e9"}))

    await advance(hass, freezer, interval)
    assert integration.sim.requests.count(provider=integration.provider, status=status) == 1
    assert not coordinator.last_update_success
    refused = integration.api_requests()

    # Not polled again before the clamp: the cloud asked to wait.
    await advance(hass, freezer, timedelta(seconds=MAX_RETRY_AFTER - 10))
    assert integration.api_requests() == refused
    assert not coordinator.last_update_success

    # No later than the clamp: polled again, and the entities are back.
    await advance(hass, freezer, timedelta(seconds=11))
    assert integration.api_requests() > refused
    assert coordinator.last_update_success
    assert len(faults) == 0
