"""Defensive parsing of Thor (thor.tools) integration API JSON into the typed models.

The documentation has field tables and a single example answer (get-reservations,
which has a shape of its own: reservations come in every shape their page names),
so nothing is trusted: any field or block may be null or absent, numbers may come as text,
booleans as 0/1 or text, and enum values the documentation does not list (in
any letter case) become ``UNKNOWN``. Only an answer that is not the expected
shape at all (a list that is not a list, an object that is not an object, a
chargebox without any id) raises, and only UnexpectedResponseError.

Single values (epoch milliseconds, enums, ids) are read by values.py; the
message name of an error answer is found here too (error_name), and mapped onto
the typed errors by refusals.py.

The Nayax ``token`` and ``terminal_id`` of every connector are never read.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
import logging
from typing import Any

from ..errors import UnexpectedResponseError
from ..parse import as_bool, as_float, as_int, as_mapping, as_str
from .models import (
    ThorCharge,
    ThorChargebox,
    ThorConnector,
    ThorConnectorFormat,
    ThorConnectorType,
    ThorCoordinates,
    ThorFinishedCharge,
    ThorMessageFormat,
    ThorOcppVersion,
    ThorPowerType,
    ThorReservation,
    ThorVehicleType,
)
from .values import as_enum, as_epoch_ms, as_key, as_person

_LOGGER = logging.getLogger(__name__)

# Every message name the documentation lists for the integration endpoints.
MESSAGE_NAMES = (
    "APIKeyNotFound",
    "RestAPINotEnabled",
    "InvalidSourceIPAddr",
    "ChargeboxNotFound",
    "ChargeboxNotActive",
    "ChargeboxNotFree",
    "ConnectorNotValid",
    "AlreadyInTransaction",
    "NotInTransaction",
    "WrongTransaction",
    "BoundsTooBig",
    "TooManyRequests",
    "NoRFIDFound",
    "RFIDNotFound",
    "InvalidIDField",
    "NoDataToUpdate",
    "InternalServerError",
)
# Longest first, so a name is never found inside a longer one.
_BY_LENGTH = sorted(MESSAGE_NAMES, key=len, reverse=True)
_MESSAGE_KEYS = ("message", "error", "name", "code", "msg", "detail")
_MAX_MESSAGE = 200
# How deep error objects are searched for a message ({"error": {"message": …}} is 2).
_MAX_MESSAGE_DEPTH = 3
# How deep a connector object is searched for its number ({"connector": {"id": 2}} is 2).
_MAX_CONNECTOR_DEPTH = 3


# --- shapes -------------------------------------------------------------------------


def _object(payload: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(payload, Mapping):
        raise UnexpectedResponseError(f"{what} answer is not an object")
    return payload


def _items(payload: Any, what: str) -> list[Mapping[str, Any]]:
    """The objects of a list answer: a bare list, or ``{count, items[]}``."""
    items = payload
    if isinstance(payload, Mapping):
        if "items" not in payload and "count" not in payload:
            raise UnexpectedResponseError(f"{what} answer has no items")
        items = payload.get("items")
        if items is None:
            return []
    if not isinstance(items, list) or not all(isinstance(item, Mapping) for item in items):
        raise UnexpectedResponseError(f"{what} answer is not a list of objects")
    return items


# --- chargeboxes --------------------------------------------------------------------


def _connector(number: int, raw: Mapping[str, Any]) -> ThorConnector:
    # "token" and "terminal_id" (Nayax) are secrets: deliberately never read.
    return ThorConnector(
        number=number,
        rated_power_w=as_float(raw.get("power")),
        type=as_enum(ThorConnectorType, raw.get("type")),
        format=as_enum(ThorConnectorFormat, raw.get("format")),
        max_amperage=as_int(raw.get("max_amperage")),
        power_type=as_enum(ThorPowerType, raw.get("power_type")),
    )


def _connectors(value: Any) -> tuple[ThorConnector, ...]:
    """``connectors[]``, numbered from 1 by position; items that are not objects are skipped."""
    if not isinstance(value, list):
        return ()
    return tuple(
        _connector(index, raw)
        for index, raw in enumerate(value, start=1)
        if isinstance(raw, Mapping)
    )


def _connector_number(item: Any, depth: int = 0) -> int | None:
    """One ``occupied_connectors`` / ``reserved_connectors`` element (type undocumented).

    A number, a number as text, or an object with a ``connector`` (or ``id``) field
    holding one (objects nested deeper than a few levels are not followed).
    """
    if isinstance(item, Mapping):
        if depth >= _MAX_CONNECTOR_DEPTH:
            return None
        for key in ("connector", "connector_id", "connectorId", "number", "id"):
            number = _connector_number(item.get(key), depth + 1)
            if number is not None:
                return number
        return None
    if isinstance(item, bool):
        return None
    return as_int(item)


def _connector_numbers(value: Any) -> tuple[int, ...] | None:
    """The connector numbers of a list; None when the field is missing or not a list."""
    if not isinstance(value, list):
        return None
    numbers: list[int] = []
    for item in value:
        number = _connector_number(item)
        if number is not None and number not in numbers:
            numbers.append(number)
    return tuple(numbers)


def _coordinates(value: Any) -> ThorCoordinates | None:
    raw = as_mapping(value)
    latitude, longitude = as_float(raw.get("latitude")), as_float(raw.get("longitude"))
    if latitude is None and longitude is None:
        return None
    return ThorCoordinates(latitude=latitude, longitude=longitude)


def parse_chargebox(payload: Any, chargebox_id: str | None = None) -> ThorChargebox:
    """A chargebox object; ``chargebox_id`` names it when the answer has no id."""
    data = _object(payload, "Chargebox")
    found = as_key(data.get("id")) or chargebox_id
    if found is None:
        raise UnexpectedResponseError("Chargebox without an id")
    kind = as_mapping(data.get("type"))
    return ThorChargebox(
        id=found,
        alias=as_str(data.get("alias")),
        active=as_bool(data.get("active")),
        connected=as_bool(data.get("connected")),
        public=as_bool(data.get("public")),
        reservable=as_bool(data.get("reservable")),
        last_heartbeat=as_epoch_ms(data.get("last_heartbeat")),
        timezone=as_str(data.get("timezone")),
        coordinates=_coordinates(data.get("coordinates")),
        vehicle_type=as_enum(ThorVehicleType, kind.get("vehicle")),
        message_format=as_enum(ThorMessageFormat, kind.get("msg")),
        ocpp_version=as_enum(ThorOcppVersion, kind.get("version")),
        connectors=_connectors(data.get("connectors")),
        occupied_connectors=_connector_numbers(data.get("occupied_connectors")),
        reserved_connectors=_connector_numbers(data.get("reserved_connectors")),
    )


def parse_chargeboxes(payload: Any) -> list[ThorChargebox]:
    """The chargebox list; items without an id are left out."""
    items = _items(payload, "Chargeboxes")
    kept = [item for item in items if as_key(item.get("id")) is not None]
    if len(kept) < len(items):
        _LOGGER.debug("Skipped %d Thor chargeboxes without an id", len(items) - len(kept))
    return [parse_chargebox(item) for item in kept]


# --- charges and reservations -------------------------------------------------------


def _charge_fields(data: Mapping[str, Any]) -> dict[str, Any] | None:
    """What running and finished charges share; None without a transaction id."""
    transaction = as_int(data.get("id"))
    if transaction is None:
        return None
    return {
        "id": transaction,
        "chargebox": as_key(data.get("chargebox")),
        "connector": as_int(data.get("connector")),
        "date_started": as_epoch_ms(data.get("date_started")),
        "energy_wh": as_float(data.get("energy")),
        "id_tag": as_key(data.get("id_tag")),
        "type": as_key(data.get("type")),
        "user": as_person(data.get("user")),
    }


def _charges(payload: Any, what: str) -> Iterator[tuple[Mapping[str, Any], dict[str, Any]]]:
    """Each charge of a list answer with its shared fields (none without a transaction id)."""
    for item in _items(payload, what):
        fields = _charge_fields(item)
        if fields is None:
            _LOGGER.debug(
                "Skipped a Thor %s without a transaction id", what.lower().removesuffix("s")
            )
            continue
        yield item, fields


def parse_running_charges(payload: Any) -> list[ThorCharge]:
    """``{count, items[], users{}}``; charges without a transaction id are left out.

    The ``users`` block (personal data) and the ``payment`` blocks (Nayax ids) are not read.
    """
    return [ThorCharge(**fields) for _item, fields in _charges(payload, "Running charges")]


def parse_finished_charges(payload: Any) -> list[ThorFinishedCharge]:
    """Like the running charges, with ``date_finished`` and the payment's price."""
    charges: list[ThorFinishedCharge] = []
    for item, fields in _charges(payload, "Finished charges"):
        payment = as_mapping(item.get("payment"))
        charges.append(
            ThorFinishedCharge(
                **fields,
                date_finished=as_epoch_ms(item.get("date_finished")),
                price=as_float(payment.get("price")),
                currency=as_str(payment.get("currency")),
            )
        )
    return charges


