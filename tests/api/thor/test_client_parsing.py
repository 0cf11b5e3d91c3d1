"""Defensive parsing of Thor answers: odd values degrade to None or UNKNOWN, never a crash.

Numbers may come as text, any field or block may be null or absent, enum values
the documentation does not list become UNKNOWN, and only an answer of the wrong
shape raises, always as UnexpectedResponseError. Charges, reservations and
error names are in test_charge_parsing.py.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from custom_components.ev_charger_cloud.api.errors import UnexpectedResponseError
from custom_components.ev_charger_cloud.api.parse import as_bool
from custom_components.ev_charger_cloud.api.thor.models import (
    ThorChargebox,
    ThorConnector,
    ThorConnectorFormat,
    ThorConnectorType,
    ThorMessageFormat,
    ThorOcppVersion,
    ThorPowerType,
    ThorVehicleType,
)
from custom_components.ev_charger_cloud.api.thor.parse import (
    parse_chargebox,
    parse_chargeboxes,
    parse_finished_charges,
    parse_id_tag,
    parse_reservations,
    parse_running_charges,
)
from custom_components.ev_charger_cloud.api.thor.values import as_enum, as_epoch_ms

from .conftest import AT, MS

ODD_VALUES: list[Any] = [None, "", "n/a", "1e400", [], {}, [1], {"a": 1}, True, -1, 1.5, "NaN"]

# --- values -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (MS, AT),
        (str(MS), AT),
        (f"{MS}.0", AT),
        (float(MS), AT),
        ("2024-10-27T03:33:20Z", AT),
        ("2024-10-27T05:33:20+02:00", AT),
        ("2024-10-27T03:33:20", AT),
        (0, None),
        (-5, None),
        (None, None),
        ("", None),
        ("yesterday", None),
        (1e30, None),
        (True, None),
        ({"ms": MS}, None),
    ],
)
def test_epoch_ms(value: Any, expected: datetime | None) -> None:
    """Epoch milliseconds (also as text) become aware UTC datetimes; junk becomes None."""
    parsed = as_epoch_ms(value)
    assert parsed == expected
    if parsed is not None:
        assert parsed.tzinfo is UTC


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, True),
        (False, False),
        (1, True),
        (0, False),
        ("true", True),
        ("FALSE", False),
        (" 1 ", True),
        ("0", False),
        (2, None),
        ("yes", None),
        (None, None),
        ([], None),
    ],
)
def test_bool(value: Any, expected: bool | None) -> None:
    """Booleans also as 0/1 or text; anything else is None."""
    assert as_bool(value) is expected


@pytest.mark.parametrize(
    ("enum", "value", "expected"),
    [
        (ThorConnectorType, "type_2", ThorConnectorType.TYPE_2),
        (ThorConnectorType, "TYPE_2", ThorConnectorType.TYPE_2),
        (ThorConnectorType, " Schuko ", ThorConnectorType.SCHUKO),
        (ThorConnectorType, "nacs", ThorConnectorType.UNKNOWN),
        (ThorConnectorFormat, "socket", ThorConnectorFormat.SOCKET),
        (ThorConnectorFormat, "TETHERED", ThorConnectorFormat.UNKNOWN),
        (ThorPowerType, "ac_1_phase", ThorPowerType.AC_1_PHASE),
        (ThorPowerType, "AC_2_PHASE", ThorPowerType.UNKNOWN),
        (ThorOcppVersion, 1.6, ThorOcppVersion.V1_6),
        (ThorOcppVersion, "1.5", ThorOcppVersion.V1_5),
        (ThorOcppVersion, "2.0.1", ThorOcppVersion.UNKNOWN),
        (ThorMessageFormat, "SOAP", ThorMessageFormat.SOAP),
        (ThorVehicleType, "scooter", ThorVehicleType.UNKNOWN),
        (ThorVehicleType, True, ThorVehicleType.UNKNOWN),
        (ThorVehicleType, {"car": True}, ThorVehicleType.UNKNOWN),
        (ThorVehicleType, None, None),
        (ThorVehicleType, "", None),
    ],
)
def test_enums(enum: Any, value: Any, expected: Any) -> None:
    """Any letter case; undocumented values are UNKNOWN; null or empty is None."""
    assert as_enum(enum, value) is expected


# --- chargeboxes --------------------------------------------------------------------


def test_numbers_and_booleans_as_text() -> None:
    """Numbers, booleans and the heartbeat as text are read like the real thing."""
    box = parse_chargebox(
        {
            "id": 42,
            "active": "true",
            "connected": 0,
            "last_heartbeat": str(MS),
            "coordinates": {"latitude": "45.5", "longitude": "7.25"},
            "connectors": [{"power": "7400", "max_amperage": "32.0"}],
            "occupied_connectors": ["1"],
        }
    )
    assert box.id == "42"
    assert box.active is True
    assert box.connected is False
    assert box.last_heartbeat == AT
    assert box.coordinates is not None
    assert (box.coordinates.latitude, box.coordinates.longitude) == (45.5, 7.25)
    assert box.connectors == (ThorConnector(number=1, rated_power_w=7400.0, max_amperage=32),)
    assert box.occupied_connectors == (1,)


def test_only_an_id() -> None:
    """Every other field absent: None everywhere, no connectors."""
    assert parse_chargebox({"id": "CB-1"}) == ThorChargebox(id="CB-1")


def test_nulls_everywhere() -> None:
    """Every documented field null (blocks included): None, not a crash."""
    box = parse_chargebox(
        {
            "id": "CB-1",
            "alias": None,
            "active": None,
            "connected": None,
            "public": None,
            "reservable": None,
            "last_heartbeat": None,
            "timezone": None,
            "coordinates": None,
            "type": None,
            "connectors": None,
            "occupied_connectors": None,
            "reserved_connectors": None,
        }
    )
    assert box == ThorChargebox(id="CB-1")


def test_null_connector_fields() -> None:
    """A connector of nulls is still connector 1, with nothing known about it."""
    box = parse_chargebox(
        {
            "id": "CB-1",
            "connectors": [
                {
                    "power": None,
                    "type": None,
                    "format": None,
                    "max_amperage": None,
                    "power_type": None,
                    "terminal_id": None,
                    "token": None,
                }
            ],
        }
    )
    assert box.connectors == (ThorConnector(number=1),)


def test_unknown_enums_in_a_chargebox() -> None:
    """Values the documentation does not list are UNKNOWN, the rest of the box is kept."""
    box = parse_chargebox(
        {
            "id": "CB-1",
            "alias": "Yard",
            "type": {"vehicle": "truck", "msg": "protobuf", "version": "2.0.1"},
            "connectors": [{"type": "nacs", "format": "WIRELESS", "power_type": "AC_2_PHASE"}],
        }
    )
    assert box.alias == "Yard"
    assert box.vehicle_type is ThorVehicleType.UNKNOWN
    assert box.message_format is ThorMessageFormat.UNKNOWN
    assert box.ocpp_version is ThorOcppVersion.UNKNOWN
    assert box.connectors == (
        ThorConnector(
            number=1,
            type=ThorConnectorType.UNKNOWN,
            format=ThorConnectorFormat.UNKNOWN,
            power_type=ThorPowerType.UNKNOWN,
        ),
    )


def test_connectors_numbered_by_position() -> None:
    """Connectors are numbered from 1 in list order (a guess); junk items keep their place."""
    box = parse_chargebox({"id": "CB-1", "connectors": [{"power": 1}, None, "x", {"power": 4}]})
    assert [(c.number, c.rated_power_w) for c in box.connectors] == [(1, 1.0), (4, 4.0)]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ([1, 2], (1, 2)),
        (["1", " 2 "], (1, 2)),
        ([{"connector": 2}, {"id": "3"}, {"connector_id": 4}, {"number": 5}], (2, 3, 4, 5)),
        ([{"connector": {"id": 2}}], (2,)),
        ([{"id": 9, "connector": 1}], (1,)),
        ([1, 1, "1"], (1,)),
        ([None, "x", True, {}, {"connector": None}, 2], (2,)),
        ([], ()),
        (None, None),
        ("1", None),
        ({"connector": 1}, None),
    ],
)
def test_occupied_connectors_element_types(value: Any, expected: tuple[int, ...] | None) -> None:
    """The element type is undocumented: numbers, numbers as text, or connector objects."""
    box = parse_chargebox(
        {"id": "CB-1", "occupied_connectors": value, "reserved_connectors": value}
    )
    assert box.occupied_connectors == expected
    assert box.reserved_connectors == expected


def test_id_comes_from_the_request_when_missing() -> None:
    """The single-chargebox answer without an id takes the id that was asked for."""
    assert parse_chargebox({"alias": "A"}, "CB-9").id == "CB-9"
    assert parse_chargebox({"id": "", "alias": "A"}, "CB-9").id == "CB-9"


def test_list_skips_items_without_id() -> None:
    """A listed chargebox without an id cannot be addressed: left out."""
    boxes = parse_chargeboxes([{"id": "CB-1"}, {"alias": "no id"}, {"id": None}, {"id": True}])
    assert [box.id for box in boxes] == ["CB-1"]


def test_list_in_an_items_wrapper() -> None:
    """A list wrapped like the charge lists (`{count, items}`) is read the same."""
    assert [b.id for b in parse_chargeboxes({"count": 1, "items": [{"id": "CB-1"}]})] == ["CB-1"]
    assert parse_chargeboxes({"count": 0}) == []
    assert parse_chargeboxes({"count": 0, "items": None}) == []


@pytest.mark.parametrize(
    "field",
    [
        "alias",
        "active",
        "last_heartbeat",
        "timezone",
        "coordinates",
        "type",
        "connectors",
        "occupied_connectors",
    ],
)
@pytest.mark.parametrize("value", ODD_VALUES, ids=repr)
def test_odd_values_never_crash(field: str, value: Any) -> None:
    """Whatever lands in a field, the chargebox parses."""
    box = parse_chargebox({"id": "CB-1", field: value, "connectors": [{field: value}]})
    assert box.id == "CB-1"


# --- wrong shapes ---------------------------------------------------------------------

PARSERS: dict[str, Callable[[Any], object]] = {
    "chargebox": parse_chargebox,
    "chargeboxes": parse_chargeboxes,
    "running": parse_running_charges,
    "finished": parse_finished_charges,
    "reservations": parse_reservations,
    "id_tag": parse_id_tag,
}


@pytest.mark.parametrize(
    ("parser", "payload"),
    [
        ("chargebox", None),
        ("chargebox", []),
        ("chargebox", "CB-1"),
        ("chargebox", {"alias": "no id"}),
        ("chargebox", {"id": {"nested": 1}}),
        ("chargeboxes", None),
        ("chargeboxes", {"id": "CB-1"}),
        ("chargeboxes", [None]),
        ("chargeboxes", ["CB-1"]),
        ("chargeboxes", "<html>"),
        ("chargeboxes", {"items": "all"}),
        ("running", None),
        ("running", {"users": {}}),
        ("running", {"count": 1, "items": {"id": 1}}),
        ("running", [1, 2]),
        ("finished", 5),
        ("finished", {"items": [None]}),
        ("reservations", "none"),
        ("reservations", {"count": 1, "items": [[]]}),
        ("reservations", {"message": "InternalServerError"}),  # an object, not a reservation
        ("reservations", [{"chargebox": "CB-1"}, "CB-2"]),
        ("id_tag", None),
        ("id_tag", "API1"),
        ("id_tag", {}),
        ("id_tag", {"id_tag": None}),
        ("id_tag", {"id_tag": ["API1"]}),
    ],
)
def test_wrong_shapes_raise_only_the_typed_error(parser: str, payload: Any) -> None:
    """An answer that is not the documented shape is an UnexpectedResponseError."""
    with pytest.raises(UnexpectedResponseError):
        PARSERS[parser](payload)
