"""Polling by one read of the whole account (Podero, Thor): the answer is also the discovery.

Each poll, and each follow-up after a command, is one ``async_read_all``
call, at most one per ``min_spacing``. Devices that are no longer listed drop
out of the data (their entities become unavailable); new ones get their
entities at once. While a device is settling (about to change by itself),
polls come every ``settle_interval`` instead, for ``settle_for`` at most.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from custom_components.ev_charger_cloud.api import Device

from .strategy import FOLLOWUP_MIN_DELAY, PollingStrategy


class ReadAllPolling(PollingStrategy):
    """Reads every device of the account in one client call per poll."""

    _settling_since: float | None = None

    async def poll(self) -> dict[str, Device]:
        """Read every device in one go, unless the last read is closer than ``min_spacing``."""
        now = self._clock()
        shown = self._shown()
        if self._started and shown is not None and not self._spaced(now):
            return dict(shown)
        self.last_poll = now
        answers = self._answers
        devices = await self.client.async_read_all()
        self._started = True
        self._priority.clear()  # a follow-up after a command is served by this read
        found = [device.device_id for device in devices]
        changed = set(found) != set(self._device_ids)
        self._device_ids = found
        if changed:
            self._on_discovered(found)
        fresh = {device.device_id: device for device in devices}
        for device_id in self._answered_since(answers, fresh):
            # A command was answered while this read was under way: its answer is newer.
            fresh[device_id] = self._shown_device(device_id)
            self._priority.append(device_id)
        return fresh

    def next_interval(self, data: Mapping[str, Device]) -> timedelta:
        """The regular interval, or the settle interval while a device settles (bounded)."""
        settle = self.plan.settle_interval
        if settle is None:
            return self.plan.interval
        now = self._clock()
        if not any(device.settling for device in data.values()):
            self._settling_since = None
        elif self._settling_since is None:
            self._settling_since = now
        fast = (
            self._settling_since is not None
            and now - self._settling_since < self.plan.settle_for.total_seconds()
        )
        return settle if fast else self.plan.interval

    def followup_delay(self) -> float:
        """No sooner than the minimum spacing after the last read allows."""
        earliest = self.last_poll + self.plan.min_spacing.total_seconds()
        return max(FOLLOWUP_MIN_DELAY, earliest - self._clock())

    def _spaced(self, now: float) -> bool:
        return now - self.last_poll >= self.plan.min_spacing.total_seconds()