# The fields of a reservation (get-reservations' table): a bare object with one of them is
# a reservation, the shape of the page's own example.
_RESERVATION_KEYS = frozenset(
    {
        "date_accepted",
        "payment",
        "user",
        "id_tag",
        "expiry_date",
        "client",
        "status",
        "chargebox",
        "connector",
    }
)


def _reservation_items(payload: Any) -> list[Mapping[str, Any]]:
    """Every shape get-reservations documents: a bare list, ``{count, items[]}``, one object.

    The page says "an array", tables ``count``/``items``, and its example answer is one
    bare reservation. ``{}`` is read as no reservation (the bare-object shape has no
    other way to say "none"); an object with neither ``items``/``count`` nor any
    reservation field is not a reservations answer.
    """
    if isinstance(payload, Mapping) and "items" not in payload and "count" not in payload:
        if not payload:
            return []
        if _RESERVATION_KEYS.isdisjoint(payload):
            raise UnexpectedResponseError("Reservations answer is neither a list nor a reservation")
        return [payload]
    return _items(payload, "Reservations")


def parse_reservations(payload: Any) -> list[ThorReservation]:
    """The reservations, in any documented shape; the payment block is not read."""
    return [
        ThorReservation(
            chargebox=as_key(item.get("chargebox")),
            connector=as_int(item.get("connector")),
            id_tag=as_key(item.get("id_tag")),
            status=as_int(item.get("status")),
            date_accepted=as_epoch_ms(item.get("date_accepted")),
            expiry_date=as_epoch_ms(item.get("expiry_date")),
            user=as_person(item.get("user")),
            client=as_person(item.get("client")),
        )
        for item in _reservation_items(payload)
    ]


