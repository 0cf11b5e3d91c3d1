"""Thor push notifications: what the simulator sends, the documented variants, bad bodies.

Bodies are built by the simulator's own payload functions and sent through a JSON round
trip, as they would arrive at the webhook.
"""

from __future__ import annotations

from datetime import timedelta
import json
import random
from typing import Any

import pytest

from custom_components.ev_charger_cloud.api.errors import UnexpectedResponseError
from custom_components.ev_charger_cloud.api.thor.push import (
    MAX_NOTIFICATION_BYTES,
    ThorMeterNotice,
    ThorStartNotice,
    ThorStopNotice,
    ThorUnlockNotice,
    decode_notification,
    parse_notification,
)
from simulator import Simulator
from simulator.thor.push import (
    meters_payload,
    rejected_stop_payload,
    start_payload,
    stop_payload,
)

TAG = "RFID-SECRET-42"
DURATION_S = 930  # how long the transaction ran (`time`)
DURATION = timedelta(seconds=DURATION_S)


def wire(body: Any) -> Any:
    """The body as the webhook decodes it."""
    return json.loads(json.dumps(body))


def start_body(**changes: Any) -> dict[str, Any]:
    body = wire(start_payload("CB-1", 1, TAG, 5001, "local", accepted=True))
    body.update(changes)
    return body


def stop_body(**changes: Any) -> dict[str, Any]:
    body = wire(stop_payload("CB-1", 2, TAG, 5001, 7360, DURATION_S))
    body.update(changes)
    return body


def meters_body(**changes: Any) -> dict[str, Any]:
    body = wire(meters_payload("CB-1", 1, TAG, 12345, 7360, 2500, DURATION_S))
    body.update(changes)
    return body


def meters_of(*rows: dict[str, Any]) -> ThorMeterNotice:
    notice = parse_notification(meters_body(meters=list(rows)))
    assert isinstance(notice, ThorMeterNotice)
    return notice


def test_limit_constant() -> None:
    assert MAX_NOTIFICATION_BYTES == 65536


# --- as the simulator sends them ----------------------------------------------------


def test_start_as_sent() -> None:
    notice = parse_notification(start_body())
    assert notice == ThorStartNotice(
        chargebox="CB-1", connector=1, accepted=True, transaction_id=5001, id_tag=TAG, mode="local"
    )


def test_refused_start_as_sent() -> None:
    body = wire(start_payload("CB-1", 1, "API000001", 5001, "api", accepted=False))
    notice = parse_notification(body)
    assert isinstance(notice, ThorStartNotice)
    assert (notice.accepted, notice.transaction_id, notice.mode) == (False, None, "api")
    assert notice.id_tag == "API000001"


def test_stop_as_sent() -> None:
    notice = parse_notification(stop_body())
    assert notice == ThorStopNotice(
        chargebox="CB-1",
        connector=2,
        accepted=True,
        transaction_id=5001,
        id_tag=TAG,
        energy_wh=7360.0,
        duration=DURATION,
    )


def test_rejected_stop_as_sent() -> None:
    """`msg: "stop"`: an unlock or a refused remote stop, not the end of a transaction."""
    notice = parse_notification(wire(rejected_stop_payload("CB-1", 1, TAG)))
    assert notice == ThorUnlockNotice(
        chargebox="CB-1", connector=1, accepted=False, unlocked=False, transaction_id=None
    )


def test_meters_as_sent() -> None:
    notice = parse_notification(meters_body())
    assert notice == ThorMeterNotice(
        chargebox="CB-1",
        connector=1,
        energy_register_wh=12345.0,
        power_w=7360.0,
        current_a=None,
        transaction_energy_wh=2500.0,
        duration=DURATION,
        id_tag=TAG,
    )


def test_simulator_delivers_what_the_parser_reads() -> None:
    """Through the simulator's account logic; without an event loop deliveries are only kept."""
    sim = Simulator()
    sim.thor.add_account("key")
    box = sim.thor.add_chargebox("key", connectors=1, meter_wh=1000)
    sim.thor.set_push_urls(
        "key", {"start": "http://127.0.0.1:9/s", "meters": "http://127.0.0.1:9/m"}
    )
    sim.thor.plug_in(box.id, 1)
    sim.thor.start_local(box.id, 1, TAG)
    sim.clock.advance(3600)
    sim.thor.push_meters("key")
    deliveries = sim.thor.account("key").push.deliveries
    notices = [parse_notification(wire(d.payload)) for d in deliveries]
    assert [type(n) for n in notices] == [ThorStartNotice, ThorMeterNotice]
    start, meters = notices
    assert isinstance(start, ThorStartNotice)
    assert isinstance(meters, ThorMeterNotice)
    assert start.accepted is True
    assert start.transaction_id is not None
    assert meters.power_w == 11000.0
    assert meters.energy_register_wh == pytest.approx(12000.0, abs=1)


