"""Odd but valid JSON, found by probing the clouds: only typed errors, never a Python one.

Each case here once escaped a parser as OverflowError, TypeError, AttributeError or
RecursionError (logged as "Unexpected error fetching" with a traceback, shown raw on
commands), or read a text "0" as true. tests/test_parsers_property.py generalises them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import asynccontextmanager
import copy
import json
from typing import Any, cast

import aiohttp
import pytest

from custom_components.ev_charger_cloud.api import WallboxClient, http
from custom_components.ev_charger_cloud.api.errors import (
    CommandRejectedError,
    UnexpectedResponseError,
)
from custom_components.ev_charger_cloud.api.models import ChargerStatus, EcoSmartMode, Feature
from custom_components.ev_charger_cloud.api.parse import as_bool, as_float, as_int, as_str
from custom_components.ev_charger_cloud.api.podero.auth import PoderoToken
from custom_components.ev_charger_cloud.api.podero.models import PoderoMode
from custom_components.ev_charger_cloud.api.podero.parse import (
    as_enum,
    boost_refused,
    parse_charging_config,
    parse_wallbox,
)
from custom_components.ev_charger_cloud.api.thor import client as thor
from custom_components.ev_charger_cloud.api.thor.client import ThorClient
from custom_components.ev_charger_cloud.api.thor.parse import (
    error_name,
    parse_chargebox,
    parse_chargeboxes,
)
from custom_components.ev_charger_cloud.api.wallbox.auth import WallboxTokens
from custom_components.ev_charger_cloud.api.wallbox.client import _error_title
from custom_components.ev_charger_cloud.api.wallbox.cloud import WallboxCloud
from custom_components.ev_charger_cloud.api.wallbox.parse import (
    parse_charger_data,
    parse_groups,
    parse_status,
)
from tests.paths import FIXTURES
from tests.without_hass import auto_enable_custom_integrations  # noqa: F401 (overrides conftest's)

WALLBOX_SEED = json.loads((FIXTURES / "wallbox_status_seed.json").read_text())
THOR_SEED = json.loads((FIXTURES / "thor_chargebox_seed.json").read_text())
# Nesting the C decoder of this Python still reads (10,000) and one it refuses (100,000).
READABLE_DEPTH = 10_000
UNREADABLE_DEPTH = 100_000
FAR_FUTURE = 4_000_000_000.0


def _status(**changes: Any) -> dict[str, Any]:
    payload = copy.deepcopy(WALLBOX_SEED)
    for key, value in changes.items():
        if key.startswith("config_"):
            payload["config_data"][key.removeprefix("config_")] = value
        else:
            payload[key] = value
    return cast("dict[str, Any]", payload)


def _deep_list(depth: int) -> list[Any]:
    return cast("list[Any]", json.loads("[" * depth + "]" * depth))


def _deep_object(key: str, depth: int) -> dict[str, Any]:
    root: dict[str, Any] = {}
    node = root
    for _ in range(depth):
        node[key] = {}
        node = node[key]
    return root


def _deep_text(depth: int) -> str:
    return "[" * depth + "]" * depth


def _tokens_answer(**attributes: Any) -> dict[str, Any]:
    base = {
        "token": "access",
        "refresh_token": "refresh",
        "ttl": 1_730_000_000_000,
        "refresh_token_ttl": 1_740_000_000_000,
        "user_id": 777001,
    }
    return {"data": {"attributes": base | attributes}}


# --- numbers ------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["1e999", "-1e999", "Infinity", "NaN"])
def test_status_id_not_finite(text: str) -> None:
    """``status_id: 1e999`` (decoded as inf) raised OverflowError."""
    with pytest.raises(UnexpectedResponseError):
        parse_status("1", _status(status_id=json.loads(text)))


@pytest.mark.parametrize("value", [10**309, -(10**309), "10e400", 194.5, True, [194], None])
def test_status_id_unreadable(value: Any) -> None:
    """A status_id that is no whole number a float can hold is a payload error."""
    with pytest.raises(UnexpectedResponseError):
        parse_status("1", _status(status_id=value))


@pytest.mark.parametrize(("value", "code"), [(194, 194), ("194", 194), (194.0, 194), ("0", 0)])
def test_status_id_readable(value: Any, code: int) -> None:
    """Whole numbers, also as text or a float, stay readable."""
    connector = parse_status("1", _status(status_id=value)).connectors[0]
    assert connector.status_code == code


def test_numbers_beyond_any_float_are_unknown() -> None:
    """10**309 (or 1e999) where a number belongs reads as no value, not as an error."""
    huge = 10**309
    charger = parse_status(
        "1",
        _status(
            charging_power=huge,
            max_available_power=json.loads("1e999"),
            config_max_available_current=huge,
            config_max_charging_current=huge,
            config_energy_price=json.loads("-1e999"),
            config_icp_max_current=huge,
            added_energy=huge,
        ),
    )
    assert charger.max_available_current is None
    assert charger.max_charging_current is None
    assert charger.energy_price is None
    assert charger.icp_max_current is None
    assert charger.connectors[0].charging_power is None
    assert charger.connectors[0].session_energy is None


def test_charging_power_overflowing_to_watts_is_unknown() -> None:
    """A finite kW figure whose W value is no finite float reads as no value."""
    charger = parse_status("1", _status(charging_power=1e306))
    assert charger.connectors[0].charging_power is None


@pytest.mark.parametrize("ttl", [10**309, json.loads("1e999"), "1e999", "NaN", None, True])
def test_token_ttl_not_finite(ttl: Any) -> None:
    """A TTL of 10**309 raised OverflowError; 1e999 gave tokens valid forever."""
    with pytest.raises(UnexpectedResponseError):
        WallboxTokens.from_response(_tokens_answer(ttl=ttl))
    with pytest.raises(UnexpectedResponseError):
        WallboxTokens.from_response(_tokens_answer(refresh_token_ttl=ttl))


@pytest.mark.parametrize(
    "attributes",
    [
        {"token": ["access"]},
        {"token": ""},
        {"refresh_token": {"a": 1}},
        {"user_id": [1]},
        {"user_id": True},
        {"token": 7},
    ],
)
def test_token_fields_of_another_type(attributes: dict[str, Any]) -> None:
    """Tokens are text and the user id text or a number, not their Python repr."""
    with pytest.raises(UnexpectedResponseError):
        WallboxTokens.from_response(_tokens_answer(**attributes))


def test_token_ttl_as_text() -> None:
    """TTLs as text and a user id as text are read."""
    tokens = WallboxTokens.from_response(_tokens_answer(ttl="1730000000000", user_id="u1"))
    assert tokens.expires_at == 1_730_000_000
    assert tokens.user_id == "u1"


@pytest.mark.parametrize("value", [10**309, json.loads("1e999"), "x", None, [16]])
def test_write_answer_current_not_finite(value: Any) -> None:
    """``maxChargingCurrent`` of 10**309 in a write answer raised OverflowError; now unconfirmed."""
    answer = {"data": {"chargerData": {"status": 194, "locked": 0, "maxChargingCurrent": value}}}
    assert parse_charger_data(answer).max_charging_current is None


@pytest.mark.parametrize("status", [json.loads("1e999"), 10**309, "x", None])
def test_write_answer_status_unreadable(status: Any) -> None:
    """A write answer's status of inf raised OverflowError; now it confirms no status."""
    answer = {"data": {"chargerData": {"status": status, "locked": 0, "maxChargingCurrent": 16}}}
    assert parse_charger_data(answer).status_code is None


