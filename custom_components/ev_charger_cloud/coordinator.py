"""One coordinator per cloud account, polling its devices within the account's budget."""

from __future__ import annotations

from collections import deque
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

# While the cloud refuses the account's API until a dashboard setting changes, look
# again this often: the repair issue tells the user, and it clears by itself.
SERVICE_DISABLED_INTERVAL = timedelta(minutes=10)

# Give the cloud a moment to apply a command before reading the result.
FOLLOWUP_MIN_DELAY = 5.0


@dataclass(slots=True)
class RuntimeData:
    """What a loaded entry keeps in ``entry.runtime_data``."""

    client: ChargerCloudClient
    coordinator: ChargerCloudCoordinator


type EVChargerCloudConfigEntry = ConfigEntry[RuntimeData]


class ChargerCloudCoordinator(DataUpdateCoordinator[dict[str, Device]]):
    """Reads the devices of one account, a few per poll, round robin, or all at once.

    The provider's poll plan says how many devices one poll may read and how
    close two polls may be; refreshes asked for after commands and by the user
    are held to the same spacing, so nothing here can burst past the budget.
    A plan with ``read_all`` reads the whole account in one client call per
    poll; that answer is also the discovery.
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
        self._rotation: deque[str] = deque(self._device_ids)
        self._priority: list[str] = []
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
        self._pace(data)
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
        if self.plan.read_all:
            return await self._poll_all(now)
        if not self._started:
            # First refresh: read what the budget allows at once, the rest at later polls.
            if not self._device_ids:
                await self._discover(now)
            self._last_poll = now
            first = self._device_ids[: self.plan.first_poll_reads]
            self._priority = [cid for cid in self._device_ids if cid not in first]
            data = await self._read(first, {}, keep_partial=True)
            self._started = True
            return data

        if now - self._last_poll < self.plan.min_spacing.total_seconds():
            # Too soon after the last poll for the account's budget: keep what we have.
            return self.data
        self._last_poll = now
        data = dict(self.data)
        budget = self.plan.devices_per_poll or max(1, len(self._device_ids))
        # Devices waiting to be read (after a command or a start) go before discovery,
        # unless a device answered "not found": its fate is looked up at once.
        if self._unconfirmed or (self._discovery_due(now) and not self._priority):
            await self._discover(now)
            budget = max(0, budget - 1) if self.plan.devices_per_poll else budget
            data = {cid: c for cid, c in data.items() if cid in self._device_ids}
        return await self._read(self._next_devices(budget), data)

    async def _poll_all(self, now: float) -> dict[str, Device]:
        """Read every device in one go; the answer replaces the data and is the discovery.

        Devices that are no longer listed drop out of the data (their entities
        become unavailable); new ones get their entities at once.
        """
        if self._started and now - self._last_poll < self.plan.min_spacing.total_seconds():
            return self.data
        self._last_poll = now
        devices = await self.client.async_read_all()
        self._started = True
        self._last_discovery = now
        self._priority.clear()  # a follow-up after a command is served by this read
        found = [device.device_id for device in devices]
        changed = set(found) != set(self._device_ids)
        self._device_ids = found
        if changed:
            self._on_discovered(found)
        return {device.device_id: device for device in devices}

    async def _read(
        self, device_ids: Iterable[str], data: dict[str, Device], *, keep_partial: bool = False
    ) -> dict[str, Device]:
        pending = list(device_ids)
        for device_id in pending:
            try:
                data[device_id] = await self.client.async_get_device(device_id)
            except RateLimitedError:
                if not (keep_partial and data):
                    raise
                # Start with what we have; the others follow at the next polls.
                rest = pending[pending.index(device_id) :]
                LOGGER.debug("Rate limited at start, reading %s devices later", len(rest))
                self._priority[:0] = rest
                break
            except ChargerNotFoundError:
                # One 404 can be a glitch of the cloud: keep the last reading (the
                # entities stay available) until discovery confirms the device is gone.
                LOGGER.info("A device was not found, looking it up at the next poll")
                self._unconfirmed.add(device_id)
                self._last_discovery = None
        return data

    def _discovery_due(self, now: float) -> bool:
        return (
            self._last_discovery is None
            or now - self._last_discovery >= self.plan.rediscover_every.total_seconds()
        )

    async def _discover(self, now: float) -> None:
        found = [ref.device_id for ref in await self.client.async_discover()]
        self._last_discovery = now
        self._unconfirmed.clear()
        if found == self._device_ids:
            return
        new = [cid for cid in found if cid not in self._device_ids]
        self._device_ids = found
        self._rotation = deque(cid for cid in self._rotation if cid in found)
        self._rotation.extend(new)
        self._priority = [cid for cid in self._priority if cid in found]
        self._priority.extend(cid for cid in new if cid not in self._priority)
        self._on_discovered(found)

    def _next_devices(self, count: int) -> list[str]:
        """The devices to read now: those a command touched first, then round robin."""
        chosen: list[str] = []
        while self._priority and len(chosen) < count:
            chosen.append(self._priority.pop(0))
        for _ in range(len(self._rotation)):
            if len(chosen) >= count:
                break
            device_id = self._rotation[0]
            self._rotation.rotate(-1)
            if device_id not in chosen:
                chosen.append(device_id)
        return chosen

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
        """Show a command's answer; read the device again once the budget allows if needed."""
        device_id = target.device_id
        if result is not None:
            self.async_set_updated_data({**self.data, device_id: result})
            if result.confirmed:
                return
        if device_id not in self._priority:
            self._priority.append(device_id)
        if self._unsub_followup is not None:
            return
        earliest = self._last_poll + self.plan.min_spacing.total_seconds()
        delay = max(FOLLOWUP_MIN_DELAY, earliest - time.monotonic())
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
