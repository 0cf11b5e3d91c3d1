"""Property: every parser of every provider returns its model or raises UnexpectedResponseError.

For any JSON-like value, and for the seed payloads (tests/fixtures/*.json and the
samples below) with random nodes replaced by random JSON values, a parser either
returns what it promises or raises UnexpectedResponseError: never another
exception. The readers of error bodies never raise at all. Deterministic
(``derandomize``) and without an example database, so CI sees the same examples.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
import dataclasses
import json
import math
from typing import Any

from hypothesis import HealthCheck, given, settings, strategies as st
import pytest

from custom_components.ev_charger_cloud.api.errors import (
    BoostRefusedError,
    UnexpectedResponseError,
)
from custom_components.ev_charger_cloud.api.models import Charger, DeviceRef
from custom_components.ev_charger_cloud.api.podero.auth import PoderoToken
from custom_components.ev_charger_cloud.api.podero.models import (
    PoderoAction,
    PoderoChargingConfig,
    PoderoUser,
    PoderoVehicle,
    PoderoWallbox,
)
from custom_components.ev_charger_cloud.api.podero.parse import (
    boost_refused,
    parse_action,
    parse_charging_config,
    parse_user,
    parse_users,
    parse_vehicle,
    parse_vehicles,
    parse_wallbox,
    parse_wallboxes,
)
from custom_components.ev_charger_cloud.api.thor import parse as thor_parse
from custom_components.ev_charger_cloud.api.thor.models import (
    ThorCharge,
    ThorChargebox,
    ThorFinishedCharge,
    ThorReservation,
)
from custom_components.ev_charger_cloud.api.thor.push import (
    ThorMeterNotice,
    ThorStartNotice,
    ThorStopNotice,
    ThorUnlockNotice,
    parse_notification,
)
from custom_components.ev_charger_cloud.api.wallbox.auth import WallboxTokens
from custom_components.ev_charger_cloud.api.wallbox.client import _error_title
from custom_components.ev_charger_cloud.api.wallbox.parse import (
    ChargerData,
    parse_charger_data,
    parse_config_answer,
    parse_groups,
    parse_status,
)
from tests.paths import FIXTURES
from tests.without_hass import auto_enable_custom_integrations  # noqa: F401 (overrides conftest's)


def _fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


WALLBOX_STATUS = _fixture("wallbox_status_seed.json")
PODERO_WALLBOX = _fixture("podero_wallbox_seed.json")
PODERO_VEHICLES = _fixture("podero_ev_list_seed.json")
THOR_CHARGEBOX = _fixture("thor_chargebox_seed.json")

# Samples of the answers without a fixture file, after the vendors' documentation.
WALLBOX_TOKENS = {
    "data": {
        "attributes": {
            "token": "access",
            "refresh_token": "refresh",
            "ttl": 1_730_000_000_000,
            "refresh_token_ttl": 1_740_000_000_000,
            "user_id": 777001,
        }
    }
}
WALLBOX_GROUPS = {
    "result": {
        "groups": [
            {"id": 1, "name": "Home", "chargers": [{"id": 9988552, "name": "Pulsar"}, {"id": 7}]}
        ]
    }
}
WALLBOX_CHARGER_DATA = {
    "data": {"chargerData": {"status": 194, "locked": 0, "maxChargingCurrent": 16}}
}
WALLBOX_CONFIG = {"energy_price": 0.3, "icp_max_current": 20, "currency": {"code": "EUR"}}
WALLBOX_ERROR = {"errors": [{"title": "Charger is locked", "status": 400}]}
PODERO_USER = {
    "id": "u1",
    "email": "a@example.com",
    "first_name": "A",
    "last_name": "B",
    "role": "admin",
    "num_wallboxes": 1,
    "num_electric_vehicles": "2",
}
PODERO_CHARGING_CONFIG = {
    "mode": "hems",
    "available_modes": [
        {"mode": "spot", "available": True, "reasons": []},
        {"mode": "hems", "available": "false", "reason": "no meter"},
        "none",
    ],
    "min_band_w": 1400,
    "hems_min_export_to_start_w": "1400",
    "hems_max_import_before_stopping_w": 300,
    "solar_charging_status": {"status": "active"},
}
PODERO_TOKEN = {"access_token": "abc", "expires_in": 36000, "token_type": "Bearer"}
PODERO_ACTION = {
    "code": "reauthenticate",
    "resolution_link": {"url": "https://example.com", "required_parameters": ["a", 1]},
    "metadata": {"message": "Sign in again"},
    "sent_at": "2023-11-07T05:31:56Z",
}
PODERO_BOOST_REFUSAL = {"state": "requested", "reason": "already_charging"}
THOR_RUNNING = {
    "count": 1,
    "items": [
        {
            "id": 42,
            "chargebox": "CB1",
            "connector": 1,
            "date_started": 1_730_000_000_000,
            "energy": "1234.5",
            "id_tag": "TAG",
            "type": "api",
            "user": {"id": 7},
        }
    ],
    "users": {"7": {"name": "x"}},
}
THOR_FINISHED = {
    "count": 1,
    "items": [
        {
            **THOR_RUNNING["items"][0],
            "date_finished": "2024-10-27T03:33:20Z",
            "payment": {"price": 1.2, "currency": "EUR"},
        }
    ],
}
THOR_RESERVATIONS = {
    "count": 1,
    "items": [
        {
            "chargebox": "CB1",
            "connector": 2,
            "id_tag": 1234,
            "status": 1,
            "date_accepted": 1_730_000_000_000,
            "expiry_date": "1730003600000",
            "user": 7,
            "client": {"id": 3},
        }
    ],
}
THOR_START = {"id_tag": "ABC123"}
THOR_ERROR = {"error": {"message": "ChargeboxNotFree", "code": 400}}
THOR_PUSH_START = {
    "type": "start",
    "chargebox": "CB1",
    "connector": 1,
    "transaction_id": 42,
    "accepted": True,
    "id": "TAG",
    "mode": "remote",
    "time": 1_730_000_000_000,
}
THOR_PUSH_STOP = {
    "type": "stop_transaction",
    "chargebox": "CB1",
    "connector": "1",
    "transaction_id": "42",
    "idTag": "TAG",
    "energy": 1234,
    "time": 1_730_000_000_000,
}
THOR_PUSH_METERS = {
    "type": "meters",
    "chargebox": "CB1",
    "connector": 2,
    "time": 1_730_000_000_000,
    "meters": [
        {"measurand": "Energy.Active.Import.Register", "value": "12.5", "uom": "kWh"},
        {"measurand": "Power.Active.Import", "value": 3600, "uom": "W", "phase": "L1"},
        {"measurand": "Current.Import", "value": 16, "uom": "A", "phase": "L2-N"},
    ],
}
THOR_PUSH_UNLOCK = {"msg": "stop", "chargebox": "CB1", "connector": 1, "accepted": "false"}


def _thor_list_of(item: Any) -> Any:
    return {"count": 1, "items": [item]}


@dataclasses.dataclass(frozen=True)
class Parser:
    """A parser, what it returns, and the payload it is seeded with."""

    name: str
    parse: Callable[[Any], Any]
    returns: Callable[[Any], bool]
    seed: Any
    raises: bool = True  # False: a reader of error bodies, which never raises


def _is(*types: type) -> Callable[[Any], bool]:
    return lambda result: isinstance(result, types)


def _list_of(*types: type) -> Callable[[Any], bool]:
    return lambda result: isinstance(result, list) and all(isinstance(i, types) for i in result)


def _floats(values: Mapping[str, float]) -> bool:
    return isinstance(values, dict) and all(isinstance(v, float) for v in values.values())


PARSERS = [
    # Wallbox
    Parser("wallbox_status", lambda p: parse_status("1", p), _is(Charger), WALLBOX_STATUS),
    Parser("wallbox_tokens", WallboxTokens.from_response, _is(WallboxTokens), WALLBOX_TOKENS),
    Parser("wallbox_groups", parse_groups, _list_of(DeviceRef), WALLBOX_GROUPS),
    Parser("wallbox_charger_data", parse_charger_data, _is(ChargerData), WALLBOX_CHARGER_DATA),
    Parser(
        "wallbox_config",
        lambda p: parse_config_answer(p, {"energy_price": 0.3}),
        _floats,
        WALLBOX_CONFIG,
    ),
    Parser("wallbox_error", _error_title, _is(str, type(None)), WALLBOX_ERROR, raises=False),
    # Podero
    Parser("podero_wallbox", parse_wallbox, _is(PoderoWallbox), PODERO_WALLBOX),
    Parser("podero_wallbox_named", lambda p: parse_wallbox(p, "w1"), _is(PoderoWallbox), {}),
    Parser("podero_vehicle", parse_vehicle, _is(PoderoVehicle), PODERO_VEHICLES[0]),
    Parser("podero_wallboxes", parse_wallboxes, _list_of(PoderoWallbox), [PODERO_WALLBOX]),
    Parser("podero_vehicles", parse_vehicles, _list_of(PoderoVehicle), PODERO_VEHICLES),
    Parser("podero_user", parse_user, _is(PoderoUser), PODERO_USER),
    Parser("podero_users", parse_users, _list_of(PoderoUser), [PODERO_USER]),
    Parser(
        "podero_charging_config",
        parse_charging_config,
        _is(PoderoChargingConfig),
        PODERO_CHARGING_CONFIG,
    ),
    Parser("podero_token", PoderoToken.from_response, _is(PoderoToken), PODERO_TOKEN),
    Parser(
        "podero_action", parse_action, _is(PoderoAction, type(None)), PODERO_ACTION, raises=False
    ),
    Parser(
        "podero_boost_refusal",
        boost_refused,
        _is(BoostRefusedError),
        PODERO_BOOST_REFUSAL,
        raises=False,
    ),
    # Thor
    Parser("thor_chargebox", thor_parse.parse_chargebox, _is(ThorChargebox), THOR_CHARGEBOX),
    Parser(
        "thor_chargeboxes",
        thor_parse.parse_chargeboxes,
        _list_of(ThorChargebox),
        _thor_list_of(THOR_CHARGEBOX),
    ),
    Parser("thor_running", thor_parse.parse_running_charges, _list_of(ThorCharge), THOR_RUNNING),
    Parser(
        "thor_finished",
        thor_parse.parse_finished_charges,
        _list_of(ThorFinishedCharge),
        THOR_FINISHED,
    ),
    Parser(
        "thor_reservations",
        thor_parse.parse_reservations,
        _list_of(ThorReservation),
        THOR_RESERVATIONS,
    ),
    Parser("thor_start", thor_parse.parse_id_tag, _is(str), THOR_START),
    Parser("thor_error", thor_parse.error_name, _is(str, type(None)), THOR_ERROR, raises=False),
    *(
        Parser(
            f"thor_push_{kind}",
            parse_notification,
            _is(ThorStartNotice, ThorStopNotice, ThorUnlockNotice, ThorMeterNotice, type(None)),
            seed,
        )
        for kind, seed in (
            ("start", THOR_PUSH_START),
            ("stop", THOR_PUSH_STOP),
            ("meters", THOR_PUSH_METERS),
            ("unlock", THOR_PUSH_UNLOCK),
        )
    ),
]

# --- strategies ---------------------------------------------------------------------


def _keys(value: Any) -> Iterator[str]:
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield key
            yield from _keys(item)
    elif isinstance(value, list):
        for item in value:
            yield from _keys(item)


# Every key of a seed: random objects then hit the fields the parsers read.
KEYS = sorted({key for parser in PARSERS for key in _keys(parser.seed)})

# Values clouds were seen to send, and the edges of what Python's JSON decoder yields.
ODD_SCALARS = [
    10**309,
    -(10**309),
    2**63,
    math.inf,
    -math.inf,
    math.nan,
    1e308,
    -0.0,
    "1e999",
    "NaN",
    "-Infinity",
    "0",
    "1",
    "true",
    "FALSE",
    "yes",
    "",
    " ",
    "0001-01-01T00:00:00+01:00",
    "9999-12-31T23:59:59-01:00",
    "0001-01-01T00:00:00Z",
    "2023-11-07T05:31:56Z",
    "12:30",
    "POWER_BOOST",
    "ChargeboxNotFree",
    "energy.active.import.register",
    "kWh",
    "L1",
]

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.sampled_from(ODD_SCALARS)
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=6), children, max_size=5)
    ),
    max_leaves=8,
)


def _paths(value: Any, prefix: tuple[Any, ...] = (), depth: int = 0) -> Iterator[tuple[Any, ...]]:
    """The path of every node (the root's is ()), down to a modest depth."""
    yield prefix
    if depth >= 12:
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key), depth + 1)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*prefix, index), depth + 1)


