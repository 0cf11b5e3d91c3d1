"""Podero: JSON shapes against the seeds (field names and types), lists and 404s."""

import json
from pathlib import Path
import re
from typing import Any
import uuid

from simulator import Simulator
from simulator.podero.model import PoderoOrg, PoderoUser
from simulator.testing import PoderoTestClient

FIXTURES = Path(__file__).parent.parent / "fixtures"
WALLBOX_SEED: dict[str, Any] = json.loads((FIXTURES / "podero_wallbox_seed.json").read_text())
EV_SEED: dict[str, Any] = json.loads((FIXTURES / "podero_ev_list_seed.json").read_text())[0]

# Properties of `WallboxDetailOutput` in the OpenAPI spec (seed 001), in its order.
WALLBOX_OPENAPI_FIELDS = [
    "connection_status", "monitoring_status", "steering_status", "device_model", "owner",
    "price_zone", "id", "created_at", "updated_at", "deleted_at", "lifecycle_state",
    "lifecycle_error", "pause_power_until", "is_pause_power_active", "external_device_id",
    "is_authenticated", "is_smart_optimization_active", "optimization_score", "current_mode",
    "comment", "current_state_last_updated_at", "last_monitoring_executed_at",
    "is_inverter_forced_mode_enabled", "is_inverter_forced_mode_active",
    "inverter_forced_mode_since", "is_trading_enabled", "actual_steering_state",
    "charge_target_min", "charge_target_max", "charge_power_max_w",
    "supports_current_modulation", "supports_phase_switching", "phases", "min_amps",
    "max_amps", "capabilities_last_refreshed_at", "hems_min_export_to_start_w",
    "hems_max_import_before_stopping_w", "firmware_version", "is_ocpp_connected",
    "ocpp_connected_last_updated_at", "total_energy_delivered_wh", "is_charge_policy_enabled",
    "charge_policy_last_updated_at", "minimum_charge_limit", "charge_deadline_at",
    "is_over_charge_allowed", "charge_time_remaining", "charge_rate_w", "is_fully_charged",
    "is_plugged_in", "is_charging", "charge_state_last_updated_at", "consumption_last_day_kwh",
    "consumption_last_week_kwh", "consumption_last_month_kwh", "consumption_last_updated_at",
    "needs_gateway", "embeddable_url", "authorization_url", "action_needed", "has_notification",
    "mode", "connection", "actions",
]  # fmt: skip
# The example JSON of seed 000 is an older rendering with two fields the spec dropped.
OLDER_WALLBOX_ONLY = {"building", "is_forecasting_enabled"}
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def _is_uuid(value: Any) -> bool:
    return isinstance(value, str) and str(uuid.UUID(value)) == value


def _same_types(seed: dict[str, Any], actual: dict[str, Any], keys: set[str]) -> None:
    """Where the seed shows a non-null value, ours has a value of the same JSON type."""
    for key in keys:
        expected, value = seed[key], actual[key]
        if expected is None or value is None:
            continue
        if isinstance(expected, bool) or isinstance(value, bool):
            assert isinstance(expected, bool) == isinstance(value, bool), key
        elif isinstance(expected, int | float):
            assert isinstance(value, int | float), key
        else:
            assert type(value) is type(expected), key


async def test_wallbox_has_the_openapi_fields(
    sim: Simulator, user: PoderoUser, user_path: str, authorized: PoderoTestClient
) -> None:
    wallbox = sim.podero.add_wallbox(user.id)
    body = await authorized.get_json(f"{user_path}/wallboxes/{wallbox.id}")
    assert list(body) == WALLBOX_OPENAPI_FIELDS
    assert set(WALLBOX_SEED) - OLDER_WALLBOX_ONLY <= set(body)
    assert set(body["device_model"]) == set(WALLBOX_SEED["device_model"])
    assert set(body["device_model"]["device_type"]) == {"short_name", "long_name"}
    assert set(body["owner"]) == set(WALLBOX_SEED["owner"])
    assert body["owner"]["email"] == "driver@example.com"
    assert _is_uuid(body["id"])
    assert body["id"] == wallbox.id
    assert _is_uuid(body["owner"]["id"])
    # Consumption as decimal strings (allowed by the spec), charge_rate_w a number.
    _same_types(
        WALLBOX_SEED,
        body,
        set(WALLBOX_SEED) - OLDER_WALLBOX_ONLY - {n for n in body if n.startswith("consumption_")},
    )
    assert isinstance(body["charge_rate_w"], float)
    assert body["consumption_last_day_kwh"] == "0.00"
    assert isinstance(body["total_energy_delivered_wh"], int)
    for key in ("created_at", "updated_at", "consumption_last_updated_at"):
        assert TIMESTAMP.match(body[key]), key
    assert body["inverter_forced_mode_since"] == "0001-01-01T00:00:00Z"
    assert (body["mode"], body["connection"], body["actions"]) == ("READY", "online", [])


