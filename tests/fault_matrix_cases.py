"""The data of the fault matrix: the providers, the faults, and what each must lead to.

A case injects a fault into the reads of a provider's simulated cloud (never into
its sign-in or token request, unless the case is about the credentials), lets
it last a few polls, ends it, and expects the entities to be (un)available
during it, back after one poll, and a reauth flow only for real credential
failures. See test_fault_matrix.py for how each case is run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
import json

from simulator import Simulator
from simulator.faults import Fault, FaultList
from simulator.podero.answers import token_json as podero_token_json
from simulator.wallbox.answers import token_json as wallbox_token_json
from tests.podero_helpers import CLIENT_ID, CLIENT_SECRET, ORG_ID
from tests.thor_entry_fixtures import API_KEY, PARKING_ID

from .conftest import EMAIL, PASSWORD

WALLBOX, PODERO, THOR = "wallbox", "podero", "thor"
# Thor again, with the fault on its reservations read only: an optional read, so the
# entities stay available, except where the fault concerns the whole account.
THOR_RESERVATIONS = "thor_reservations"
# Statuses that concern a Thor account wherever they come: a refused key, a rate limit.
# (The injected 403 names a message Thor does not document, "Injected fault": neither a
# refused key nor a dashboard switch, so on an optional read it only backs that read off.)
THOR_ACCOUNT_WIDE = frozenset({401, 429})


@dataclass(frozen=True)
class ProviderSpec:
    """How a provider's entry is set up in the tests, and where its reads go."""

    name: str
    entry_fixture: str  # sets the entry up against the simulator
    sim_fixture: str  # the Simulator (or RunningSimulator) behind it
    read_path: str  # a part of the path of every data read
    token_path: str | None  # the sign-in or token request (None: an API key)
    entity: str  # an entity whose state is checked during and after the fault
    faults: Callable[[Simulator], FaultList]
    refuse_credentials: Callable[[Simulator], None]
    # The provider in the simulator's request log, when not ``name``.
    cloud: str | None = None
    # Run once the entry is set up, before the first read the case waits for.
    prepare: Callable[[Simulator], None] | None = None

    @property
    def logged_as(self) -> str:
        """The provider's name in the simulator's request log."""
        return self.cloud or self.name


def _wallbox_refuse(sim: Simulator) -> None:
    sim.wallbox.account(EMAIL).password = "changed by the user"
    sim.wallbox.revoke_tokens(EMAIL)


def _podero_refuse(sim: Simulator) -> None:
    sim.podero.org(ORG_ID).client_secret = "rotated by the partner"
    sim.podero.revoke_tokens(ORG_ID)


def _thor_refuse(sim: Simulator) -> None:
    sim.thor.faults.add(Fault(status=403, malformed=True, body="APIKeyNotFound"))


def _thor_reserve(sim: Simulator) -> None:
    """Parking A is reservable: connector 2 reserved for a day, so every poll plans its read."""
    sim.thor.add_reservation(PARKING_ID, 2, sim.clock.now() + 86_400)


PROVIDERS = {
    WALLBOX: ProviderSpec(
        WALLBOX,
        "init_integration",
        "simulator",
        "/chargers/status/",
        "/users/",
        "sensor.garage_charging_power",
        lambda sim: sim.wallbox.faults,
        _wallbox_refuse,
    ),
    PODERO: ProviderSpec(
        PODERO,
        "entry",
        "podero_sim",
        "/api/partners/",
        "/oauth2/token/",
        "sensor.garage_status",
        lambda sim: sim.podero.faults,
        _podero_refuse,
    ),
    THOR: ProviderSpec(
        THOR,
        "thor_entry",
        "thor_entry_sim",
        "/integration/",
        None,
        "sensor.garage_status",
        lambda sim: sim.thor.faults,
        _thor_refuse,
        prepare=_thor_reserve,
    ),
    THOR_RESERVATIONS: ProviderSpec(
        THOR_RESERVATIONS,
        "thor_entry",
        "thor_entry_sim",
        "/reservations",
        None,
        "sensor.parking_a_connector_2_status",
        lambda sim: sim.thor.faults,
        _thor_refuse,
        cloud=THOR,
        prepare=_thor_reserve,
    ),
}


def _in_a_minute() -> str:
    return format_datetime(datetime.now(UTC) + timedelta(minutes=1), usegmt=True)


def bad_token_answer(provider: str, sim: Simulator, ttl: Callable[[float], float]) -> str:
    """A real token (valid for hours at the cloud) with a lifetime ``ttl`` makes of the true one.

    ``ttl`` gets the true expiry (epoch s) and returns what the answer claims, in
    the answer's own unit (Wallbox: epoch ms; Podero: seconds from now).
    """
    if provider == WALLBOX:
        sim.wallbox.settings.token_lifetime = 6 * 3600.0
        grant = sim.wallbox.sign_in(EMAIL, PASSWORD)
        body = wallbox_token_json(grant)
        body["data"]["attributes"]["ttl"] = ttl(grant.ttl_ms / 1000)
        return json.dumps(body)
    org = sim.podero.authenticate_client(CLIENT_ID, CLIENT_SECRET)
    sim.podero.settings.token_lifetime = 6 * 3600.0
    token, lifetime = sim.podero.issue_token(org)
    answer = podero_token_json(token, lifetime)
    answer["expires_in"] = ttl(lifetime)
    return json.dumps(answer)


