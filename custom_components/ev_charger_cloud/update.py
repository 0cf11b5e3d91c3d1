"""Firmware: the installed and the available version, and installing it.

An install runs on the charger for minutes, and the cloud tells only the version
it runs. So from the press on the entity shows the install in progress (no
percentage: no cloud reports one) until a reading shows another installed
version, or ``INSTALL_TIMEOUT`` has passed: then it stops showing progress and
logs it once; the update is offered again if the old version is still reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from homeassistant.components.update import (
    UpdateDeviceClass,
    UpdateEntity,
    UpdateEntityDescription,
    UpdateEntityFeature,
)
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.event import async_call_later

from .api import Charger, Feature
from .const import LOGGER
from .coordinator import EVChargerCloudConfigEntry
from .entity import ChargerEntity, EVChargerCloudEntityDescription, async_add_entities_for

PARALLEL_UPDATES = 1

# Longest time an install is shown in progress without the new version being reported:
# a few minutes of download and install, the restart, and then the read that shows it
# (a charger updating or just commanded is read at every poll).
INSTALL_TIMEOUT = timedelta(minutes=15)


@dataclass(frozen=True, kw_only=True)
class ChargerUpdateDescription(EVChargerCloudEntityDescription[Charger], UpdateEntityDescription):
    """The firmware of a charger."""


FIRMWARE = ChargerUpdateDescription(
    key="firmware", device_class=UpdateDeviceClass.FIRMWARE, feature=Feature.FIRMWARE
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: EVChargerCloudConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a firmware entity to every charger that reports its versions."""
    async_add_entities_for(entry, async_add_entities, FirmwareUpdate, (FIRMWARE,))


class FirmwareUpdate(ChargerEntity, UpdateEntity):
    """Shows when the cloud offers newer firmware, installs it and shows the install running."""

    entity_description: ChargerUpdateDescription
    _attr_supported_features = UpdateEntityFeature.INSTALL | UpdateEntityFeature.PROGRESS
    # The version installed when the running install was asked for (None: none running).
    _installing_over: str | None = None
    _unsub_timeout: CALLBACK_TYPE | None = None

    @property
    def installed_version(self) -> str | None:
        """The firmware the charger runs."""
        return self.charger.firmware_version

    @property
    def latest_version(self) -> str | None:
        """The newest firmware the cloud offers for it."""
        return self.charger.latest_firmware_version or self.charger.firmware_version

    @property
    def in_progress(self) -> bool:
        """Whether an install asked for here has not shown its result yet."""
        return self._installing_over is not None

    @property
    def update_percentage(self) -> None:
        """The clouds tell no progress: the frontend shows an indeterminate bar."""
        return None

    async def async_install(self, version: str | None, backup: bool, **kwargs: Any) -> None:
        """Ask the cloud to install the update; show it in progress until it is done."""
        self._installing_over = self.installed_version or ""
        self.async_write_ha_state()
        try:
            await self.async_run(lambda client, target: client.async_install_update(target))
        except BaseException:
            self._installing_over = None
            raise
        if not self.in_progress:
            return  # the answer already showed the new version
        self._cancel_timeout()
        self._unsub_timeout = async_call_later(
            self.hass, INSTALL_TIMEOUT, self._async_install_timed_out
        )

    @callback
    def _handle_coordinator_update(self) -> None:
        """End the progress once a reading shows another version installed."""
        if self._installing_over is not None and self.installed_version not in (
            None,
            self._installing_over,
        ):
            LOGGER.debug("%s now runs firmware %s", self.entity_id, self.installed_version)
            self._end_progress()  # the version changed, so the state is written below
        super()._handle_coordinator_update()

    @callback
    def _async_install_timed_out(self, _now: datetime) -> None:
        self._unsub_timeout = None
        if self._installing_over is None:
            return
        LOGGER.warning(
            "%s: the firmware install was asked for %d minutes ago and the cloud still "
            "reports version %s; no longer showing the install in progress",
            self.entity_id,
            INSTALL_TIMEOUT.total_seconds() // 60,
            self.installed_version,
        )
        self._end_progress()
        self.async_write_ha_state()

    def _end_progress(self) -> None:
        self._installing_over = None
        self._cancel_timeout()

    def _cancel_timeout(self) -> None:
        if self._unsub_timeout is not None:
            self._unsub_timeout()
            self._unsub_timeout = None

    async def async_will_remove_from_hass(self) -> None:
        """Drop a pending timeout with the entity."""
        self._end_progress()
        await super().async_will_remove_from_hass()
