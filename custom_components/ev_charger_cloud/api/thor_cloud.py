"""Thor as a ChargerCloudClient: OCPP chargeboxes and their connectors in the neutral model.

Thor's quirks stay here. A poll reads the whole account in at most three
requests, however many chargeboxes it has (``PollPlan.read_all``):

1. ``GET /chargeboxes?onlyactive=false``: boxes, connectors, ``connected``;
2. ``GET /charges/running``: the occupied connectors and their session energy;
3. one of, in this order: while the history is back-filled, a window of past
   days (see thor_history.py); the finished charges of the days not counted
   yet up to today (at start, after a charge ended and after midnight, to keep
   the lifetime totals exact); the reservations (only when a box is reservable,
   and every 5 minutes at most: they are made ahead of time).

Connector status: the box offline → DISCONNECTED; a running charge → CHARGING;
an active reservation → RESERVED; else READY (available). Thor reports no OCPP
status, so a car plugged into an idle connector is not seen.

Thor has no live power in its REST API. Power is the session energy's rise
between two reads over their time difference, until a meter-value
notification brings ``Power.Active.Import`` (or a register to derive it from).

Commands are only sent: a 200 does not mean the box did it. The requested
state is shown at once, unconfirmed, and read again.
"""

from __future__ import annotations

from collections.abc import Callable
import dataclasses
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
import hashlib
import json
import logging
from typing import Any, ClassVar

import aiohttp

from .base import ChargerCloudClient
from .errors import (
    AccountWithoutDevicesError,
    AuthenticationError,
    CommandRejectedError,
    DeviceGoneError,
    TokenRejectedError,
    UnexpectedResponseError,
)
from .models import (
    Account,
    Charger,
    ChargerStatus,
    Connector,
    Device,
    DeviceKind,
    DeviceRef,
    Feature,
    PollPlan,
    Provider,
    Target,
)
from .thor import KEY_REFUSAL_GRACE, ThorClient
from .thor_history import ThorEnergyHistory, connector_key
from .thor_models import ThorCharge, ThorChargebox, ThorConnector, ThorReservation
from .thor_push import (
    MAX_NOTIFICATION_BYTES,
    ThorMeterNotice,
    ThorNotice,
    ThorStartNotice,
    parse_notification,
)

_LOGGER = logging.getLogger(__name__)

# The key of the account's identity (Account.identity): the box it is known by.
ACCOUNT_BOX = "account_box"
# Reservations are made ahead of time: reading them this often is enough.
RESERVATIONS_EVERY = timedelta(minutes=5)
# A pushed power reading counts this long; after that, the energy rise between reads again.
PUSH_POWER_FRESH = timedelta(minutes=5)


@dataclass(slots=True)
class _EnergySample:
    """The energy of a transaction (or a meter register) at a time: for power from the rise."""

    source: int | str  # transaction id, or "register"
    energy_wh: float
    at: datetime


@dataclass(slots=True)
class _PushedPower:
    watts: float
    at: datetime


