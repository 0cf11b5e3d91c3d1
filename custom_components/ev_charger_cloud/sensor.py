"""Sensors: power, session energy, status and the other readings of a charger."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import (
    PERCENTAGE,
    EntityCategory,
    UnitOfElectricCurrent,
    UnitOfEnergy,
    UnitOfLength,
    UnitOfPower,
    UnitOfTime,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import StateType

from .api import Charger, ChargerStatus, Feature
from .coordinator import EVChargerCloudConfigEntry
from .energy_total import TOTAL_ENERGY, TotalEnergySensor
from .entity import (
    ChargerEntity,
    ChargerEntityDescription,
    async_add_charger_entities,
    price_unit,
)

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class ChargerSensorDescription(ChargerEntityDescription, SensorEntityDescription):
    """A sensor reading one value of a charger."""

    value_fn: Callable[[Charger], StateType]
    unit_fn: Callable[[Charger], str | None] | None = None


SENSORS: tuple[ChargerSensorDescription, ...] = (
    ChargerSensorDescription(
        key="charging_power",
        translation_key="charging_power",
        feature=Feature.CHARGING_POWER,
        device_class=SensorDeviceClass.POWER,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfPower.WATT,
        suggested_unit_of_measurement=UnitOfPower.KILO_WATT,
        suggested_display_precision=2,
        value_fn=lambda c: c.charging_power,
    ),
    *(
        ChargerSensorDescription(
            key=key,
            translation_key=key,
            feature=feature,
            device_class=SensorDeviceClass.ENERGY,
            state_class=SensorStateClass.TOTAL_INCREASING,
            native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
            suggested_display_precision=2,
            entity_registry_enabled_default=key == "session_energy",
            value_fn=value_fn,
        )
        for key, feature, value_fn in (
            ("session_energy", Feature.SESSION_ENERGY, lambda c: c.session_energy),
            (
                "session_green_energy",
                Feature.SESSION_ENERGY_SPLIT,
                lambda c: c.session_green_energy,
            ),
            ("session_grid_energy", Feature.SESSION_ENERGY_SPLIT, lambda c: c.session_grid_energy),
        )
    ),
    ChargerSensorDescription(
        key="added_range",
        translation_key="added_range",
        feature=Feature.ADDED_RANGE,
        device_class=SensorDeviceClass.DISTANCE,
        state_class=SensorStateClass.TOTAL_INCREASING,
        native_unit_of_measurement=UnitOfLength.KILOMETERS,
        suggested_display_precision=0,
        value_fn=lambda c: c.added_range,
    ),
    ChargerSensorDescription(
        key="charging_time",
        translation_key="charging_time",
        feature=Feature.CHARGING_TIME,
        device_class=SensorDeviceClass.DURATION,
        state_class=SensorStateClass.TOTAL_INCREASING,
        native_unit_of_measurement=UnitOfTime.SECONDS,
        suggested_unit_of_measurement=UnitOfTime.MINUTES,
        suggested_display_precision=0,
        value_fn=lambda c: c.charging_time,
    ),
    ChargerSensorDescription(
        key="status",
        translation_key="status",
        feature=Feature.CHARGING_POWER,
        device_class=SensorDeviceClass.ENUM,
        options=[status.value for status in ChargerStatus],
        value_fn=lambda c: c.status.value,
    ),
    ChargerSensorDescription(
        key="state_of_charge",
        translation_key="state_of_charge",
        feature=Feature.STATE_OF_CHARGE,
        device_class=SensorDeviceClass.BATTERY,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=PERCENTAGE,
        value_fn=lambda c: c.state_of_charge,
    ),
    ChargerSensorDescription(
        key="max_available_current",
        translation_key="max_available_current",
        feature=Feature.MAX_AVAILABLE_CURRENT,
        device_class=SensorDeviceClass.CURRENT,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda c: c.max_available_current,
    ),
    ChargerSensorDescription(
        key="energy_price",
        translation_key="energy_price",
        feature=Feature.ENERGY_PRICE,
        suggested_display_precision=3,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda c: c.energy_price,
        unit_fn=price_unit,
    ),
    ChargerSensorDescription(
        key="status_code",
        translation_key="status_code",
        feature=Feature.CHARGING_POWER,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda c: c.status_code,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: EVChargerCloudConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the sensors of every charger."""
    async_add_charger_entities(entry, async_add_entities, SENSORS, ChargerSensor)
    async_add_charger_entities(entry, async_add_entities, (TOTAL_ENERGY,), TotalEnergySensor)


class ChargerSensor(ChargerEntity, SensorEntity):
    """A charger reading."""

    entity_description: ChargerSensorDescription

    @property
    def native_value(self) -> StateType:
        """The reading."""
        return self.entity_description.value_fn(self.charger)

    @property
    def native_unit_of_measurement(self) -> str | None:
        """A fixed unit, or one that follows the charger (a currency)."""
        if self.entity_description.unit_fn is not None:
            return self.entity_description.unit_fn(self.charger)
        return super().native_unit_of_measurement
