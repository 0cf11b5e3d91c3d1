"""JSON documents of the Podero Partner API, built from the model.

Field names, order and types follow the seeds: `WallboxDetailOutput` of the OpenAPI
spec for wallboxes, the `GET electric-vehicles` example for EVs.
"""

import time
from typing import Any

from .model import (
    CHARGING_MODES,
    DAY,
    MONTH,
    VOLTAGE,
    WEEK,
    BoostState,
    DeviceMode,
    PoderoDevice,
    PoderoOrg,
    PoderoSettings,
    PoderoUser,
    PoderoVehicle,
    PoderoWallbox,
)
from .physics import is_full, power_w, seconds_to_limit

NEVER = "0001-01-01T00:00:00Z"


def iso(at: float | None) -> str | None:
    """UTC timestamp as the API writes it (`2023-11-07T05:31:56Z`)."""
    return None if at is None else time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(at))


def decimal(value: float, settings: PoderoSettings) -> str | float:
    """A decimal field: a string with two decimals (as the seeds have them) or a number."""
    rounded = round(value, 2)
    return f"{rounded:.2f}" if settings.decimal_strings else rounded


def detail_json(message: str) -> dict[str, Any]:
    """Error body of the API (`{"detail": "Not found."}`)."""
    return {"detail": message}


def validation_error(loc: list[str | int], msg: str, kind: str) -> dict[str, Any]:
    """One item of a 422 body's `detail` list (pydantic's shape)."""
    return {"loc": loc, "msg": msg, "type": kind}


def token_json(token: str, expires_in: float) -> dict[str, Any]:
    """Answer of `oauth2/token/`."""
    return {
        "access_token": token,
        "expires_in": round(expires_in),
        "token_type": "Bearer",
        "scope": "read write",
    }


def org_json(org: PoderoOrg) -> dict[str, Any]:
    """`GET org/{org_id}`."""
    return {"name": org.name, "id": org.id, "description": "", "contact": None}


def user_json(user: PoderoUser) -> dict[str, Any]:
    """An item of `GET org/{org_id}/users`, also `GET users/{user_id}`."""
    return {
        "id": user.id,
        "role": user.role,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "num_wallboxes": len(user.wallbox_ids),
        "num_electric_vehicles": len(user.vehicle_ids),
        "num_heat_pumps": 0,
        "num_inverters": int(user.has_inverter),
        "external_user_id": user.external_user_id,
        "is_onboarded": user.is_onboarded,
    }


def owner_json(user: PoderoUser) -> dict[str, Any]:
    """`owner` of a device."""
    return {
        "id": user.id,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "external_id": user.external_user_id,
    }


def _device_model(device: PoderoDevice, short_name: str, long_name: str) -> dict[str, Any]:
    return {
        "device_type": {"short_name": short_name, "long_name": long_name},
        "manufacturer": device.manufacturer,
        "model": device.model,
        "cloud_service_instructions": None,
        "cloud_service_signup_link": None,
        "year": device.year,
        "cloud_service": None,
    }


def _pills(device: PoderoDevice) -> dict[str, str]:
    """Health pills: offline is a warning, a lost upstream authentication an error."""
    if not device.is_authenticated:
        connection, steering = "error", "error"
    elif not device.online:
        connection, steering = "warning", "warning"
    else:
        connection, steering = "ok", "ok"
    return {
        "connection_status": connection,
        "monitoring_status": "ok" if device.online else "warning",
        "steering_status": steering,
    }


def connection(device: PoderoDevice) -> str:
    """`connection`: online when connected and authenticated upstream."""
    return "online" if device.online and device.is_authenticated else "offline"


def mode(device: PoderoDevice, plugged_in: bool, charging: bool) -> str:
    """`mode` pill; an offline device is UNAVAILABLE whatever it does."""
    if connection(device) == "offline":
        return DeviceMode.UNAVAILABLE
    if charging:
        return DeviceMode.CHARGING
    return DeviceMode.PLUGGED_IN if plugged_in else DeviceMode.READY


def boost_state(device: PoderoDevice, plugged_in: bool) -> str:
    """`requested`/`ongoing` during a boost, else `available` while plugged in."""
    if device.boost is not None:
        return BoostState.ONGOING if device.boost.ongoing else BoostState.REQUESTED
    if plugged_in and device.boost_feature_enabled:
        return BoostState.AVAILABLE
    return BoostState.UNAVAILABLE


def _common_head(
    device: PoderoDevice, owner: PoderoUser, short_name: str, long_name: str
) -> dict[str, Any]:
    return {
        **_pills(device),
        "device_model": _device_model(device, short_name, long_name),
        "owner": owner_json(owner),
    }


def _lifecycle(device: PoderoDevice) -> dict[str, Any]:
    return {
        "deleted_at": None,
        "lifecycle_state": "authenticated" if device.is_authenticated else "error",
        "lifecycle_error": None if device.is_authenticated else "reauthentication required",
    }


