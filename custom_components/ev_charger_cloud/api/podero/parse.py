"""Defensive parsing of Podero Partner API v2.0 JSON into the typed models.

Unknown enum values become ``unknown``, numbers may come as text, placeholders
where a number belongs become None, and any field (or whole block) may be
null or absent. Only an answer that is not the expected shape at all (not an
object, a list that is not a list, a device without any id) is an error.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime, time
from enum import StrEnum
from functools import partial
import logging
from typing import Any

from ..errors import BoostRefusalReason, BoostRefusedError, UnexpectedResponseError
from ..parse import as_bool, as_float, as_int, as_mapping, as_str
from .models import (
    PoderoAction,
    PoderoActionCode,
    PoderoBoostState,
    PoderoChargingConfig,
    PoderoChargingMode,
    PoderoConnection,
    PoderoDevice,
    PoderoHealth,
    PoderoMode,
    PoderoModeAvailability,
    PoderoOwner,
    PoderoRole,
    PoderoUser,
    PoderoVehicle,
    PoderoWallbox,
)

_LOGGER = logging.getLogger(__name__)


# --- values -------------------------------------------------------------------------


def as_datetime(value: Any) -> datetime | None:
    """An aware datetime from ISO-8601 text (naive means UTC).

    None when unparsable, and for the year-1 sentinel Podero uses for "never".
    """
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.year <= 1:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def as_time(value: Any) -> time | None:
    """A time of day from "HH:MM[:SS]" text; None when unparsable."""
    if not isinstance(value, str):
        return None
    try:
        return time.fromisoformat(value)
    except ValueError:
        return None


def as_enum[E: StrEnum](enum: type[E], value: Any, unknown: E) -> E:
    """The member for ``value``; ``unknown`` for a value the enum does not know.

    Only text can be a member: anything else is unknown without asking the enum,
    whose error message would hold the value's repr (which a deeply nested list breaks).
    """
    if not isinstance(value, str):
        return unknown
    try:
        return enum(value)
    except ValueError:
        return unknown


def _optional_enum[E: StrEnum](enum: type[E], value: Any, unknown: E) -> E | None:
    """Like as_enum, but None when the field is null or absent."""
    return None if value is None else as_enum(enum, value, unknown)


def _health(value: Any) -> PoderoHealth:
    return as_enum(PoderoHealth, value, PoderoHealth.UNKNOWN)


def _strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(text for text in map(as_str, value) if text is not None)
    return ()


def _object(payload: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(payload, Mapping):
        raise UnexpectedResponseError(f"{what} answer is not an object")
    return payload


def _objects(payload: Any, what: str) -> list[Mapping[str, Any]]:
    if not isinstance(payload, list) or not all(isinstance(item, Mapping) for item in payload):
        raise UnexpectedResponseError(f"{what} answer is not a list of objects")
    return payload


# --- devices ------------------------------------------------------------------------


def parse_action(raw: Any) -> PoderoAction | None:
    """One ``actions[]`` item; None for an item that is not an object."""
    if not isinstance(raw, Mapping):
        return None
    link = as_mapping(raw.get("resolution_link"))
    return PoderoAction(
        code=as_enum(PoderoActionCode, raw.get("code"), PoderoActionCode.UNKNOWN),
        resolution_url=as_str(link.get("url")),
        required_parameters=_strings(link.get("required_parameters")),
        message=as_str(as_mapping(raw.get("metadata")).get("message")),
        sent_at=as_datetime(raw.get("sent_at")),
    )


def _owner(raw: Any) -> PoderoOwner | None:
    if not isinstance(raw, Mapping):
        return None
    return PoderoOwner(
        id=as_str(raw.get("id")),
        email=as_str(raw.get("email")),
        first_name=as_str(raw.get("first_name")),
        last_name=as_str(raw.get("last_name")),
        external_id=as_str(raw.get("external_id")),
    )


def _device_id(data: Mapping[str, Any], device_id: str | None, what: str) -> str:
    found = as_str(data.get("id")) or device_id
    if found is None:
        raise UnexpectedResponseError(f"{what} without an id")
    return found


# The converter of each field, by its name in the API and in the model.
type _Fields = Mapping[str, Callable[[Any], Any]]

# The fields wallboxes and vehicles share and read alike.
_COMMON_FIELDS: _Fields = {
    "owner": _owner,
    "connection_status": _health,
    "monitoring_status": _health,
    "steering_status": _health,
    "price_zone": as_str,
    "created_at": as_datetime,
    "updated_at": as_datetime,
    "deleted_at": as_datetime,
    "lifecycle_state": as_str,
    "lifecycle_error": as_str,
    "comment": as_str,
    "is_authenticated": as_bool,
    "mode": partial(_optional_enum, PoderoMode, unknown=PoderoMode.UNKNOWN),
    "connection": partial(_optional_enum, PoderoConnection, unknown=PoderoConnection.UNKNOWN),
    "pause_power_until": as_datetime,
    "is_pause_power_active": as_bool,
    "is_smart_optimization_active": as_bool,
    "optimization_score": as_float,
    "current_mode": as_str,
    "actual_steering_state": as_str,
    "charge_target_min": as_int,
    "charge_target_max": as_int,
    "minimum_charge_limit": as_int,
    "is_charge_policy_enabled": as_bool,
    "is_over_charge_allowed": as_bool,
    "is_plugged_in": as_bool,
    "is_charging": as_bool,
    "is_fully_charged": as_bool,
    "charge_rate_w": as_float,
    "charge_time_remaining": as_int,
    "consumption_last_day_kwh": as_float,
    "consumption_last_week_kwh": as_float,
    "consumption_last_month_kwh": as_float,
    "consumption_last_updated_at": as_datetime,
    "current_state_last_updated_at": as_datetime,
    "last_monitoring_executed_at": as_datetime,
    "boost_state": partial(_optional_enum, PoderoBoostState, unknown=PoderoBoostState.UNKNOWN),
    "boost_for_next_session": as_bool,
    "boost_feature_enabled": as_bool,
    "action_needed": as_bool,
    "has_notification": as_bool,
}


def _fields(data: Mapping[str, Any], fields: _Fields) -> dict[str, Any]:
    """Each field read by its converter, as keyword arguments."""
    return {name: parse(data.get(name)) for name, parse in fields.items()}


def _common(data: Mapping[str, Any]) -> dict[str, Any]:
    """The fields wallboxes and vehicles share, as keyword arguments."""
    device_model = as_mapping(data.get("device_model"))
    actions = data.get("actions")
    return {
        "manufacturer": as_str(device_model.get("manufacturer")),
        "model": as_str(device_model.get("model")),
        "model_year": as_int(device_model.get("year")),
        "device_type": as_str(as_mapping(device_model.get("device_type")).get("short_name")),
        **_fields(data, _COMMON_FIELDS),
        "actions": tuple(
            action
            for action in (map(parse_action, actions) if isinstance(actions, list) else ())
            if action is not None
        ),
    }


# Each kind's own fields.
_WALLBOX_FIELDS: _Fields = {
    "is_ocpp_connected": as_bool,
    "firmware_version": as_str,
    "total_energy_delivered_wh": as_float,
    "charge_power_max_w": as_float,
    "phases": as_int,
    "min_amps": as_int,
    "max_amps": as_int,
    "supports_current_modulation": as_bool,
    "supports_phase_switching": as_bool,
    "hems_min_export_to_start_w": as_float,
    "hems_max_import_before_stopping_w": as_float,
    "charge_deadline_at": as_datetime,
}

_VEHICLE_FIELDS: _Fields = {
    "battery_level": as_float,
    "battery_capacity_kwh": as_float,
    "driving_range": as_float,
    "battery_at_plug_in": as_float,
    "expected_max_charge_power": as_float,
    # A time of day here, where a wallbox's deadline is a date and time.
    "charge_deadline_at": as_time,
    "charge_state_last_updated_at": as_datetime,
    "last_boost_triggered_at": as_datetime,
    "last_boost_ended_at": as_datetime,
    "last_boost_end_reason": as_str,
    "latitude": as_float,
    "longitude": as_float,
    "coordinates_last_updated_at": as_datetime,
    "geo_fence_distance_m": as_float,
}


def _device[D: PoderoDevice](
    model: type[D], what: str, fields: _Fields, payload: Any, device_id: str | None
) -> D:
    """A device object: the shared fields and its kind's own; ``device_id`` when it has no id."""
    data = _object(payload, what)
    return model(
        id=_device_id(data, device_id, what),
        **_common(data),
        **_fields(data, fields),
    )


