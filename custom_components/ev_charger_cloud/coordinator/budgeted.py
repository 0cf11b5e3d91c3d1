"""Polling device by device, the most urgent first, within a learned read budget (Wallbox).

The plan says how many devices a regular poll reads and how close two
regular polls may be; the model of the cloud's read allowance (ReadBudget)
decides what more a poll may read: devices a command touched, new or missed
ones, idle ones overdue. Refreshes asked for after commands and by the user
go through the same, so nothing here bursts past the budget. Discovery (a
listing of the account) runs hourly and at once after a device answered
"not found", which may be a glitch of the cloud: its last reading stays
until the listing confirms that it is gone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import timedelta
import math
from typing import Unpack

from custom_components.ev_charger_cloud.api import (
    ChargerCloudClient,
    ChargerNotFoundError,
    Device,
    RateLimitedError,
)
from custom_components.ev_charger_cloud.const import LOGGER

from .read_budget import ReadBudget
from .strategy import FOLLOWUP_MIN_DELAY, PollingStrategy, StrategyOptions

# A device a command touched is read like a busy one for this long (seconds).
BUSY_AFTER_COMMAND = 600.0


class BudgetedPolling(PollingStrategy):
    """Reads the devices that need it most, spending reads from the learned budget."""

    def __init__(self, client: ChargerCloudClient, **options: Unpack[StrategyOptions]) -> None:
        """Start with a full budget; the devices found before are read first."""
        super().__init__(client, **options)
        # Devices to read as soon as the budget allows: new, or missed in an outage.
        self._catch_up: set[str] = set()
        self._read_at: dict[str, float] = {}
        # Consecutive "not found" answers per device.
        self._not_found: dict[str, int] = {}
        self._budget = ReadBudget(
            self.plan.cloud_reads_per_minute, self.plan.burst, self.plan.burst_max
        )
        # Devices a read answered "not found" for: discovery decides whether they are gone.
        self._unconfirmed: set[str] = set()
        self._last_discovery: float | None = None

    @property
    def read_burst(self) -> int:
        """How many reads the cloud is known to take at once (learned)."""
        return self._budget.burst

    async def poll(self) -> dict[str, Device]:
        """Read the devices that need it most; after a failure, all of them again soon."""
        try:
            return await self._poll(self._clock())
        except Exception:
            # After a failed poll, every device is read again as soon as the budget allows.
            self._catch_up.update(self._device_ids)
            raise

    async def _poll(self, now: float) -> dict[str, Device]:
        """A regular poll (at most one per ``min_spacing``) reads the most urgent device(s).

        Any poll also reads urgent devices (a command touched them, they were
        never read, or missed reads in an outage) while the budget has tokens,
        which lets a confirming read follow a command at once.
        """
        if not self._started:
            if self._device_ids:
                # The config flow (or the last run) has just listed them.
                self._last_discovery = now
            else:
                await self._discover(now)
            self.last_poll = now
            self._catch_up.update(self._device_ids)
            data = await self._read(self._choose(now, regular=True), {}, keep_partial=True)
            self._started = True
            return data

        regular = now - self.last_poll >= self.plan.min_spacing.total_seconds()
        answers = self._answers
        data = dict(self._shown() or {})
        if regular:
            self.last_poll = now
            # Whether a device is gone is looked up at once; new ones show within the hour.
            due = self._unconfirmed or (self._discovery_due(now) and not self._priority)
            if due and self._budget.can_read(now):
                # Besides the regular read when the budget has room, else instead of it.
                await self._discover(now)
                data = {cid: c for cid, c in data.items() if cid in self._device_ids}
        data = await self._read(self._choose(now, regular=regular), data)
        for device_id in self._answered_since(answers, data):
            # A command was answered during this poll: its answer is newer than our copy.
            data[device_id] = self._shown_device(device_id)
        return data

    def next_interval(self, data: Mapping[str, Device]) -> timedelta:
        """The regular interval, or once the budget has a read for what waits."""
        now = self._clock()
        interval = self.plan.interval.total_seconds()
        if self._priority or self._catch_up:
            wait = 0.0 if self._budget.may_probe(now) else self._budget.wait(now)
            interval = min(interval, max(FOLLOWUP_MIN_DELAY, wait))
        elif not self._budget.can_read(now + interval):
            interval = self._budget.wait(now)
        return timedelta(seconds=interval)

    def followup_delay(self) -> float:
        """No sooner than the budget has a read."""
        return max(FOLLOWUP_MIN_DELAY, self._budget.wait(self._clock()))

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
        shown = self._shown()
        device = shown.get(device_id) if shown else None
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

    async def _read(
        self, device_ids: Iterable[str], data: dict[str, Device], *, keep_partial: bool = False
    ) -> dict[str, Device]:
        pending = list(device_ids)
        probed = False
        for index, device_id in enumerate(pending):
            now = self._clock()
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
                self._budget.note_refused(self._clock(), err.retry_after, probe=probe)
                if probe or (keep_partial and data):
                    # Start (or go on) with what we have; the others follow at the next polls.
                    LOGGER.debug("Rate limited, reading %s devices later", len(pending) - index)
                    break
                raise
            except ChargerNotFoundError:
                self._not_found_answer(device_id, now, data)
                continue
            self._not_found.pop(device_id, None)
            self._budget.note_read(self._clock())
            self._read_at[device_id] = now
            self._catch_up.discard(device_id)
            if self._answered_since(answers, (device_id,)):
                continue  # a command was answered meanwhile: keep its answer, read again
            self._drop_priority(device_id)
            data[device_id] = device
        return data

    def _not_found_answer(self, device_id: str, now: float, data: dict[str, Device]) -> None:
        """Look a device up in the listing at its first 404; at the next, it is unavailable."""
        self._budget.note_read(self._clock())
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
            self._budget.note_refused(self._clock(), err.retry_after, probe=False)
            raise
        self._budget.note_read(self._clock())
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