def parse_id_tag(payload: Any) -> str:
    """The ``id_tag`` of a start-charge answer, the tag stopping the charge needs."""
    id_tag = as_key(_object(payload, "Start charge").get("id_tag"))
    if id_tag is None:
        raise UnexpectedResponseError("Start charge answer without an id_tag")
    return id_tag


# --- errors -------------------------------------------------------------------------


def error_name(body: Any) -> str | None:
    """The message name of an error answer, looked for defensively (the format is undocumented).

    A documented name found in ``{"message": …}``, ``{"error": …}`` (also nested) or
    plain text wins. Otherwise the text of a JSON message field is returned as an
    undocumented name (shortened), and None when the body names nothing.
    """
    texts = _message_texts(body)
    for text in texts:
        lowered = text.lower()
        for name in _BY_LENGTH:
            if name.lower() in lowered:
                return name
    if isinstance(body, Mapping) and texts:
        return texts[0].strip()[:_MAX_MESSAGE] or None
    return None


def _message_texts(body: Any, depth: int = 0) -> list[str]:
    """The message texts of a body; objects nested deeper than a few levels are not searched."""
    if isinstance(body, str):
        return [body]
    if not isinstance(body, Mapping) or depth >= _MAX_MESSAGE_DEPTH:
        return []
    texts: list[str] = []
    for key in _MESSAGE_KEYS:
        value = body.get(key)
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, Mapping):
            texts.extend(_message_texts(value, depth + 1))
    return texts