# --- shapes -------------------------------------------------------------------------


@pytest.mark.parametrize("features", [True, 1, "POWER_BOOST_LITE", {"POWER_BOOST": 1}, None])
def test_plan_features_not_a_list(features: Any) -> None:
    """``plan.features: true`` raised TypeError; only a list names features."""
    payload = _status(config_icp_max_current=20)
    payload["config_data"]["plan"]["features"] = features
    assert Feature.ICP_MAX_CURRENT not in parse_status("1", payload).features


def test_plan_features_list_with_odd_items() -> None:
    """A list still counts when it also holds things that are not names."""
    payload = _status(config_icp_max_current=20)
    payload["config_data"]["plan"]["features"] = [None, {"a": 1}, 3, "POWER_BOOST"]
    assert Feature.ICP_MAX_CURRENT in parse_status("1", payload).features


@pytest.mark.parametrize(
    "groups",
    [[None], [1], ["group"], [[]], [{"chargers": None}], [{"chargers": "abc"}]],
)
def test_groups_with_items_that_are_not_groups(groups: list[Any]) -> None:
    """``groups: [null]`` raised AttributeError; such items hold no chargers."""
    assert parse_groups({"result": {"groups": groups}}) == []


@pytest.mark.parametrize(
    "chargers",
    [[None], [{"id": None}], [{"id": [1]}], [{"id": True}], [{"id": ""}], ["1"], [{"id": 1.5}]],
)
def test_groups_chargers_without_an_id(chargers: list[Any]) -> None:
    """A charger without a usable id is a payload error, not turned into its repr."""
    with pytest.raises(UnexpectedResponseError):
        parse_groups({"result": {"groups": [{"chargers": chargers}]}})


