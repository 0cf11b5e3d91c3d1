"""Thor as a ChargerCloudClient: OCPP chargeboxes and their connectors in the neutral model.

Thor's quirks stay here. A poll reads the whole account in at most three
requests, however many chargeboxes it has (``PollPlan.read_all``):

1. ``GET /chargeboxes?onlyactive=false``: boxes, connectors, ``connected``;
2. ``GET /charges/running``: the occupied connectors and their session energy;
3. when one is due: a window of the history, the finished charges not counted
   yet, or the reservations (thor_reads.py). These are optional: one that fails
   backs off without failing the poll.

Connector status: the box offline → DISCONNECTED; a running charge → CHARGING;
an active reservation → RESERVED; else READY (available). Thor reports no OCPP
status, so a car plugged into an idle connector is not seen.

Thor has no live power in its REST API. Power is the session energy's rise
between two reads over their time difference, or what a meter-value
notification brings (``Power.Active.Import``, or a register to derive it from).
Reads and notifications meet in thor_live.py, which also judges every notice.

Commands are only sent: a 200 does not mean the box did it. The requested
state is shown at once, unconfirmed, and read again.
"""

from __future__ import annotations

from collections.abc import Callable
import dataclasses
from datetime import UTC, datetime, timedelta
import hashlib
import logging
from typing import Any, ClassVar

import aiohttp

