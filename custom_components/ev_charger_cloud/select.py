"""The Eco-Smart (solar charging) mode."""

from __future__ import annotations

from dataclasses import dataclass

from homeassistant.components.select import SelectEntity, SelectEntityDescription
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import Charger, EcoSmartMode, Feature
from .coordinator import EVChargerCloudConfigEntry
from .entity import ChargerEntity, EVChargerCloudEntityDescription, async_add_entities_for

PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class ChargerSelectDescription(EVChargerCloudEntityDescription[Charger], SelectEntityDescription):
    """A select of a charger."""


ECO_SMART = ChargerSelectDescription(
    key="eco_smart", translation_key="eco_smart", feature=Feature.ECO_SMART
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: EVChargerCloudConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the mode select to chargers that report Eco-Smart."""
    async_add_entities_for(entry, async_add_entities, EcoSmartSelect, (ECO_SMART,))


class EcoSmartSelect(ChargerEntity, SelectEntity):
    """Off, eco (solar and grid) or full solar."""

    entity_description: ChargerSelectDescription

    _attr_options = [mode.value for mode in EcoSmartMode]

    @property
    def current_option(self) -> str | None:
        """The mode in use."""
        mode = self.charger.eco_smart
        return None if mode is None else mode.value

    async def async_select_option(self, option: str) -> None:
        """Switch the mode."""
        mode = EcoSmartMode(option)
        await self.async_run(lambda client, target: client.async_set_eco_smart(target, mode))
