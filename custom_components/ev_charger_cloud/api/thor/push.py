"""Parsing of Thor (thor.tools) push notifications ("requests from Thor").

Thor POSTs a small JSON object to a URL per notification kind. The kind is told by
``type`` (``start``, ``stop_transaction``, ``meters``) or by ``msg`` (``stop`` for an
unlock or a rejected remote stop, ``rfid`` for an RFID authorisation). The integration
uses starts, stops and meter values; RFID authorisations and unknown kinds give None.

The vendor's own start examples repeat the key ``type``: first ``"start"`` (the kind),
then ``"local"`` or ``"api"`` (the mode, which the field table calls ``mode``). A body is
therefore decoded keeping every pair (decode_notification): the first value of a key
is the field, and a second ``type`` is the mode when there is no ``mode``.

``time`` is documented as a duration ("the duration of current transaction", "the total
time used by the transaction from the start"), not a clock time; its unit is not. It is
read as seconds, milliseconds, ``HH:MM:SS``, ``MM:SS`` or ISO-8601 ``PT…``
(push_values.duration) and kept on the notice, but nothing is derived from it: a
bare number's unit is a guess (seconds and milliseconds differ a thousandfold), the
reads give the start of a charge exactly, and a start notice's arrival is its start.
Power is never derived from it either: the client uses the time between arrivals.

The parser is lenient the same way the REST parser is: numbers may come as text,
booleans as text, optional fields may be null, absent or unreadable (then they are
None), and non-finite numbers count as absent. Only a body that cannot be a
notification at all raises, and only UnexpectedResponseError: not JSON, not an object,
``type``/``msg`` not text, no usable ``chargebox`` or ``connector``, an ``accepted`` that
is not a boolean, or ``meters`` that is not a list of objects. Whether a value is
plausible (a power within what the connector can deliver, a transaction that runs) is
for the client to judge (live.py).

The tag (``id``/``idTag``/``id_tag``) is personal: it is kept out of ``repr`` and out of
every log line and error message. The ``payment`` block is never read.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
import json
import logging
import math
from typing import Any

from ..errors import UnexpectedResponseError
from ..parse import as_bool, as_int
from .push_values import (
    current_a,
    duration,
    energy_register_wh,
    finite_float,
    meter_rows,
    power_w,
)

_LOGGER = logging.getLogger(__name__)

MAX_NOTIFICATION_BYTES = 64 * 1024  # bodies larger than this are refused by the webhook

_MAX_CONNECTOR = 999
_MAX_TRANSACTION_ID = 2**63 - 1
_MAX_TAG_NUMBER = 10**18
_MAX_KIND_IN_LOG = 40


@dataclass(frozen=True, slots=True, kw_only=True)
class ThorStartNotice:
    """A charge started (``accepted``) or the box refused to start one."""

    chargebox: str
    connector: int
    accepted: bool  # false: the box refused (transaction_id 0)
    transaction_id: int | None  # None when 0 or absent
    id_tag: str | None = field(default=None, repr=False)  # RFID or server tag: personal
    mode: str | None = None  # local (RFID) / remote (Thor app) / api


@dataclass(frozen=True, slots=True, kw_only=True)
class ThorStopNotice:
    """A transaction stopped (``type: "stop_transaction"``), or the box refused to stop it."""

    chargebox: str
    connector: int
    accepted: bool
    transaction_id: int | None
    id_tag: str | None = field(default=None, repr=False)  # `idTag` (webhooks) or `id_tag`
    energy_wh: float | None = None  # the charge's energy: `kwh`, else `energy` (both Wh)
    duration: timedelta | None = None  # `time`: the total time of the transaction


@dataclass(frozen=True, slots=True, kw_only=True)
class ThorUnlockNotice:
    """``msg: "stop"``: a connector unlocked, or a remote stop the box refused.

    Not the end of a transaction, whatever its ``accepted`` says: the client shows nothing
    of it.
    """

    chargebox: str
    connector: int
    accepted: bool | None
    unlocked: bool | None
    transaction_id: int | None  # 0 (None here) when unlocked
    energy_wh: float | None = None  # `energy` ("used only with msg"), else `kwh`


@dataclass(frozen=True, slots=True, kw_only=True)
class ThorMeterNotice:
    """Meter values of one connector; the only source of live power."""

    chargebox: str
    connector: int
    energy_register_wh: float | None = None  # Energy.Active.Import.Register in Wh
    power_w: float | None = None  # Power.Active.Import in W
    current_a: float | None = None  # Current.Import in A (the largest phase)
    transaction_energy_wh: float | None = None  # `kwh`: the running transaction's Wh
    duration: timedelta | None = None  # `time`: how long the transaction runs
    id_tag: str | None = field(default=None, repr=False)


type ThorNotice = ThorStartNotice | ThorStopNotice | ThorUnlockNotice | ThorMeterNotice


class NotificationObject(dict[str, Any]):
    """A JSON object of a notification: the first value of each key, and every value of it."""

    __slots__ = ("values_of",)

    def __init__(self, pairs: list[tuple[str, Any]]) -> None:
        """Keep the first value of each key as the field, all of them in ``values_of``."""
        super().__init__()
        self.values_of: dict[str, list[Any]] = {}
        for key, value in pairs:
            self.values_of.setdefault(key, []).append(value)
            self.setdefault(key, value)


def decode_notification(raw: bytes) -> Any:
    """The JSON of a posted body, every repeated key kept (see NotificationObject).

    Raises UnexpectedResponseError (only that) for a body that is not JSON.
    """
    try:
        return json.loads(raw, object_pairs_hook=NotificationObject)
    except (ValueError, RecursionError) as err:  # bad JSON, bad UTF-8, too deep
        raise UnexpectedResponseError("The notification is not JSON") from err


def parse_notification(body: Any) -> ThorNotice | None:
    """The notice in a decoded notification body.

    None for kinds the integration does not use (RFID authorisation, unknown
    ``type``/``msg``). Raises UnexpectedResponseError (only that) for a body that is
    not a JSON object, lacks chargebox or connector, or has wrong types.
    """
    if not isinstance(body, Mapping):
        raise UnexpectedResponseError("Thor notification is not an object")
    kind = _kind_text(body.get("type"), "type")
    msg = _kind_text(body.get("msg"), "msg")
    if msg == "rfid":
        _LOGGER.debug("Ignored a Thor RFID authorisation notification")
        return None
    if msg == "stop":  # an unlock or a refused remote stop, also with type stop_transaction
        return _unlock(body)
    if kind == "start":
        return _start(body)
    if kind == "stop_transaction":
        return _stop(body)
    if kind == "meters":
        return _meters(body)
    _LOGGER.debug(
        "Ignored a Thor notification of kind %r / %r",
        None if kind is None else kind[:_MAX_KIND_IN_LOG],
        None if msg is None else msg[:_MAX_KIND_IN_LOG],
    )
    return None


# --- kinds --------------------------------------------------------------------------


def _start(body: Mapping[str, Any]) -> ThorStartNotice:
    transaction_id = _transaction_id(body.get("transaction_id"))
    return ThorStartNotice(
        chargebox=_chargebox(body.get("chargebox")),
        connector=_connector(body.get("connector")),
        # Without `accepted`, a transaction id is what tells that the box started.
        accepted=_accepted(body.get("accepted"), default=transaction_id is not None),
        transaction_id=transaction_id,
        id_tag=_first_tag(body, "id", "idTag", "id_tag"),
        mode=_mode(body),
    )


def _stop(body: Mapping[str, Any]) -> ThorStopNotice:
    return ThorStopNotice(
        chargebox=_chargebox(body.get("chargebox")),
        connector=_connector(body.get("connector")),
        accepted=_accepted(body.get("accepted"), default=True),
        transaction_id=_transaction_id(body.get("transaction_id")),
        id_tag=_first_tag(body, "idTag", "id_tag"),
        energy_wh=_first_float(body, "kwh", "energy"),
        duration=duration(body.get("time")),
    )


def _unlock(body: Mapping[str, Any]) -> ThorUnlockNotice:
    accepted = body.get("accepted")
    unlocked = body.get("unlocked")
    return ThorUnlockNotice(
        chargebox=_chargebox(body.get("chargebox")),
        connector=_connector(body.get("connector")),
        accepted=None if accepted is None else _accepted(accepted, default=False),
        unlocked=as_bool(unlocked),
        transaction_id=_transaction_id(body.get("transaction_id")),
        energy_wh=_first_float(body, "energy", "kwh"),
    )


def _meters(body: Mapping[str, Any]) -> ThorMeterNotice:
    chargebox = _chargebox(body.get("chargebox"))
    connector = _connector(body.get("connector"))
    rows = meter_rows(body.get("meters"))
    return ThorMeterNotice(
        chargebox=chargebox,
        connector=connector,
        energy_register_wh=energy_register_wh(rows),
        power_w=power_w(rows),
        current_a=current_a(rows),
        transaction_energy_wh=finite_float(body.get("kwh")),
        duration=duration(body.get("time")),
        id_tag=_first_tag(body, "idTag", "id_tag"),
    )


# --- fields -------------------------------------------------------------------------


def _kind_text(value: Any, key: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise UnexpectedResponseError(f"Thor notification: {key} is not text")
    return value.strip().lower()


def _chargebox(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise UnexpectedResponseError("Thor notification without a chargebox")
    return value.strip()


def _connector(value: Any) -> int:
    number: int | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float):
        number = int(value) if math.isfinite(value) and value.is_integer() else None
    elif isinstance(value, str):
        text = value.strip()
        if text.isascii() and text.isdigit() and len(text) <= len(str(_MAX_CONNECTOR)):
            number = int(text)
    if number is None or not 0 <= number <= _MAX_CONNECTOR:
        raise UnexpectedResponseError("Thor notification without a valid connector")
    return number


def _accepted(value: Any, *, default: bool) -> bool:
    if value is None:
        return default
    accepted = as_bool(value)
    if accepted is None:
        raise UnexpectedResponseError("Thor notification: accepted is not a boolean")
    return accepted


def _transaction_id(value: Any) -> int | None:
    """A positive transaction id; None for 0 (a refused start), absent or unreadable."""
    if isinstance(value, bool):
        return None
    number = _int(value)
    if number is None or not 0 < number <= _MAX_TRANSACTION_ID:
        return None
    return number


def _first_tag(body: Mapping[str, Any], *keys: str) -> str | None:
    return _first(body, _tag, keys)


def _tag(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) < _MAX_TAG_NUMBER:
        return str(value)
    return None


def _mode(body: Mapping[str, Any]) -> str | None:
    """``mode``; else the second ``type`` of a body that repeats it (the vendor's examples)."""
    value = body.get("mode")
    if value is None and isinstance(body, NotificationObject):
        types = body.values_of.get("type", [])
        value = types[1] if len(types) > 1 else None
    if not isinstance(value, str):
        return None
    return value.strip().lower() or None


# --- numbers ------------------------------------------------------------------------


def _int(value: Any) -> int | None:
    try:
        return as_int(value)
    except OverflowError:
        return None


def _first_float(body: Mapping[str, Any], *keys: str) -> float | None:
    return _first(body, finite_float, keys)


def _first[T](
    body: Mapping[str, Any], read: Callable[[Any], T | None], keys: tuple[str, ...]
) -> T | None:
    """The first of ``keys`` (in order) whose value ``read`` can read; None when none is."""
    for key in keys:
        value = read(body.get(key))
        if value is not None:
            return value
    return None
