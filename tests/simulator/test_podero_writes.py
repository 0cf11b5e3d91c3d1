"""Podero: device PUTs, boost (204/409), charging-config, and 422 validation."""

from datetime import UTC, datetime
from typing import Any

import pytest

from simulator import Simulator
from simulator.podero.model import PoderoUser
from simulator.testing import PoderoTestClient


def _iso(at: float) -> str:
    return datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


async def _put(client: PoderoTestClient, path: str, body: Any) -> tuple[int, Any]:
    response = await client.request("PUT", path, json=body)
    return response.status, await response.json()


async def test_pause_and_resume(
    sim: Simulator, user: PoderoUser, user_path: str, authorized: PoderoTestClient
) -> None:
    wallbox = sim.podero.add_wallbox(user.id)
    path = f"{user_path}/wallboxes/{wallbox.id}"
    until = _iso(sim.clock.now() + 3600)
    status, body = await _put(authorized, path, {"pause_power_until": until})
    assert status == 200
    assert (body["pause_power_until"], body["is_pause_power_active"]) == (until, True)
    sim.clock.advance(3601)
    assert (await authorized.get_json(path))["is_pause_power_active"] is False
    await _put(authorized, path, {"pause_power_until": _iso(sim.clock.now() + 60)})
    status, body = await _put(authorized, path, {"pause_power_until": None})
    assert status == 200
    assert (body["pause_power_until"], body["is_pause_power_active"]) == (None, False)


async def test_vehicle_preferences(
    sim: Simulator, user: PoderoUser, user_path: str, authorized: PoderoTestClient
) -> None:
    ev = sim.podero.add_vehicle(user.id)
    path = f"{user_path}/electric-vehicles/{ev.id}"
    status, body = await _put(
        authorized,
        path,
        {
            "minimum_charge_limit": 80,
            "charge_deadline_at": "07:30",
            "is_charge_policy_enabled": True,
            "is_smart_optimization_active": True,
        },
    )
    assert status == 200
    assert body["minimum_charge_limit"] == 80
    assert body["charge_deadline_at"] == "07:30:00"
    assert body["is_charge_policy_enabled"] is True
    assert body["is_smart_optimization_active"] is True
    assert body["charge_policy_last_updated_at"] == body["updated_at"]
    # Only the fields sent change.
    status, body = await _put(authorized, path, {"charge_deadline_at": "22:15:00"})
    assert (status, body["charge_deadline_at"], body["minimum_charge_limit"]) == (
        200,
        "22:15:00",
        80,
    )


@pytest.mark.parametrize(
    ("field", "value", "kind"),
    [
        ("minimum_charge_limit", 101, "range"),
        ("minimum_charge_limit", "80", "int_type"),
        ("minimum_charge_limit", True, "int_type"),
        ("charge_deadline_at", "7:30", "time_parsing"),
        ("charge_deadline_at", "25:00", "time_parsing"),
        ("pause_power_until", "tomorrow", "datetime_parsing"),
        ("is_smart_optimization_active", 1, "bool_type"),
        ("battery_level", 90, "extra_forbidden"),
        ("nickname", "x", "extra_forbidden"),
    ],
)
async def test_invalid_vehicle_fields_are_422(
    sim: Simulator,
    user: PoderoUser,
    user_path: str,
    authorized: PoderoTestClient,
    field: str,
    value: Any,
    kind: str,
) -> None:
    ev = sim.podero.add_vehicle(user.id)
    path = f"{user_path}/electric-vehicles/{ev.id}"
    status, body = await _put(authorized, path, {"is_charge_policy_enabled": True, field: value})
    assert status == 422
    (error,) = body["detail"]
    assert error["loc"] == ["body", field]
    assert error["type"] == kind
    assert error["msg"]
    # Nothing of a refused body is applied.
    assert sim.podero.vehicle_json(ev.id)["is_charge_policy_enabled"] is False


async def test_wallbox_refuses_vehicle_fields_and_bad_bodies(
    sim: Simulator, user: PoderoUser, user_path: str, authorized: PoderoTestClient
) -> None:
    wallbox = sim.podero.add_wallbox(user.id)
    path = f"{user_path}/wallboxes/{wallbox.id}"
    status, body = await _put(authorized, path, {"minimum_charge_limit": 50, "phases": 1})
    assert status == 422
    assert [e["loc"][-1] for e in body["detail"]] == ["minimum_charge_limit", "phases"]
    assert (await _put(authorized, path, [1]))[0] == 422
    response = await authorized.session.put(
        f"{authorized.base}/api/partners/v2.0{path}",
        data="not json",
        headers={"Authorization": f"Bearer {authorized.token}"},
    )
    assert response.status == 400
    assert await response.json() == {"detail": "Cannot parse request body"}


