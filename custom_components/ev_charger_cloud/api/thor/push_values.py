"""Values in Thor notifications: meter rows and durations (see push.py).

Lenient as the rest of the parser: what cannot be read is None, never an error, except
``meters`` that is not a list of objects (UnexpectedResponseError).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import timedelta
import math
import re
from typing import Any

from ..errors import UnexpectedResponseError
from ..parse import as_float

# A bare number of `time` up to this is seconds, above it milliseconds (up to this in
# ms), above that no duration at all (an epoch in ms, say): a charge lasts days at most.
_LONGEST_CHARGE_S = 7 * 86_400

_ENERGY_REGISTER = "energy.active.import.register"
_POWER = "power.active.import"
_CURRENT = "current.import"
# Factor to the notice's unit, by lower-case `uom`; None stands for an absent `uom`.
_ENERGY_UNITS: dict[str | None, float] = {None: 1.0, "wh": 1.0, "kwh": 1000.0}
_POWER_UNITS: dict[str | None, float] = {None: 1.0, "w": 1.0, "kw": 1000.0}
_CURRENT_UNITS: dict[str | None, float] = {None: 1.0, "a": 1.0}
_LINES = ("l1", "l2", "l3")

_CLOCK = re.compile(r"(?:(\d{1,4}):)?([0-5]?\d):([0-5]?\d(?:\.\d+)?)")
_ISO = re.compile(r"P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?", re.I)
_NUMBER_UNIT = re.compile(r"(\d{1,12}(?:\.\d{1,6})?)\s*(ms|s)?", re.I)


def energy_register_wh(rows: list[Mapping[str, Any]]) -> float | None:
    """Energy.Active.Import.Register in Wh (the phases summed)."""
    return _measurand(rows, _ENERGY_REGISTER, _ENERGY_UNITS, _sum)


def power_w(rows: list[Mapping[str, Any]]) -> float | None:
    """Power.Active.Import in W (the phases summed)."""
    return _measurand(rows, _POWER, _POWER_UNITS, _sum)


def current_a(rows: list[Mapping[str, Any]]) -> float | None:
    """Current.Import in A (the largest phase)."""
    return _measurand(rows, _CURRENT, _CURRENT_UNITS, max)


def meter_rows(value: Any) -> list[Mapping[str, Any]]:
    """The ``meters`` rows (none when absent); UnexpectedResponseError for another shape."""
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(row, Mapping) for row in value):
        raise UnexpectedResponseError("Thor meter notification: meters is not a list of objects")
    return value


def _measurand(
    rows: list[Mapping[str, Any]],
    measurand: str,
    units: Mapping[str | None, float],
    combine: Callable[[list[float]], float],
) -> float | None:
    """One measurand: its last total row, else its phase rows combined.

    ``measurand`` absent is the energy register (the OCPP default). Rows of another
    measurand, of a unit that cannot be converted, of the neutral or with an unreadable
    value are left out.
    """
    total: float | None = None
    lines: dict[str, float] = {}
    for row in rows:
        name = row.get("measurand")
        if name is None or name == "":
            name = _ENERGY_REGISTER
        if not isinstance(name, str) or name.strip().lower() != measurand:
            continue
        value = _converted(row, units)
        if value is None:
            continue
        phase = row.get("phase")
        if phase is None or phase == "":
            total = value
            continue
        line = _line(phase)
        if line is not None:
            lines[line] = value
    if total is not None:
        return total
    if not lines:
        return None
    return _finite(combine(list(lines.values())))


def _converted(row: Mapping[str, Any], units: Mapping[str | None, float]) -> float | None:
    uom = row.get("uom")
    if isinstance(uom, str):
        unit: str | None = uom.strip().lower() or None
    elif uom is None:
        unit = None
    else:
        return None
    factor = units.get(unit)
    # The meter-values table names the field "Value", its example "value".
    raw = row.get("value")
    value = finite_float(row.get("Value") if raw is None else raw)
    if factor is None or value is None:
        return None
    return _finite(value * factor)


def _line(phase: Any) -> str | None:
    """``L1``, ``L2``, ``L3`` (also ``L1-N``…); None for the neutral, ``L1-L2`` and the like."""
    if not isinstance(phase, str):
        return None
    text = phase.strip().lower()
    if text.endswith("-n"):
        text = text[:-2]
    return text if text in _LINES else None


def _sum(values: list[float]) -> float:
    # Not math.fsum: it raises OverflowError where sum() gives inf (then treated as absent).
    return sum(values)


def finite_float(value: Any) -> float | None:
    """A finite number (also as text); None for anything else, also an int too big for a float."""
    try:
        return as_float(value)
    except OverflowError:
        return None


def duration(value: Any) -> timedelta | None:
    """A duration as the docs leave it open: seconds, ms, HH:MM:SS, MM:SS or ISO-8601.

    A bare number (also as text) up to a week is seconds, above that milliseconds up to a
    week; larger numbers (an epoch, say), negative ones and anything else are None.
    ``"930 s"`` and ``"930ms"`` say their unit.
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return _bare_seconds(finite_float(value))
    if not isinstance(value, str) or len(value) > 40:
        return None
    return _duration_text(value.strip())


def _duration_text(text: str) -> timedelta | None:
    seconds: float | None = None
    if match := _CLOCK.fullmatch(text):
        hours, minutes, rest = match.groups()
        seconds = int(hours or 0) * 3600 + int(minutes) * 60 + float(rest)
    elif (match := _ISO.fullmatch(text)) and text.upper() not in ("P", "PT"):
        days, hours, minutes, rest = (float(part or 0) for part in match.groups())
        seconds = days * 86_400 + hours * 3600 + minutes * 60 + rest
    elif match := _NUMBER_UNIT.fullmatch(text):
        number, unit = float(match.group(1)), (match.group(2) or "").lower()
        if not unit:
            return _bare_seconds(number)
        seconds = number / 1000 if unit == "ms" else number
    return None if seconds is None else _within(seconds)


def _bare_seconds(number: float | None) -> timedelta | None:
    if number is None or number < 0:
        return None
    if number > _LONGEST_CHARGE_S:
        number /= 1000
    return _within(number)


def _within(seconds: float) -> timedelta | None:
    return timedelta(seconds=seconds) if 0 <= seconds <= _LONGEST_CHARGE_S else None


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None