def _control_fields(device: PoderoDevice, now: float) -> dict[str, Any]:
    """From `pause_power_until` to `actual_steering_state`, identical on both kinds."""
    return {
        "pause_power_until": iso(device.pause_power_until),
        "is_pause_power_active": device.paused(now),
        "external_device_id": device.external_device_id,
        "is_authenticated": device.is_authenticated,
        "is_smart_optimization_active": device.is_smart_optimization_active,
        "optimization_score": None,
        "current_mode": None,
        "comment": device.comment,
        "current_state_last_updated_at": iso(now),
        "last_monitoring_executed_at": iso(now),
        "is_inverter_forced_mode_enabled": False,
        "is_inverter_forced_mode_active": False,
        "inverter_forced_mode_since": NEVER,
        "is_trading_enabled": False,
        "actual_steering_state": "unknown",
    }


def _consumption(device: PoderoDevice, now: float, settings: PoderoSettings) -> dict[str, Any]:
    return {
        "consumption_last_day_kwh": decimal(device.kwh_between(now - DAY, now), settings),
        "consumption_last_week_kwh": decimal(device.kwh_between(now - WEEK, now), settings),
        "consumption_last_month_kwh": decimal(device.kwh_between(now - MONTH, now), settings),
        "consumption_last_updated_at": iso(now),
    }


def _action_flags(device: PoderoDevice) -> dict[str, bool]:
    codes = {action.get("code") for action in device.actions}
    return {"action_needed": "reauthenticate" in codes, "has_notification": "information" in codes}


def wallbox_json(
    wallbox: PoderoWallbox,
    owner: PoderoUser,
    ev: PoderoVehicle | None,
    now: float,
    settings: PoderoSettings,
) -> dict[str, Any]:
    """`WallboxDetailOutput`; also the items of the wallbox list."""
    watts = power_w(ev, wallbox, now) if ev is not None else 0.0
    plugged_in = ev is not None
    flags = _action_flags(wallbox)
    data: dict[str, Any] = {
        **_common_head(wallbox, owner, "wallbox", "Wallbox"),
        "price_zone": wallbox.price_zone,
        "id": wallbox.id,
        "created_at": iso(wallbox.created_at),
        "updated_at": iso(wallbox.updated_at),
        **_lifecycle(wallbox),
        **_control_fields(wallbox, now),
        "charge_target_min": 50,
        "charge_target_max": 80,
        "charge_power_max_w": wallbox.charge_power_max_w,
        "supports_current_modulation": wallbox.supports_current_modulation,
        "supports_phase_switching": wallbox.supports_phase_switching,
        "phases": wallbox.phases,
        "min_amps": wallbox.min_amps,
        "max_amps": wallbox.max_amps,
        "capabilities_last_refreshed_at": iso(wallbox.created_at),
        "hems_min_export_to_start_w": wallbox.hems_min_export_to_start_w,
        "hems_max_import_before_stopping_w": wallbox.hems_max_import_before_stopping_w,
        "firmware_version": wallbox.firmware_version,
        "is_ocpp_connected": wallbox.online,
        "ocpp_connected_last_updated_at": iso(wallbox.updated_at),
        "total_energy_delivered_wh": round(wallbox.total_energy_wh),
        "is_charge_policy_enabled": wallbox.is_charge_policy_enabled,
        "charge_policy_last_updated_at": iso(wallbox.charge_policy_updated_at),
        "minimum_charge_limit": wallbox.minimum_charge_limit,
        "charge_deadline_at": None,
        "is_over_charge_allowed": False,
        "charge_time_remaining": _remaining(ev, watts),
        "charge_rate_w": float(round(watts)),
        "is_fully_charged": ev is not None and is_full(ev),
        "is_plugged_in": plugged_in,
        "is_charging": watts > 0,
        "charge_state_last_updated_at": iso(now),
        **_consumption(wallbox, now, settings),
        "needs_gateway": False,
        "embeddable_url": None,
        "authorization_url": None,
        **flags,
        "mode": mode(wallbox, plugged_in, watts > 0),
        "connection": connection(wallbox),
        "actions": [dict(action) for action in wallbox.actions],
    }
    if settings.wallbox_boost_fields:
        data["boost_state"] = boost_state(wallbox, plugged_in)
        data["boost_for_next_session"] = wallbox.boost_for_next_session
    return data


def _remaining(ev: PoderoVehicle | None, watts: float) -> int | None:
    seconds = None if ev is None else seconds_to_limit(ev, watts)
    return None if seconds is None else round(seconds)


