"""Thor push notifications: what the simulator sends and the documented variants.

Bodies come from push_bodies.py (the simulator's payloads after a JSON round trip, as
they arrive at the webhook). Bodies the parser must survive (repeated keys, other
kinds, malformed and fuzzed ones) are in test_push_malformed.py.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from custom_components.ev_charger_cloud.api.thor.push import (
    MAX_NOTIFICATION_BYTES,
    ThorMeterNotice,
    ThorStartNotice,
    ThorStopNotice,
    ThorUnlockNotice,
    parse_notification,
)
from simulator import Simulator
from simulator.thor.push import rejected_stop_payload, start_payload

from .push_bodies import DURATION, TAG, meters_body, meters_of, start_body, stop_body, wire


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