def test_groups_charger_names() -> None:
    """A name that is no text gives way to the id."""
    body = {
        "result": {"groups": [{"chargers": [{"id": 5, "name": ["x"]}, {"id": "a", "name": "A"}]}]}
    }
    assert [(ref.device_id, ref.name) for ref in parse_groups(body)] == [("5", "5"), ("a", "A")]


@pytest.mark.parametrize("body", [None, [], {"result": None}, {"result": {"groups": {}}}])
def test_groups_answer_of_another_shape(body: Any) -> None:
    """Without a list of groups the answer is a payload error."""
    with pytest.raises(UnexpectedResponseError):
        parse_groups(body)


# --- booleans -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", False),
        ("1", True),
        (0, False),
        (1, True),
        (True, True),
        (False, False),
        ("true", True),
        ("TRUE", True),
        ("False", False),
        (" 1 ", True),
        ("yes", None),
        ("no", None),
        ("", None),
        (2, None),
        (1.0, None),
        ([1], None),
        (None, None),
    ],
)
def test_locked_as_text(value: Any, expected: bool | None) -> None:
    """``"locked": "0"`` read as locked; now "0" is unlocked and "yes" unknown."""
    assert parse_status("1", _status(config_locked=value)).locked is expected
    assert as_bool(value) is expected


@pytest.mark.parametrize(("value", "expected"), [("0", False), ("1", True), ("maybe", None)])
def test_update_available_as_text(value: Any, expected: bool | None) -> None:
    """The same for ``software.updateAvailable``."""
    payload = _status()
    payload["config_data"]["software"] = {"updateAvailable": value}
    assert parse_status("1", payload).update_available is expected


@pytest.mark.parametrize(
    ("ecosmart", "mode"),
    [
        ({"enabled": "0", "mode": 1}, EcoSmartMode.OFF),
        ({"enabled": "yes", "mode": 1}, EcoSmartMode.OFF),
        ({"enabled": "1", "mode": "1"}, EcoSmartMode.FULL_SOLAR),
        ({"enabled": True, "mode": 0}, EcoSmartMode.ECO_MODE),
        ({"enabled": 1, "mode": [1]}, EcoSmartMode.ECO_MODE),
    ],
)
def test_eco_smart_as_text(ecosmart: dict[str, Any], mode: EcoSmartMode) -> None:
    """``ecosmart.enabled: "0"`` read as enabled."""
    assert parse_status("1", _status(config_ecosmart=ecosmart)).eco_smart is mode


