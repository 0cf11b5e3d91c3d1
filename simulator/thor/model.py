"""Data model of the simulated Thor cloud and the JSON shapes its integration API answers.

Times are kept in epoch seconds (the simulator clock); the API writes epoch milliseconds.
Thor has no separate `_json` module: the shapes are small and live next to the data.
"""

from collections import deque
from dataclasses import asdict, dataclass, field
from typing import Any

CONNECTOR_TYPES = frozenset(
    {"ccs", "chademo", "commando", "type_1", "type_2", "type_3a", "type_3c", "schuko"}
)
CONNECTOR_FORMATS = frozenset({"CABLE", "SOCKET"})
POWER_TYPES = frozenset({"AC_1_PHASE", "AC_3_PHASE", "DC"})
VEHICLES = frozenset({"car", "bicycle"})
OCPP_MESSAGE_FORMATS = frozenset({"json", "soap"})
OCPP_VERSIONS = frozenset({"1.5", "1.6"})

# How a charge was started: the `mode` of the start notification, also the `type` of
# a charge item (a guess: the docs only say "start type").
START_MODES = frozenset({"api", "local", "remote"})

# Reservation `status` (an integer in the API; the values are a guess).
RESERVATION_ACTIVE = 1
RESERVATION_EXPIRED = 2

# The three answers get-reservations documents: its field table (`{count, items}`),
# its text ("an array") and its example (one bare reservation object).
RESERVATIONS_SHAPES = ("count_items", "list", "object")
# `connectors[].terminal_id` and `token`: documented as strings; `null` is what the
# simulator sent before (and what a connector without a Nayax terminal may send).
CONNECTOR_SECRETS = ("string", "null")

CURRENCY = "EUR"
# Default site: Turin (Thor's makers are in Italy).
HOME_LATITUDE = 45.0703
HOME_LONGITUDE = 7.6869
HOME_TIMEZONE = "Europe/Rome"


def ms(seconds: float) -> int:
    """Epoch seconds as the API's integer epoch milliseconds."""
    return int(seconds * 1000)


@dataclass(slots=True)
class ThorCar:
    """A car plugged into a connector; it draws up to `max_power_w` while a charge runs.

    `full_after_wh`: the car stops drawing once the running charge delivered that much
    (None: never full).
    """

    max_power_w: int = 11_000
    full_after_wh: int | None = None


@dataclass(slots=True)
class ThorConnector:
    """A connector of a chargebox; `number` is its 1-based position in `connectors`."""

    number: int
    power: int = 22_000  # W (documented "Wh"; a rating in W in practice)
    type: str = "type_2"
    format: str = "SOCKET"
    max_amperage: int = 32
    power_type: str = "AC_3_PHASE"
    terminal_id: str | None = None
    token: str | None = None
    car: ThorCar | None = None
    meter_wh: float = 0.0  # lifetime register (Energy.Active.Import.Register)

    def to_json(self, secrets: bool = True) -> dict[str, Any]:
        """The connector; ``secrets`` false: `terminal_id` and `token` null."""
        return {
            "power": self.power,
            "type": self.type,
            "format": self.format,
            "max_amperage": self.max_amperage,
            "power_type": self.power_type,
            "terminal_id": self.terminal_id if secrets else None,
            "token": self.token if secrets else None,
        }