def _replaced(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    """A copy of ``value`` with the node at ``path`` replaced (only that path copied)."""
    if not path:
        return new
    head, *rest = path
    copied: Any = dict(value) if isinstance(value, Mapping) else list(value)
    copied[head] = _replaced(value[head], tuple(rest), new)
    return copied


@st.composite
def _mutated(draw: st.DrawFn, seed: Any) -> Any:
    """The seed with one to three nodes replaced by random JSON values."""
    value = seed
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        paths = list(_paths(value))
        path = paths[draw(st.integers(min_value=0, max_value=len(paths) - 1))]
        value = _replaced(value, path, draw(json_values))
    return value


# --- the property -------------------------------------------------------------------

# Two properties of 100 examples each: 200 per parser, the whole file in about 15 s of CPU per core.
SETTINGS = settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def _finite_floats(result: Any, depth: int = 0) -> bool:
    """No float in a model (or list of them) is inf or NaN."""
    if depth > 6:
        return True
    if isinstance(result, float):
        return math.isfinite(result)
    if isinstance(result, (list, tuple, frozenset)):
        return all(_finite_floats(item, depth + 1) for item in result)
    if isinstance(result, dict):
        return all(_finite_floats(item, depth + 1) for item in result.values())
    if dataclasses.is_dataclass(result) and not isinstance(result, type):
        return all(
            _finite_floats(getattr(result, field.name), depth + 1)
            for field in dataclasses.fields(result)
        )
    return True


def _check(parser: Parser, payload: Any) -> None:
    try:
        result = parser.parse(payload)
    except UnexpectedResponseError:
        assert parser.raises, f"{parser.name} must not raise"
        return
    assert parser.returns(result), f"{parser.name} returned {type(result).__name__}"
    assert _finite_floats(result), f"{parser.name} returned a float that is not finite"


@pytest.mark.parametrize("parser", PARSERS, ids=lambda parser: parser.name)
def test_seeds_parse(parser: Parser) -> None:
    """The unchanged seeds give their model (the mutations start from a good answer)."""
    result = parser.parse(parser.seed)
    assert parser.returns(result)
    assert result is not None or parser.name == "wallbox_error"


@pytest.mark.parametrize("parser", PARSERS, ids=lambda parser: parser.name)
@SETTINGS
@given(payload=json_values)
def test_any_json_value(parser: Parser, payload: Any) -> None:
    """Any JSON value: the model, or UnexpectedResponseError."""
    _check(parser, payload)


@pytest.mark.parametrize("parser", PARSERS, ids=lambda parser: parser.name)
@SETTINGS
@given(data=st.data())
def test_mutated_seed(parser: Parser, data: st.DataObject) -> None:
    """The seed with random nodes replaced: the model, or UnexpectedResponseError."""
    _check(parser, data.draw(_mutated(parser.seed), label="payload"))
