"""The interface every vendor client implements.

Commands are addressed to a Target (a device, or one connector of a charger)
and return the device as the cloud's answer shows it after the change, or None
when the answer does not tell and the state has to be read again. A returned
device with ``confirmed=False`` is a likely state, shown at once and read again.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import time
from typing import Any, ClassVar

from .errors import CommandNotSupportedError
from .models import (
    Account,
    ChargingMode,
    Device,
    DeviceRef,
    EcoSmartMode,
    PollPlan,
    Provider,
    Target,
)


class ChargerCloudClient(ABC):
    """A logged-in view of one cloud account."""

    provider: ClassVar[Provider]
    poll_plan: ClassVar[PollPlan]
    # Whether the cloud can post its events to a URL (see apply_notification_body).
    accepts_notifications: ClassVar[bool] = False
    # Larger notification bodies are refused before they are read.
    max_notification_bytes: ClassVar[int] = 64 * 1024

    @abstractmethod
    async def async_authenticate(self) -> Account:
        """Check the credentials and tell which account they belong to."""

    @abstractmethod
    async def async_discover(self) -> list[DeviceRef]:
        """List the devices of the account."""

    @abstractmethod
    async def async_get_device(self, device_id: str) -> Device:
        """Read one device's current state."""

    async def async_read_all(self) -> list[Device]:
        """Read every device of the account at once (providers whose PollPlan has ``read_all``).

        The list is the account's devices as they are now: it replaces the
        previous reading, and a device missing from it has left the account.
        This fallback discovers and reads each device; a provider whose lists
        carry the full state overrides it to spend a request per list instead.
        """
        return [await self.async_get_device(ref.device_id) for ref in await self.async_discover()]

    @abstractmethod
    def diagnostics(self) -> dict[str, Any]:
        """Raw cloud data worth a look when debugging (the caller redacts it)."""

    async def async_set_charging(self, target: Target, enabled: bool) -> Device | None:
        """Resume (True) or pause (False) charging."""
        raise CommandNotSupportedError("pause_resume")

    async def async_set_locked(self, target: Target, locked: bool) -> Device | None:
        """Lock or unlock the charger."""
        raise CommandNotSupportedError("lock")

    async def async_set_max_charging_current(self, target: Target, current: float) -> Device | None:
        """Set the maximum charging current in A."""
        raise CommandNotSupportedError("max_charging_current")

    async def async_set_energy_price(self, target: Target, price: float) -> Device | None:
        """Set the energy price per kWh used for session costs."""
        raise CommandNotSupportedError("energy_price")

    async def async_set_icp_max_current(self, target: Target, current: float) -> Device | None:
        """Set the household supply limit (power boost) in A."""
        raise CommandNotSupportedError("icp_max_current")

    async def async_set_eco_smart(self, target: Target, mode: EcoSmartMode) -> Device | None:
        """Choose the solar charging mode."""
        raise CommandNotSupportedError("eco_smart")

    async def async_resume_schedule(self, target: Target) -> Device | None:
        """Hand control back to the schedule and solar mode after a manual stop."""
        raise CommandNotSupportedError("resume_schedule")

    async def async_restart(self, target: Target) -> Device | None:
        """Reboot the charger."""
        raise CommandNotSupportedError("restart")

    async def async_install_update(self, target: Target) -> Device | None:
        """Install the available firmware update."""
        raise CommandNotSupportedError("firmware")

    async def async_set_smart_optimization(self, target: Target, active: bool) -> Device | None:
        """Switch the cloud's smart optimisation of the device on or off."""
        raise CommandNotSupportedError("smart_optimization")

    async def async_set_charge_policy(self, target: Target, enabled: bool) -> Device | None:
        """Put a vehicle's charge target (limit and deadline) in force, or not."""
        raise CommandNotSupportedError("charge_policy")

    async def async_set_minimum_charge_limit(self, target: Target, percent: int) -> Device | None:
        """Set the battery level (%) a vehicle charges to by its deadline."""
        raise CommandNotSupportedError("charge_limit")

    async def async_set_charge_deadline(self, target: Target, deadline: time) -> Device | None:
        """Set the time of day a vehicle's charge target is to be reached by."""
        raise CommandNotSupportedError("charge_deadline")

    async def async_boost(self, target: Target) -> Device | None:
        """Charge now, whatever the schedule (a refusal raises BoostRefusedError)."""
        raise CommandNotSupportedError("boost")

    async def async_cancel_boost(self, target: Target) -> Device | None:
        """Cancel a boost, also one armed for the next session."""
        raise CommandNotSupportedError("boost")

    async def async_set_charging_mode(self, target: Target, mode: ChargingMode) -> Device | None:
        """Choose how the cloud times the charging of all the account's devices."""
        raise CommandNotSupportedError("charging_mode")

    def apply_notification_body(self, body: bytes) -> Device | None:
        """Take a notification the cloud posted: the device as it changed (None: nothing to show).

        Raises UnexpectedResponseError for a body that is not a notification.
        """
        raise CommandNotSupportedError("notifications")