# --- documented variants ------------------------------------------------------------


@pytest.mark.parametrize("kind", [{}, {"type": "stop_transaction"}])
def test_msg_stop_is_an_unlock_whatever_accepted_says(kind: dict[str, str]) -> None:
    """The stop page: `msg` "stop" is "used only when notifying an unlock connector or a
    rejected remote stop"; with `accepted` true and a transaction it is still no stop."""
    body = kind | {
        "msg": "stop",
        "accepted": "true",
        "unlocked": True,
        "chargebox": "B",
        "connector": 1,
        "transaction_id": 5001,
        "energy": 1200,
        "kwh": 900,
    }
    notice = parse_notification(body)
    assert notice == ThorUnlockNotice(
        chargebox="B",
        connector=1,
        accepted=True,
        unlocked=True,
        transaction_id=5001,
        energy_wh=1200.0,  # `energy`: "used only with msg"
    )


@pytest.mark.parametrize(("text", "expected"), [("true", True), ("false", False), ("FALSE", False)])
def test_accepted_as_text(text: str, expected: bool) -> None:
    notice = parse_notification(start_body(accepted=text))
    assert isinstance(notice, ThorStartNotice)
    assert notice.accepted is expected


def test_start_without_accepted_follows_the_transaction() -> None:
    body = start_body()
    del body["accepted"]
    started = parse_notification(body)
    refused = parse_notification({**body, "transaction_id": 0})
    assert isinstance(started, ThorStartNotice)
    assert isinstance(refused, ThorStartNotice)
    assert (started.accepted, refused.accepted) == (True, False)


def test_stop_transaction_without_accepted_is_accepted() -> None:
    body = stop_body()
    del body["accepted"]
    notice = parse_notification(body)
    assert isinstance(notice, ThorStopNotice)
    assert notice.accepted is True


def test_id_tag_spelling() -> None:
    body = stop_body(id_tag="T-2")
    del body["idTag"]
    notice = parse_notification(body)
    assert isinstance(notice, ThorStopNotice)
    assert notice.id_tag == "T-2"
    both = parse_notification(meters_body(id_tag="other"))
    assert isinstance(both, ThorMeterNotice)
    assert both.id_tag == TAG  # idTag (the webhook spelling) wins


def test_stop_energy_is_kwh_then_energy_and_reads_text() -> None:
    body = stop_body(kwh="1500.5", energy=1400, transaction_id="5002", connector="3", time="60")
    notice = parse_notification(body)
    assert isinstance(notice, ThorStopNotice)
    assert (notice.energy_wh, notice.transaction_id, notice.connector) == (1500.5, 5002, 3)
    assert notice.duration == timedelta(seconds=60)
    del body["kwh"]
    fallback = parse_notification(body)
    assert isinstance(fallback, ThorStopNotice)
    assert fallback.energy_wh == 1400.0


def test_kwh_uom_and_missing_measurand() -> None:
    notice = meters_of(
        {"uom": "kWh", "value": "12.5"},
        {"measurand": "Power.Active.Import", "uom": "kW", "value": 7.4},
    )
    assert notice.energy_register_wh == 12500.0
    assert notice.power_w == pytest.approx(7400.0)


def test_absent_uom_is_wh_and_w() -> None:
    notice = meters_of(
        {"measurand": "Energy.Active.Import.Register", "value": "99"},
        {"measurand": "Power.Active.Import", "value": "1000"},
    )
    assert (notice.energy_register_wh, notice.power_w) == (99.0, 1000.0)


def test_value_in_either_documented_spelling() -> None:
    """The meter-values table says ``meters[].Value``, its example ``"value"``."""
    notice = meters_of(
        {"measurand": "Energy.Active.Import.Register", "uom": "Wh", "Value": 24.5},
        {"measurand": "Power.Active.Import", "uom": "W", "value": "7360", "Value": "1"},
    )
    assert (notice.energy_register_wh, notice.power_w) == (24.5, 7360.0)


def test_phase_rows_sum_power_and_take_the_largest_current() -> None:
    notice = meters_of(
        {"measurand": "Power.Active.Import", "uom": "W", "phase": "L1", "value": "3680"},
        {"measurand": "Power.Active.Import", "uom": "kW", "phase": "L2", "value": "3.6"},
        {"measurand": "Power.Active.Import", "uom": "W", "phase": "L3-N", "value": "3700"},
        {"measurand": "Power.Active.Import", "uom": "W", "phase": "N", "value": "50"},
        {"measurand": "Current.Import", "uom": "A", "phase": "L1", "value": "16"},
        {"measurand": "Current.Import", "uom": "A", "phase": "L2", "value": "15.5"},
        {"measurand": "Current.Import", "uom": "A", "phase": "N", "value": "30"},
    )
    assert notice.power_w == pytest.approx(10980.0)
    assert notice.current_a == 16.0
    assert notice.energy_register_wh is None


