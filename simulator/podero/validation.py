"""Validation of Podero write bodies, answered like pydantic (422, `{"detail": [...]}`)."""

from collections.abc import Callable, Mapping
from datetime import UTC, datetime, time
from typing import Any

from .answers import validation_error
from .model import CHARGING_MODES, HEMS_THRESHOLD_MAX_W

Validator = Callable[[Any], Any]


class InvalidValue(ValueError):
    """A value a field refuses, with pydantic's message and error type."""

    def __init__(self, msg: str, kind: str) -> None:
        super().__init__(msg)
        self.msg = msg
        self.kind = kind


def parse_datetime(value: str) -> float:
    """ISO-8601 to epoch seconds; a time without offset counts as UTC."""
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.timestamp()


def datetime_or_null(value: Any) -> float | None:
    """An ISO-8601 date-time (epoch seconds) or null."""
    if value is None:
        return None
    try:
        return parse_datetime(value)
    except (TypeError, ValueError):
        raise InvalidValue("Input should be a valid datetime", "datetime_parsing") from None


def time_or_null(value: Any) -> str | None:
    """`HH:MM` or `HH:MM:SS` to the stored `HH:MM:SS`."""
    if value is None:
        return None
    try:
        if len(value) not in (5, 8):
            raise ValueError(value)
        return time.fromisoformat(value).strftime("%H:%M:%S")
    except (TypeError, ValueError):
        raise InvalidValue("Input should be a valid time", "time_parsing") from None


def boolean(value: Any) -> bool:
    """True or false only."""
    if not isinstance(value, bool):
        raise InvalidValue("Input should be a valid boolean", "bool_type")
    return value


def _int_between(value: Any, low: int, high: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidValue("Input should be a valid integer", "int_type")
    if not low <= value <= high:
        raise InvalidValue(f"Input should be between {low} and {high}", "range")
    return value


def percent(value: Any) -> int:
    """An integer within 0..100."""
    return _int_between(value, 0, 100)


def hems_threshold(value: Any) -> int:
    """An integer within 0..50000 (W)."""
    return _int_between(value, 0, HEMS_THRESHOLD_MAX_W)


def charging_mode(value: Any) -> str:
    """One of none/spot/hems/hems_and_spot."""
    if value not in CHARGING_MODES:
        raise InvalidValue(f"Input should be one of {', '.join(CHARGING_MODES)}", "enum")
    return str(value)


DEVICE_FIELDS: dict[str, Validator] = {
    "pause_power_until": datetime_or_null,
    "is_smart_optimization_active": boolean,
}
VEHICLE_FIELDS: dict[str, Validator] = {
    **DEVICE_FIELDS,
    "minimum_charge_limit": percent,
    "charge_deadline_at": time_or_null,
    "is_charge_policy_enabled": boolean,
}
CHARGING_CONFIG_FIELDS: dict[str, Validator] = {
    "mode": charging_mode,
    "hems_min_export_to_start_w": hems_threshold,
    "hems_max_import_before_stopping_w": hems_threshold,
}


def validate(
    body: Mapping[str, Any], validators: Mapping[str, Validator]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The parsed changes and the errors: unknown or read-only fields are `extra_forbidden`."""
    changes: dict[str, Any] = {}
    errors: list[dict[str, Any]] = []
    for key, value in body.items():
        validator = validators.get(key)
        try:
            if validator is None:
                raise InvalidValue("Extra inputs are not permitted", "extra_forbidden")
            changes[key] = validator(value)
        except InvalidValue as exc:
            errors.append(validation_error(["body", key], exc.msg, exc.kind))
    return changes, errors
