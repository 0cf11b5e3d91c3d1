"""Numbers: maximum charging current, energy price, the power-boost limit and charge limit."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from homeassistant.components.number import (
    NumberDeviceClass,
    NumberEntity,
    NumberEntityDescription,
    NumberMode,
)
from homeassistant.const import PERCENTAGE, EntityCategory, UnitOfElectricCurrent
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import Charger, ChargerCloudClient, Device, Feature, Target, Vehicle
from .command_merge import LatestValueWins
from .coordinator import EVChargerCloudConfigEntry
from .entity import (
    ChargerEntity,
    KeyTranslatedDescription,
    VehicleEntity,
    async_add_entities_for,
    price_unit,
)

# Calls are not queued by Home Assistant: each setting merges quick values itself
# (LatestValueWins) and sends one command at a time.
PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class ChargerNumberDescription(KeyTranslatedDescription[Charger], NumberEntityDescription):
    """A setting of a charger with its bounds."""

    value_fn: Callable[[Charger], float | None]
    set_fn: Callable[[ChargerCloudClient, Target, float], Coroutine[Any, Any, Device | None]]
    min_fn: Callable[[Charger], float] | None = None
    max_fn: Callable[[Charger], float | None] | None = None
    unit_fn: Callable[[Charger], str | None] | None = None


NUMBERS: tuple[ChargerNumberDescription, ...] = (
    ChargerNumberDescription(
        key="max_charging_current",
        feature=Feature.MAX_CHARGING_CURRENT,
        device_class=NumberDeviceClass.CURRENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        native_step=1,
        mode=NumberMode.SLIDER,
        value_fn=lambda c: c.max_charging_current,
        min_fn=lambda c: c.min_charging_current,
        max_fn=lambda c: c.max_available_current,
        set_fn=lambda client, target, value: client.async_set_max_charging_current(target, value),
    ),
    ChargerNumberDescription(
        key="energy_price",
        feature=Feature.ENERGY_PRICE,
        entity_category=EntityCategory.CONFIG,
        native_min_value=-5,
        native_max_value=5,
        native_step=0.001,
        mode=NumberMode.BOX,
        value_fn=lambda c: c.energy_price,
        unit_fn=price_unit,
        set_fn=lambda client, target, value: client.async_set_energy_price(target, value),
    ),
    ChargerNumberDescription(
        key="icp_max_current",
        feature=Feature.ICP_MAX_CURRENT,
        entity_category=EntityCategory.CONFIG,
        device_class=NumberDeviceClass.CURRENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        native_min_value=6,
        native_max_value=255,
        native_step=1,
        mode=NumberMode.BOX,
        value_fn=lambda c: c.icp_max_current,
        set_fn=lambda client, target, value: client.async_set_icp_max_current(target, value),
    ),
)


@dataclass(frozen=True, kw_only=True)
class VehicleNumberDescription(KeyTranslatedDescription[Vehicle], NumberEntityDescription):
    """A setting of a vehicle with fixed bounds."""

    value_fn: Callable[[Vehicle], float | None]
    set_fn: Callable[[ChargerCloudClient, Target, float], Coroutine[Any, Any, Device | None]]


VEHICLE_NUMBERS: tuple[VehicleNumberDescription, ...] = (
    VehicleNumberDescription(
        key="minimum_charge_limit",
        feature=Feature.CHARGE_LIMIT,
        entity_category=EntityCategory.CONFIG,
        native_unit_of_measurement=PERCENTAGE,
        native_min_value=0,
        native_max_value=100,
        native_step=1,
        mode=NumberMode.SLIDER,
        value_fn=lambda v: v.minimum_charge_limit,
        set_fn=lambda client, target, value: client.async_set_minimum_charge_limit(
            target, round(value)
        ),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: EVChargerCloudConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the settings of every charger."""
    async_add_entities_for(entry, async_add_entities, ChargerNumber, NUMBERS)
    async_add_entities_for(entry, async_add_entities, VehicleNumber, VEHICLE_NUMBERS)


class MergedSetting(NumberEntity):
    """Shows a value asked for at once; quick values become one command for the latest."""

    _asked: float | None = None
    _asks = 0
    _sender: LatestValueWins[float] | None = None

    def shown(self, value: float | None) -> float | None:
        """The value asked for while it is being sent, else ``value`` as read."""
        return whole(value if self._asked is None else self._asked, self.native_step)

    async def async_send(self, value: float, send: Callable[[float], Awaitable[None]]) -> None:
        """Show ``value`` now and send it, unless a later value replaces it first."""
        if self._sender is None:
            self._sender = LatestValueWins()
        self._asks += 1
        ask = self._asks
        self._asked = value
        self.async_write_ha_state()
        try:
            await self._sender.send(value, send)
        finally:
            if ask == self._asks:  # the latest value: from now on the reading counts
                self._asked = None
                self.async_write_ha_state()


class ChargerNumber(ChargerEntity, MergedSetting):
    """A numeric setting; bounds may follow the charger (its available current)."""

    entity_description: ChargerNumberDescription

    @property
    def native_value(self) -> float | None:
        """The current setting ("16 A", not "16.0 A", where the steps are whole)."""
        return self.shown(self.entity_description.value_fn(self.charger))

    @property
    def native_min_value(self) -> float:
        """The lowest accepted value."""
        if self.entity_description.min_fn is not None:
            return self.entity_description.min_fn(self.charger)
        return super().native_min_value

    @property
    def native_max_value(self) -> float:
        """The highest accepted value."""
        if self.entity_description.max_fn is not None:
            value = self.entity_description.max_fn(self.charger)
            if value is not None:
                return value
        return super().native_max_value

    @property
    def native_unit_of_measurement(self) -> str | None:
        """A fixed unit, or one that follows the charger (a currency)."""
        if self.entity_description.unit_fn is not None:
            return self.entity_description.unit_fn(self.charger)
        return super().native_unit_of_measurement

    async def async_set_native_value(self, value: float) -> None:
        """Send the new setting (Home Assistant has checked the bounds above)."""
        set_fn = self.entity_description.set_fn
        await self.async_send(
            value, lambda v: self.async_run(lambda client, target: set_fn(client, target, v))
        )


class VehicleNumber(VehicleEntity, MergedSetting):
    """A numeric setting of a vehicle."""

    entity_description: VehicleNumberDescription

    @property
    def native_value(self) -> float | None:
        """The current setting ("35 %", not "35.0 %", where the steps are whole)."""
        return self.shown(self.entity_description.value_fn(self.subject))

    async def async_set_native_value(self, value: float) -> None:
        """Send the new setting (Home Assistant has checked the bounds)."""
        set_fn = self.entity_description.set_fn
        await self.async_send(
            value, lambda v: self.async_run(lambda client, target: set_fn(client, target, v))
        )


def whole(value: float | None, step: float | None) -> float | None:
    """A whole value as an int when the number moves in whole steps (shown without ".0")."""
    if value is None or step is None or not float(step).is_integer():
        return value
    return int(value) if float(value).is_integer() else value