async def test_wallbox_list_holds_full_objects(
    sim: Simulator, user: PoderoUser, user_path: str, authorized: PoderoTestClient
) -> None:
    first = sim.podero.add_wallbox(user.id, name="Garage")
    second = sim.podero.add_wallbox(user.id, phases=1, charge_power_max_w=3680)
    listed = await authorized.get_json(f"{user_path}/wallboxes")
    assert [w["id"] for w in listed] == [first.id, second.id]
    assert all(list(w) == WALLBOX_OPENAPI_FIELDS for w in listed)
    assert listed[0]["comment"] == "Garage"
    assert (listed[1]["phases"], listed[1]["charge_power_max_w"]) == (1, 3680)
    assert listed[0] == sim.podero.wallbox_json(first.id)


async def test_vehicle_list_has_exactly_the_seed_fields(
    sim: Simulator, user: PoderoUser, user_path: str, authorized: PoderoTestClient
) -> None:
    ev = sim.podero.add_vehicle(user.id, battery_capacity_kwh=77, battery_level=55.4)
    (item,) = await authorized.get_json(f"{user_path}/electric-vehicles")
    assert list(item) == list(EV_SEED)
    assert set(item["device_model"]) == set(EV_SEED["device_model"])
    assert set(item["owner"]) == set(EV_SEED["owner"])
    _same_types(EV_SEED, item, set(EV_SEED) - {n for n in item if n.startswith("consumption_")})
    assert item["id"] == ev.id
    assert item["battery_capacity_kwh"] == "77.00"
    assert item["consumption_last_week_kwh"] == "0.00"
    assert item["charge_deadline_at"] == "06:00:00"
    assert item["minimum_charge_limit"] == 100
    assert (item["battery_level"], item["driving_range"]) == (55, 249)
    assert isinstance(item["charge_rate_w"], int)
    assert item["boost_state"] == "unavailable"
    assert item["device_model"]["model"] == "ID.4"


async def test_vehicle_detail_adds_mode_connection_and_actions(
    sim: Simulator, user: PoderoUser, user_path: str, authorized: PoderoTestClient
) -> None:
    ev = sim.podero.add_vehicle(user.id, manufacturer="Tesla", model="Model 3")
    detail = await authorized.get_json(f"{user_path}/electric-vehicles/{ev.id}")
    assert list(detail) == [*EV_SEED, "mode", "connection", "actions"]
    assert (detail["mode"], detail["connection"], detail["actions"]) == ("READY", "online", [])
    assert detail["device_model"]["manufacturer"] == "Tesla"
    assert detail == sim.podero.vehicle_json(ev.id)


async def test_numbers_instead_of_decimal_strings(
    sim: Simulator, user: PoderoUser, user_path: str, authorized: PoderoTestClient
) -> None:
    sim.podero.settings.decimal_strings = False
    sim.podero.settings.wallbox_boost_fields = True
    ev = sim.podero.add_vehicle(user.id, battery_capacity_kwh=57.5)
    wallbox = sim.podero.add_wallbox(user.id)
    detail = await authorized.get_json(f"{user_path}/electric-vehicles/{ev.id}")
    assert detail["battery_capacity_kwh"] == 57.5
    assert detail["consumption_last_day_kwh"] == 0.0
    body = await authorized.get_json(f"{user_path}/wallboxes/{wallbox.id}")
    assert list(body) == [*WALLBOX_OPENAPI_FIELDS, "boost_state", "boost_for_next_session"]
    assert body["boost_state"] == "unavailable"


async def test_org_users_and_user(
    sim: Simulator, org: PoderoOrg, user: PoderoUser, authorized: PoderoTestClient
) -> None:
    sim.podero.add_wallbox(user.id)
    sim.podero.add_vehicle(user.id)
    sim.podero.add_vehicle(user.id)
    other_id = "0b8a7f40-0000-4000-8000-0000000000aa"
    other = sim.podero.add_user(org.id, "second@example.com", user_id=other_id)
    users = await authorized.get_json(f"/org/{org.id}/users")
    assert users[0] == {
        "id": user.id,
        "role": "user",
        "email": "driver@example.com",
        "first_name": "Dana",
        "last_name": "Driver",
        "num_wallboxes": 1,
        "num_electric_vehicles": 2,
        "num_heat_pumps": 0,
        "num_inverters": 0,
        "external_user_id": None,
        "is_onboarded": True,
    }
    assert users[1]["id"] == other.id
    assert await authorized.get_json(f"/org/{org.id}/users/{user.id}") == users[0]
    assert (await authorized.get_json(f"/org/{org.id}"))["id"] == org.id


async def test_unknown_things_are_404(
    sim: Simulator, org: PoderoOrg, user: PoderoUser, user_path: str, authorized: PoderoTestClient
) -> None:
    ev = sim.podero.add_vehicle(user.id)
    missing = str(uuid.uuid4())
    for method, path in (
        ("GET", f"/org/{org.id}/users/{missing}/wallboxes"),
        ("GET", f"{user_path}/wallboxes/{missing}"),
        ("GET", f"{user_path}/wallboxes/{ev.id}"),  # an EV is not a wallbox
        ("PUT", f"{user_path}/electric-vehicles/{missing}"),
        ("POST", f"{user_path}/electric-vehicles/{missing}/boost"),
        ("GET", f"{user_path}/heat-pumps"),
        ("GET", "/nothing/here"),
    ):
        response = await authorized.request(method, path, json={})
        assert response.status == 404, path
        assert await response.json() == {"detail": "Not found."}
