"""Typed models of the Thor (thor.tools) integration REST API.

Field names follow the API; units are in the names (``_w``, ``_wh``) or in a
comment. Any value may be None: the documentation has field tables but no
example answers, so any field may be null or absent. Enum fields are None when
the field is missing and ``UNKNOWN`` for a value the API did not document.

Personal data (coordinates, users, clients) is kept out of ``repr``. The Nayax
payment ``token`` and ``terminal_id`` of a connector are secrets: the parser
drops them, so no model has a field for them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class ThorVehicleType(StrEnum):
    """The vehicles a chargebox serves (``type.vehicle``)."""

    CAR = "car"
    BICYCLE = "bicycle"
    UNKNOWN = "unknown"


class ThorMessageFormat(StrEnum):
    """The OCPP message format a chargebox uses (``type.msg``)."""

    JSON = "json"
    SOAP = "soap"
    UNKNOWN = "unknown"


class ThorOcppVersion(StrEnum):
    """The OCPP version a chargebox implements (``type.version``)."""

    V1_5 = "1.5"
    V1_6 = "1.6"
    UNKNOWN = "unknown"


class ThorConnectorType(StrEnum):
    """The plug of a connector (``connectors[].type``)."""

    CCS = "ccs"  # DC
    CHADEMO = "chademo"  # DC
    COMMANDO = "commando"  # AC
    TYPE_1 = "type_1"  # AC
    TYPE_2 = "type_2"  # AC
    TYPE_3A = "type_3a"  # AC
    TYPE_3C = "type_3c"  # AC
    SCHUKO = "schuko"  # AC
    UNKNOWN = "unknown"


class ThorConnectorFormat(StrEnum):
    """Whether a connector is a tethered cable or a socket (``connectors[].format``)."""

    CABLE = "CABLE"
    SOCKET = "SOCKET"
    UNKNOWN = "UNKNOWN"


class ThorPowerType(StrEnum):
    """The supply of a connector (``connectors[].power_type``)."""

    AC_1_PHASE = "AC_1_PHASE"
    AC_3_PHASE = "AC_3_PHASE"
    DC = "DC"
    UNKNOWN = "UNKNOWN"


@dataclass(frozen=True, slots=True, kw_only=True)
class ThorCoordinates:
    """Where a chargebox is: personal data for a home charger, never logged."""

    latitude: float | None = None  # degrees
    longitude: float | None = None  # degrees


@dataclass(frozen=True, slots=True, kw_only=True)
class ThorConnector:
    """One connector of a chargebox (``connectors[]``); the Nayax token and terminal are dropped."""

    # Guess: the API gives connectors no number; this is the position in the list
    # counted from 1 (the OCPP convention), the value the charge calls are assumed to take.
    number: int
    # Documented as "power in Wh" (an energy unit); treated as the rated power in W
    # (22000 for a 22 kW connector) until a real account shows otherwise.
    rated_power_w: float | None = None
    type: ThorConnectorType | None = None
    format: ThorConnectorFormat | None = None
    max_amperage: int | None = None  # A
    power_type: ThorPowerType | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ThorChargebox:
    """A chargebox (GET ``/chargeboxes`` items and GET ``/chargeboxes/{id}``)."""

    id: str
    alias: str | None = None  # the name given on the dashboard
    active: bool | None = None  # set active on the dashboard
    connected: bool | None = None  # currently connected to Thor (OCPP)
    public: bool | None = None
    reservable: bool | None = None
    last_heartbeat: datetime | None = None  # aware, UTC (the API sends epoch ms)
    timezone: str | None = None  # IANA name, derived from the coordinates
    coordinates: ThorCoordinates | None = field(default=None, repr=False)
    vehicle_type: ThorVehicleType | None = None  # type.vehicle
    message_format: ThorMessageFormat | None = None  # type.msg
    ocpp_version: ThorOcppVersion | None = None  # type.version
    connectors: tuple[ThorConnector, ...] = ()
    # Connector numbers with a running transaction, and reserved ones. Only the
    # single-chargebox answer has them: None means "not in this answer", () "none".
    occupied_connectors: tuple[int, ...] | None = None
    reserved_connectors: tuple[int, ...] | None = None

    def connector(self, number: int) -> ThorConnector | None:
        """The connector with this number, if the chargebox has it."""
        return next((c for c in self.connectors if c.number == number), None)


@dataclass(frozen=True, slots=True, kw_only=True)
class ThorCharge:
    """A running charge (GET ``/charges/running`` items)."""

    id: int  # the OCPP transaction id (``transaction`` when stopping)
    chargebox: str | None = None
    connector: int | None = None
    date_started: datetime | None = None  # aware, UTC (the API sends epoch ms)
    energy_wh: float | None = None  # Wh delivered in this transaction so far
    # The tag the charge runs under (it stops the charge: kept out of repr); null for
    # charges started through the API.
    id_tag: str | None = field(default=None, repr=False)
    type: str | None = None  # how it was started; values undocumented
    user: str | None = field(default=None, repr=False)  # who charges: personal data


@dataclass(frozen=True, slots=True, kw_only=True)
class ThorFinishedCharge(ThorCharge):
    """A finished charge (GET ``/charges/finished`` items)."""

    date_finished: datetime | None = None  # aware, UTC (the API sends epoch ms)
    price: float | None = None  # payment.price, in ``currency``
    currency: str | None = None  # payment.currency


@dataclass(frozen=True, slots=True, kw_only=True)
class ThorReservation:
    """A reservation of a connector (GET ``/reservations`` items)."""

    chargebox: str | None = None
    connector: int | None = None
    id_tag: str | None = field(default=None, repr=False)  # RFID or app tag: personal
    status: int | None = None  # values undocumented
    date_accepted: datetime | None = None  # aware, UTC
    expiry_date: datetime | None = None  # aware, UTC
    user: str | None = field(default=None, repr=False)  # personal data
    client: str | None = field(default=None, repr=False)  # undocumented; may be personal
