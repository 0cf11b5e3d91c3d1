"""One coordinator per cloud account, polling its devices within the account's budget."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
import math
import time
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.event import async_call_later
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed

from .api import (
    AuthenticationError,
    ChargerCloudClient,
    ChargerCloudError,
    ChargerNotFoundError,
    CloudConnectionError,
    Device,
    RateLimitedError,
    ServiceDisabledError,
    Target,
)
from .api.http import MAX_RETRY_AFTER
from .const import DOMAIN, LOGGER
from .issues import async_service_disabled, async_service_enabled
from .read_budget import ReadBudget

# While the cloud refuses the account's API until a dashboard setting changes, look
# again this often: the repair issue tells the user, and it clears by itself.
SERVICE_DISABLED_INTERVAL = timedelta(minutes=10)

# Give the cloud a moment to apply a command before reading the result.
FOLLOWUP_MIN_DELAY = 5.0
# A device a command touched is read like a busy one for this long (seconds).
BUSY_AFTER_COMMAND = 600.0


@dataclass(slots=True)
class RuntimeData:
    """What a loaded entry keeps in ``entry.runtime_data``."""

    client: ChargerCloudClient
    coordinator: ChargerCloudCoordinator


type EVChargerCloudConfigEntry = ConfigEntry[RuntimeData]


class ChargerCloudCoordinator(DataUpdateCoordinator[dict[str, Device]]):
    """Reads the devices of one account, the most urgent first, or all at once.

    The provider's poll plan says how many devices a regular poll reads and how
    close two regular polls may be; a model of the cloud's read allowance
    (ReadBudget) decides what more a poll may read: devices a command touched,
    new or missed ones, idle ones overdue. Refreshes asked for after commands
    and by the user go through the same, so nothing here bursts past the
    budget. A plan with ``read_all`` reads the whole account in one client call
    per poll; that answer is also the discovery.
    """

    config_entry: EVChargerCloudConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: EVChargerCloudConfigEntry,
        client: ChargerCloudClient,
        *,
        known_ids: Iterable[str] = (),
        on_discovered: Callable[[list[str]], None],
    ) -> None:
        """Start from the device ids found before, if any."""
        self.client = client
        self.plan = client.poll_plan
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=f"{DOMAIN} {client.provider} {entry.entry_id}",
            update_interval=self.plan.interval,
            always_update=False,
        )
        self._device_ids: list[str] = list(known_ids)
        # Devices a command touched, to read first (in order).
        self._priority: list[str] = []
        # Devices to read as soon as the budget allows: new, or missed in an outage.
        self._catch_up: set[str] = set()
        self._read_at: dict[str, float] = {}
        # Consecutive "not found" answers per device.
        self._not_found: dict[str, int] = {}
        # Commands answered so far, and per device the number and time of its last
        # answer: a read that started before it is older than the answer.
        self._answers = 0
        self._answered: dict[str, tuple[int, float]] = {}
        self._budget = ReadBudget(
            self.plan.cloud_reads_per_minute, self.plan.burst, self.plan.burst_max
        )
        # Devices a read answered "not found" for: discovery decides whether they are gone.
        self._unconfirmed: set[str] = set()
        self._on_discovered = on_discovered
        self._last_poll = -math.inf
        self._last_discovery: float | None = None
        self._unsub_followup: CALLBACK_TYPE | None = None
        self._started = False
        self._settling_since: float | None = None
        # True at first, so the first answer also clears an issue left from before a restart.
        self._service_disabled = True

    @property
    def read_burst(self) -> int:
        """How many reads the cloud is known to take at once (learned)."""
        return self._budget.burst

    @property
    def device_ids(self) -> list[str]:
        """The devices of the account as last discovered."""
        return list(self._device_ids)

    async def _async_update_data(self) -> dict[str, Device]:
        try:
            data = await self._poll()
        except AuthenticationError as err:
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN, translation_key="authentication_error"
            ) from err
        except ServiceDisabledError as err:
            self._service_disabled = True
            async_service_disabled(self.hass, self.config_entry, err.reason)
            self.update_interval = SERVICE_DISABLED_INTERVAL
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key=err.reason.value,
                translation_placeholders={"account": self.config_entry.title},
            ) from err
        except RateLimitedError as err:
            wait = err.retry_after or 2 * self.plan.interval.total_seconds()
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="rate_limited",
                retry_after=min(wait, MAX_RETRY_AFTER),
            ) from err
        except CloudConnectionError as err:
            # A 503's Retry-After: wait that long (at most the clamp), never less than a poll.
            retry_after = None
            if err.retry_after:
                regular = self.update_interval.total_seconds() if self.update_interval else 0.0
                retry_after = min(max(err.retry_after, regular), MAX_RETRY_AFTER)
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="communication_error",
                translation_placeholders={"error": str(err)},
                retry_after=retry_after,
            ) from err
        except ChargerCloudError as err:
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="communication_error",
                translation_placeholders={"error": str(err)},
            ) from err
        if self._service_disabled:
            self._service_disabled = False
            async_service_enabled(self.hass, self.config_entry.entry_id)
            self.update_interval = self.plan.interval
        if self.plan.read_all:
            self._pace(data)
        else:
            self._plan_next(time.monotonic())
        return data

    def _pace(self, data: dict[str, Device]) -> None:
        """Poll sooner while a device is about to change by itself, for a bounded time."""
        settle = self.plan.settle_interval
        if settle is None:
            return
        now = time.monotonic()
        if not any(device.settling for device in data.values()):
            self._settling_since = None
        elif self._settling_since is None:
            self._settling_since = now
        fast = (
            self._settling_since is not None
            and now - self._settling_since < self.plan.settle_for.total_seconds()
        )
        self.update_interval = settle if fast else self.plan.interval

    async def _poll(self) -> dict[str, Device]:
        now = time.monotonic()
        try:
            if self.plan.read_all:
                return await self._poll_all(now)
            return await self._poll_devices(now)
        except Exception:
            # After a failed poll, every device is read again as soon as the budget allows.
            self._catch_up.update(self._device_ids)
            raise

    async def _poll_devices(self, now: float) -> dict[str, Device]:
        """Read the devices that need it most, within the cloud's read budget.

        A regular poll (at most one per ``min_spacing``) reads the most urgent
        device(s); any poll also reads urgent devices (a command touched them,
        they were never read, or missed reads in an outage) while the budget has
        tokens, which lets a confirming read follow a command at once.
        """
        if not self._started:
            if self._device_ids:
                # The config flow (or the last run) has just listed them.
                self._last_discovery = now
            else:
                await self._discover(now)
            self._last_poll = now
            self._catch_up.update(self._device_ids)
            data = await self._read(self._choose(now, regular=True), {}, keep_partial=True)
            self._started = True
            return data

        regular = now - self._last_poll >= self.plan.min_spacing.total_seconds()
        answers = self._answers
        data = dict(self.data)
        if regular:
            self._last_poll = now
            # Whether a device is gone is looked up at once; new ones show within the hour.
            due = self._unconfirmed or (self._discovery_due(now) and not self._priority)
            if due and self._budget.can_read(now):
                # Besides the regular read when the budget has room, else instead of it.
                await self._discover(now)
                data = {cid: c for cid, c in data.items() if cid in self._device_ids}
        data = await self._read(self._choose(now, regular=regular), data)
        for device_id in self._answered_since(answers, data):
            # A command was answered during this poll: its answer is newer than our copy.
            data[device_id] = self.data[device_id]
        return data

    def _choose(self, now: float, *, regular: bool) -> list[str]:
        """The devices to read now, most urgent first (the budget may stop it early).

        A regular poll reads the top-ranked device; any poll adds the urgent ones.
        """
        ranked = sorted(self._device_ids, key=lambda cid: self._rank(cid, now), reverse=True)
        if self.plan.devices_per_poll is None:
            return ranked if regular else [cid for cid in ranked if self._urgent(cid, now)]
        chosen = ranked[: self.plan.devices_per_poll] if regular else []
        chosen += [cid for cid in ranked if cid not in chosen and self._urgent(cid, now)]
        return chosen

    def _pressing(self, device_id: str) -> bool:
        """A command touched it, it was never read, or its reads were missed."""
        return device_id in self._priority or device_id in self._catch_up

    def _overdue(self, device_id: str, now: float) -> bool:
        return now - self._read_at.get(device_id, -math.inf) >= self._staleness_bound()

    def _urgent(self, device_id: str, now: float) -> bool:
        """Read now if the budget allows: pressing, or unread for longer than the bound."""
        return self._pressing(device_id) or self._overdue(device_id, now)

    def _rank(self, device_id: str, now: float) -> tuple[bool, bool, bool, bool, float]:
        """Commanded, then never read or missed, then busy, then overdue, then longest unread.

        A busy device (charging, updating, or commanded lately) keeps the regular
        slot; an idle one that is overdue comes along if the budget has room.
        """
        staleness = now - self._read_at.get(device_id, -math.inf)
        device = self.data.get(device_id) if self.data else None
        commanded = now - self._answered.get(device_id, (0, -math.inf))[1] < BUSY_AFTER_COMMAND
        busy = commanded or (device is not None and device.busy)
        return (
            device_id in self._priority,
            device_id in self._catch_up,
            busy,
            self._overdue(device_id, now),
            staleness,
        )

    def _staleness_bound(self) -> float:
        """No device goes unread for longer (more devices than fit in it stretch it)."""
        per_poll = self.plan.devices_per_poll or len(self._device_ids) or 1
        rounds = math.ceil(len(self._device_ids) / per_poll)
        return max(
            self.plan.idle_staleness.total_seconds(),
            1.5 * rounds * self.plan.interval.total_seconds(),
        )

    def _plan_next(self, now: float) -> None:
        """Poll again at the regular interval, or once the budget has a read for what waits."""
        interval = self.plan.interval.total_seconds()
        if self._priority or self._catch_up:
            wait = 0.0 if self._budget.may_probe(now) else self._budget.wait(now)
            interval = min(interval, max(FOLLOWUP_MIN_DELAY, wait))
        elif not self._budget.can_read(now + interval):
            interval = self._budget.wait(now)
        self.update_interval = timedelta(seconds=interval)

    async def _poll_all(self, now: float) -> dict[str, Device]:
        """Read every device in one go; the answer replaces the data and is the discovery.

        Devices that are no longer listed drop out of the data (their entities
        become unavailable); new ones get their entities at once.
        """
        if self._started and now - self._last_poll < self.plan.min_spacing.total_seconds():
            return self.data
        self._last_poll = now
        answers = self._answers
        devices = await self.client.async_read_all()
        self._started = True
        self._last_discovery = now
        self._priority.clear()  # a follow-up after a command is served by this read
        found = [device.device_id for device in devices]
        changed = set(found) != set(self._device_ids)
        self._device_ids = found
        if changed:
            self._on_discovered(found)
        fresh = {device.device_id: device for device in devices}
        for device_id in self._answered_since(answers, fresh):
            # A command was answered while this read was under way: its answer is newer.
            fresh[device_id] = self.data[device_id]
            self._priority.append(device_id)
        return fresh

    def _answered_since(self, answers: int, devices: Iterable[str]) -> list[str]:
        """Devices a command was answered for after the first ``answers`` (a read then is older)."""
        return [
            cid
            for cid in devices
            if self._answered.get(cid, (0, 0.0))[0] > answers
            and self.data is not None
            and cid in self.data
        ]

    async def _read(
        self, device_ids: Iterable[str], data: dict[str, Device], *, keep_partial: bool = False
    ) -> dict[str, Device]:
        pending = list(device_ids)
        probed = False
        for index, device_id in enumerate(pending):
            now = time.monotonic()
            probe = False
            # An extra read that is only overdue leaves a read for a command's confirmation.
            reserve = 1.0 if index > 0 and not self._pressing(device_id) else 0.0
            if self._budget.tokens(now) < 1.0 + reserve:
                # Beyond what the cloud is known to take: one read a poll may probe for more.
                probe = (
                    self._started
                    and not probed
                    and self._pressing(device_id)
                    and self._budget.may_probe(now)
                )
                probed = probed or probe
                if not probe:
                    LOGGER.debug("Read budget spent, %s devices wait", len(pending) - index)
                    break
            answers = self._answers
            try:
                device = await self.client.async_get_device(device_id)
            except RateLimitedError as err:
                self._budget.note_refused(time.monotonic(), err.retry_after, probe=probe)
                if probe or (keep_partial and data):
                    # Start (or go on) with what we have; the others follow at the next polls.
                    LOGGER.debug("Rate limited, reading %s devices later", len(pending) - index)
                    break
                raise
            except ChargerNotFoundError:
                self._budget.note_read(time.monotonic())
                self._read_at[device_id] = now
                self._catch_up.discard(device_id)
                self._drop_priority(device_id)
                self._not_found[device_id] = self._not_found.get(device_id, 0) + 1
                if self._not_found[device_id] == 1:
                    # One 404 can be a glitch of the cloud: keep the last reading (the
                    # entities stay available) until discovery confirms the device is gone.
                    LOGGER.info("A device was not found, looking it up at the next poll")
                    self._unconfirmed.add(device_id)
                    self._last_discovery = None
                else:
                    # Listed but unreadable again: unavailable, and tried only as often
                    # as an idle device, so it cannot eat the account's budget.
                    LOGGER.info("A listed device is still not found, trying it less often")
                    data.pop(device_id, None)
                continue
            self._not_found.pop(device_id, None)
            self._budget.note_read(time.monotonic())
            self._read_at[device_id] = now
            self._catch_up.discard(device_id)
            if self._answered_since(answers, (device_id,)):
                continue  # a command was answered meanwhile: keep its answer, read again
            self._drop_priority(device_id)
            data[device_id] = device
        return data

    def _drop_priority(self, device_id: str) -> None:
        if device_id in self._priority:
            self._priority.remove(device_id)

    def _discovery_due(self, now: float) -> bool:
        return (
            self._last_discovery is None
            or now - self._last_discovery >= self.plan.rediscover_every.total_seconds()
        )

    async def _discover(self, now: float) -> None:
        try:
            refs = await self.client.async_discover()
        except RateLimitedError as err:
            self._budget.note_refused(time.monotonic(), err.retry_after, probe=False)
            raise
        self._budget.note_read(time.monotonic())
        found = [ref.device_id for ref in refs]
        self._last_discovery = now
        # A device that answered "not found" but is still listed is read again at once.
        self._catch_up.update(cid for cid in self._unconfirmed if cid in found)
        self._unconfirmed.clear()
        if found == self._device_ids:
            return
        new = [cid for cid in found if cid not in self._device_ids]
        self._device_ids = found
        self._priority = [cid for cid in self._priority if cid in found]
        self._catch_up.update(new)  # read new devices as soon as the budget allows
        self._on_discovered(found)

    @callback
    def async_show_pushed(self, device: Device) -> None:
        """Show a reading the cloud pushed, at once; the polls keep their schedule.

        (``async_set_updated_data`` would postpone the next poll, and frequent
        notifications would then stop the polling that is the safety net.)
        """
        if self.data is None or device.device_id not in self.data:
            return
        self.data = {**self.data, device.device_id: device}
        self.async_update_listeners()

    @callback
    def async_command_done(self, target: Target, result: Device | None) -> None:
        """Show a command's answer at once; read the device again as soon as the budget allows.

        The answer stays until a read that started after it confirms or contradicts it.
        """
        device_id = target.device_id
        self._answers += 1
        self._answered[device_id] = (self._answers, time.monotonic())
        if result is not None:
            self.async_set_updated_data({**self.data, device_id: result})
            if result.confirmed:
                return
        if device_id not in self._priority:
            self._priority.append(device_id)
        if self._unsub_followup is not None:
            return
        wait = self._budget.wait(time.monotonic())
        if self.plan.read_all:
            earliest = self._last_poll + self.plan.min_spacing.total_seconds()
            wait = max(wait, earliest - time.monotonic())
        delay = max(FOLLOWUP_MIN_DELAY, wait)
        self._unsub_followup = async_call_later(self.hass, delay, self._async_followup)

    async def _async_followup(self, _now: Any) -> None:
        self._unsub_followup = None
        if self._priority:  # else a regular poll got there first
            await self.async_refresh()

    def _cancel_followup(self) -> None:
        if self._unsub_followup is not None:
            self._unsub_followup()
            self._unsub_followup = None

    async def async_shutdown(self) -> None:
        """Drop a pending follow-up read with the entry."""
        self._cancel_followup()
        await super().async_shutdown()
