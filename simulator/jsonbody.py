"""Strict readers for JSON request bodies; errors become HTTP 400 in the routes."""

from collections.abc import Mapping
import json
import math
from typing import Any

from aiohttp import web


class BodyError(ValueError):
    """The request body is missing, not JSON, or has a field of the wrong type."""


async def read_object(request: web.Request, *, allow_empty: bool = False) -> dict[str, Any]:
    """The body as a JSON object; an empty body is `{}` only when allowed."""
    raw = await request.read()
    if not raw.strip():
        if allow_empty:
            return {}
        raise BodyError("a JSON body is required")
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise BodyError("the body is not valid JSON") from exc
    if not isinstance(data, dict):
        raise BodyError("the body must be a JSON object")
    return data


def opt_int(data: Mapping[str, Any], key: str) -> int | None:
    """An integer (an integral float such as 16.0 is accepted), or None if absent/null."""
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool):
        raise BodyError(f"{key} must be an integer")
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if not isinstance(value, int):
        raise BodyError(f"{key} must be an integer")
    return value


def opt_float(data: Mapping[str, Any], key: str) -> float | None:
    """A finite number, or None if absent/null."""
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BodyError(f"{key} must be a number")
    if not math.isfinite(value):
        raise BodyError(f"{key} must be finite")
    return float(value)


def opt_bool(data: Mapping[str, Any], key: str) -> bool | None:
    """true/false or 0/1, or None if absent/null."""
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise BodyError(f"{key} must be a boolean or 0/1")


def opt_str(data: Mapping[str, Any], key: str) -> str | None:
    """A string, or None if absent/null."""
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise BodyError(f"{key} must be a string")
    return value


def _required[T](value: T | None, key: str) -> T:
    if value is None:
        raise BodyError(f"{key} is required")
    return value


def req_str(data: Mapping[str, Any], key: str) -> str:
    """A string that must be present."""
    return _required(opt_str(data, key), key)


def req_int(data: Mapping[str, Any], key: str) -> int:
    """An integer that must be present."""
    return _required(opt_int(data, key), key)


def req_float(data: Mapping[str, Any], key: str) -> float:
    """A number that must be present."""
    return _required(opt_float(data, key), key)
