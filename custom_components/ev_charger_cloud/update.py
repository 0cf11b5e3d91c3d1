"""Firmware: the installed and the available version, and installing it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from homeassistant.components.update import (
    UpdateDeviceClass,
    UpdateEntity,
    UpdateEntityDescription,
    UpdateEntityFeature,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import Charger, Feature
from .coordinator import EVChargerCloudConfigEntry
from .entity import ChargerEntity, EVChargerCloudEntityDescription, async_add_entities_for

PARALLEL_UPDATES = 1


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
    """Shows when the cloud offers newer firmware, and installs it on request."""

    entity_description: ChargerUpdateDescription
    _attr_supported_features = UpdateEntityFeature.INSTALL

    @property
    def installed_version(self) -> str | None:
        """The firmware the charger runs."""
        return self.charger.firmware_version

    @property
    def latest_version(self) -> str | None:
        """The newest firmware the cloud offers for it."""
        return self.charger.latest_firmware_version or self.charger.firmware_version

    async def async_install(self, version: str | None, backup: bool, **kwargs: Any) -> None:
        """Ask the cloud to install the update."""
        await self.async_run(lambda client, target: client.async_install_update(target))
