"""The charging switch: pause and resume a session."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import Connector, Feature
from .coordinator import EVChargerCloudConfigEntry
from .entity import ConnectorEntity, EVChargerCloudEntityDescription, async_add_entities_for

PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class ConnectorSwitchDescription(
    EVChargerCloudEntityDescription[Connector], SwitchEntityDescription
):
    """A switch of a connector."""


CHARGING = ConnectorSwitchDescription(
    key="charging",
    translation_key="charging",
    feature=Feature.PAUSE_RESUME,
    # The cloud refuses pause and resume without a session (no car, locked...).
    available_fn=lambda c: c.can_pause_or_resume,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: EVChargerCloudConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a charging switch to every connector that can pause."""
    async_add_entities_for(entry, async_add_entities, ChargingSwitch, (CHARGING,))


class ChargingSwitch(ConnectorEntity, SwitchEntity):
    """On while a session runs; off while it is paused."""

    entity_description: ConnectorSwitchDescription

    @property
    def is_on(self) -> bool:
        """A session is running."""
        return self.connector.charging_enabled

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Resume charging."""
        await self.async_run(lambda client, target: client.async_set_charging(target, True))

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Pause charging."""
        await self.async_run(lambda client, target: client.async_set_charging(target, False))