def test_total_row_wins_over_phase_rows() -> None:
    notice = meters_of(
        {"measurand": "Power.Active.Import", "phase": "L1", "value": "3000"},
        {"measurand": "Power.Active.Import", "value": "11000"},
        {"measurand": "Current.Import", "value": "16"},
        {"measurand": "Current.Import", "phase": "L1", "value": "20"},
    )
    assert (notice.power_w, notice.current_a) == (11000.0, 16.0)


def test_unknown_measurands_units_and_values_are_ignored() -> None:
    notice = meters_of(
        {"measurand": "SoC", "uom": "Percent", "value": "80"},
        {"measurand": "Voltage", "uom": "V", "value": "230"},
        {"measurand": 7, "value": "1"},
        {"measurand": "Power.Active.Import", "uom": "VA", "value": "500"},
        {"measurand": "Power.Active.Import", "uom": ["W"], "value": "500"},
        {"measurand": "Current.Import", "uom": "A", "value": "lots"},
        {"measurand": "Energy.Active.Import.Register", "uom": "Wh", "value": None},
    )
    assert (notice.energy_register_wh, notice.power_w, notice.current_a) == (None, None, None)


def test_non_finite_and_huge_numbers_are_absent() -> None:
    notice = meters_of(
        {"value": float("nan")},
        {"measurand": "Power.Active.Import", "uom": "kW", "value": 1e307},
        {"measurand": "Current.Import", "value": "inf"},
    )
    assert (notice.energy_register_wh, notice.power_w, notice.current_a) == (None, None, None)
    stop = parse_notification(
        stop_body(energy=10**400, kwh=float("inf"), transaction_id=10**400, time=10**400)
    )
    assert isinstance(stop, ThorStopNotice)
    assert (stop.energy_wh, stop.transaction_id, stop.duration) == (None, None, None)
    overflow = meters_of(
        {"measurand": "Power.Active.Import", "phase": "L1", "value": 1.7e308},
        {"measurand": "Power.Active.Import", "phase": "L2", "value": 1.7e308},
    )
    assert overflow.power_w is None


def test_no_meters_and_extra_fields() -> None:
    body = meters_body(payment={"method": "nayax", "token": "x"}, unknown={"a": [1]})
    del body["meters"]
    notice = parse_notification(body)
    assert isinstance(notice, ThorMeterNotice)
    assert notice.energy_register_wh is None
    assert notice.duration == DURATION


def test_kind_and_mode_letter_case() -> None:
    notice = parse_notification(start_body(type=" Start ", mode="REMOTE"))
    assert isinstance(notice, ThorStartNotice)
    assert notice.mode == "remote"


# --- `time` is a duration (its unit is not documented) --------------------------------


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("930", 930),  # the meter page: a String
        (930, 930),  # the stop page: an Integer
        (930.5, 930.5),
        ("0", 0),
        ("930000", 930),  # beyond a week in seconds: milliseconds
        (930_000, 930),
        ("604800", 604_800),  # a week: still seconds
        ("930 s", 930),
        ("930000ms", 930),
        ("00:15:30", 930),
        ("1:02:03", 3723),
        ("15:30", 930),  # two fields: minutes and seconds (a duration, not a clock)
        ("PT15M30S", 930),
        ("pt1h", 3600),
        ("P1DT2H", 93_600),
        ("PT0.5S", 0.5),
    ],
)
def test_durations_in_every_form(value: Any, seconds: float) -> None:
    for body in (meters_body(time=value), stop_body(time=value)):
        notice = parse_notification(body)
        assert isinstance(notice, (ThorMeterNotice, ThorStopNotice))
        assert notice.duration == timedelta(seconds=seconds)


@pytest.mark.parametrize(
    "value",
    [
        "1730000000000",  # an epoch in ms is no duration: never a clock time
        1_730_000_000_000,
        1_730_000_000,  # nor one in seconds
        "P8D",
        -5,
        "-5",
        "soon",
        "P",
        "PT",
        "99:99",
        "1:2:3:4",
        True,
        None,
        [930],
        {"s": 930},
        float("nan"),
        "9" * 50,
        "",
    ],
)
def test_what_is_no_duration(value: Any) -> None:
    notice = parse_notification(meters_body(time=value))
    assert isinstance(notice, ThorMeterNotice)
    assert notice.duration is None


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
