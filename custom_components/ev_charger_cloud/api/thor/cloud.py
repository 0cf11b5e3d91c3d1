"""Thor as a ChargerCloudClient: OCPP chargeboxes and their connectors in the neutral model.

Thor's quirks stay here. A poll reads the whole account in at most three
requests, however many chargeboxes it has (``PollPlan.read_all``):

1. ``GET /chargeboxes?onlyactive=false``: boxes, connectors, ``connected``;
2. ``GET /charges/running``: the occupied connectors and their session energy;
3. when one is due: a window of the history, the finished charges not counted
   yet, or the reservations (reads.py). These are optional: one that fails
   backs off without failing the poll.

What a read shows of each box and connector (status, energies, features) is
worked out by chargers.py; the HTTP requests and Thor's refusals are client.py's
and refusals.py's.

Thor has no live power in its REST API. Power is the session energy's rise
between two reads over their time difference, or what a meter-value
notification brings (``Power.Active.Import``, or a register to derive it from).
Reads and notifications meet in live.py, which also judges every notice.

Commands are only sent: a 200 does not mean the box did it. The requested
state is shown at once, unconfirmed, and read again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
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
    Device,
    DeviceKind,
    DeviceRef,
    PollPlan,
    Provider,
    Target,
)
from ..parse import as_float
from .chargers import ThorChargers, charger_name
from .client import KEY_REFUSAL_GRACE, ThorClient
from .history import ThorEnergyHistory, connector_key
from .live import StopResult, ThorLive, max_power_w
from .models import ThorCharge, ThorChargebox
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
    poll_plan: ClassVar[PollPlan] = PollPlan.reading_all(
        timedelta(minutes=1), min_spacing=timedelta(seconds=20)
    )

    def __init__(
        self,
        session: aiohttp.ClientSession,
        api_key: str,
        *,
        account_box: str | None = None,
        history: ThorEnergyHistory | None = None,
        id_tags: dict[str, str] | None = None,
        key_refused_since: float | None = None,
        on_state: Callable[[dict[str, Any]], None] | None = None,
        base_url: str | None = None,
        timeout: float | None = None,
    ) -> None:
        """Set up the account from what its entry keeps, on ThorClient's ``base_url``.

        ``account_box`` is the chargebox the account was first known by (see
        async_authenticate). ``history``, ``id_tags`` and ``key_refused_since`` come
        back from the entry; ``on_state`` is called with them as plain data whenever
        they change, to keep them there.
        """
        # A refused key is wrong only after KEY_REFUSAL_GRACE of refusals (client.py).
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
        self._chargers = ThorChargers(self._live, self._reads, self.history)
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
            DeviceRef(device_id=box.id, name=charger_name(box), kind=DeviceKind.CHARGER)
            for box in boxes
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
        self._chargers.history_read()
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
        finished = {key: newest[0] for key, newest in self._chargers.finished.items()}
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
        """The third request of a poll, when one is due (reads.py)."""
        reservable = any(box.reservable for box in self._boxes.values())
        self._today_due = await self._reads.async_read(now, self._today_due, reservable=reservable)

    @classmethod
    def resumed(
        cls,
        session: aiohttp.ClientSession,
        api_key: str,
        kept: Mapping[str, Any] | None,
        **settings: Any,
    ) -> ThorCloud:
        """Continue from what ``on_state`` handed out before (stored data: checked, not trusted)."""
        kept = kept if isinstance(kept, Mapping) else {}
        history, tags = kept.get("history"), kept.get("id_tags")
        return cls(
            session,
            api_key,
            history=ThorEnergyHistory.from_dict(history) if isinstance(history, Mapping) else None,
            id_tags=dict(tags) if isinstance(tags, Mapping) else None,
            key_refused_since=as_float(kept.get("key_refused_since")),
            **settings,
        )

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

    def _charger(self, box: ThorChargebox, now: datetime) -> Charger:
        return self._chargers.charger(box, now, today_due=self._today_due)

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
        """Show a notification at once, if live.py believes it (None: nothing shown)."""
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


def _plain(box: ThorChargebox) -> dict[str, Any]:
    data = dataclasses.asdict(box)
    data.pop("coordinates", None)
    data["last_heartbeat"] = None if box.last_heartbeat is None else box.last_heartbeat.isoformat()
    return data
