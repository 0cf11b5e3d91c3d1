"""Sensors: power, session energy, status and the other readings of chargers and vehicles."""

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

from .api import Charger, ChargerStatus, Connector, Feature, Vehicle
from .coordinator import EVChargerCloudConfigEntry
from .energy_total import TOTAL_ENERGY, TotalEnergySensor
from .entity import (
    ChargerEntity,
    ConnectorEntity,
    EVChargerCloudEntity,
    EVChargerCloudEntityDescription,
    Subject,
    VehicleEntity,
    async_add_entities_for,
    price_unit,
)

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class EVChargerCloudSensorDescription[SubjectT: Subject](
    EVChargerCloudEntityDescription[SubjectT], SensorEntityDescription
):
    """A sensor reading one value of its subject."""

    value_fn: Callable[[SubjectT], StateType]
    unit_fn: Callable[[SubjectT], str | None] | None = None


CONNECTOR_SENSORS: tuple[EVChargerCloudSensorDescription[Connector], ...] = (
    EVChargerCloudSensorDescription(
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
        EVChargerCloudSensorDescription[Connector](
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
    EVChargerCloudSensorDescription(
        key="added_range",
        translation_key="added_range",
        feature=Feature.ADDED_RANGE,
        device_class=SensorDeviceClass.DISTANCE,
        state_class=SensorStateClass.TOTAL_INCREASING,
        native_unit_of_measurement=UnitOfLength.KILOMETERS,
        suggested_display_precision=0,
        value_fn=lambda c: c.added_range,
    ),
    EVChargerCloudSensorDescription(
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
    EVChargerCloudSensorDescription(
        key="status",
        translation_key="status",
        feature=Feature.CHARGING_POWER,
        device_class=SensorDeviceClass.ENUM,
        options=[status.value for status in ChargerStatus],
        value_fn=lambda c: c.status.value,
    ),
    EVChargerCloudSensorDescription(
        key="state_of_charge",
        translation_key="state_of_charge",
        feature=Feature.STATE_OF_CHARGE,
        device_class=SensorDeviceClass.BATTERY,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=PERCENTAGE,
        value_fn=lambda c: c.state_of_charge,
    ),
    EVChargerCloudSensorDescription(
        key="status_code",
        translation_key="status_code",
        feature=Feature.CHARGING_POWER,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda c: c.status_code,
    ),
)

CHARGER_SENSORS: tuple[EVChargerCloudSensorDescription[Charger], ...] = (
    EVChargerCloudSensorDescription(
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
    EVChargerCloudSensorDescription(
        key="energy_price",
        translation_key="energy_price",
        feature=Feature.ENERGY_PRICE,
        suggested_display_precision=3,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda c: c.energy_price,
        unit_fn=price_unit,
    ),
)

VEHICLE_SENSORS: tuple[EVChargerCloudSensorDescription[Vehicle], ...] = (
    EVChargerCloudSensorDescription(
        key="battery_level",
        translation_key="battery_level",
        feature=Feature.BATTERY_LEVEL,
        device_class=SensorDeviceClass.BATTERY,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=PERCENTAGE,
        value_fn=lambda v: v.battery_level,
    ),
    EVChargerCloudSensorDescription(
        key="driving_range",
        translation_key="driving_range",
        feature=Feature.DRIVING_RANGE,
        device_class=SensorDeviceClass.DISTANCE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfLength.KILOMETERS,
        suggested_display_precision=0,
        value_fn=lambda v: v.driving_range,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: EVChargerCloudConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the sensors of every charger, connector and vehicle."""
    async_add_entities_for(entry, async_add_entities, ConnectorSensor, CONNECTOR_SENSORS)
    async_add_entities_for(entry, async_add_entities, TotalEnergySensor, (TOTAL_ENERGY,))
    async_add_entities_for(entry, async_add_entities, ChargerSensor, CHARGER_SENSORS)
    async_add_entities_for(entry, async_add_entities, VehicleSensor, VEHICLE_SENSORS)


class EVChargerCloudSensor[SubjectT: Subject](EVChargerCloudEntity[SubjectT], SensorEntity):
    """A reading of the entity's subject."""

    entity_description: EVChargerCloudSensorDescription[SubjectT]

    @property
    def native_value(self) -> StateType:
        """The reading."""
        return self.entity_description.value_fn(self.subject)

    @property
    def native_unit_of_measurement(self) -> str | None:
        """A fixed unit, or one that follows the subject (a currency)."""
        if self.entity_description.unit_fn is not None:
            return self.entity_description.unit_fn(self.subject)
        return super().native_unit_of_measurement


class ConnectorSensor(EVChargerCloudSensor[Connector], ConnectorEntity):
    """A reading of a charging session."""


class ChargerSensor(EVChargerCloudSensor[Charger], ChargerEntity):
    """A reading of a charger as a whole."""


class VehicleSensor(EVChargerCloudSensor[Vehicle], VehicleEntity):
    """A reading of a vehicle."""
