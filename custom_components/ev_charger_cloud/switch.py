"""The charging switch: pause and resume a session."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import Feature
from .coordinator import EVChargerCloudConfigEntry
from .entity import ChargerEntity, ChargerEntityDescription, async_add_charger_entities

PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class ChargerSwitchDescription(ChargerEntityDescription, SwitchEntityDescription):
    """A switch of a charger."""


CHARGING = ChargerSwitchDescription(
    key="charging", translation_key="charging", feature=Feature.PAUSE_RESUME
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: EVChargerCloudConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a charging switch to every charger that can pause."""
    async_add_charger_entities(entry, async_add_entities, (CHARGING,), ChargingSwitch)


class ChargingSwitch(ChargerEntity, SwitchEntity):
    """On while a session runs; off while it is paused."""

    entity_description: ChargerSwitchDescription

    @property
    def available(self) -> bool:
        """Only where the cloud accepts pause or resume (not without a car, locked...)."""
        return super().available and self.charger.can_pause_or_resume

    @property
    def is_on(self) -> bool:
        """A session is running."""
        return self.charger.charging_enabled

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Resume charging."""
        await self.async_run(lambda client, cid: client.async_set_charging(cid, True))

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Pause charging."""
        await self.async_run(lambda client, cid: client.async_set_charging(cid, False))