async def test_boost_requested_then_ongoing(
    sim: Simulator, user: PoderoUser, user_path: str, authorized: PoderoTestClient
) -> None:
    ev = sim.podero.add_vehicle(user.id)
    sim.podero.plug_in(ev.id)
    path = f"{user_path}/electric-vehicles/{ev.id}"
    await _put(authorized, path, {"pause_power_until": _iso(sim.clock.now() + 7200)})
    assert (await authorized.get_json(path))["boost_state"] == "available"
    response = await authorized.request("POST", f"{path}/boost")
    assert response.status == 204
    body = await authorized.get_json(path)
    assert (body["boost_state"], body["is_charging"]) == ("requested", False)
    assert body["last_boost_triggered_at"] == _iso(sim.clock.now())
    assert (await authorized.request("POST", f"{path}/boost")).status == 204  # idempotent
    sim.clock.advance(60)
    body = await authorized.get_json(path)
    assert (body["boost_state"], body["is_charging"]) == ("ongoing", True)
    # DELETE on an EV only disarms the next session: the live boost goes on.
    sim.podero.set_boost_for_next_session(ev.id, True)
    assert (await authorized.request("DELETE", f"{path}/boost")).status == 204
    body = await authorized.get_json(path)
    assert (body["boost_state"], body["boost_for_next_session"]) == ("ongoing", False)
    response = await authorized.request("POST", f"{path}/boost")
    assert response.status == 409
    assert await response.json() == {"state": "ongoing", "reason": "already_charging"}


async def test_boost_conflicts(
    sim: Simulator, user: PoderoUser, user_path: str, authorized: PoderoTestClient
) -> None:
    ev = sim.podero.add_vehicle(user.id, battery_level=100)
    path = f"{user_path}/electric-vehicles/{ev.id}/boost"

    async def conflict() -> Any:
        response = await authorized.request("POST", path)
        assert response.status == 409
        return await response.json()

    assert await conflict() == {"state": "unavailable", "reason": "no_active_session"}
    sim.podero.plug_in(ev.id)
    assert await conflict() == {"state": "available", "reason": "fully_charged"}
    sim.podero.set_battery(ev.id, 50)
    assert await conflict() == {"state": "available", "reason": "already_charging"}
    sim.podero.settings.boost_internal_error = True
    assert await conflict() == {"state": "available", "reason": "internal_error"}


async def test_wallbox_boost_and_cancel(
    sim: Simulator, user: PoderoUser, user_path: str, authorized: PoderoTestClient
) -> None:
    sim.podero.settings.wallbox_boost_fields = True
    wallbox = sim.podero.add_wallbox(user.id)
    ev = sim.podero.add_vehicle(user.id, battery_level=30)
    path = f"{user_path}/wallboxes/{wallbox.id}"
    # No car: the boost is armed for the next session.
    assert (await authorized.request("POST", f"{path}/boost")).status == 204
    assert (await authorized.get_json(path))["boost_for_next_session"] is True
    await _put(authorized, path, {"pause_power_until": _iso(sim.clock.now() + 7200)})
    sim.podero.plug_in(ev.id, wallbox.id)
    body = await authorized.get_json(path)
    assert (body["boost_state"], body["boost_for_next_session"]) == ("requested", False)
    sim.clock.advance(60)
    body = await authorized.get_json(path)
    assert (body["boost_state"], body["is_charging"]) == ("ongoing", True)
    # DELETE on a wallbox stops the live boost; the pause holds again.
    assert (await authorized.request("DELETE", f"{path}/boost")).status == 204
    body = await authorized.get_json(path)
    assert (body["boost_state"], body["is_charging"]) == ("available", False)
    ev_body = sim.podero.vehicle_json(ev.id)
    assert ev_body["last_boost_end_reason"] is None  # the EV had no boost of its own
    assert sim.podero.state_json(wallbox.id)["boost_state"] == "available"
    assert (await authorized.request("DELETE", f"{path}/boost")).status == 204


async def test_charging_config(
    sim: Simulator, user: PoderoUser, user_path: str, authorized: PoderoTestClient
) -> None:
    path = f"{user_path}/charging-config"
    config = await authorized.get_json(path)
    assert config == {
        "mode": "none",
        "available_modes": [
            {"mode": "none", "available": True, "reasons": []},
            {"mode": "spot", "available": False, "reasons": ["no_ev"]},
            {"mode": "hems", "available": False, "reasons": ["no_actuator", "no_inverter"]},
            {
                "mode": "hems_and_spot",
                "available": False,
                "reasons": ["no_ev", "no_actuator", "no_inverter"],
            },
        ],
        "min_band_w": 1380,
        "hems_min_export_to_start_w": 2000,
        "hems_max_import_before_stopping_w": 4000,
        "solar_charging_status": "inactive",
    }
    status, body = await _put(authorized, path, {"mode": "spot"})
    assert status == 422
    assert body["detail"][0]["type"] == "mode_unavailable"
    sim.podero.add_vehicle(user.id)
    wallbox = sim.podero.add_wallbox(user.id, phases=1)
    status, body = await _put(authorized, path, {"mode": "spot"})
    assert (status, body["mode"]) == (200, "spot")
    sim.podero.set_inverter(user.id, present=True)
    status, body = await _put(
        authorized, path, {"mode": "hems_and_spot", "hems_min_export_to_start_w": 1500}
    )
    assert status == 200
    assert (body["mode"], body["solar_charging_status"]) == ("hems_and_spot", "waiting_for_surplus")
    assert sim.podero.wallbox_json(wallbox.id)["hems_min_export_to_start_w"] == 1500
    for bad in (
        {"mode": "eco"},
        {"hems_min_export_to_start_w": 1000},  # below min_band_w
        {"hems_max_import_before_stopping_w": 50_001},
        {"min_band_w": 100},
    ):
        status, body = await _put(authorized, path, bad)
        assert status == 422, bad
    assert (await authorized.get_json(path))["hems_min_export_to_start_w"] == 1500


async def test_empty_body_changes_nothing(user_path: str, authorized: PoderoTestClient) -> None:
    status, body = await _put(authorized, f"{user_path}/charging-config", {})
    assert (status, body["mode"]) == (200, "none")
