"""The base entity, entity creation by feature, and running commands."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterable
from dataclasses import dataclass
from typing import Any

from homeassistant.const import UnitOfEnergy
from homeassistant.core import callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .api import (
    AuthenticationError,
    Charger,
    ChargerCloudClient,
    ChargerCloudError,
    CommandNotSupportedError,
    CommandRejectedError,
    Feature,
    NotPermittedError,
    RateLimitedError,
)
from .const import DOMAIN
from .coordinator import ChargerCloudCoordinator, EVChargerCloudConfigEntry

type Command = Callable[[ChargerCloudClient, str], Coroutine[Any, Any, Charger | None]]


@dataclass(frozen=True, kw_only=True)
class ChargerEntityDescription(EntityDescription):
    """Every description names the feature a charger needs for the entity."""

    feature: Feature


class ChargerEntity(CoordinatorEntity[ChargerCloudCoordinator]):
    """An entity of one charger, fed by its account's coordinator."""

    _attr_has_entity_name = True
    entity_description: ChargerEntityDescription

    def __init__(
        self,
        coordinator: ChargerCloudCoordinator,
        charger_id: str,
        description: ChargerEntityDescription,
    ) -> None:
        """Name the entity after its charger and description."""
        super().__init__(coordinator)
        self.entity_description = description
        self.charger_id = charger_id
        provider = coordinator.client.provider
        charger = self._last_charger = coordinator.data[charger_id]
        self._attr_unique_id = f"{provider}_{charger_id}_{description.key}"
        self._attr_device_info = DeviceInfo(
            identifiers={device_identifier(provider, charger_id)},
            name=charger.name,
            manufacturer=charger.manufacturer,
            model=charger.model,
            model_id=charger.part_number,
            serial_number=charger.serial_number,
            sw_version=charger.firmware_version,
        )

    @property
    def charger(self) -> Charger:
        """The latest reading of this entity's charger (the last one if it left)."""
        charger = self.coordinator.data.get(self.charger_id)
        if charger is not None:
            self._last_charger = charger
        return self._last_charger

    @property
    def available(self) -> bool:
        """Unavailable when the poll failed or the charger left the account."""
        return super().available and self.charger_id in self.coordinator.data

    async def async_run(self, command: Command) -> None:
        """Run a command; failures reach the user as translated errors."""
        coordinator = self.coordinator
        try:
            result = await command(coordinator.client, self.charger_id)
        except ChargerCloudError as err:
            if isinstance(err, AuthenticationError):
                coordinator.config_entry.async_start_reauth(self.hass)
            raise command_error(err) from err
        coordinator.async_command_done(self.charger_id, result)


# Error class -> translation key; the first match wins, so subclasses come first.
_COMMAND_ERRORS: tuple[tuple[type[ChargerCloudError], str], ...] = (
    (AuthenticationError, "authentication_error"),
    (RateLimitedError, "rate_limited"),
    (NotPermittedError, "not_permitted"),
    (CommandRejectedError, "command_rejected"),
    (CommandNotSupportedError, "not_supported"),
)


def device_identifier(provider: str, charger_id: str) -> tuple[str, str]:
    """The device registry identifier of a charger (charger ids are unique per cloud)."""
    return (DOMAIN, f"{provider}_{charger_id}")


def price_unit(charger: Charger) -> str | None:
    """Energy prices are per kWh in the account's currency."""
    return f"{charger.currency}/{UnitOfEnergy.KILO_WATT_HOUR}" if charger.currency else None


def command_error(err: ChargerCloudError) -> HomeAssistantError:
    """The translated error a user sees for a failed command."""
    key = next((key for cls, key in _COMMAND_ERRORS if isinstance(err, cls)), "communication_error")
    return HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders={"error": str(err)},
    )


def async_add_charger_entities[DescriptionT: ChargerEntityDescription](
    entry: EVChargerCloudConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    descriptions: Iterable[DescriptionT],
    factory: Callable[[ChargerCloudCoordinator, str, DescriptionT], ChargerEntity],
) -> None:
    """Add the entities each charger's features call for, now and whenever more appear.

    Chargers found later and features a charger starts reporting later (a car
    that tells its state of charge) get their entities at the poll that shows them.
    """
    coordinator = entry.runtime_data.coordinator
    descriptions = tuple(descriptions)
    added: set[tuple[str, str]] = set()

    @callback
    def add_new() -> None:
        new = [
            (cid, description)
            for cid, charger in coordinator.data.items()
            for description in descriptions
            if description.feature in charger.features and (cid, description.key) not in added
        ]
        added.update((cid, description.key) for cid, description in new)
        if new:
            async_add_entities(factory(coordinator, cid, description) for cid, description in new)

    add_new()
    entry.async_on_unload(coordinator.async_add_listener(add_new))