@dataclass(slots=True, kw_only=True)
class ThorChargebox:
    """A chargebox of one account (the account is the API key that sees it)."""

    id: str
    api_key: str
    alias: str
    connectors: list[ThorConnector]
    active: bool = True
    connected: bool = True
    public: bool = False
    reservable: bool = False
    # Payment type "Free" in the dashboard: only then can the API start charges.
    free: bool = True
    price_per_kwh: float = 0.0  # what a finished charge costs (paid boxes)
    latitude: float = HOME_LATITUDE
    longitude: float = HOME_LONGITUDE
    timezone: str = HOME_TIMEZONE
    vehicle: str = "car"
    msg: str = "json"
    version: str = "1.6"
    # Last heartbeat while offline; a connected box has just sent one (the clock time).
    heartbeat_at: float = 0.0

    def connector(self, number: int) -> ThorConnector | None:
        if 1 <= number <= len(self.connectors):
            return self.connectors[number - 1]
        return None

    def last_heartbeat(self, now: float) -> float:
        return now if self.connected else self.heartbeat_at

    def to_json(self, now: float, secrets: bool = True) -> dict[str, Any]:
        """The list shape of `GET /chargeboxes` (every field of the seed's table)."""
        return {
            "id": self.id,
            "alias": self.alias,
            "active": self.active,
            "connected": self.connected,
            "public": self.public,
            "reservable": self.reservable,
            "last_heartbeat": ms(self.last_heartbeat(now)),
            "timezone": self.timezone,
            "coordinates": {"latitude": self.latitude, "longitude": self.longitude},
            "type": {"vehicle": self.vehicle, "msg": self.msg, "version": self.version},
            "connectors": [connector.to_json(secrets) for connector in self.connectors],
        }


@dataclass(slots=True, kw_only=True)
class ThorCharge:
    """A charge (OCPP transaction), running until `finished_at` is set.

    `id_tag` is the tag a stop must name: the RFID of a local start, the tag answered
    by `/charges/start` for an API start. The API lists `id_tag` null for API starts.
    """

    id: int
    api_key: str
    chargebox: str
    connector: int
    id_tag: str
    mode: str
    started_at: float
    integrated_at: float
    user: str | None = None
    energy_wh: float = 0.0
    finished_at: float | None = None
    price: float | None = None
    free: bool = True

    @property
    def running(self) -> bool:
        return self.finished_at is None

    def payment_json(self) -> dict[str, Any]:
        payment: dict[str, Any] = {
            "start": None,
            "method": "free" if self.free else "rfid",
            "amount": 0,
            "transaction": None,
            "nayaxID": None,
            "machineID": None,
            "siteID": None,
        }
        if not self.running:
            payment |= {"currency": CURRENCY, "price": self.price or 0.0, "success": True}
        return payment

    def to_json(self) -> dict[str, Any]:
        """An item of `/charges/running` or (with `date_finished`) `/charges/finished`."""
        item: dict[str, Any] = {
            "id": self.id,
            "chargebox": self.chargebox,
            "connector": self.connector,
            "date_started": ms(self.started_at),
            "energy": int(self.energy_wh),
            "id_tag": None if self.mode == "api" else self.id_tag,
            "type": self.mode,
            "user": self.user,
            "payment": self.payment_json(),
        }
        if self.finished_at is not None:
            item["date_finished"] = ms(self.finished_at)
        return item


@dataclass(slots=True, kw_only=True)
class ThorReservation:
    """A reservation of a connector until `expiry_at`."""

    chargebox: str
    connector: int
    id_tag: str
    accepted_at: float
    expiry_at: float
    user: str | None = None
    client: str = "thor-app"
    payment_method: str = "free"
    payment_transaction: str | None = None

    def active(self, now: float) -> bool:
        return now < self.expiry_at

    def to_json(self, now: float, status: bool = True) -> dict[str, Any]:
        """An item of `GET /reservations`; ``status`` false: without it (the page's example)."""
        item = {
            "date_accepted": ms(self.accepted_at),
            "payment": {"method": self.payment_method, "transaction": self.payment_transaction},
            "user": self.user,
            "id_tag": self.id_tag,
            "expiry_date": ms(self.expiry_at),
            "client": self.client,
            "status": RESERVATION_ACTIVE if self.active(now) else RESERVATION_EXPIRED,
            "chargebox": self.chargebox,
            "connector": self.connector,
        }
        if not status:
            del item["status"]
        return item


@dataclass(slots=True)
class PushDelivery:
    """One notification the simulator tried to POST (kept for the control API).

    ``body`` is the exact text posted; ``payload`` the same as a dict (for a start with a
    repeated ``type``, which a dict cannot hold, the second ``type`` appears as ``mode``).
    """

    kind: str
    url: str
    payload: dict[str, Any]
    at: float
    status: int | None = None
    error: str | None = None
    body: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


