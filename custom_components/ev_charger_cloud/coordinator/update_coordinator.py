"""The Home Assistant coordinator of one cloud account: it runs the account's polling strategy.

The strategy (read all, or budgeted) decides what a poll reads and when the
next one is due; this class turns its failures into translated update
errors, keeps the service-disabled repair issue, schedules the confirming
read after a command and shows commands' answers and pushed readings at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.event import async_call_later
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator

from custom_components.ev_charger_cloud.api import (
    ChargerCloudClient,
    ChargerCloudError,
    Device,
    ServiceDisabledError,
    Target,
)
from custom_components.ev_charger_cloud.const import DOMAIN, LOGGER
from custom_components.ev_charger_cloud.issues import (
    async_service_disabled,
    async_service_enabled,
)

from .budgeted import BudgetedPolling
from .errors import update_error
from .read_all import ReadAllPolling
from .strategy import PollingStrategy

# While the cloud refuses the account's API until a dashboard setting changes, look
# again this often: the repair issue tells the user, and it clears by itself.
SERVICE_DISABLED_INTERVAL = timedelta(minutes=10)


@dataclass(slots=True)
class RuntimeData:
    """What a loaded entry keeps in ``entry.runtime_data``."""

    client: ChargerCloudClient
    coordinator: ChargerCloudCoordinator


type EVChargerCloudConfigEntry = ConfigEntry[RuntimeData]


class ChargerCloudCoordinator(DataUpdateCoordinator[dict[str, Device]]):
    """Polls the devices of one account with the strategy its provider's plan calls for.

    A plan with ``read_all`` reads the whole account in one client call per
    poll (ReadAllPolling); otherwise reads are spent from a learned budget, the
    most urgent device first (BudgetedPolling).
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
        strategy = ReadAllPolling if self.plan.read_all else BudgetedPolling
        self.strategy: PollingStrategy = strategy(
            client, known_ids=known_ids, on_discovered=on_discovered, shown=lambda: self.data
        )
        self._unsub_followup: CALLBACK_TYPE | None = None
        # True at first, so the first answer also clears an issue left from before a restart.
        self._service_disabled = True

    @property
    def read_burst(self) -> int:
        """How many reads the cloud is known to take at once (learned)."""
        return self.strategy.read_burst

    @property
    def device_ids(self) -> list[str]:
        """The devices of the account as last discovered."""
        return self.strategy.device_ids

    async def _async_update_data(self) -> dict[str, Device]:
        entry = self.config_entry
        try:
            data = await self.strategy.poll()
        except ChargerCloudError as err:
            if isinstance(err, ServiceDisabledError):
                self._service_disabled = True
                async_service_disabled(self.hass, entry.entry_id, entry.title, err.reason)
                self.update_interval = SERVICE_DISABLED_INTERVAL
            raise update_error(
                err,
                account=entry.title,
                poll_interval=self.plan.interval,
                update_interval=self.update_interval,
            ) from err
        if self._service_disabled:
            self._service_disabled = False
            async_service_enabled(self.hass, entry.entry_id)
        self.update_interval = self.strategy.next_interval(data)
        return data

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
        """Show a command's answer at once; read the device again as soon as the plan allows.

        The answer stays until a read that started after it confirms or contradicts it.
        """
        device_id = target.device_id
        self.strategy.note_answer(device_id)
        if result is not None:
            self.async_set_updated_data({**self.data, device_id: result})
            if result.confirmed:
                return
        self.strategy.read_again(device_id)
        if self._unsub_followup is None:
            self._unsub_followup = async_call_later(
                self.hass, self.strategy.followup_delay(), self._async_followup
            )

    async def _async_followup(self, _now: Any) -> None:
        self._unsub_followup = None
        if self.strategy.followup_wanted:  # else a regular poll got there first
            await self.async_refresh()

    async def async_shutdown(self) -> None:
        """Drop a pending follow-up read with the entry."""
        if self._unsub_followup is not None:
            self._unsub_followup()
            self._unsub_followup = None
        await super().async_shutdown()
