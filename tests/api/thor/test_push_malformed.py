"""Thor push notifications the parser must survive: repeated keys, other kinds, bad bodies.

Only a notice, None (a kind the integration does not use) or UnexpectedResponseError
may come out of any body, and the tag stays out of every repr, error and log line.
"""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from custom_components.ev_charger_cloud.api.errors import UnexpectedResponseError
from custom_components.ev_charger_cloud.api.thor.push import (
    ThorMeterNotice,
    ThorStartNotice,
    ThorStopNotice,
    ThorUnlockNotice,
    decode_notification,
    parse_notification,
)

from .push_bodies import TAG, meters_body, start_body, stop_body

# --- repeated keys: the vendor's start examples ---------------------------------------


def test_a_repeated_type_is_the_kind_then_the_mode() -> None:
    raw = (
        b'{"type": "start", "accepted": true, "chargebox": "CB-1", "connector": 2,'
        b' "id": "T", "transaction_id": 52, "type": "api"}'
    )
    assert json.loads(raw)["type"] == "api"  # what a last-wins parser sees
    notice = parse_notification(decode_notification(raw))
    assert notice == ThorStartNotice(
        chargebox="CB-1", connector=2, accepted=True, transaction_id=52, id_tag="T", mode="api"
    )


def test_mode_wins_over_a_second_type_and_the_first_of_other_keys_counts() -> None:
    raw = (
        b'{"type": "start", "chargebox": "CB-1", "chargebox": "CB-2", "connector": 1,'
        b' "transaction_id": 7, "type": "local", "type": "api", "mode": "remote"}'
    )
    notice = parse_notification(decode_notification(raw))
    assert isinstance(notice, ThorStartNotice)
    assert (notice.chargebox, notice.mode) == ("CB-1", "remote")


def test_decoding_keeps_every_value_of_a_key() -> None:
    decoded = decode_notification(b'{"a": 1, "b": {"c": 2, "c": 3}, "a": [4]}')
    assert decoded == {"a": 1, "b": {"c": 2}}
    assert decoded.values_of == {"a": [1, [4]], "b": [{"c": 2}]}
    assert decoded["b"].values_of == {"c": [2, 3]}


@pytest.mark.parametrize("raw", [b"{not json", b"\xff\xfe", b"[" * 100_000, b"", b'{"a": 1'])
def test_what_is_not_json(raw: bytes) -> None:
    with pytest.raises(UnexpectedResponseError):
        decode_notification(raw)


# --- ignored kinds ------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        {"msg": "rfid", "id": TAG, "chargebox": "CB-1", "type": "authorize"},
        {"msg": "rfid", "id": TAG, "chargebox": "CB-1", "type": "start"},
        {"type": "heartbeat", "chargebox": "CB-1", "connector": 1},
        {"msg": "status", "chargebox": "CB-1"},
        {"chargebox": "CB-1", "connector": 1},
        {},
    ],
)
def test_unused_kinds_are_none(body: dict[str, Any]) -> None:
    assert parse_notification(body) is None


# --- malformed bodies ---------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        None,
        [],
        [start_body()],
        "start",
        json.dumps(start_body()),
        42,
        True,
        {"type": ["start"], "chargebox": "CB-1", "connector": 1},
        {"type": "start", "msg": {"x": 1}, "chargebox": "CB-1", "connector": 1},
    ],
)
def test_not_a_notification(body: Any) -> None:
    with pytest.raises(UnexpectedResponseError):
        parse_notification(body)


@pytest.mark.parametrize("build", [start_body, stop_body, meters_body])
@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("chargebox", None),
        ("chargebox", ""),
        ("chargebox", "  "),
        ("chargebox", 17),
        ("chargebox", {"id": "CB-1"}),
        ("connector", None),
        ("connector", "abc"),
        ("connector", ""),
        ("connector", "1.5"),
        ("connector", 1.5),
        ("connector", -1),
        ("connector", True),
        ("connector", [1]),
        ("connector", 10**400),
        ("connector", "9" * 5000),
        ("connector", float("nan")),
        ("connector", 1e999),
    ],
)
def test_bad_chargebox_or_connector(build: Any, key: str, value: Any) -> None:
    with pytest.raises(UnexpectedResponseError):
        parse_notification(build(**{key: value}))


@pytest.mark.parametrize("key", ["chargebox", "connector"])
def test_missing_chargebox_or_connector(key: str) -> None:
    body = stop_body()
    del body[key]
    with pytest.raises(UnexpectedResponseError):
        parse_notification(body)


