"""The Podero wallbox and electric-vehicle JSON of the seed documents, parsed by the client.

`fixtures/podero_wallbox_seed.json` (GET wallboxes/{id}) and
`fixtures/podero_ev_list_seed.json` (GET electric-vehicles) are the seeds' examples
verbatim, placeholders ("<string>", 123) included: they are the contract. The
wallbox example is the older published shape (no mode, connection, actions or
total energy); the OpenAPI shape adds those, built here from the spec's schema.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime, time
import json
from typing import Any

import pytest

from custom_components.ev_charger_cloud.api.errors import UnexpectedResponseError
from custom_components.ev_charger_cloud.api.podero.models import (
    PoderoAction,
    PoderoActionCode,
    PoderoBoostState,
    PoderoConnection,
    PoderoHealth,
    PoderoMode,
    PoderoOwner,
)
from custom_components.ev_charger_cloud.api.podero.parse import (
    parse_vehicle,
    parse_vehicles,
    parse_wallbox,
    parse_wallboxes,
)
from tests.paths import FIXTURES

SEED_ID = "3c90c3cc-0d44-4b50-8888-8dd25736052a"
SEED_TIME = datetime(2023, 11, 7, 5, 31, 56, tzinfo=UTC)

# What the OpenAPI `WallboxDetailOutput` has beyond the older example (schema defaults).
OPENAPI_ADDITIONS: dict[str, Any] = {
    "deleted_at": None,
    "lifecycle_state": "authenticated",
    "lifecycle_error": None,
    "optimization_score": 0.8,
    "supports_current_modulation": True,
    "supports_phase_switching": False,
    "phases": 3,
    "min_amps": 6,
    "max_amps": 16,
    "capabilities_last_refreshed_at": "2023-11-07T05:31:56Z",
    "hems_min_export_to_start_w": 2000,
    "hems_max_import_before_stopping_w": 4000,
    "firmware_version": "1.8.2",
    "is_ocpp_connected": True,
    "ocpp_connected_last_updated_at": "2023-11-07T05:31:56Z",
    "total_energy_delivered_wh": 123456,
    "action_needed": True,
    "has_notification": True,
    "mode": "PLUGGED_IN",
    "connection": "online",
    "actions": [
        {
            "code": "reauthenticate",
            "resolution_link": {
                "url": "/api/actions/42/resolve?secret=signed",
                "required_parameters": ["success_url", "cancel_url"],
            },
        },
        {
            "code": "information",
            "resolution_link": {"url": "/api/actions/43/read?secret=signed"},
            "metadata": {"message": "Your car needs a software update"},
            "sent_at": "2023-11-07T05:31:56Z",
        },
    ],
}


def wallbox_seed() -> dict[str, Any]:
    seed: dict[str, Any] = json.loads(
        (FIXTURES / "podero_wallbox_seed.json").read_text(encoding="utf-8")
    )
    return seed


def ev_seed() -> dict[str, Any]:
    items = json.loads((FIXTURES / "podero_ev_list_seed.json").read_text(encoding="utf-8"))
    assert isinstance(items, list)
    assert len(items) == 1
    item: dict[str, Any] = items[0]
    return item


def test_wallbox_seed_field_by_field() -> None:
    """Every field of the older wallbox example, with its unit and type."""
    wallbox = parse_wallbox(wallbox_seed())

    assert wallbox.id == SEED_ID
    assert (wallbox.manufacturer, wallbox.model, wallbox.model_year) == (
        "<string>",
        "<string>",
        123,
    )
    assert wallbox.device_type == "<string>"
    assert wallbox.owner == PoderoOwner(
        id=SEED_ID,
        email="<string>",
        first_name="<string>",
        last_name="<string>",
        external_id="<string>",
    )
    assert wallbox.connection_status is PoderoHealth.OK
    assert wallbox.monitoring_status is PoderoHealth.OK
    assert wallbox.steering_status is PoderoHealth.OK
    assert wallbox.price_zone == "AT"
    assert wallbox.created_at == wallbox.updated_at == SEED_TIME
    assert wallbox.deleted_at is None
    assert wallbox.pause_power_until == SEED_TIME
    assert wallbox.is_pause_power_active is False
    assert wallbox.is_authenticated is False
    assert wallbox.is_smart_optimization_active is False
    assert wallbox.current_mode == "<string>"
    assert wallbox.actual_steering_state == "unknown"
    assert wallbox.current_state_last_updated_at == SEED_TIME
    assert wallbox.last_monitoring_executed_at == SEED_TIME
    assert (wallbox.charge_target_min, wallbox.charge_target_max) == (50, 80)  # %
    assert wallbox.charge_power_max_w == 7000.0  # W
    assert wallbox.is_charge_policy_enabled is False
    assert wallbox.minimum_charge_limit == 80  # %
    assert wallbox.charge_deadline_at == SEED_TIME  # a date-time on wallboxes
    assert wallbox.is_over_charge_allowed is False
    assert wallbox.charge_time_remaining == 123  # s
    assert wallbox.charge_rate_w == 123.0  # W
    assert (wallbox.is_fully_charged, wallbox.is_plugged_in, wallbox.is_charging) == (
        False,
        False,
        False,
    )
    assert wallbox.consumption_last_day_kwh == 123.0  # kWh
    assert wallbox.consumption_last_week_kwh == 123.0
    assert wallbox.consumption_last_month_kwh == 123.0
    assert wallbox.consumption_last_updated_at == SEED_TIME


def test_older_wallbox_shape_has_no_new_blocks() -> None:
    """The older example lacks mode, connection, actions and the energy total: None, not a guess."""
    wallbox = parse_wallbox(wallbox_seed())

    assert wallbox.mode is None
    assert wallbox.connection is None
    assert wallbox.actions == ()
    assert wallbox.action_needed is None
    assert wallbox.total_energy_delivered_wh is None
    assert wallbox.firmware_version is None
    assert (wallbox.phases, wallbox.min_amps, wallbox.max_amps) == (None, None, None)
    assert wallbox.boost_state is None  # not on the wallbox schema


def test_wallbox_openapi_shape() -> None:
    """The OpenAPI shape: mode, connection, capabilities, energy total in Wh, actions."""
    wallbox = parse_wallbox(wallbox_seed() | OPENAPI_ADDITIONS)

    assert wallbox.mode is PoderoMode.PLUGGED_IN
    assert wallbox.connection is PoderoConnection.ONLINE
    assert wallbox.is_ocpp_connected is True
    assert wallbox.firmware_version == "1.8.2"
    assert wallbox.total_energy_delivered_wh == 123456.0  # Wh
    assert (wallbox.phases, wallbox.min_amps, wallbox.max_amps) == (3, 6, 16)
    assert wallbox.supports_current_modulation is True
    assert wallbox.supports_phase_switching is False
    assert wallbox.hems_min_export_to_start_w == 2000.0  # W
    assert wallbox.hems_max_import_before_stopping_w == 4000.0  # W
    assert wallbox.lifecycle_state == "authenticated"
    assert wallbox.lifecycle_error is None
    assert wallbox.optimization_score == 0.8
    assert (wallbox.action_needed, wallbox.has_notification) == (True, True)
    assert wallbox.actions == (
        PoderoAction(
            code=PoderoActionCode.REAUTHENTICATE,
            resolution_url="/api/actions/42/resolve?secret=signed",
            required_parameters=("success_url", "cancel_url"),
        ),
        PoderoAction(
            code=PoderoActionCode.INFORMATION,
            resolution_url="/api/actions/43/read?secret=signed",
            message="Your car needs a software update",
            sent_at=SEED_TIME,
        ),
    )


def test_ev_list_seed_field_by_field() -> None:
    """Every field of the electric-vehicle list example."""
    [vehicle] = parse_vehicles([ev_seed()])

    assert vehicle.id == SEED_ID
    assert (vehicle.manufacturer, vehicle.model, vehicle.model_year) == (
        "<string>",
        "<string>",
        123,
    )
    assert vehicle.owner is not None
    assert vehicle.owner.email == "<string>"
    assert vehicle.connection_status is PoderoHealth.OK
    assert vehicle.price_zone == "AT"
    assert vehicle.deleted_at == SEED_TIME
    assert vehicle.lifecycle_state == "authenticated"
    assert vehicle.lifecycle_error == "<string>"
    assert vehicle.pause_power_until == SEED_TIME
    assert vehicle.is_pause_power_active is False
    assert vehicle.optimization_score == 123.0
    assert (vehicle.charge_target_min, vehicle.charge_target_max) == (50, 123)  # %
    assert vehicle.minimum_charge_limit == 100  # %
    assert vehicle.charge_deadline_at == time(6, 0)  # a time of day on vehicles
    assert vehicle.expected_max_charge_power == 3600.0  # presumably W
    assert vehicle.charge_time_remaining == 123  # s
    assert vehicle.charge_rate_w == 123.0  # W
    assert vehicle.battery_level == 123.0  # %
    assert vehicle.driving_range == 123.0  # km
    assert vehicle.battery_capacity_kwh == 0.0  # kWh, "0" in the seed
    assert vehicle.battery_at_plug_in == 123.0  # %
    assert vehicle.charge_state_last_updated_at == SEED_TIME
    assert vehicle.boost_for_next_session is False
    assert vehicle.boost_feature_enabled is False
    assert vehicle.boost_state is PoderoBoostState.UNAVAILABLE
    assert vehicle.last_boost_triggered_at == vehicle.last_boost_ended_at == SEED_TIME
    assert vehicle.last_boost_end_reason == "<string>"
    assert (vehicle.latitude, vehicle.longitude) == (123.0, 123.0)
    assert vehicle.coordinates_last_updated_at == SEED_TIME
    assert vehicle.geo_fence_distance_m == 100.0  # m
    assert vehicle.consumption_last_day_kwh == 123.0  # kWh
    assert vehicle.action_needed is False
    assert vehicle.actions == ()
    assert (vehicle.mode, vehicle.connection) == (None, None)  # not in the list example


def test_wallbox_list_is_the_same_object() -> None:
    """The wallbox list carries full objects, parsed like the detail."""
    assert parse_wallboxes([wallbox_seed()]) == [parse_wallbox(wallbox_seed())]


@pytest.mark.parametrize(
    ("key", "value", "attribute", "expected"),
    [
        ("consumption_last_day_kwh", "<string>", "consumption_last_day_kwh", None),
        ("consumption_last_week_kwh", "12.75", "consumption_last_week_kwh", 12.75),
        ("consumption_last_month_kwh", "", "consumption_last_month_kwh", None),
        ("charge_rate_w", "7360.0", "charge_rate_w", 7360.0),
        ("charge_rate_w", "NaN", "charge_rate_w", None),
        ("charge_rate_w", True, "charge_rate_w", None),
        ("charge_time_remaining", "1800", "charge_time_remaining", 1800),
        ("minimum_charge_limit", 79.6, "minimum_charge_limit", 80),
        ("total_energy_delivered_wh", "<string>", "total_energy_delivered_wh", None),
        ("is_charging", "true", "is_charging", True),
        ("is_plugged_in", 1, "is_plugged_in", True),
        ("is_fully_charged", "<string>", "is_fully_charged", None),
        ("pause_power_until", "<string>", "pause_power_until", None),
        (
            "pause_power_until",
            "2026-11-22T04:00:00",  # naive means UTC
            "pause_power_until",
            datetime(2026, 11, 22, 4, 0, tzinfo=UTC),
        ),
        (
            "pause_power_until",
            "2026-11-22T05:00:00+01:00",
            "pause_power_until",
            datetime(2026, 11, 22, 4, 0, tzinfo=UTC),
        ),
        ("created_at", "0001-01-01T00:00:00Z", "created_at", None),
        ("charge_deadline_at", "06:00:00", "charge_deadline_at", None),
        ("price_zone", "XX_NEW", "price_zone", "XX_NEW"),
    ],
)
def test_wallbox_values_are_read_defensively(
    key: str, value: Any, attribute: str, expected: Any
) -> None:
    """Text numbers become numbers, placeholders None; odd values never raise."""
    assert getattr(parse_wallbox(wallbox_seed() | {key: value}), attribute) == expected


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("charge_deadline_at", "06:00:00", time(6, 0)),
        ("charge_deadline_at", "22:30", time(22, 30)),
        ("charge_deadline_at", "2023-11-07T05:31:56Z", None),
        ("charge_deadline_at", 600, None),
        ("battery_capacity_kwh", "77.5", 77.5),
        ("battery_capacity_kwh", "<string>", None),
        ("battery_level", "57", 57.0),
        ("latitude", "<string>", None),
    ],
)
def test_vehicle_values_are_read_defensively(key: str, value: Any, expected: Any) -> None:
    """The time of day, text decimals and placeholders of a vehicle."""
    assert getattr(parse_vehicle(ev_seed() | {key: value}), key) == expected


@pytest.mark.parametrize(
    ("key", "attribute", "unknown"),
    [
        ("connection_status", "connection_status", PoderoHealth.UNKNOWN),
        ("monitoring_status", "monitoring_status", PoderoHealth.UNKNOWN),
        ("steering_status", "steering_status", PoderoHealth.UNKNOWN),
        ("mode", "mode", PoderoMode.UNKNOWN),
        ("connection", "connection", PoderoConnection.UNKNOWN),
        ("boost_state", "boost_state", PoderoBoostState.UNKNOWN),
    ],
)
@pytest.mark.parametrize("value", ["SOMETHING_NEW", 7, ["ok"]])
def test_unknown_enum_values_become_unknown(
    key: str, attribute: str, unknown: Any, value: Any
) -> None:
    """A value Podero adds later is `unknown`, never a crash."""
    payload = wallbox_seed() | OPENAPI_ADDITIONS | {key: value}
    assert getattr(parse_wallbox(payload), attribute) is unknown


def test_unknown_action_codes_and_odd_items() -> None:
    """Action items of a new code are kept as unknown; items that are no objects are dropped."""
    actions = [{"code": "pay_invoice", "resolution_link": None}, "junk", None]
    wallbox = parse_wallbox(wallbox_seed() | {"actions": actions})
    assert wallbox.actions == (PoderoAction(code=PoderoActionCode.UNKNOWN),)
    assert parse_wallbox(wallbox_seed() | {"actions": "junk"}).actions == ()


def test_null_everywhere() -> None:
    """Every field null: nothing raises, the id comes from the request."""
    for seed, parse in ((wallbox_seed(), parse_wallbox), (ev_seed(), parse_vehicle)):
        nulled = dict.fromkeys(seed | OPENAPI_ADDITIONS)
        device = parse(nulled, "device-1")
        assert device.id == "device-1"
        assert device.owner is None
        assert device.manufacturer is None
        assert device.connection_status is PoderoHealth.UNKNOWN
        assert device.charge_rate_w is None
        assert device.actions == ()
        assert device.boost_state is None


def test_absent_everywhere() -> None:
    """An empty object is a device about which nothing is known."""
    wallbox = parse_wallbox({}, "wb-1")
    assert wallbox.id == "wb-1"
    assert wallbox.mode is None
    assert wallbox.charge_deadline_at is None
    vehicle = parse_vehicle({"id": "ev-1", "device_model": {"device_type": None}})
    assert vehicle.id == "ev-1"
    assert vehicle.device_type is None


def test_lists_leave_out_devices_without_an_id() -> None:
    """A list item without an id cannot be addressed: it is left out."""
    anonymous = copy.deepcopy(wallbox_seed())
    anonymous["id"] = None
    assert [w.id for w in parse_wallboxes([anonymous, wallbox_seed()])] == [SEED_ID]
    assert parse_vehicles([]) == []


@pytest.mark.parametrize("payload", [None, "junk", [], 42], ids=["null", "text", "list", "number"])
def test_a_detail_that_is_no_object_is_unexpected(payload: Any) -> None:
    """Only a body of the wrong shape is an error."""
    with pytest.raises(UnexpectedResponseError):
        parse_wallbox(payload, "wb-1")
    with pytest.raises(UnexpectedResponseError):
        parse_vehicle(payload, "ev-1")


@pytest.mark.parametrize("payload", [None, {"items": []}, ["junk"], [None]])
def test_a_list_of_another_shape_is_unexpected(payload: Any) -> None:
    """A list answer must be a list of objects."""
    with pytest.raises(UnexpectedResponseError):
        parse_wallboxes(payload)
    with pytest.raises(UnexpectedResponseError):
        parse_vehicles(payload)


def test_a_detail_without_any_id_is_unexpected() -> None:
    """Without an id in the answer or the request there is no device."""
    with pytest.raises(UnexpectedResponseError):
        parse_wallbox({"id": None})


def test_personal_data_stays_out_of_repr() -> None:
    """Owner, e-mail, coordinates and signed links never reach a log through repr."""
    wallbox = parse_wallbox(wallbox_seed() | OPENAPI_ADDITIONS | {"owner": {"email": "a@b.c"}})
    vehicle = parse_vehicle(ev_seed() | {"latitude": 48.2082, "longitude": 16.3738})
    for text in (repr(wallbox), repr(vehicle)):
        assert "a@b.c" not in text
        assert "owner" not in text
        assert "48.2082" not in text
        assert "16.3738" not in text
        assert "secret" not in text