def parse_wallbox(payload: Any, wallbox_id: str | None = None) -> PoderoWallbox:
    """A wallbox object; ``wallbox_id`` names it when the answer has no id."""
    return _device(PoderoWallbox, "Wallbox", _WALLBOX_FIELDS, payload, wallbox_id)


def parse_vehicle(payload: Any, vehicle_id: str | None = None) -> PoderoVehicle:
    """An electric-vehicle object; ``vehicle_id`` names it when the answer has no id."""
    return _device(PoderoVehicle, "Electric vehicle", _VEHICLE_FIELDS, payload, vehicle_id)


def parse_wallboxes(payload: Any) -> list[PoderoWallbox]:
    """The wallbox list; items without an id are left out."""
    return [parse_wallbox(item) for item in _with_id(_objects(payload, "Wallboxes"))]


def parse_vehicles(payload: Any) -> list[PoderoVehicle]:
    """The electric-vehicle list; items without an id are left out."""
    return [parse_vehicle(item) for item in _with_id(_objects(payload, "Electric vehicles"))]


def _with_id(items: list[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    kept = [item for item in items if as_str(item.get("id")) is not None]
    if len(kept) < len(items):
        _LOGGER.debug("Skipped %d Podero devices without an id", len(items) - len(kept))
    return kept


# --- users and charging configuration -------------------------------------------------


def parse_user(payload: Any) -> PoderoUser:
    """One user of the organisation."""
    data = _object(payload, "User")
    user_id = as_str(data.get("id"))
    if user_id is None:
        raise UnexpectedResponseError("User without an id")
    return PoderoUser(
        id=user_id,
        email=as_str(data.get("email")),
        first_name=as_str(data.get("first_name")),
        last_name=as_str(data.get("last_name")),
        role=as_enum(PoderoRole, data.get("role"), PoderoRole.UNKNOWN),
        num_wallboxes=as_int(data.get("num_wallboxes")),
        num_electric_vehicles=as_int(data.get("num_electric_vehicles")),
    )


def parse_users(payload: Any) -> list[PoderoUser]:
    """The users of the organisation."""
    return [parse_user(item) for item in _objects(payload, "Users")]


def _availability(mode: Any, raw: Any) -> PoderoModeAvailability:
    """One mode's availability: an object, or a bare boolean."""
    details = as_mapping(raw)
    available = as_bool(raw) if not details else as_bool(details.get("available"))
    reasons = _strings(details.get("reasons")) or _strings(details.get("reason"))
    return PoderoModeAvailability(
        mode=as_enum(PoderoChargingMode, mode, PoderoChargingMode.UNKNOWN),
        available=available,
        reasons=reasons,
    )


def _available_modes(raw: Any) -> tuple[PoderoModeAvailability, ...]:
    """``available_modes`` as a list of objects (with ``mode``), of names, or a mapping."""
    if isinstance(raw, Mapping):
        return tuple(_availability(mode, details) for mode, details in raw.items())
    if not isinstance(raw, list):
        return ()
    modes: list[PoderoModeAvailability] = []
    for item in raw:
        if isinstance(item, Mapping):
            modes.append(_availability(item.get("mode"), item))
        elif isinstance(item, str):
            modes.append(_availability(item, True))
    return tuple(modes)


def parse_charging_config(payload: Any) -> PoderoChargingConfig:
    """A user's charging configuration."""
    data = _object(payload, "Charging config")
    solar = data.get("solar_charging_status", data.get("solar_charging"))
    if isinstance(solar, Mapping):
        solar = solar.get("status")
    return PoderoChargingConfig(
        mode=_optional_enum(PoderoChargingMode, data.get("mode"), PoderoChargingMode.UNKNOWN),
        available_modes=_available_modes(data.get("available_modes")),
        min_band_w=as_float(data.get("min_band_w")),
        hems_min_export_to_start_w=as_float(data.get("hems_min_export_to_start_w")),
        hems_max_import_before_stopping_w=as_float(data.get("hems_max_import_before_stopping_w")),
        solar_charging_status=as_str(solar),
    )


# --- errors -------------------------------------------------------------------------


def boost_refused(payload: Any) -> BoostRefusedError:
    """The error for a 409 answer to a boost: ``{"state": …, "reason": …}``."""
    data = as_mapping(payload)
    return BoostRefusedError(
        reason=as_enum(BoostRefusalReason, data.get("reason"), BoostRefusalReason.UNKNOWN),
        state=as_str(data.get("state")),
    )
