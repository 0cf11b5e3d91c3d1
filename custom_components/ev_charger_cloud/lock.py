"""The charger lock."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from homeassistant.components.lock import LockEntity, LockEntityDescription
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import Charger, Feature
from .coordinator import EVChargerCloudConfigEntry
from .entity import ChargerEntity, EVChargerCloudEntityDescription, async_add_entities_for

PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class ChargerLockDescription(EVChargerCloudEntityDescription[Charger], LockEntityDescription):
    """A lock of a charger."""


LOCK = ChargerLockDescription(key="lock", translation_key="lock", feature=Feature.LOCK)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: EVChargerCloudConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a lock to every charger that has one."""
    async_add_entities_for(entry, async_add_entities, ChargerLock, (LOCK,))


class ChargerLock(ChargerEntity, LockEntity):
    """Locked chargers do not charge until unlocked."""

    entity_description: ChargerLockDescription

    @property
    def is_locked(self) -> bool | None:
        """Whether the charger is locked."""
        return self.charger.locked

    async def async_lock(self, **kwargs: Any) -> None:
        """Lock the charger."""
        await self.async_run(lambda client, target: client.async_set_locked(target, True))

    async def async_unlock(self, **kwargs: Any) -> None:
        """Unlock the charger."""
        await self.async_run(lambda client, target: client.async_set_locked(target, False))
