"""Buttons: resume the schedule, restart the charger, boost and cancel a boost."""

from __future__ import annotations

from dataclasses import dataclass

from homeassistant.components.button import ButtonEntity, ButtonEntityDescription
from homeassistant.components.button.const import ButtonDeviceClass
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import Charger, Feature
from .coordinator import EVChargerCloudConfigEntry
from .entity import (
    ChargerEntity,
    Command,
    EVChargerCloudEntityDescription,
    async_add_entities_for,
)

PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class ChargerButtonDescription(EVChargerCloudEntityDescription[Charger], ButtonEntityDescription):
    """A button sending one command."""

    press_fn: Command


BUTTONS: tuple[ChargerButtonDescription, ...] = (
    ChargerButtonDescription(
        key="resume_schedule",
        translation_key="resume_schedule",
        feature=Feature.RESUME_SCHEDULE,
        press_fn=lambda client, target: client.async_resume_schedule(target),
    ),
    ChargerButtonDescription(
        key="restart",
        device_class=ButtonDeviceClass.RESTART,
        feature=Feature.RESTART,
        entity_category=EntityCategory.CONFIG,
        entity_registry_enabled_default=False,
        press_fn=lambda client, target: client.async_restart(target),
    ),
    # Chargers whose cloud does not report a boost state (those that do get a switch).
    ChargerButtonDescription(
        key="boost",
        translation_key="boost",
        supported_fn=lambda c: Feature.BOOST in c.features and c.boost_state is None,
        press_fn=lambda client, target: client.async_boost(target),
    ),
    ChargerButtonDescription(
        key="cancel_boost",
        translation_key="cancel_boost",
        supported_fn=lambda c: Feature.BOOST in c.features and c.boost_state is None,
        press_fn=lambda client, target: client.async_cancel_boost(target),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: EVChargerCloudConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the buttons of every charger."""
    async_add_entities_for(entry, async_add_entities, ChargerButton, BUTTONS)


class ChargerButton(ChargerEntity, ButtonEntity):
    """Sends its command when pressed."""

    entity_description: ChargerButtonDescription

    async def async_press(self) -> None:
        """Send the command."""
        await self.async_run(self.entity_description.press_fn)