from ..base import ChargerCloudClient
from ..errors import (
    AccountWithoutDevicesError,
    AuthenticationError,
    CommandRejectedError,
    DeviceGoneError,
    TokenRejectedError,
)
from ..models import (
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
from .client import KEY_REFUSAL_GRACE, ThorClient
from .history import ThorEnergyHistory, connector_key
from .live import StopResult, ThorLive, max_power_w
from .models import ThorCharge, ThorChargebox, ThorConnector
from .push import (
    MAX_NOTIFICATION_BYTES,
    ThorMeterNotice,
    ThorNotice,
    ThorStartNotice,
    ThorStopNotice,
    decode_notification,
    parse_notification,
)
from .reads import ThorOptionalReads

_LOGGER = logging.getLogger(__name__)

# The key of the account's identity (Account.identity): the box it is known by.
ACCOUNT_BOX = "account_box"


class ThorCloud(ChargerCloudClient):
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
        # Per connector: the running transaction, its energy and power (reads and pushes).
        self._live = ThorLive()
        # Today's finished charges are read at start and whenever a charge has ended.
        self._today_due = True
        self._reads = ThorOptionalReads(self.thor, self.history, self._keep_state)
        # The newest finished charge per connector; the history changes only in a poll's
        # third request, so this is worked out once after it (not per connector shown).
        self._finished = self.history.newest_finished()
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
        self._finished = self.history.newest_finished()
        self._devices = {box.id: self._charger(box, now) for box in boxes}
        return list(self._devices.values())

    def _take_running(self, running: list[ThorCharge], now: datetime) -> None:
        """The running charges by connector, into the live state (power from energy rises)."""
        current: dict[str, ThorCharge] = {}
        for charge in running:
            if charge.chargebox is None or charge.connector is None:
                continue
            current[connector_key(charge.chargebox, charge.connector)] = charge
        limits = {
            connector_key(box.id, c.number): max_power_w(c.rated_power_w)
            for box in self._boxes.values()
            for c in box.connectors
        }
        finished = {key: newest[0] for key, newest in self._finished.items()}
        ended = self._live.take_read(limits, current, finished, now)
        # A charge ended (also one followed by another on its connector since the last
        # read): count it in the lifetime total.
        if ended or {c.id for c in self._running.values()} - {c.id for c in current.values()}:
            self._today_due = True
        for key in set(self._id_tags) - set(current):
            if key in self._running:  # only forget the tags of charges seen ending
                self._forget_tag(key)
        self._running = current

    async def _read_one_more(self, now: datetime) -> None:
        """The third request of a poll, when one is due (thor_reads.py)."""
        reservable = any(box.reservable for box in self._boxes.values())
        self._today_due = await self._reads.async_read(now, self._today_due, reservable=reservable)

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
            "reserved": sorted(self._reads.reservations),
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
        session = self._live.running(key)
        status = self._status(box, key, session is not None, now)
        energy_wh = self._last_session_wh(key) if session is None else session.energy_wh
        # Total energy is unknown (None) until the history reaches back to the
        # account's first charge and today's finished charges are read (after that,
        # while they are due, the value shown last): a partial sum would count as
        # energy delivered.
        running_wh = None if session is None else session.read_wh
        lifetime = self._reads.lifetime_kwh(key, running_wh, self._today_due)
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
            charging_power=self._live.power_w(key, now),
            session_energy=None if energy_wh is None else energy_wh / 1000,
            total_energy=lifetime,
            session_started=None if session is None else session.started,
            charging=None if session is None else True,
            rated_power=connector.rated_power_w,
            max_current=None if connector.max_amperage is None else float(connector.max_amperage),
            features=frozenset(features),
        )

    def _last_session_wh(self, key: str) -> float | None:
        """The energy of the connector's last charge: its own, or None (never another's).

        A charge seen ending since start-up shows its finished energy once read, else the
        last energy known of it. The newest finished charge read counts instead when it
        is newer (Thor numbers transactions progressively). Without either, the history's
        last charge is shown only once every day up to today is read: while the back-fill
        runs, the charges it has are older than those of the days not read yet.
        """
        ended = self._live.ended(key)
        newest = self._finished.get(key)
        if ended is not None:
            if newest is not None and newest[0] > ended.transaction_id:
                return newest[1]
            if newest is not None and newest[0] == ended.transaction_id:
                # Never below what was shown of it (a total_increasing sensor).
                return max(newest[1], ended.energy_wh or 0.0)
            return ended.energy_wh
        if not self.history.complete or self._today_due:
            return None
        return newest[1] if newest is not None else self.history.last_charge_wh.get(key)

    def _status(self, box: ThorChargebox, key: str, charging: bool, now: datetime) -> ChargerStatus:
        if box.connected is None:
            return ChargerStatus.UNKNOWN
        if not box.connected:
            return ChargerStatus.DISCONNECTED
        if charging:
            return ChargerStatus.CHARGING
        if self._reads.reserved(key, now):
            return ChargerStatus.RESERVED
        return ChargerStatus.READY

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
        """A posted notification: parsed, then shown (None: nothing new to show).

        Raises UnexpectedResponseError for a body that is no notification, and
        DeviceGoneError for one about a connector this account lacks.
        """
        notice = parse_notification(decode_notification(body))
        return None if notice is None else self.apply_notification(notice)

    def apply_notification(self, notice: ThorNotice, now: datetime | None = None) -> Charger | None:
        """Show a notification at once, if thor_live.py believes it (None: nothing shown)."""
        box = self._boxes.get(notice.chargebox)
        connector = None if box is None else box.connector(notice.connector)
        if box is None or connector is None or notice.chargebox not in self._devices:
            raise DeviceGoneError("The notification is about no connector of this account")
        now = now or datetime.now(UTC)
        key = connector_key(box.id, connector.number)
        limit = max_power_w(connector.rated_power_w)
        if isinstance(notice, ThorStartNotice):
            replaced = self._live.running(key) is not None
            shown = self._live.start(key, notice, now)
            self._today_due |= shown and replaced  # the one before has ended
        elif isinstance(notice, ThorStopNotice):
            result = self._live.stop(key, notice, now, limit)
            shown = result is StopResult.ENDED
            # The ended charge goes into the lifetime total, also one started and ended
            # between two reads (its start notice lost): today's finished charges are read.
            self._today_due |= result is not StopResult.IGNORED
        elif isinstance(notice, ThorMeterNotice):
            shown = self._live.meters(key, notice, now, limit)
        else:  # msg "stop": an unlock or a refused remote stop, not the end of a charge
            shown = False
        if not shown:
            return None
        updated = self._charger(box, now)
        self._devices[box.id] = updated
        return updated


# --- helpers ------------------------------------------------------------------------


def account_id(chargebox_id: str) -> str:
    """A stable id for the account: a digest of one of its chargebox ids (never the key)."""
    return hashlib.sha256(f"thor/{chargebox_id}".encode()).hexdigest()[:20]


def _address(target: Target) -> tuple[str, int, str]:
    if target.connector_id is None or not target.connector_id.isdigit():
        raise CommandRejectedError("A Thor charge is started on a connector")
    number = int(target.connector_id)
    return target.device_id, number, connector_key(target.device_id, number)


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
