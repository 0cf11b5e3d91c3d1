"""The simulated Thor cloud: accounts (API keys), chargeboxes, charges, reservations.

Every Python method here is what the HTTP routes call, so tests can drive the same
behaviour without HTTP. Refusals are raised as `ThorError` with the HTTP status and
the message name the API answers (`{"message": "<Name>"}`).
"""

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import fields
from datetime import UTC, datetime
import hashlib
from typing import Any

from simulator.clock import Clock
from simulator.errors import CloudError
from simulator.faults import FaultList
from simulator.ratelimit import RateLimiter

from .model import (
    CONNECTOR_FORMATS,
    CONNECTOR_TYPES,
    OCPP_MESSAGE_FORMATS,
    OCPP_VERSIONS,
    POWER_TYPES,
    START_MODES,
    VEHICLES,
    ThorAccount,
    ThorCar,
    ThorCharge,
    ThorChargebox,
    ThorConnector,
    ThorReservation,
    ThorSettings,
)
from .physics import advance, power_w
from .push import (
    PUSH_KINDS,
    PushShapeError,
    ThorPusher,
    meters_payload,
    rejected_stop_payload,
    shape_of,
    start_payload,
    stop_payload,
    unlock_payload,
)

# Message names of the API (the error body is `{"message": name}`).
API_KEY_NOT_FOUND = "APIKeyNotFound"
REST_API_NOT_ENABLED = "RestAPINotEnabled"
INVALID_SOURCE_IP = "InvalidSourceIPAddr"
CHARGEBOX_NOT_FOUND = "ChargeboxNotFound"
CHARGEBOX_NOT_ACTIVE = "ChargeboxNotActive"
CHARGEBOX_NOT_FREE = "ChargeboxNotFree"
CONNECTOR_NOT_VALID = "ConnectorNotValid"
ALREADY_IN_TRANSACTION = "AlreadyInTransaction"
NOT_IN_TRANSACTION = "NotInTransaction"
WRONG_TRANSACTION = "WrongTransaction"
TOO_MANY_REQUESTS = "TooManyRequests"
# Not documented: what the simulator answers for missing or malformed parameters.
BAD_REQUEST = "BadRequest"
NOT_FOUND = "NotFound"

_BOX_FIELDS = frozenset(
    {
        "alias",
        "active",
        "connected",
        "public",
        "reservable",
        "free",
        "price_per_kwh",
        "latitude",
        "longitude",
        "timezone",
        "vehicle",
        "msg",
        "version",
    }
)
_CONNECTOR_FIELDS = frozenset(
    {"power", "type", "format", "max_amperage", "power_type", "terminal_id", "token", "meter_wh"}
)
# Creating a box takes its fields, an id, and connectors (a count or a list of objects);
# the connector fields at the top level are the defaults of every connector.
CHARGEBOX_FIELDS = _BOX_FIELDS | _CONNECTOR_FIELDS | {"id", "connectors"}
# What the control API may change on an existing box.
CHARGEBOX_UPDATES = _BOX_FIELDS


class ThorError(CloudError):
    """A refusal; the API answers `{"message": title}` with `status`."""

    def __init__(self, status: int, title: str, retry_after: float | None = None) -> None:
        super().__init__(status, title)
        self.retry_after = retry_after

    @property
    def body(self) -> dict[str, Any]:
        return {"message": self.title}


def _check(value: str, allowed: Iterable[str], name: str) -> None:
    if value not in allowed:
        raise ThorError(400, f"{name} must be one of {sorted(allowed)}")


def _day_start(text: str | None) -> float:
    """Epoch seconds of 00:00 UTC of a `YYYYMMDD` query value, else 400."""
    if text is None or len(text) != 8 or not text.isdigit():
        raise ThorError(400, BAD_REQUEST)
    try:
        day = datetime.strptime(text, "%Y%m%d").replace(tzinfo=UTC)
    except ValueError:
        raise ThorError(400, BAD_REQUEST) from None
    return day.timestamp()


