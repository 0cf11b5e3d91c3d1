"""Every provider against every fault: nothing escapes, nothing is lost, reauth only when due.

For each (provider, case) of fault_matrix_cases.py the integration is set up
against the simulator and then:

1. the fault starts and lasts until its duration is over and a poll met it;
2. no unhandled exception was logged (no traceback, no "Unexpected error");
3. the entities are available or not, as the case expects;
4. a reauth flow exists only for credentials the cloud really refuses;
5. the fault ends, and the first poll after it (however long the cloud asked
   to wait) brings the entities back with the state they had before.

"One poll" is found by the request log, not by an interval constant: time moves
in steps until the simulator has seen a new read.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import timedelta
import logging
import socket
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.ev_charger_cloud.api.tokens import MAX_RENEWALS_PER_HOUR
from simulator import Simulator
from simulator.faults import Fault
from tests.conftest import EMAIL, advance, state_of
from tests.fault_matrix_cases import (
    PODERO,
    PROVIDERS,
    THOR,
    THOR_RESERVATIONS,
    WALLBOX,
    Case,
    ProviderSpec,
    bad_token_answer,
    matrix,
    retry_after_value,
)
from tests.podero_helpers import ORG_ID, USER_ID
from tests.thor_entry_fixtures import API_KEY, GARAGE_ID

pytest_plugins = ["tests.podero_entry_fixtures", "tests.thor_entry_fixtures"]

STEP = timedelta(seconds=30)
# A fault meets a poll within this time whatever the provider's interval.
FIRST_POLL_BOUND = timedelta(minutes=15)
TIMEOUT = 0.3


@pytest.fixture(autouse=True)
def short_timeouts() -> Iterator[None]:
    """Clients give up after TIMEOUT s; a delayed answer takes longer (real time).

    Every client (Thor's too) sends through the shared transport of api/http.py.
    """
    with patch("custom_components.ev_charger_cloud.api.http.DEFAULT_TIMEOUT", TIMEOUT):
        yield


def reads(sim: Simulator, spec: ProviderSpec, status: int | None = None) -> int:
    """How many data reads the provider's cloud answered (with ``status``, if given)."""
    return sim.requests.count(
        provider=spec.logged_as, path_contains=spec.read_path, method="GET", status=status
    )


def reauth_flows(hass: HomeAssistant) -> list[Any]:
    """The reauth flows in progress."""
    return [
        flow
        for flow in hass.config_entries.flow.async_progress()
        if flow["context"]["source"] == SOURCE_REAUTH
    ]


def unhandled(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Errors that are not a failed poll reported as such."""
    return [
        record.getMessage()
        for record in caplog.records
        if record.levelno >= logging.ERROR
        and (record.exc_info is not None or "Unexpected error" in record.getMessage())
    ]


async def step(hass: HomeAssistant, freezer: FrozenDateTimeFactory, ticking: bool) -> None:
    """Move on by STEP and let the polls run.

    ``ticking``: the clock also moves on in small ticks while requests run, as
    frozen time would stop every timeout (and the delay of a slow answer) for good.
    """
    if not ticking:
        await advance(hass, freezer, STEP)
        return
    freezer.tick(STEP)
    async_fire_time_changed(hass)
    for _ in range(2000):  # ticks far shorter than TIMEOUT: a normal answer is in time
        freezer.tick(0.001)
        await asyncio.sleep(0)
    await hass.async_block_till_done(wait_background_tasks=True)


async def until_polled(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    sim: Simulator,
    spec: ProviderSpec,
    bound: timedelta,
    ticking: bool = False,
    status: int | None = None,
) -> timedelta:
    """Move time in steps until the cloud answered a new read; how long that took."""
    start = reads(sim, spec, status)
    waited = timedelta()
    while reads(sim, spec, status) == start:
        assert waited < bound, f"no read within {bound}"
        await step(hass, freezer, ticking)
        waited += STEP
    return waited


async def until_failed(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, coordinator: Any
) -> timedelta:
    """Move time in steps until a poll failed; how long that took."""
    waited = timedelta()
    while coordinator.last_update_success:
        assert waited < FIRST_POLL_BOUND, f"no failed poll within {FIRST_POLL_BOUND}"
        await advance(hass, freezer, STEP)
        waited += STEP
    return waited


def closed_port_url() -> str:
    """A local URL nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def retarget(client: Any, provider: str, url: str | None) -> dict[str, str]:
    """Point the entry's client at ``url`` (None: back); returns what it used before."""
    if provider == WALLBOX:
        attributes, target = ("_auth_url", "_data_url"), client.wallbox
    elif provider == PODERO:
        attributes, target = ("_base_url",), client.podero
    else:
        attributes, target = ("_base_url",), client.thor
    before = {name: getattr(target, name) for name in attributes}
    for name in attributes:
        setattr(target, name, url)
    return before


class FaultRun:
    """Starts and ends one case's fault on one provider."""

    def __init__(
        self, hass: HomeAssistant, sim: Simulator, spec: ProviderSpec, case: Case, entry: Any
    ) -> None:
        self.hass, self.sim, self.spec, self.case, self.entry = hass, sim, spec, case, entry
        self._restore: dict[str, str] = {}

    def start(self) -> None:
        spec, case, faults = self.spec, self.case, self.spec.faults(self.sim)
        if case.kind == "fault":
            options = dict(case.fault)
            headers = options.pop("headers", None)
            if isinstance(headers, dict):
                options["headers"] = {k: str(retry_after_value(v)) for k, v in headers.items()}
            faults.add(Fault(path=spec.read_path, **options))  # type: ignore[arg-type]
        elif case.kind == "timeout":
            # Answered (too late) with an error, so the request log tells it apart.
            faults.add(Fault(path=spec.read_path, delay=TIMEOUT * 4, status=504))
        elif case.kind == "refused_connection":
            client = self.entry.runtime_data.client
            self._restore = retarget(client, spec.name, closed_port_url() + "/")
        elif case.kind == "credentials":
            spec.refuse_credentials(self.sim)
        else:  # token_ttl
            assert case.token_ttl is not None
            assert spec.token_path is not None
            if spec.name == WALLBOX:
                self.sim.wallbox.revoke_tokens(EMAIL)
            else:
                self.sim.podero.revoke_tokens(ORG_ID)
            ttl = case.token_ttl
            body = bad_token_answer(spec.name, self.sim, lambda expiry: ttl(spec.name, expiry))
            faults.add(Fault(path=spec.token_path, malformed=True, body=body))

    def end(self) -> None:
        self.spec.faults(self.sim).clear()
        if self._restore:
            target = self.entry.runtime_data.client
            target = {
                WALLBOX: getattr(target, "wallbox", None),
                PODERO: getattr(target, "podero", None),
                THOR: getattr(target, "thor", None),
            }.get(self.spec.name, target)
            for name, value in self._restore.items():
                setattr(target, name, value)


@pytest.fixture
def setup(request: pytest.FixtureRequest) -> tuple[Any, Simulator]:
    """The provider's entry, set up by its usual fixture, and its simulator.

    A sync fixture: the async fixtures it asks for by name run on the test's loop.
    """
    spec = PROVIDERS[request.node.callspec.params["provider"]]
    entry = request.getfixturevalue(spec.entry_fixture)
    running = request.getfixturevalue(spec.sim_fixture)
    sim = getattr(running, "sim", running)
    if spec.prepare is not None:
        spec.prepare(sim)
    return entry, sim


@pytest.mark.parametrize(
    ("provider", "case"),
    [pytest.param(p, c, id=f"{p}-{c.name}") for p, c in matrix()],
)
async def test_fault(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    setup: tuple[Any, Simulator],
    caplog: pytest.LogCaptureFixture,
    provider: str,
    case: Case,
) -> None:
    """The fault is survived: see the module's docstring."""
    spec = PROVIDERS[provider]
    entry, sim = setup
    await until_polled(hass, freezer, sim, spec, FIRST_POLL_BOUND)
    before = state_of(hass, spec.entity)
    assert before != STATE_UNAVAILABLE
    run = FaultRun(hass, sim, spec, case, entry)

    ticking = case.kind == "timeout"
    run.start()
    if case.kind == "refused_connection":  # no read reaches the cloud: the poll fails
        met = await until_failed(hass, freezer, entry.runtime_data.coordinator)
    else:
        met = await until_polled(hass, freezer, sim, spec, FIRST_POLL_BOUND, ticking)
    if case.expects_reauth(provider) and provider == THOR:
        assert reauth_flows(hass) == [], "a refused key is a glitch for a while"
    elapsed = met
    while elapsed < case.duration:
        await step(hass, freezer, ticking)
        elapsed += STEP

    assert unhandled(caplog) == []
    during = state_of(hass, spec.entity)
    assert (during != STATE_UNAVAILABLE) is case.expects_available(provider), during
    flows = reauth_flows(hass)
    assert bool(flows) is case.expects_reauth(provider), flows
    if case.kind == "token_ttl":
        renewals = sim.requests.count(provider=spec.name, path_contains=spec.token_path)
        assert 1 <= renewals <= MAX_RENEWALS_PER_HOUR + 1
        warnings = [r for r in caplog.records if "issued a token" in r.getMessage()]
        assert len(warnings) == 1
    if case.expects_reauth(provider):
        return  # only the user can fix it: polls do not recover by themselves

    run.end()
    # Reads answered after the fault ended (a delayed one may be logged late), until
    # the device's own: with one device per poll its turn may come a poll later.
    waited = timedelta()
    while True:
        waited += await until_polled(hass, freezer, sim, spec, case.wait, ticking, status=200)
        if state_of(hass, spec.entity) != STATE_UNAVAILABLE or waited >= case.wait:
            break

    assert state_of(hass, spec.entity) == before
    assert reauth_flows(hass) == []
    assert unhandled(caplog) == []


def test_matrix_size() -> None:
    """Three providers, and Thor's optional read; token lifetimes only where tokens are issued."""
    pairs = matrix()
    assert {provider for provider, _ in pairs} == {WALLBOX, PODERO, THOR, THOR_RESERVATIONS}
    assert len(pairs) >= 3 * 20
    assert sum(provider == THOR_RESERVATIONS for provider, _ in pairs) >= 20


def move_devices(sim: Simulator, provider: str) -> None:
    """The device behind the checked entity leaves the account; a "Carport" joins it."""
    if provider == WALLBOX:
        account = sim.wallbox.account(EMAIL)
        gone = account.charger_ids.pop(0)
        sim.wallbox.charger(gone).owner_email = "new-owner@example.com"
        sim.wallbox.add_charger(EMAIL, name="Carport")
    elif provider == PODERO:
        user = sim.podero.user(USER_ID)
        user.wallbox_ids.remove(next(w for w in user.wallbox_ids if w))
        sim.podero.add_wallbox(USER_ID, name="Carport")
    else:
        sim.thor.account(API_KEY).box_ids.remove(GARAGE_ID)
        sim.thor.add_chargebox(API_KEY, id="CB-CARPORT", alias="Carport")


@pytest.mark.parametrize("provider", [WALLBOX, PODERO, THOR])
async def test_devices_removed_and_added(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    setup: tuple[Any, Simulator],
    caplog: pytest.LogCaptureFixture,
    provider: str,
) -> None:
    """A device gone from the cloud turns unavailable, a new one appears; no reauth."""
    spec = PROVIDERS[provider]
    _entry, sim = setup
    await until_polled(hass, freezer, sim, spec, FIRST_POLL_BOUND)
    assert state_of(hass, spec.entity) != STATE_UNAVAILABLE

    move_devices(sim, provider)
    waited = timedelta()
    while state_of(hass, spec.entity) != STATE_UNAVAILABLE:
        assert waited < timedelta(hours=13), "the removed device is still shown"
        await advance(hass, freezer, timedelta(minutes=5))
        waited += timedelta(minutes=5)
    # Wallbox looks for new chargers only at its rediscovery (or after a 404, as here).
    for _ in range(12 * 12):
        if hass.states.get("sensor.carport_status") is not None:
            break
        await advance(hass, freezer, timedelta(minutes=5))
    assert state_of(hass, "sensor.carport_status") != STATE_UNAVAILABLE
    assert reauth_flows(hass) == []
    assert unhandled(caplog) == []
