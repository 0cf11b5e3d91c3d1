"""Where a vehicle is, as its cloud last saw it (personal data: starts disabled)."""

from __future__ import annotations

from dataclasses import dataclass

from homeassistant.components.device_tracker.const import SourceType
from homeassistant.components.device_tracker.entity import (
    TrackerEntity,
    TrackerEntityDescription,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import Feature, Vehicle
from .coordinator import EVChargerCloudConfigEntry
from .entity import EVChargerCloudEntityDescription, VehicleEntity, async_add_entities_for

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class VehicleTrackerDescription(EVChargerCloudEntityDescription[Vehicle], TrackerEntityDescription):
    """Where a vehicle is."""


LOCATION = VehicleTrackerDescription(
    key="location",
    translation_key="location",
    feature=Feature.LOCATION,
    # A car's whereabouts are personal: the user opts in.
    entity_registry_enabled_default=False,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: EVChargerCloudConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a location to every vehicle whose cloud reports one."""
    async_add_entities_for(entry, async_add_entities, VehicleLocation, (LOCATION,))


class VehicleLocation(VehicleEntity, TrackerEntity):
    """The vehicle's last known coordinates; Home Assistant places it in its zones."""

    entity_description: VehicleTrackerDescription
    _attr_source_type = SourceType.GPS

    @property
    def latitude(self) -> float | None:
        """Degrees north."""
        return self.subject.latitude

    @property
    def longitude(self) -> float | None:
        """Degrees east."""
        return self.subject.longitude
