"""Thor's values in REST answers: epoch milliseconds, enums in any letter case and ids.

Lenient as the parser using them (parse.py): what cannot be read is None, and an enum
value the documentation does not list is the enum's ``UNKNOWN``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from ..parse import as_float, as_str


def as_epoch_ms(value: Any) -> datetime | None:
    """An aware UTC datetime from epoch milliseconds (also as text, or ISO-8601 text).

    None for null, 0 and negative values (never), and anything unreadable.
    """
    millis = as_float(value)
    if millis is None:
        return _iso(value)
    if millis <= 0:
        return None
    try:
        return datetime.fromtimestamp(millis / 1000, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _iso(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except OverflowError:  # e.g. year 1 with a positive offset: before datetime.min in UTC
        return None


def as_enum[E: StrEnum](enum: type[E], value: Any) -> E | None:
    """The member for ``value`` in any letter case; None when null, UNKNOWN when undocumented."""
    if value is None or value == "":
        return None
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        text = (as_str(value) or "").strip().lower()
        for member in enum:
            if member.value.lower() == text:
                return member
    return enum["UNKNOWN"]


def as_key(value: Any) -> str | None:
    """An identifier sent as text or a whole number; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return as_str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def as_person(value: Any) -> str | None:
    """A user or client reference: an id as text or number, or an object's ``id``."""
    if isinstance(value, Mapping):
        return as_key(value.get("id"))
    return as_key(value)