def vehicle_json(
    ev: PoderoVehicle,
    owner: PoderoUser,
    wallbox: PoderoWallbox | None,
    now: float,
    settings: PoderoSettings,
    *,
    detail: bool,
) -> dict[str, Any]:
    """An EV as the list shows it; the detail adds `mode`, `connection` and `actions`."""
    watts = power_w(ev, wallbox, now)
    data: dict[str, Any] = {
        **_common_head(ev, owner, "ev", "Electric vehicle"),
        "created_at": iso(ev.created_at),
        "updated_at": iso(ev.updated_at),
        "price_zone": ev.price_zone,
        "id": ev.id,
        **_lifecycle(ev),
        "building": None,
        **_control_fields(ev, now),
        "charge_target_min": 50,
        "charge_target_max": ev.charge_target_max,
        "is_charge_policy_enabled": ev.is_charge_policy_enabled,
        "charge_policy_last_updated_at": iso(ev.charge_policy_updated_at),
        "minimum_charge_limit": ev.minimum_charge_limit,
        "charge_deadline_at": ev.charge_deadline_at,
        "is_over_charge_allowed": False,
        "expected_max_charge_power": ev.expected_max_charge_power,
        "charge_time_remaining": _remaining(ev, watts),
        "charge_rate_w": round(watts),
        "is_fully_charged": is_full(ev),
        "is_plugged_in": ev.plugged_in,
        "is_charging": watts > 0,
        "battery_level": round(ev.battery_level),
        "driving_range": round(ev.battery_level * ev.range_per_percent),
        "battery_capacity_kwh": decimal(ev.battery_capacity_kwh, settings),
        "charge_state_last_updated_at": iso(now),
        "boost_for_next_session": ev.boost_for_next_session,
        "latitude": ev.latitude,
        "longitude": ev.longitude,
        "coordinates_last_updated_at": iso(ev.updated_at),
        "geo_fence_distance_m": ev.geo_fence_distance_m,
        **_consumption(ev, now, settings),
        "battery_at_plug_in": ev.battery_at_plug_in,
        "embeddable_url": None,
        "authorization_url": None,
        "action_needed": _action_flags(ev)["action_needed"],
        "boost_state": boost_state(ev, ev.plugged_in),
        "boost_feature_enabled": ev.boost_feature_enabled,
        "last_boost_triggered_at": iso(ev.last_boost_triggered_at),
        "last_boost_ended_at": iso(ev.last_boost_ended_at),
        "last_boost_end_reason": ev.last_boost_end_reason,
    }
    if detail:
        data["mode"] = mode(ev, ev.plugged_in, watts > 0)
        data["connection"] = connection(ev)
        data["actions"] = [dict(action) for action in ev.actions]
    return data


def min_band_w(wallboxes: list[PoderoWallbox]) -> int:
    """Smallest power a HEMS band can steer: min_amps on the fewest phases a wallbox can use.

    A wallbox that switches phases can drop to one phase.
    """
    if not wallboxes:
        return round(6 * VOLTAGE)
    return min(
        round(w.min_amps * VOLTAGE * (1 if w.supports_phase_switching else w.phases))
        for w in wallboxes
    )


def mode_reasons(
    user: PoderoUser, wallboxes: list[PoderoWallbox], vehicles: list[PoderoVehicle]
) -> dict[str, list[str]]:
    """Why each charging mode is unavailable (an empty list: available)."""
    spot: list[str] = []
    if not vehicles:
        spot.append("no_ev")
    elif not any(ev.battery_capacity_kwh > 0 for ev in vehicles):
        spot.append("no_battery_capacity")
    hems: list[str] = []
    if not wallboxes:
        hems.append("no_actuator")
    elif not any(w.supports_current_modulation for w in wallboxes):
        hems.append("wallbox_not_modulating")
    if not user.has_inverter:
        hems.append("no_inverter")
    elif not user.inverter_export_data:
        hems.append("inverter_no_export_data")
    return {"none": [], "spot": spot, "hems": hems, "hems_and_spot": spot + hems}


def charging_config_json(
    user: PoderoUser, wallboxes: list[PoderoWallbox], vehicles: list[PoderoVehicle]
) -> dict[str, Any]:
    """`charging-config`: the mode, what is available and why not, HEMS thresholds.

    `available_modes`, the threshold names and `solar_charging_status` are guesses.
    """
    reasons = mode_reasons(user, wallboxes, vehicles)
    hems = user.charging_mode in ("hems", "hems_and_spot")
    return {
        "mode": user.charging_mode,
        "available_modes": [
            {"mode": name, "available": not reasons[name], "reasons": reasons[name]}
            for name in CHARGING_MODES
        ],
        "min_band_w": min_band_w(wallboxes),
        "hems_min_export_to_start_w": user.hems_min_export_to_start_w,
        "hems_max_import_before_stopping_w": user.hems_max_import_before_stopping_w,
        "solar_charging_status": "waiting_for_surplus" if hems else "inactive",
    }