@pytest.mark.parametrize(("value", "expected"), [("0", False), ("1", True), ("yes", None)])
def test_write_answer_locked_as_text(value: Any, expected: bool | None) -> None:
    """A write answer's ``locked: "0"`` read as locked; an unreadable one confirms nothing."""
    answer = {"data": {"chargerData": {"status": "194", "locked": value, "maxChargingCurrent": 16}}}
    assert parse_charger_data(answer).locked is expected


@pytest.mark.parametrize(("value", "expected"), [("0", False), ("1", True), ("yes", None)])
def test_podero_and_thor_booleans_as_text(value: Any, expected: bool | None) -> None:
    """Podero and Thor read booleans the same way."""
    assert parse_wallbox({"id": "w", "is_charging": value}).is_charging is expected
    assert parse_chargebox({"id": "c", "active": value}).active is expected


# --- values that are no scalar --------------------------------------------------------


def test_scalar_readers_refuse_objects_and_lists() -> None:
    """Objects and lists are no number or text (their repr is never used)."""
    for value in ({"a": 1}, [1], _deep_list(READABLE_DEPTH)):
        assert as_float(value) is None
        assert as_int(value) is None
        assert as_str(value) is None
    assert as_str(True) == "True"
    assert as_str(12) == "12"
    assert as_str(10**5000) is None  # more digits than Python turns into text
    assert as_enum(PoderoMode, ["smart"], PoderoMode.UNKNOWN) is PoderoMode.UNKNOWN


def test_thor_heartbeat_before_the_first_utc_day() -> None:
    """An ISO time that is before year 1 in UTC raised OverflowError."""
    for text in ("0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"):
        assert parse_chargebox({"id": "c", "last_heartbeat": text}).last_heartbeat is None


# --- deep nesting -------------------------------------------------------------------


@pytest.mark.parametrize(
    "parse",
    [
        lambda deep: parse_status("1", deep),
        lambda deep: WallboxTokens.from_response({"data": {"attributes": deep}}),
        parse_groups,
        parse_chargeboxes,
        lambda deep: PoderoToken.from_response({"access_token": deep}),
    ],
)
def test_deep_values_are_payload_errors(parse: Callable[[Any], Any]) -> None:
    """10,000 levels where an object or text belongs: a payload error."""
    for deep in (_deep_list(READABLE_DEPTH), _deep_object("a", READABLE_DEPTH)):
        with pytest.raises(UnexpectedResponseError):
            parse(deep)


def test_deep_values_in_optional_fields_are_unknown() -> None:
    """Deep values where the parsers used to recurse or take a repr read as unknown."""
    deep_list = _deep_list(READABLE_DEPTH)
    assert parse_wallbox({"id": deep_list, "mode": deep_list}, "w").id == "w"
    assert parse_wallbox({"id": "w", "mode": deep_list}).mode is PoderoMode.UNKNOWN
    config = parse_charging_config({"available_modes": [{"mode": "x", "reasons": [deep_list]}]})
    assert config.available_modes[0].reasons == ()
    assert boost_refused({"reason": deep_list, "state": deep_list}).state is None
    chargebox = parse_chargebox(
        {"id": "c", "occupied_connectors": [_deep_object("connector", READABLE_DEPTH), 2]}
    )
    assert chargebox.occupied_connectors == (2,)
    assert error_name(_deep_object("message", READABLE_DEPTH)) is None
    assert error_name({"error": {"message": "ChargeboxNotFree"}}) == "ChargeboxNotFree"
    assert _error_title({"errors": [{"title": deep_list}]}) is None
    with pytest.raises(UnexpectedResponseError):
        parse_chargebox({"id": deep_list})


# --- deep nesting through the transports ---------------------------------------------


class _FakeResponse:
    def __init__(self, status: int, text: str) -> None:
        self.status = status
        self.headers: dict[str, str] = {}
        self._text = text

    async def text(self, errors: str = "strict") -> str:
        return self._text


class _FakeSession:
    """Answers every request with one status and body, like a cloud would."""

    def __init__(self, status: int, text: str) -> None:
        self._response = _FakeResponse(status, text)

    @asynccontextmanager
    async def _answer(self) -> Any:
        yield self._response

    def request(self, *_args: Any, **_kwargs: Any) -> Any:
        return self._answer()


