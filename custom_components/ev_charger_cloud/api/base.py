"""The interface every vendor client implements.

Commands return the charger as the cloud's answer shows it after the change,
or None when the answer does not tell and the state has to be read again. A
returned charger with ``confirmed=False`` is a likely state, shown at once and
read again.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, ClassVar

from .errors import CommandNotSupportedError
from .models import Account, Charger, ChargerRef, EcoSmartMode, PollPlan, Provider


class ChargerCloudClient(ABC):
    """A logged-in view of one cloud account."""

    provider: ClassVar[Provider]
    poll_plan: ClassVar[PollPlan]

    @abstractmethod
    async def async_authenticate(self) -> Account:
        """Check the credentials and tell which account they belong to."""

    @abstractmethod
    async def async_discover(self) -> list[ChargerRef]:
        """List the chargers of the account."""

    @abstractmethod
    async def async_get_charger(self, charger_id: str) -> Charger:
        """Read one charger's current state."""

    @abstractmethod
    def diagnostics(self) -> dict[str, Any]:
        """Raw cloud data worth a look when debugging (the caller redacts it)."""

    async def async_set_charging(self, charger_id: str, enabled: bool) -> Charger | None:
        """Resume (True) or pause (False) charging."""
        raise CommandNotSupportedError("pause_resume")

    async def async_set_locked(self, charger_id: str, locked: bool) -> Charger | None:
        """Lock or unlock the charger."""
        raise CommandNotSupportedError("lock")

    async def async_set_max_charging_current(
        self, charger_id: str, current: float
    ) -> Charger | None:
        """Set the maximum charging current in A."""
        raise CommandNotSupportedError("max_charging_current")

    async def async_set_energy_price(self, charger_id: str, price: float) -> Charger | None:
        """Set the energy price per kWh used for session costs."""
        raise CommandNotSupportedError("energy_price")

    async def async_set_icp_max_current(self, charger_id: str, current: float) -> Charger | None:
        """Set the household supply limit (power boost) in A."""
        raise CommandNotSupportedError("icp_max_current")

    async def async_set_eco_smart(self, charger_id: str, mode: EcoSmartMode) -> Charger | None:
        """Choose the solar charging mode."""
        raise CommandNotSupportedError("eco_smart")

    async def async_resume_schedule(self, charger_id: str) -> Charger | None:
        """Hand control back to the schedule and solar mode after a manual stop."""
        raise CommandNotSupportedError("resume_schedule")

    async def async_restart(self, charger_id: str) -> Charger | None:
        """Reboot the charger."""
        raise CommandNotSupportedError("restart")

    async def async_install_update(self, charger_id: str) -> Charger | None:
        """Install the available firmware update."""
        raise CommandNotSupportedError("firmware")