class SimulatedThor:
    """State and behaviour of the Thor cloud, shared by its API and control routes."""

    name = "thor"

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.settings = ThorSettings()
        self.faults = FaultList()
        self.rate_limiter = RateLimiter()
        self.push = ThorPusher(self.settings, clock)
        self._accounts: dict[str, ThorAccount] = {}
        # Renewed keys: the new key -> the account's first key (its id here); old keys stop.
        self._renewed: dict[str, str] = {}
        self._revoked: set[str] = set()
        self._boxes: dict[str, ThorChargebox] = {}
        self._running: dict[tuple[str, int], ThorCharge] = {}
        self._finished: list[ThorCharge] = []
        self._reservations: list[ThorReservation] = []
        self._starts: dict[tuple[str, int], deque[float]] = {}
        self._box_counter = 0
        self._transaction_counter = 5000
        self._tag_counter = 0
        self._terminal_counter = 0

    def reset(self) -> None:
        """Forget everything (accounts, boxes, charges, faults, limits, settings)."""
        self._accounts.clear()
        self._renewed.clear()
        self._revoked.clear()
        self._boxes.clear()
        self._running.clear()
        self._finished.clear()
        self._reservations.clear()
        self._starts.clear()
        self._box_counter = 0
        self._transaction_counter = 5000
        self._tag_counter = 0
        self._terminal_counter = 0
        self.faults.clear()
        self.rate_limiter.reset()
        defaults = ThorSettings()
        for setting in fields(ThorSettings):
            setattr(self.settings, setting.name, getattr(defaults, setting.name))

    # --- accounts, authentication and limits -------------------------------------

    def add_account(
        self,
        api_key: str,
        name: str | None = None,
        *,
        rest_api_enabled: bool = True,
        source_ip: str | None = None,
    ) -> ThorAccount:
        if not api_key:
            raise ThorError(400, "api_key must not be empty")
        if api_key in self._accounts:
            raise ThorError(409, f"account {api_key} already exists")
        account = ThorAccount(
            api_key, name or f"Thor customer {len(self._accounts) + 1}", rest_api_enabled
        )
        account.source_ip = source_ip
        self._accounts[api_key] = account
        return account

    @property
    def accounts(self) -> list[ThorAccount]:
        return list(self._accounts.values())

    def account(self, api_key: str) -> ThorAccount:
        try:
            return self._accounts[api_key]
        except KeyError:
            raise ThorError(404, f"no account with API key {api_key}") from None

    def set_rest_api_enabled(self, api_key: str, enabled: bool) -> ThorAccount:
        account = self.account(api_key)
        account.rest_api_enabled = enabled
        return account

    def set_source_ip(self, api_key: str, source_ip: str | None) -> ThorAccount:
        """Allow only this caller address (None: any address, the default)."""
        account = self.account(api_key)
        account.source_ip = source_ip
        return account

    def renew_key(self, api_key: str, new_key: str) -> ThorAccount:
        """The dashboard's new key: the account answers to `new_key`, no longer to the old one.

        The account keeps its first key as its id here (control API, boxes, charges).
        """
        account = self.find_account(api_key)
        if account is None:
            raise ThorError(404, f"no account with API key {api_key}")
        if not new_key or self.find_account(new_key) is not None or new_key in self._accounts:
            raise ThorError(409, "the new key is empty or taken")
        self._revoked.add(api_key)
        self._renewed[new_key] = account.api_key
        return account

    def find_account(self, api_key: str | None) -> ThorAccount | None:
        """The account an API key opens (a revoked key opens none)."""
        if api_key is None or api_key in self._revoked:
            return None
        return self._accounts.get(self._renewed.get(api_key, api_key))

    def authenticate(self, api_key: str | None, remote: str | None) -> ThorAccount:
        """The account of an `X-Api-Key`, else 403 with the reason the API names."""
        account = self.find_account(api_key)
        if account is None:
            raise ThorError(403, API_KEY_NOT_FOUND)
        if not account.rest_api_enabled:
            raise ThorError(403, REST_API_NOT_ENABLED)
        if account.source_ip is not None and remote != account.source_ip:
            raise ThorError(403, INVALID_SOURCE_IP)
        return account

    def acquire(self, account: ThorAccount) -> None:
        """Spend one request of the account's budget or raise 429 TooManyRequests."""
        wait = self.rate_limiter.try_acquire(
            ("account", account.api_key),
            self.clock.now(),
            self.settings.requests_per_minute,
            self.settings.burst,
        )
        if wait is not None:
            raise ThorError(429, TOO_MANY_REQUESTS, retry_after=wait)

    def reset_rate_limits(self) -> None:
        self.rate_limiter.reset()
        self._starts.clear()

    def add_user(
        self, api_key: str, user_id: str, alias: str | None = None, email: str | None = None
    ) -> dict[str, Any]:
        """A driver of the account, listed in `users` of charge lists."""
        user = {"id": user_id, "alias": alias or user_id, "email": email}
        self.account(api_key).users[user_id] = user
        return user

    # --- chargeboxes ----------------------------------------------------------------

    def _new_box_id(self) -> str:
        while True:
            self._box_counter += 1
            box_id = f"CB-{self._box_counter:04d}"
            if box_id not in self._boxes:
                return box_id

    def add_chargebox(self, api_key: str, **options: Any) -> ThorChargebox:
        """A chargebox with `connectors` connectors (a count, default 1, or field dicts)."""
        account = self.account(api_key)
        unknown = set(options) - CHARGEBOX_FIELDS
        if unknown:
            raise ThorError(400, f"unknown chargebox fields: {sorted(unknown)}")
        box_id = options.pop("id", None) or self._new_box_id()
        if box_id in self._boxes:
            raise ThorError(409, f"chargebox {box_id} already exists")
        defaults = {key: options.pop(key) for key in list(options) if key in _CONNECTOR_FIELDS}
        spec = options.pop("connectors", 1)
        if isinstance(spec, bool) or not isinstance(spec, int | list):
            raise ThorError(400, "connectors must be a count or a list of objects")
        specs: list[Any] = [{}] * spec if isinstance(spec, int) else spec
        if not specs:
            raise ThorError(400, "a chargebox needs at least one connector")
        connectors = [
            self._connector(number, defaults, item) for number, item in enumerate(specs, 1)
        ]
        options.setdefault("alias", f"Chargebox {box_id}")
        box = ThorChargebox(id=box_id, api_key=api_key, connectors=connectors, **options)
        self._validate_box(box)
        box.heartbeat_at = self.clock.now()
        self._boxes[box.id] = box
        account.box_ids.append(box.id)
        return box

    def _connector(self, number: int, defaults: Mapping[str, Any], item: Any) -> ThorConnector:
        if not isinstance(item, Mapping):
            raise ThorError(400, "each connector must be an object")
        unknown = set(item) - _CONNECTOR_FIELDS
        if unknown:
            raise ThorError(400, f"unknown connector fields: {sorted(unknown)}")
        connector = ThorConnector(number, **{**defaults, **item})
        self._nayax_secrets(connector)
        _check(connector.type, CONNECTOR_TYPES, "type")
        _check(connector.format, CONNECTOR_FORMATS, "format")
        _check(connector.power_type, POWER_TYPES, "power_type")
        for value, name in ((connector.power, "power"), (connector.max_amperage, "max_amperage")):
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise ThorError(400, f"{name} must be a positive integer")
        return connector

    def _nayax_secrets(self, connector: ThorConnector) -> None:
        """A Nayax terminal id and token (documented as strings) where none were given."""
        if connector.terminal_id is None or connector.token is None:
            self._terminal_counter += 1
            digest = hashlib.sha256(f"nayax-{self._terminal_counter}".encode()).hexdigest()
        if connector.terminal_id is None:
            connector.terminal_id = f"NX{self._terminal_counter:08d}"
        if connector.token is None:
            connector.token = f"nxt_{digest[:24]}"

    @staticmethod
    def _validate_box(box: ThorChargebox) -> None:
        _check(box.vehicle, VEHICLES, "vehicle")
        _check(box.msg, OCPP_MESSAGE_FORMATS, "msg")
        _check(box.version, OCPP_VERSIONS, "version")
        if not isinstance(box.alias, str):
            raise ThorError(400, "alias must be a string")
        for flag in ("active", "connected", "public", "reservable", "free"):
            if not isinstance(getattr(box, flag), bool):
                raise ThorError(400, f"{flag} must be a boolean")
        for number in ("price_per_kwh", "latitude", "longitude"):
            value = getattr(box, number)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ThorError(400, f"{number} must be a number")

    def add_chargeboxes(
        self, api_key: str, count: int, connectors: int = 1, **options: Any
    ) -> list[ThorChargebox]:
        """Many boxes at once (load tests): aliases `Bulk N`, spread over a small area."""
        if count < 1 or connectors < 1:
            raise ThorError(400, "count and connectors must be at least 1")
        boxes = []
        for index in range(count):
            box_options = {
                "alias": f"Bulk {index + 1}",
                "latitude": 45.0 + (index % 100) * 0.001,
                "longitude": 7.6 + (index // 100) * 0.001,
                **options,
            }
            boxes.append(self.add_chargebox(api_key, connectors=connectors, **box_options))
        return boxes

    def chargebox(self, box_id: str) -> ThorChargebox:
        """The box with its running charges brought up to the clock."""
        try:
            box = self._boxes[box_id]
        except KeyError:
            raise ThorError(404, CHARGEBOX_NOT_FOUND) from None
        self._sync(box)
        return box

    def account_box(self, account: ThorAccount, box_id: str) -> ThorChargebox:
        """A box of this account, else 404 ChargeboxNotFound (also for others' boxes)."""
        box = self._boxes.get(box_id)
        if box is None or box.api_key != account.api_key:
            raise ThorError(404, CHARGEBOX_NOT_FOUND)
        self._sync(box)
        return box

    def _connector_of(self, box: ThorChargebox, number: Any) -> ThorConnector:
        connector = None
        if isinstance(number, int) and not isinstance(number, bool):
            connector = box.connector(number)
        if connector is None:
            raise ThorError(400, CONNECTOR_NOT_VALID)
        return connector

    def update_chargebox(self, box_id: str, **changes: Any) -> ThorChargebox:
        """Dashboard and physical changes: alias, active, connected (offline), free and more."""
        box = self.chargebox(box_id)
        unknown = set(changes) - CHARGEBOX_UPDATES
        if unknown:
            raise ThorError(400, f"unknown chargebox fields: {sorted(unknown)}")
        connected = changes.pop("connected", None)
        previous = {key: getattr(box, key) for key in changes}
        for key, value in changes.items():
            setattr(box, key, value)
        try:
            self._validate_box(box)
        except ThorError:
            for key, value in previous.items():
                setattr(box, key, value)
            raise
        if connected is not None:
            self.set_connected(box_id, bool(connected))
        return box

    def set_connected(self, box_id: str, connected: bool) -> ThorChargebox:
        """Offline: `connected` false, the heartbeat stops and running charges freeze."""
        box = self.chargebox(box_id)  # integrates up to now with the old state
        if box.connected and not connected:
            box.heartbeat_at = self.clock.now()
        box.connected = connected
        return box

    # --- cars and the physical world -------------------------------------------------

    def _sync(self, box: ThorChargebox) -> None:
        now = self.clock.now()
        for number, connector in enumerate(box.connectors, 1):
            charge = self._running.get((box.id, number))
            if charge is not None:
                advance(box, connector, charge, now)

    def _sync_account(self, account: ThorAccount) -> None:
        now = self.clock.now()
        for charge in self._running.values():
            if charge.api_key == account.api_key:
                box = self._boxes[charge.chargebox]
                advance(box, box.connectors[charge.connector - 1], charge, now)

    def plug_in(
        self,
        box_id: str,
        connector: int,
        max_power_w: int = 11_000,
        full_after_wh: int | None = None,
    ) -> ThorConnector:
        """A car arrives; a running charge on the connector starts drawing power."""
        box = self.chargebox(box_id)
        plug = self._connector_of(box, connector)
        if plug.car is not None:
            raise ThorError(409, "a car is already plugged into this connector")
        if max_power_w <= 0 or (full_after_wh is not None and full_after_wh < 0):
            raise ThorError(400, "max_power_w must be positive and full_after_wh not negative")
        plug.car = ThorCar(max_power_w, full_after_wh)
        return plug

    def unplug(self, box_id: str, connector: int) -> ThorConnector:
        """The car leaves; a running charge on the connector ends (like EVDisconnected)."""
        box = self.chargebox(box_id)
        plug = self._connector_of(box, connector)
        if plug.car is None:
            raise ThorError(409, "no car is plugged into this connector")
        charge = self._running.get((box.id, connector))
        if charge is not None:
            self._finish(box, charge)
        plug.car = None
        return plug

    def power_w(self, box_id: str, connector: int) -> float:
        box = self.chargebox(box_id)
        plug = self._connector_of(box, connector)
        return power_w(box, plug, self._running.get((box.id, connector)))

    def running_charge(self, box_id: str, connector: int) -> ThorCharge | None:
        self.chargebox(box_id)
        return self._running.get((box_id, connector))

    # --- charges ----------------------------------------------------------------------

    def _begin(
        self, box: ThorChargebox, connector: int, id_tag: str, mode: str, user: str | None
    ) -> ThorCharge:
        now = self.clock.now()
        self._transaction_counter += 1
        charge = ThorCharge(
            id=self._transaction_counter,
            api_key=box.api_key,
            chargebox=box.id,
            connector=connector,
            id_tag=id_tag,
            mode=mode,
            started_at=now,
            integrated_at=now,
            user=user,
            free=box.free,
        )
        self._running[(box.id, connector)] = charge
        self.push.send(
            self._accounts[box.api_key],
            "start",
            start_payload(box.id, connector, id_tag, charge.id, mode, accepted=True),
        )
        return charge

    def _finish(self, box: ThorChargebox, charge: ThorCharge) -> ThorCharge:
        now = self.clock.now()
        advance(box, box.connectors[charge.connector - 1], charge, now)
        del self._running[(box.id, charge.connector)]
        charge.finished_at = now
        charge.price = round(charge.energy_wh / 1000 * box.price_per_kwh, 2)
        self._finished.append(charge)
        self.push.send(
            self._accounts[box.api_key],
            "stop",
            stop_payload(
                box.id,
                charge.connector,
                charge.id_tag,
                charge.id,
                int(charge.energy_wh),
                now - charge.started_at,
            ),
        )
        return charge

    def start_local(
        self,
        box_id: str,
        connector: int,
        id_tag: str,
        user: str | None = None,
        mode: str = "local",
    ) -> ThorCharge:
        """A charge started at the box (RFID, `local`) or from the Thor app (`remote`)."""
        box = self.chargebox(box_id)
        self._connector_of(box, connector)
        if mode not in START_MODES - {"api"}:
            raise ThorError(400, "mode must be local or remote")
        if (box.id, connector) in self._running:
            raise ThorError(409, ALREADY_IN_TRANSACTION)
        if not box.connected:
            raise ThorError(409, "the chargebox is offline")
        if user is not None and user not in self._accounts[box.api_key].users:
            self.add_user(box.api_key, user)
        return self._begin(box, connector, id_tag, mode, user)

    def stop_local(self, box_id: str, connector: int) -> ThorCharge:
        """The driver ends the charge at the box."""
        box = self.chargebox(box_id)
        self._connector_of(box, connector)
        charge = self._running.get((box.id, connector))
        if charge is None:
            raise ThorError(409, NOT_IN_TRANSACTION)
        return self._finish(box, charge)

    def add_finished_charge(
        self,
        box_id: str,
        connector: int,
        started_at: float,
        finished_at: float,
        energy_wh: float,
        id_tag: str | None = None,
        user: str | None = None,
        mode: str = "local",
        price: float | None = None,
    ) -> ThorCharge:
        """History: a charge that ended before (its energy also counts on the meter)."""
        box = self.chargebox(box_id)
        plug = self._connector_of(box, connector)
        if not started_at <= finished_at <= self.clock.now() or energy_wh < 0:
            raise ThorError(400, "need started_at <= finished_at <= now and energy_wh >= 0")
        if mode not in START_MODES:
            raise ThorError(400, f"mode must be one of {sorted(START_MODES)}")
        if user is not None and user not in self._accounts[box.api_key].users:
            self.add_user(box.api_key, user)
        self._transaction_counter += 1
        self._tag_counter += 1
        charge = ThorCharge(
            id=self._transaction_counter,
            api_key=box.api_key,
            chargebox=box.id,
            connector=connector,
            id_tag=id_tag or f"RFID{self._tag_counter:06d}",
            mode=mode,
            started_at=started_at,
            integrated_at=finished_at,
            user=user,
            energy_wh=float(energy_wh),
            finished_at=finished_at,
            free=box.free,
            price=(
                round(energy_wh / 1000 * box.price_per_kwh, 2) if price is None else float(price)
            ),
        )
        plug.meter_wh += energy_wh
        self._finished.append(charge)
        self._finished.sort(key=lambda item: item.finished_at or 0.0)
        return charge

    def finished_charges(self, api_key: str) -> list[ThorCharge]:
        return [charge for charge in self._finished if charge.api_key == api_key]

    def running_charges(self, api_key: str) -> list[ThorCharge]:
        account = self.account(api_key)
        self._sync_account(account)
        return sorted(
            (c for c in self._running.values() if c.api_key == api_key),
            key=lambda charge: charge.started_at,
        )

    # --- reservations -------------------------------------------------------------------

    def add_reservation(
        self,
        box_id: str,
        connector: int,
        expiry_at: float,
        id_tag: str | None = None,
        user: str | None = None,
        client: str = "thor-app",
    ) -> ThorReservation:
        box = self.chargebox(box_id)
        self._connector_of(box, connector)
        now = self.clock.now()
        if expiry_at <= now:
            raise ThorError(400, "expiry must be in the future")
        if any(r.active(now) for r in self._reservations_of(box.id, connector)):
            raise ThorError(409, "the connector is already reserved")
        self._tag_counter += 1
        reservation = ThorReservation(
            chargebox=box.id,
            connector=connector,
            id_tag=id_tag or f"RES{self._tag_counter:06d}",
            accepted_at=now,
            expiry_at=expiry_at,
            user=user,
            client=client,
            payment_method="free" if box.free else "stripe",
        )
        self._reservations.append(reservation)
        return reservation

    def _reservations_of(self, box_id: str, connector: int | None = None) -> list[ThorReservation]:
        return [
            r
            for r in self._reservations
            if r.chargebox == box_id and (connector is None or r.connector == connector)
        ]

    # --- JSON documents of the API ---------------------------------------------------------

    def chargeboxes_json(
        self,
        account: ThorAccount,
        *,
        only_active: bool = True,
        bounds: tuple[float, float, float, float] | None = None,
        connector_type: str | None = None,
    ) -> list[dict[str, Any]]:
        """`GET /chargeboxes`: `bounds` is (ne lat, ne lng, sw lat, sw lng)."""
        now = self.clock.now()
        items = []
        for box_id in account.box_ids:
            box = self._boxes[box_id]
            if only_active and not box.active:
                continue
            if bounds is not None and not _inside(box, bounds):
                continue
            if connector_type is not None and all(c.type != connector_type for c in box.connectors):
                continue
            items.append(box.to_json(now, self._secrets))
        return items

    def chargebox_json(self, box_id: str) -> dict[str, Any]:
        """`GET /chargeboxes/{id}`: the list shape plus occupied/reserved connectors."""
        box = self.chargebox(box_id)
        now = self.clock.now()
        occupied = [n for n in range(1, len(box.connectors) + 1) if (box.id, n) in self._running]
        reserved = sorted({r.connector for r in self._reservations_of(box.id) if r.active(now)})
        return box.to_json(now, self._secrets) | {
            "occupied_connectors": occupied,
            "reserved_connectors": reserved,
        }

    @property
    def _secrets(self) -> bool:
        """Whether connectors carry their Nayax `terminal_id` and `token` (else null)."""
        return self.settings.connector_secrets == "string"

    def _charges_json(self, account: ThorAccount, charges: list[ThorCharge]) -> dict[str, Any]:
        users = {
            charge.user: account.users.get(charge.user, {"id": charge.user})
            for charge in charges
            if charge.user is not None
        }
        return {
            "count": len(charges),
            "items": [charge.to_json() for charge in charges],
            "users": users,
        }

    def running_json(self, account: ThorAccount, box_id: str | None = None) -> dict[str, Any]:
        """`GET /charges/running[?chargebox=]` (an unknown box: an empty list)."""
        charges = [
            c
            for c in self.running_charges(account.api_key)
            if box_id is None or c.chargebox == box_id
        ]
        return self._charges_json(account, charges)

    def finished_json(
        self,
        account: ThorAccount,
        date_from: str | None,
        date_to: str | None,
        box_id: str | None = None,
    ) -> dict[str, Any]:
        """`GET /charges/finished?from=&to=`: both `YYYYMMDD` (UTC days, `to` included)."""
        start = _day_start(date_from)
        end = _day_start(date_to) + 86_400
        if start >= end:
            raise ThorError(400, BAD_REQUEST)
        longest = self.settings.finished_max_days
        if longest and (end - start) / 86_400 > longest:
            raise ThorError(400, BAD_REQUEST)
        charges = [
            c
            for c in self.finished_charges(account.api_key)
            if (box_id is None or c.chargebox == box_id)
            and c.finished_at is not None
            and start <= c.finished_at < end
        ]
        return self._charges_json(account, charges)

    def reservations_json(self, account: ThorAccount, box_id: str | None = None) -> Any:
        """`GET /reservations`, in the shape `settings.reservations_shape` selects.

        `object` is the page's example: one bare reservation without `status` (the
        first one, `{}` when there is none).
        """
        now = self.clock.now()
        shape = self.settings.reservations_shape
        items = [
            r.to_json(now, status=shape != "object")
            for r in self._reservations
            if self._boxes[r.chargebox].api_key == account.api_key
            and (box_id is None or r.chargebox == box_id)
        ]
        if shape == "list":
            return items
        if shape == "object":
            return items[0] if items else {}
        return {"count": len(items), "items": items}

    # --- commands of the API ------------------------------------------------------------------

    def _record(self, account: ThorAccount, kind: str, body: Any, status: int, answer: Any) -> None:
        account.commands.append(
            {"kind": kind, "body": body, "status": status, "answer": answer, "at": self.clock.now()}
        )

    def start_charge(self, account: ThorAccount, body: Any) -> dict[str, Any]:
        """`POST /charges/start`: 200 `{"id_tag"}`; every call is recorded on the account."""
        try:
            answer = self._start(account, body)
        except ThorError as exc:
            self._record(account, "start", body, exc.status, exc.body)
            raise
        self._record(account, "start", body, 200, answer)
        return answer

    def _start(self, account: ThorAccount, body: Any) -> dict[str, Any]:
        box_id, number = _command_target(body)
        box = self.account_box(account, box_id)
        self._connector_of(box, number)
        self._count_start(box.id, number)
        if not box.active:
            raise ThorError(403, CHARGEBOX_NOT_ACTIVE)
        if not box.free:
            raise ThorError(402, CHARGEBOX_NOT_FREE)
        if (box.id, number) in self._running:
            raise ThorError(400, ALREADY_IN_TRANSACTION)
        self._tag_counter += 1
        id_tag = f"API{self._tag_counter:06d}"
        if box.connected:
            self._begin(box, number, id_tag, "api", None)
        else:
            # The command is "sent" (200) but the box never answers: no charge begins.
            self.push.send(
                account, "start", start_payload(box.id, number, id_tag, 0, "api", accepted=False)
            )
        return {"id_tag": id_tag}

    def _count_start(self, box_id: str, connector: int) -> None:
        """429 TooManyRequests beyond `start_limit` starts in `start_window` seconds."""
        now = self.clock.now()
        window = self.settings.start_window
        starts = self._starts.setdefault((box_id, connector), deque())
        while starts and starts[0] <= now - window:
            starts.popleft()
        if len(starts) >= self.settings.start_limit:
            raise ThorError(429, TOO_MANY_REQUESTS, retry_after=starts[0] + window - now)
        starts.append(now)

    def stop_charge(self, account: ThorAccount, body: Any) -> None:
        """`POST /charges/stop`: 200 with an empty body; every call is recorded."""
        try:
            self._stop(account, body)
        except ThorError as exc:
            self._record(account, "stop", body, exc.status, exc.body)
            raise
        self._record(account, "stop", body, 200, None)

    def _stop(self, account: ThorAccount, body: Any) -> None:
        box_id, number = _command_target(body)
        id_tag = body.get("id_tag")
        if not isinstance(id_tag, str) or not id_tag:
            raise ThorError(400, BAD_REQUEST)
        transaction = body.get("transaction")
        box = self.account_box(account, box_id)
        self._connector_of(box, number)
        charge = self._running.get((box.id, number))
        if charge is None:
            raise ThorError(400, NOT_IN_TRANSACTION)
        if transaction is not None and str(transaction) != str(charge.id):
            raise ThorError(400, WRONG_TRANSACTION)
        if id_tag != charge.id_tag:
            raise ThorError(400, WRONG_TRANSACTION)
        if not box.connected:
            # Sent, but the offline box cannot carry it out: the charge stays running.
            self.push.send(account, "stop", rejected_stop_payload(box.id, number, id_tag))
            return
        self._finish(box, charge)

    # --- notifications --------------------------------------------------------------------

    def set_push_urls(self, api_key: str, urls: Mapping[str, str | None]) -> ThorAccount:
        """Notification URLs per kind (`start`, `stop`, `meters`); None removes one."""
        account = self.account(api_key)
        unknown = set(urls) - set(PUSH_KINDS)
        if unknown:
            raise ThorError(400, f"unknown notification kinds: {sorted(unknown)}")
        for kind, url in urls.items():
            if url is None:
                account.push.urls.pop(kind, None)
            else:
                account.push.urls[kind] = url
        return account

    def push_meters(
        self, api_key: str, box_id: str | None = None, connector: int | None = None
    ) -> int:
        """Send a meter-values notification for each (matching) running charge."""
        account = self.account(api_key)
        now = self.clock.now()
        sent = 0
        for charge in self.running_charges(api_key):
            if (box_id is not None and charge.chargebox != box_id) or (
                connector is not None and charge.connector != connector
            ):
                continue
            box = self._boxes[charge.chargebox]
            plug = box.connectors[charge.connector - 1]
            payload = meters_payload(
                box.id,
                charge.connector,
                charge.id_tag,
                int(plug.meter_wh),
                int(power_w(box, plug, charge)),
                int(charge.energy_wh),
                now - charge.started_at,
            )
            self.push.send(account, "meters", payload)
            sent += 1
        return sent

    def set_push_shape(self, api_key: str, **changes: str) -> ThorAccount:
        """How the account's notifications are written (`PushShape`: the documented variants)."""
        account = self.account(api_key)
        try:
            account.push.shape = shape_of(changes, account.push.shape)
        except PushShapeError as exc:
            raise ThorError(400, str(exc)) from None
        return account

    def push_unlock(self, box_id: str, connector: int) -> int:
        """A `msg: "stop"` unlock notification of a connector (not the end of a charge)."""
        box = self.chargebox(box_id)
        self._connector_of(box, connector)
        account = self._accounts[box.api_key]
        last = [c for c in self._finished if (c.chargebox, c.connector) == (box.id, connector)]
        energy = int(last[-1].energy_wh) if last else 0
        before = len(account.push.deliveries)
        self.push.send(account, "stop", unlock_payload(box.id, connector, energy))
        return len(account.push.deliveries) - before

    def replay_push(self, api_key: str, index: int) -> int:
        """Post a kept notification again, its text unchanged (see ThorPusher.resend)."""
        account = self.account(api_key)
        try:
            return 0 if self.push.resend(account, index) is None else 1
        except IndexError:
            raise ThorError(404, "no such notification") from None

    # --- control-API views -------------------------------------------------------------------

    def state_json(self, box_id: str) -> dict[str, Any]:
        """Internal state of a box for the control API (not an API shape)."""
        box = self.chargebox(box_id)
        connectors = []
        for number, plug in enumerate(box.connectors, 1):
            charge = self._running.get((box.id, number))
            connectors.append(
                {
                    "number": number,
                    **plug.to_json(),
                    "car": None
                    if plug.car is None
                    else {
                        "max_power_w": plug.car.max_power_w,
                        "full_after_wh": plug.car.full_after_wh,
                    },
                    "power_w": power_w(box, plug, charge),
                    "meter_wh": plug.meter_wh,
                    "charge": None
                    if charge is None
                    else charge.to_json() | {"id_tag": charge.id_tag},
                }
            )
        return {
            "id": box.id,
            "api_key": box.api_key,
            "alias": box.alias,
            "active": box.active,
            "connected": box.connected,
            "public": box.public,
            "reservable": box.reservable,
            "free": box.free,
            "price_per_kwh": box.price_per_kwh,
            "connectors": connectors,
        }

    def account_json(self, api_key: str) -> dict[str, Any]:
        account = self.account(api_key)
        return account.to_json() | {
            "running": len(self.running_charges(api_key)),
            "finished": len(self.finished_charges(api_key)),
        }


def _command_target(body: Any) -> tuple[str, Any]:
    """`chargebox` (string) and `connector` of a start/stop body; 400 when missing."""
    if not isinstance(body, dict):
        raise ThorError(400, BAD_REQUEST)
    box_id = body.get("chargebox")
    if not isinstance(box_id, str) or not box_id or body.get("connector") is None:
        raise ThorError(400, BAD_REQUEST)
    return box_id, body["connector"]


def _inside(box: ThorChargebox, bounds: tuple[float, float, float, float]) -> bool:
    ne_lat, ne_lng, sw_lat, sw_lng = bounds
    if not sw_lat <= box.latitude <= ne_lat:
        return False
    if sw_lng <= ne_lng:
        return sw_lng <= box.longitude <= ne_lng
    return box.longitude >= sw_lng or box.longitude <= ne_lng  # across the antimeridian


def parse_bool(value: str | None, default: bool) -> bool:
    """A query flag: true/false or 1/0 (any case); 400 otherwise."""
    if value is None:
        return default
    text = value.strip().lower()
    if text in ("true", "1"):
        return True
    if text in ("false", "0"):
        return False
    raise ThorError(400, BAD_REQUEST)
