"""Times: a vehicle's charge deadline (the time of day its charge target is reached by)."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import time
from typing import Any

from homeassistant.components.time import TimeEntity, TimeEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import ChargerCloudClient, Device, Feature, Target, Vehicle
from .coordinator import EVChargerCloudConfigEntry
from .entity import KeyTranslatedDescription, VehicleEntity, async_add_entities_for

PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class VehicleTimeDescription(KeyTranslatedDescription[Vehicle], TimeEntityDescription):
    """A time-of-day setting of a vehicle."""

    value_fn: Callable[[Vehicle], time | None]
    set_fn: Callable[[ChargerCloudClient, Target, time], Coroutine[Any, Any, Device | None]]


TIMES: tuple[VehicleTimeDescription, ...] = (
    VehicleTimeDescription(
        key="charge_deadline",
        feature=Feature.CHARGE_DEADLINE,
        entity_category=EntityCategory.CONFIG,
        value_fn=lambda v: v.charge_deadline,
        # The cloud takes the time to the minute.
        set_fn=lambda client, target, value: client.async_set_charge_deadline(
            target, value.replace(second=0, microsecond=0)
        ),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: EVChargerCloudConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the time settings of every vehicle."""
    async_add_entities_for(entry, async_add_entities, VehicleTime, TIMES)


class VehicleTime(VehicleEntity, TimeEntity):
    """A time of day a vehicle's cloud keeps."""

    entity_description: VehicleTimeDescription

    @property
    def native_value(self) -> time | None:
        """The current setting."""
        return self.entity_description.value_fn(self.subject)

    async def async_set_value(self, value: time) -> None:
        """Send the new time."""
        set_fn = self.entity_description.set_fn
        await self.async_run(lambda client, target: set_fn(client, target, value))
