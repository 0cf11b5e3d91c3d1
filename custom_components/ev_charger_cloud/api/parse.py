"""Defensive readers of cloud JSON values shared by the vendor clients.

Clouds send numbers as text, placeholders where numbers belong, booleans as
0/1 or text, and null for anything; these turn such values into a typed value
or None, never an error. A JSON object or list is never a scalar: it is read
as None, not as its Python text (which for a deeply nested one would raise).
"""

from __future__ import annotations

from collections.abc import Mapping
import math
from typing import Any

_TRUE = frozenset({"true", "1"})
_FALSE = frozenset({"false", "0"})


def as_float(value: Any) -> float | None:
    """A finite number from the cloud (also as text); None for anything else."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        number = float(value)
    except (ValueError, OverflowError):  # OverflowError: an int beyond any float
        return None
    return number if math.isfinite(number) else None


def as_int(value: Any) -> int | None:
    """A whole number from the cloud (also as text or a float); None for anything else."""
    number = as_float(value)
    return None if number is None else round(number)


def as_str(value: Any) -> str | None:
    """A non-empty text (a number or boolean as its text); None for anything else.

    JSON objects and lists are not text: None, never their Python ``repr``.
    """
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, (bool, int, float)):
        try:
            return str(value)
        except ValueError:  # an int of more digits than Python converts
            return None
    return None


def as_bool(value: Any) -> bool | None:
    """A JSON boolean, also 0/1 or "true"/"false"/"1"/"0" as text (any case).

    None for anything else: a text such as "0" is never true by accident.
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return bool(value) if value in (0, 1) else None
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    return None


def as_mapping(value: Any) -> Mapping[str, Any]:
    """A JSON object, or an empty one for anything else."""
    return value if isinstance(value, Mapping) else {}
