"""Defensive readers of cloud JSON values shared by the vendor clients.

Clouds send numbers as text, placeholders where numbers belong and null for
anything; these turn such values into a typed value or None, never an error.
"""

from __future__ import annotations

from collections.abc import Mapping
import math
from typing import Any


def as_float(value: Any) -> float | None:
    """A finite number from the cloud (also as text); None for anything else."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):  # OverflowError: an int beyond any float
        return None
    return number if math.isfinite(number) else None


def as_int(value: Any) -> int | None:
    """A whole number from the cloud (also as text or a float); None for anything else."""
    number = as_float(value)
    return None if number is None else round(number)


def as_str(value: Any) -> str | None:
    """A non-empty text; None for null and the empty string."""
    return None if value is None or value == "" else str(value)


def as_mapping(value: Any) -> Mapping[str, Any]:
    """A JSON object, or an empty one for anything else."""
    return value if isinstance(value, Mapping) else {}