def _session(status: int, text: str) -> aiohttp.ClientSession:
    return cast("aiohttp.ClientSession", _FakeSession(status, text))


def _wallbox(status: int, text: str) -> WallboxCloud:
    tokens = WallboxTokens(
        token="access",
        expires_at=FAR_FUTURE,
        refresh_token="refresh",
        refresh_expires_at=FAR_FUTURE,
        user_id="1",
    )
    return WallboxCloud(WallboxClient(_session(status, text), "a@b.c", "pw", tokens=tokens))


def _unreadable_bodies() -> Iterator[str]:
    yield _deep_text(UNREADABLE_DEPTH)
    yield '{"a":' * UNREADABLE_DEPTH + "1" + "}" * UNREADABLE_DEPTH


def test_decoders_turn_recursion_into_payload_errors() -> None:
    """json.loads raises RecursionError on such bodies; it escaped both transports."""
    for text in _unreadable_bodies():
        with pytest.raises(RecursionError):
            json.loads(text)
        with pytest.raises(UnexpectedResponseError):
            http._parse_json(text, 200)
        assert http._parse_json(text, 400) is None
        assert thor._body(text) == text  # not JSON: its text, which no parser accepts


@pytest.mark.parametrize("depth", [READABLE_DEPTH, UNREADABLE_DEPTH])
async def test_wallbox_reads_deep_bodies_as_payload_errors(depth: int) -> None:
    """A deep body on a status read, a discovery or a write is UnexpectedResponseError."""
    text = _deep_text(depth)
    with pytest.raises(UnexpectedResponseError):
        await _wallbox(200, text).async_get_device("1")
    with pytest.raises(UnexpectedResponseError):
        await _wallbox(200, text).async_discover()
    if depth == UNREADABLE_DEPTH:
        with pytest.raises(UnexpectedResponseError):
            await http.JsonHttp(_session(200, text)).request("GET", "http://cloud/")


async def test_wallbox_deep_error_body_is_a_rejection() -> None:
    """A deep body on a refusal keeps the refusal's own error."""
    with pytest.raises(CommandRejectedError):
        await _wallbox(400, _deep_text(UNREADABLE_DEPTH)).async_discover()


@pytest.mark.parametrize("depth", [READABLE_DEPTH, UNREADABLE_DEPTH])
async def test_thor_reads_deep_bodies_as_payload_errors(depth: int) -> None:
    """Thor's own transport: a deep body is a payload error, a deep refusal stays one."""
    text = '{"message":' * depth + '"ChargeboxNotFree"' + "}" * depth
    client = ThorClient(_session(200, text), "key")
    with pytest.raises(UnexpectedResponseError):
        await client.async_get_chargeboxes()
    with pytest.raises(UnexpectedResponseError):
        await client.async_get_running_charges()
    refused = ThorClient(_session(400, text), "key")
    with pytest.raises(CommandRejectedError):
        await refused.async_get_reservations()


def test_thor_chargebox_status_of_a_deep_seed() -> None:
    """The seed with a deep value in every field still parses."""
    deep = _deep_list(READABLE_DEPTH)
    payload = dict.fromkeys(THOR_SEED, deep) | {"id": "c"}
    chargebox = parse_chargebox(payload)
    assert chargebox.connectors == ()
    assert chargebox.occupied_connectors == ()  # a list, of nothing readable


def test_wallbox_seed_of_deep_values_reads_as_unknown() -> None:
    """The same for the Wallbox status: every optional field unknown."""
    deep = _deep_list(READABLE_DEPTH)
    config = dict.fromkeys(WALLBOX_SEED["config_data"], deep)
    payload = dict.fromkeys(WALLBOX_SEED, deep) | {"status_id": 194, "config_data": config}
    charger = parse_status("1", payload)
    assert charger.locked is None
    assert charger.name == "1"
    assert charger.connectors[0].status is ChargerStatus.CHARGING
