"""A stand-in cloud and clock for the polling strategies' own tests (no Home Assistant).

The client answers from a dict of chargers and logs every call; a test may
make a device answer "not found", a call be refused, or run a hook while a
read is under way (a command answered meanwhile).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from custom_components.ev_charger_cloud.api import (
    Account,
    Charger,
    ChargerCloudClient,
    ChargerNotFoundError,
    ChargerStatus,
    Connector,
    Device,
    DeviceKind,
    DeviceRef,
    PoderoCloud,
    PollPlan,
    Provider,
    RateLimitedError,
    WallboxCloud,
)

# The real plans: Wallbox's reads devices from a budget, Podero's reads the account at once.
BUDGETED_PLAN = WallboxCloud.poll_plan
READ_ALL_PLAN = PoderoCloud.poll_plan


def charger(device_id: str, status: ChargerStatus = ChargerStatus.READY, **changes: Any) -> Charger:
    """A one-connector charger in ``status``."""
    connector = Connector(connector_id="1", status=status)
    return Charger(
        device_id=device_id, name=f"Charger {device_id}", connectors=(connector,), **changes
    )


@dataclass
class Clock:
    """Monotonic seconds that move only when a test says so."""

    now: float = 1000.0

    def __call__(self) -> float:
        """The time now."""
        return self.now


@dataclass
class StandInCloud(ChargerCloudClient):
    """An account of chargers answering from memory; ``calls`` logs what was asked."""

    provider: ClassVar[Provider] = Provider.WALLBOX
    poll_plan: ClassVar[PollPlan] = BUDGETED_PLAN
    devices: dict[str, Device] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)
    not_found: set[str] = field(default_factory=set)
    refuse: bool = False
    during_read: Callable[[], None] | None = None

    async def async_authenticate(self) -> Account:
        return Account(unique_id="stand-in", title="stand-in")

    async def async_discover(self) -> list[DeviceRef]:
        self._answer("discover")
        return [DeviceRef(device_id=cid, name=cid, kind=DeviceKind.CHARGER) for cid in self.devices]

    async def async_get_device(self, device_id: str) -> Device:
        self._answer(f"read {device_id}")
        if device_id in self.not_found:
            raise ChargerNotFoundError(device_id)
        return self.devices[device_id]

    async def async_read_all(self) -> list[Device]:
        self._answer("read all")
        return list(self.devices.values())

    def diagnostics(self) -> dict[str, Any]:
        return {}

    def _answer(self, call: str) -> None:
        self.calls.append(call)
        if self.refuse:
            raise RateLimitedError("refused", retry_after=None)
        if self.during_read is not None:
            self.during_read()


class ReadAllCloud(StandInCloud):
    """The same account behind a cloud that lists every device with its state."""

    poll_plan: ClassVar[PollPlan] = READ_ALL_PLAN


def take_calls(cloud: StandInCloud) -> list[str]:
    """The calls since the last look."""
    calls = list(cloud.calls)
    cloud.calls.clear()
    return calls
