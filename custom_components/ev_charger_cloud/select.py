"""Modes: a charger's Eco-Smart (solar charging) mode, the account's charging mode."""

from __future__ import annotations

from dataclasses import dataclass

from homeassistant.components.select import SelectEntity, SelectEntityDescription
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import AccountSettings, Charger, ChargingMode, EcoSmartMode, Feature
from .coordinator import EVChargerCloudConfigEntry
from .entity import (
    AccountEntity,
    ChargerEntity,
    EVChargerCloudEntityDescription,
    async_add_entities_for,
)

PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class ChargerSelectDescription(EVChargerCloudEntityDescription[Charger], SelectEntityDescription):
    """A select of a charger."""


@dataclass(frozen=True, kw_only=True)
class AccountSelectDescription(
    EVChargerCloudEntityDescription[AccountSettings], SelectEntityDescription
):
    """A select of the account's settings."""


ECO_SMART = ChargerSelectDescription(
    key="eco_smart", translation_key="eco_smart", feature=Feature.ECO_SMART
)
CHARGING_MODE = AccountSelectDescription(
    key="charging_mode", translation_key="charging_mode", feature=Feature.CHARGING_MODE
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: EVChargerCloudConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the mode selects: Eco-Smart on chargers, the charging mode on the account."""
    async_add_entities_for(entry, async_add_entities, EcoSmartSelect, (ECO_SMART,))
    async_add_entities_for(entry, async_add_entities, ChargingModeSelect, (CHARGING_MODE,))


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


class ChargingModeSelect(AccountEntity, SelectEntity):
    """How the cloud times charging for all the account's devices.

    It offers the modes the cloud allows now (solar modes need a meter, price
    modes a tariff), and the mode in use even when the cloud no longer would.
    """

    entity_description: AccountSelectDescription
    # Every mode the select can offer, in the order it lists them.
    SELECTABLE = tuple(mode for mode in ChargingMode if mode is not ChargingMode.UNKNOWN)

    @property
    def options(self) -> list[str]:
        """The modes that can be chosen now, and the one in use."""
        settings = self.settings
        offered = set(settings.available_charging_modes)
        if settings.charging_mode is not None:
            offered.add(settings.charging_mode)
        # In the vocabulary's order, so the list does not jump around between reads.
        return [mode.value for mode in self.SELECTABLE if mode in offered]

    @property
    def current_option(self) -> str | None:
        """The mode in use."""
        mode = self.settings.charging_mode
        if mode is None or mode is ChargingMode.UNKNOWN:
            return None
        return mode.value

    async def async_select_option(self, option: str) -> None:
        """Switch the mode."""
        mode = ChargingMode(option)
        await self.async_run(lambda client, target: client.async_set_charging_mode(target, mode))