class ThorCloudClient(ChargerCloudClient):
    """One Thor account (an integration API key): its chargeboxes and their connectors."""

    provider: ClassVar[Provider] = Provider.THOR
    accepts_notifications: ClassVar[bool] = True
    max_notification_bytes: ClassVar[int] = MAX_NOTIFICATION_BYTES
    # No request limit is documented. A read of all every minute keeps status and
    # energy fresh at 120-180 requests an hour for any number of boxes; push
    # notifications, where set up, show starts, stops and power at once.
    poll_plan: ClassVar[PollPlan] = PollPlan(
        interval=timedelta(minutes=1),
        min_spacing=timedelta(seconds=20),
        devices_per_poll=None,
        rediscover_every=timedelta(minutes=1),
        read_all=True,
    )

    def __init__(
        self,
        session: aiohttp.ClientSession,
        api_key: str,
        *,
        base_url: str | None = None,
        timeout: float | None = None,
        account_box: str | None = None,
        history: ThorEnergyHistory | None = None,
        id_tags: dict[str, str] | None = None,
        on_state: Callable[[dict[str, Any]], None] | None = None,
        key_refused_since: float | None = None,
    ) -> None:
        """Set up the client.

        ``account_box`` is the chargebox the account was first known by (see
        async_authenticate). ``history`` and ``id_tags`` come back from the entry; ``on_state`` is
        called with both as plain data whenever they change, to keep them there.
        """
        # A refused key is wrong only after KEY_REFUSAL_GRACE of refusals (thor.py).
        self.thor = ThorClient(
            session,
            api_key,
            base_url=base_url,
            timeout=timeout,
            key_refusal_grace=KEY_REFUSAL_GRACE,
            key_refused_since=key_refused_since,
            on_key_refusal=lambda _since: self._keep_state(),
        )
        self.account_box = account_box
        self.history = history or ThorEnergyHistory()
        # The tag a charge started here was given: stopping it needs it, and
        # Thor lists API-started charges without one. Personal: never logged.
        self._id_tags: dict[str, str] = dict(id_tags or {})
        self._on_state = on_state
        self._boxes: dict[str, ThorChargebox] = {}
        self._running: dict[str, ThorCharge] = {}
        # Reserved connectors with the end of their reservation (None: open-ended).
        self._reservations: dict[str, datetime | None] = {}
        self._reservations_read: datetime | None = None
        self._samples: dict[str, _EnergySample] = {}
        self._power: dict[str, float | None] = {}
        self._pushed: dict[str, _PushedPower] = {}
        self._registers: dict[str, _EnergySample] = {}
        # Today's finished charges are read at start and whenever a charge has ended.
        self._today_due = True
        self._today: date | None = None
        self._devices: dict[str, Charger] = {}

    # --- account and devices --------------------------------------------------

    async def async_authenticate(self) -> Account:
        """Check the key by listing the chargeboxes; the account is known by its boxes.

        The key is not the account (a renewed key is the same account), so the
        unique id is a digest of a chargebox id: the one the entry was first
        known by while the key still lists it, else the alphabetically first.
        An account without any chargebox has nothing to be told apart by (every
        such key would look like the same account): AccountWithoutDevicesError.
        """
        try:
            boxes = await self.thor.async_get_chargeboxes()
        except TokenRejectedError as err:  # the flow checks a key: refused is wrong
            raise AuthenticationError("Thor refused the API key") from err
        self._boxes = {box.id: box for box in boxes}
        if not self._boxes:
            raise AccountWithoutDevicesError("The Thor account has no chargebox yet")
        if self.account_box not in self._boxes:
            self.account_box = min(self._boxes)
        count = f"{len(boxes)} chargebox" + ("" if len(boxes) == 1 else "es")
        return Account(
            unique_id=account_id(self.account_box),
            title=f"Thor ({count})",
            identity={ACCOUNT_BOX: self.account_box},
        )

    async def async_discover(self) -> list[DeviceRef]:
        """Every chargebox, active or not."""
        boxes = await self.thor.async_get_chargeboxes()
        self._boxes = {box.id: box for box in boxes}
        return [
            DeviceRef(device_id=box.id, name=_name(box), kind=DeviceKind.CHARGER) for box in boxes
        ]

    async def async_get_device(self, device_id: str) -> Device:
        """One chargebox as the last read of all shows it (Thor is read whole)."""
        await self.async_read_all()
        try:
            return self._devices[device_id]
        except KeyError:
            raise DeviceGoneError("Thor does not know this chargebox (any more)") from None

    async def async_read_all(self) -> list[Device]:
        """Every chargebox with its connectors; at most three requests."""
        now = datetime.now(UTC)
        boxes = await self.thor.async_get_chargeboxes()
        running = await self.thor.async_get_running_charges()
        self._boxes = {box.id: box for box in boxes}
        self._take_running(running, now)
        await self._read_one_more(now)
        self._devices = {box.id: self._charger(box, now) for box in boxes}
        return list(self._devices.values())

    def _take_running(self, running: list[ThorCharge], now: datetime) -> None:
        """The running charges by connector; power from each one's energy rise."""
        current: dict[str, ThorCharge] = {}
        for charge in running:
            if charge.chargebox is None or charge.connector is None:
                continue
            current[connector_key(charge.chargebox, charge.connector)] = charge
        # A charge ended (also one followed by another on its connector since the last
        # read): count it in the lifetime total.
        if {c.id for c in self._running.values()} - {c.id for c in current.values()}:
            self._today_due = True
        for key in set(self._samples) - set(current):
            del self._samples[key]
        self._power = {}
        for key, charge in current.items():
            self._power[key] = self._rise(key, charge, now)
        for key in set(self._id_tags) - set(current):
            if key in self._running:  # only forget the tags of charges seen ending
                self._forget_tag(key)
        self._running = current

    def _rise(self, key: str, charge: ThorCharge, now: datetime) -> float | None:
        """W from the energy rise since the last read of the same charge (None at first)."""
        if charge.energy_wh is None:
            return None
        last = self._samples.get(key)
        self._samples[key] = _EnergySample(charge.id, charge.energy_wh, now)
        if last is None or last.source != charge.id:
            return None
        return _watts(last, charge.energy_wh, now)

    async def _read_one_more(self, now: datetime) -> None:
        """The third request of a poll: what is due most (see the module's docstring)."""
        today = now.date()
        if self._today is not None and today != self._today:
            self._today_due = True  # a new day: yesterday goes into the history
        self._today = today
        window = self.history.next_window(today)
        reservable = any(box.reservable for box in self._boxes.values())
        if not self.history.complete and window is not None:
            charges = await self.thor.async_get_finished_charges(*window)
            self.history.add_window(*window, charges, today)
            self._keep_state()
        elif self.history.complete and (self._today_due or window is not None):
            # The days since the last read (overlapping by one) and today, in one request.
            start = today if window is None else window[0]
            charges = await self.thor.async_get_finished_charges(start, today)
            if window is None:
                self.history.add(charges)
            else:
                self.history.add_window(*window, charges, today)
            self._today_due = False
            self._keep_state()
        elif reservable and (
            self._reservations_read is None or now - self._reservations_read >= RESERVATIONS_EVERY
        ):
            self._reservations = _reservations(await self.thor.async_get_reservations())
            self._reservations_read = now
        if not reservable:
            self._reservations = {}
            self._reservations_read = None

    def _keep_state(self) -> None:
        if self._on_state is not None:
            self._on_state(
                {
                    "history": self.history.as_dict(),
                    "id_tags": dict(self._id_tags),
                    "key_refused_since": self.thor.key_refused_since,
                }
            )

    def _forget_tag(self, key: str) -> None:
        self._id_tags.pop(key, None)
        self._keep_state()

    def diagnostics(self) -> dict[str, Any]:
        """What Thor sent, without coordinates, tags, users or payment data."""
        return {
            "chargeboxes": {
                box_id: _plain(dataclasses.replace(box, coordinates=None))
                for box_id, box in self._boxes.items()
            },
            "running": {
                key: {
                    "transaction": charge.id,
                    "energy_wh": charge.energy_wh,
                    "date_started": None
                    if charge.date_started is None
                    else charge.date_started.isoformat(),
                }
                for key, charge in self._running.items()
            },
            "reserved": sorted(self._reservations),
            "history": {
                "complete": self.history.complete,
                "through": None if self.history.through is None else str(self.history.through),
                "totals_wh": dict(self.history.totals_wh),
            },
        }

    # --- the neutral model ----------------------------------------------------

    def _charger(self, box: ThorChargebox, now: datetime) -> Charger:
        connectors = tuple(self._connector(box, connector, now) for connector in box.connectors)
        features = {Feature.LAST_HEARTBEAT} if box.last_heartbeat is not None else set()
        if box.connected is not None:
            features.add(Feature.CONNECTIVITY)
        return Charger(
            device_id=box.id,
            name=_name(box),
            manufacturer=None,
            model=_model(box),
            features=frozenset(features),
            online=box.connected,
            last_heartbeat=box.last_heartbeat,
            connectors=connectors,
        )

    def _connector(self, box: ThorChargebox, connector: ThorConnector, now: datetime) -> Connector:
        key = connector_key(box.id, connector.number)
        charge = self._running.get(key)
        status = self._status(box, key, charge, now)
        energy_wh = None if charge is None else charge.energy_wh
        if charge is None:
            energy_wh = self.history.last_charge_wh.get(key)
        lifetime = None
        if self.history.complete and not self._today_due:
            running_wh = 0.0 if charge is None else (charge.energy_wh or 0.0)
            lifetime = (self.history.totals_wh.get(key, 0.0) + running_wh) / 1000
        # Total energy is unknown (None) until the history reaches back to the
        # account's first charge and today's finished charges are read: a partial
        # sum would count as energy delivered.
        features = {
            Feature.CHARGING_POWER,
            Feature.SESSION_ENERGY,
            Feature.SESSION_STARTED,
            Feature.START_STOP,
            Feature.TOTAL_ENERGY,
        }
        if connector.rated_power_w is not None:
            features.add(Feature.RATED_POWER)
        if connector.max_amperage is not None:
            features.add(Feature.MAX_CURRENT)
        return Connector(
            connector_id=str(connector.number),
            status=status,
            charging_power=self._charging_power(key, charge, now),
            session_energy=None if energy_wh is None else energy_wh / 1000,
            total_energy=lifetime,
            session_started=None if charge is None else charge.date_started,
            charging=None if charge is None else True,
            rated_power=connector.rated_power_w,
            max_current=None if connector.max_amperage is None else float(connector.max_amperage),
            features=frozenset(features),
        )

    def _status(
        self, box: ThorChargebox, key: str, charge: ThorCharge | None, now: datetime
    ) -> ChargerStatus:
        if box.connected is None:
            return ChargerStatus.UNKNOWN
        if not box.connected:
            return ChargerStatus.DISCONNECTED
        if charge is not None:
            return ChargerStatus.CHARGING
        if key in self._reservations:
            end = self._reservations[key]
            if end is None or end > now:
                return ChargerStatus.RESERVED
        return ChargerStatus.READY

    def _charging_power(self, key: str, charge: ThorCharge | None, now: datetime) -> float | None:
        """Pushed power while fresh, else the energy rise between reads; 0 without a charge."""
        if charge is None:
            return 0.0
        pushed = self._pushed.get(key)
        if pushed is not None and now - pushed.at <= PUSH_POWER_FRESH:
            return pushed.watts
        return self._power.get(key)

    # --- commands -------------------------------------------------------------

    async def async_set_charging(self, target: Target, enabled: bool) -> Device | None:
        """Start or stop a charge on a connector: shown at once, confirmed by the next read."""
        box_id, number, key = _address(target)
        if enabled:
            tag = await self.thor.async_start_charge(box_id, number)
            if tag is not None:  # else stopping it needs the tag a later read tells
                self._id_tags[key] = tag
                self._keep_state()
            return self._expected(target, ChargerStatus.CHARGING)
        charge = self._running.get(key)
        if charge is None and key in self._id_tags:
            # Started here, not listed yet: the tag is enough (the transaction is optional).
            await self.thor.async_stop_charge(box_id, number, self._id_tags[key])
            return self._expected(target, ChargerStatus.READY)
        if charge is None:
            raise CommandRejectedError("No charge is running on this connector")
        stop_tag = charge.id_tag or self._id_tags.get(key)
        if stop_tag is None:
            raise CommandRejectedError(
                "This charge was started elsewhere and Thor does not tell its id tag"
            )
        await self.thor.async_stop_charge(box_id, number, stop_tag, charge.id)
        return self._expected(target, ChargerStatus.READY)

    def _expected(self, target: Target, status: ChargerStatus) -> Device | None:
        charger = self._devices.get(target.device_id)
        if charger is None or target.connector_id is None:
            return None
        power = None if status is ChargerStatus.CHARGING else 0.0
        return dataclasses.replace(
            charger.with_connector(target.connector_id, status=status, charging_power=power),
            confirmed=False,
        )

    # --- push notifications ---------------------------------------------------

    def apply_notification_body(self, body: bytes) -> Charger | None:
        """A posted notification: parsed, then shown (None: a kind or a box not shown here)."""
        try:
            payload = json.loads(body)
        except (ValueError, RecursionError) as err:  # bad JSON, bad UTF-8, too deep
            raise UnexpectedResponseError("The notification is not JSON") from err
        notice = parse_notification(payload)
        return None if notice is None else self.apply_notification(notice)

    def apply_notification(self, notice: ThorNotice, now: datetime | None = None) -> Charger | None:
        """Show a notification at once; None when it concerns no box of this account."""
        box = self._boxes.get(notice.chargebox)
        charger = self._devices.get(notice.chargebox)
        if box is None or charger is None or box.connector(notice.connector) is None:
            return None
        now = now or datetime.now(UTC)
        connector_id = str(notice.connector)
        key = connector_key(notice.chargebox, notice.connector)
        if isinstance(notice, ThorMeterNotice):
            watts = notice.power_w
            if watts is None and notice.energy_register_wh is not None:
                watts = self._register_rise(key, notice.energy_register_wh, notice.at or now)
            if watts is None:
                return None
            self._pushed[key] = _PushedPower(watts, now)
            changes: dict[str, Any] = {"charging_power": watts}
        elif isinstance(notice, ThorStartNotice):
            if not notice.accepted:
                return None
            changes = {"status": ChargerStatus.CHARGING, "session_energy": 0.0}
            changes["session_started"] = notice.at or now
        else:
            if not notice.accepted:
                return None
            self._pushed.pop(key, None)
            self._today_due = True
            changes = {"status": ChargerStatus.READY, "charging_power": 0.0}
        updated = charger.with_connector(connector_id, **changes)
        self._devices[notice.chargebox] = updated
        return updated

    def _register_rise(self, key: str, register_wh: float, at: datetime) -> float | None:
        last = self._registers.get(key)
        self._registers[key] = _EnergySample("register", register_wh, at)
        if last is None:
            return None
        return _watts(last, register_wh, at)