@pytest.mark.parametrize("accepted", ["maybe", 2, [], {"v": True}])
def test_unreadable_accepted(accepted: Any) -> None:
    with pytest.raises(UnexpectedResponseError):
        parse_notification(start_body(accepted=accepted))


@pytest.mark.parametrize("meters", ["1234", {"value": "1"}, [["1"]], [{"value": "1"}, None]])
def test_meters_of_the_wrong_shape(meters: Any) -> None:
    with pytest.raises(UnexpectedResponseError):
        parse_notification(meters_body(meters=meters))


def test_connector_forms() -> None:
    for value, expected in ((" 2 ", 2), (3.0, 3), (0, 0), ("007", 7)):
        notice = parse_notification(stop_body(connector=value))
        assert isinstance(notice, ThorStopNotice)
        assert notice.connector == expected
    notice = parse_notification(stop_body(chargebox="  CB-9 "))
    assert isinstance(notice, ThorStopNotice)
    assert notice.chargebox == "CB-9"


def test_optional_garbage_is_absent() -> None:
    notice = parse_notification(
        start_body(transaction_id={"id": 1}, id=["x"], mode=5, time="yesterday")
    )
    assert notice == ThorStartNotice(
        chargebox="CB-1", connector=1, accepted=True, transaction_id=None
    )


# --- privacy ------------------------------------------------------------------------


def test_tag_never_in_repr_or_errors(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("DEBUG")
    notices = [
        parse_notification(start_body()),
        parse_notification(stop_body()),
        parse_notification(meters_body()),
        parse_notification({"msg": "rfid", "id": TAG, "chargebox": "CB-1"}),
    ]
    for notice in notices[:3]:
        assert notice is not None
        assert notice.id_tag == TAG
        assert TAG not in repr(notice)
        assert TAG not in str(notice)
    with pytest.raises(UnexpectedResponseError) as caught:
        parse_notification(stop_body(connector=TAG))
    assert TAG not in str(caught.value)
    assert TAG not in caplog.text


# --- fuzzing ------------------------------------------------------------------------
# hypothesis is not installed in the venv; a seeded generator of JSON-like values
# stands in for it.

_ATOMS: list[Any] = [
    None,
    True,
    False,
    0,
    1,
    -1,
    2**63,
    10**400,
    1.5,
    float("nan"),
    float("inf"),
    -float("inf"),
    1e308,
    "",
    " ",
    "1",
    "abc",
    "nan",
    "1e999",
    "true",
    "false",
    "start",
    "stop",
    "stop_transaction",
    "meters",
    "rfid",
    "Wh",
    "kWh",
    "kW",
    "L1",
    "Power.Active.Import",
    "Current.Import",
    "Energy.Active.Import.Register",
    "2024-10-27T03:33:20+00:00",
    "9" * 400,
]
_KEYS = [
    "type",
    "msg",
    "chargebox",
    "connector",
    "accepted",
    "transaction_id",
    "id",
    "idTag",
    "id_tag",
    "mode",
    "time",
    "unlocked",
    "energy",
    "kwh",
    "meters",
    "measurand",
    "uom",
    "phase",
    "value",
    "payment",
]


def _random_value(rng: random.Random, depth: int = 0) -> Any:
    choice = rng.random()
    if depth >= 3 or choice < 0.6:
        return rng.choice(_ATOMS)
    if choice < 0.8:
        return [_random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    return {rng.choice(_KEYS): _random_value(rng, depth + 1) for _ in range(rng.randint(0, 5))}


def _mutated(rng: random.Random) -> Any:
    body = rng.choice([start_body, stop_body, meters_body])()
    for _ in range(rng.randint(1, 3)):
        key = rng.choice(_KEYS)
        if rng.random() < 0.2:
            body.pop(key, None)
        else:
            body[key] = _random_value(rng)
    if isinstance(body.get("meters"), list) and body["meters"] and rng.random() < 0.5:
        row = rng.choice(body["meters"])
        if isinstance(row, dict):
            row[rng.choice(["measurand", "uom", "phase", "value"])] = _random_value(rng)
    return body


def test_fuzz_only_notices_none_or_the_typed_error() -> None:
    rng = random.Random(20241027)
    outcomes = {"notice": 0, "none": 0, "error": 0}
    for index in range(3000):
        body = _mutated(rng) if index % 2 else _random_value(rng)
        try:
            result = parse_notification(body)
        except UnexpectedResponseError:
            outcomes["error"] += 1
            continue
        if result is None:
            outcomes["none"] += 1
        else:
            assert isinstance(
                result, (ThorStartNotice, ThorStopNotice, ThorUnlockNotice, ThorMeterNotice)
            )
            outcomes["notice"] += 1
    assert all(outcomes.values()), outcomes