# The documented variants of notifications (see PushShape).
START_SHAPES = ("mode", "repeated_type")
TIME_FORMATS = ("seconds", "ms", "hms", "iso", "none")
STOP_ENERGY_FIELDS = ("both", "kwh", "energy", "zero")
METER_ROWS = ("both", "register", "power")
# A meter row's reading: text (the default), a number (the page's example) or a number under
# "Value" (the page's field table).
METER_VALUES = ("text", "number", "table")


@dataclass(slots=True)
class PushShape:
    """How an account's notifications are written (the docs show several shapes).

    ``start``: ``mode`` (the field table) or ``repeated_type`` (the vendor's examples:
    ``"type": "start"`` first, the mode as a second ``"type"`` last). ``time`` (the
    transaction's duration): ``seconds``, ``ms``, ``hms`` (``HH:MM:SS``), ``iso``
    (``PT…S``) or ``none``. ``stop_energy``: ``both`` (``kwh`` and ``energy``), ``kwh``,
    ``energy``, or ``zero`` (``kwh`` 0: a box without a meter per connector). ``meters``:
    rows of the register and the power (``both``), the ``register`` only, or ``power``.
    ``meter_value``: each row's reading as ``text``, as a ``number`` (the example), or as a
    number under ``"Value"`` (``table``, the field table's spelling).
    """

    start: str = "mode"
    time: str = "seconds"
    stop_energy: str = "both"
    meters: str = "both"
    meter_value: str = "text"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class PushState:
    """Notification URLs of an account (per kind) and how deliveries went."""

    urls: dict[str, str] = field(default_factory=dict)  # start / stop / meters → URL
    sent: int = 0
    failed: int = 0
    pending: int = 0
    last_error: str | None = None
    deliveries: deque[PushDelivery] = field(default_factory=lambda: deque(maxlen=200))
    shape: PushShape = field(default_factory=PushShape)

    def to_json(self) -> dict[str, Any]:
        return {
            "urls": dict(self.urls),
            "shape": self.shape.to_json(),
            "sent": self.sent,
            "failed": self.failed,
            "pending": self.pending,
            "last_error": self.last_error,
            "deliveries": [delivery.to_json() for delivery in self.deliveries],
        }


@dataclass(slots=True)
class ThorAccount:
    """A Thor customer as the integration sees it: one API key and its switches."""

    api_key: str
    name: str
    rest_api_enabled: bool = True
    # The dashboard's "Source IP address": other callers get InvalidSourceIPAddr.
    source_ip: str | None = None
    box_ids: list[str] = field(default_factory=list)
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    # What `/charges/start` and `/charges/stop` received and answered, oldest first.
    commands: list[dict[str, Any]] = field(default_factory=list)
    push: PushState = field(default_factory=PushState)

    def to_json(self) -> dict[str, Any]:
        return {
            "api_key": self.api_key,
            "name": self.name,
            "rest_api_enabled": self.rest_api_enabled,
            "source_ip": self.source_ip,
            "chargeboxes": list(self.box_ids),
            "users": dict(self.users),
            "commands": list(self.commands),
            "push": self.push.to_json(),
        }


@dataclass(slots=True)
class ThorSettings:
    """Knobs of the simulated Thor cloud; mutate freely from tests."""

    # Thor documents no global limit: a generous bucket per API key.
    requests_per_minute: float = 600.0
    burst: float = 600.0
    # 429 TooManyRequests after `start_limit` starts of one connector within the window.
    start_limit: float = 3.0
    start_window: float = 60.0  # s
    send_retry_after: bool = True
    push_timeout: float = 2.0  # s, real time, per notification
    # Documented variants (simulator/README.md, "Documented variants"):
    reservations_shape: str = field(
        default="count_items", metadata={"choices": RESERVATIONS_SHAPES}
    )
    connector_secrets: str = field(default="string", metadata={"choices": CONNECTOR_SECRETS})
    # The longest `from`-`to` range of `charges/finished` in days (0: no limit). Thor
    # documents none; a longer range answers 400 `BadRequest`.
    finished_max_days: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)