# --- helpers ------------------------------------------------------------------------


def account_id(chargebox_id: str) -> str:
    """A stable id for the account: a digest of one of its chargebox ids (never the key)."""
    return hashlib.sha256(f"thor/{chargebox_id}".encode()).hexdigest()[:20]


def _watts(last: _EnergySample, energy_wh: float, now: datetime) -> float | None:
    seconds = (now - last.at).total_seconds()
    if seconds <= 0 or energy_wh < last.energy_wh:
        return None
    return round((energy_wh - last.energy_wh) * 3600 / seconds, 1)


def _address(target: Target) -> tuple[str, int, str]:
    if target.connector_id is None or not target.connector_id.isdigit():
        raise CommandRejectedError("A Thor charge is started on a connector")
    number = int(target.connector_id)
    return target.device_id, number, connector_key(target.device_id, number)


def _reservations(reservations: list[ThorReservation]) -> dict[str, datetime | None]:
    """Reserved connectors with the latest end of their reservations (None: no end given)."""
    ends: dict[str, datetime | None] = {}
    for r in reservations:
        if r.chargebox is None or r.connector is None:
            continue
        key = connector_key(r.chargebox, r.connector)
        end = r.expiry_date
        if key in ends:
            previous = ends[key]
            end = None if previous is None or end is None else max(previous, end)
        ends[key] = end
    return ends


def _name(box: ThorChargebox) -> str:
    return (box.alias or "").strip() or box.id


def _model(box: ThorChargebox) -> str:
    """What Thor tells of the box: the OCPP version it speaks."""
    if box.ocpp_version is None:
        return "OCPP chargebox"
    return f"OCPP {box.ocpp_version.value} chargebox"


def _plain(box: ThorChargebox) -> dict[str, Any]:
    data = dataclasses.asdict(box)
    data.pop("coordinates", None)
    data["last_heartbeat"] = None if box.last_heartbeat is None else box.last_heartbeat.isoformat()
    return data