@dataclass(frozen=True)
class Case:
    """One fault and what it must lead to.

    ``fault``: the Fault's arguments for every read (or ``token_ttl``: the token
    answers claim this lifetime). ``available``: the entities during the fault
    (per provider where they differ). ``wait``: how long the first poll after
    the fault may take (a Retry-After is honoured). ``reauth``: only the user
    can fix it, so a reauth flow starts and nothing recovers by itself.
    """

    name: str
    fault: dict[str, object] = field(default_factory=dict)
    available: bool | dict[str, bool] = False
    wait: timedelta = timedelta(minutes=10)
    duration: timedelta = timedelta(minutes=3)
    reauth: bool | dict[str, bool] = False
    providers: tuple[str, ...] = (WALLBOX, PODERO, THOR)
    kind: str = "fault"  # fault | refused_connection | timeout | credentials | token_ttl
    token_ttl: Callable[[str, float], float] | None = None

    def expects_available(self, provider: str) -> bool:
        """Whether the entities stay available while the fault lasts."""
        if provider == THOR_RESERVATIONS:  # optional: only the account's refusals fail a poll
            return self.fault.get("status") not in THOR_ACCOUNT_WIDE
        if isinstance(self.available, dict):
            return self.available[provider]
        return self.available

    def expects_reauth(self, provider: str) -> bool:
        """Whether a reauth flow must start."""
        if isinstance(self.reauth, dict):
            return self.reauth[provider]
        return self.reauth


HTML_PAGE = "<html><body><h1>502 Bad Gateway</h1></body></html>"

CASES = [
    Case("http_500", {"status": 500}),
    Case("http_502", {"status": 502}),
    Case("http_503", {"status": 503}),
    Case("http_503_retry_after", {"status": 503, "headers": {"Retry-After": "120"}}),
    Case("html_error_page_200", {"malformed": True}),
    Case("html_error_page_502", {"status": 502, "malformed": True, "body": HTML_PAGE}),
    Case("timeout", kind="timeout"),
    Case("refused_connection", kind="refused_connection"),
    Case("truncated_body", {"malformed": True, "body": '{"data": {"chargerData": {"sta'}),
    Case("malformed_json", {"malformed": True, "body": "{'id': 1, 'status': ok,}"}),
    Case("wrong_type_text", {"malformed": True, "body": '"surprise"'}),
    Case("wrong_shape_object", {"malformed": True, "body": '{"data": 42, "items": 7}'}),
    Case("wrong_type_number", {"malformed": True, "body": "12.5"}),
    # A 401 on the reads while the credentials still work: a glitch, never reauth.
    Case("http_401_glitch", {"status": 401}),
    # The cloud refuses the stored credentials (Thor: its key, for over 15 minutes).
    Case(
        "credentials_refused",
        kind="credentials",
        reauth=True,
        duration=timedelta(minutes=17),
    ),
    Case("http_403", {"status": 403}),
    # A 404 that lasts (a single one is kept over: see test_one_off_404.py).
    Case("http_404", {"status": 404}),
    Case("http_429_retry_after_seconds", {"status": 429, "headers": {"Retry-After": "90"}}),
    Case("http_429_retry_after_date", {"status": 429, "headers": {"Retry-After": "date"}}),
    Case(
        "http_429_retry_after_huge",
        {"status": 429, "headers": {"Retry-After": "1e9"}},
        wait=timedelta(minutes=65),
    ),
    Case(
        "http_429_retry_after_inf",
        {"status": 429, "headers": {"Retry-After": "inf"}},
        wait=timedelta(minutes=65),
    ),
    Case("http_429_no_retry_after", {"status": 429}),
    # Token lifetimes that make no sense: the token is kept, renewals stay bounded.
    Case(
        "token_ttl_in_seconds",
        kind="token_ttl",
        available=True,
        duration=timedelta(hours=1),
        providers=(WALLBOX,),
        token_ttl=lambda _provider, expiry: expiry,  # seconds where ms belong
    ),
    Case(
        "token_ttl_in_the_past",
        kind="token_ttl",
        available=True,
        duration=timedelta(hours=1),
        providers=(WALLBOX, PODERO),
        token_ttl=lambda provider, expiry: (
            (expiry - 7 * 3600) * 1000 if provider == WALLBOX else 1.0
        ),
    ),
    Case(
        "token_clock_one_hour_off",
        kind="token_ttl",
        available=True,
        duration=timedelta(hours=1),
        providers=(WALLBOX,),
        # The token lives 15 minutes, but this computer's clock is an hour ahead.
        token_ttl=lambda _provider, expiry: (expiry - 6 * 3600 + 900 - 3600) * 1000,
    ),
]


def retry_after_value(value: object) -> object:
    """The Retry-After of a case, with "date" replaced by an HTTP-date a minute ahead."""
    return _in_a_minute() if value == "date" else value


def matrix() -> list[tuple[str, Case]]:
    """Every (provider, case) pair that applies.

    Thor's reservations read gets every fault that can hit one path (not a refused
    connection or the credentials, which hit every request).
    """
    pairs = [(provider, case) for case in CASES for provider in case.providers]
    pairs += [
        (THOR_RESERVATIONS, case)
        for case in CASES
        if THOR in case.providers and case.kind in ("fault", "timeout")
    ]
    return pairs


__all__ = ["API_KEY", "CASES", "PROVIDERS", "Case", "ProviderSpec", "matrix"]
