"""Sensors: power, session energy, status and the other readings of chargers and vehicles."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from operator import attrgetter
from typing import Any

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

from .api import Charger, ChargerStatus, Connector, Feature, Health, Vehicle
from .coordinator import EVChargerCloudConfigEntry
from .energy_total import TOTAL_DISCHARGED_ENERGY, TOTAL_ENERGY, TotalEnergySensor
from .entity import (
    ChargerEntity,
    ConnectorEntity,
    EVChargerCloudEntity,
    KeyTranslatedDescription,
    Subject,
    VehicleEntity,
    async_add_entities_for,
    price_unit,
)

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class EVChargerCloudSensorDescription[SubjectT: Subject](
    KeyTranslatedDescription[SubjectT], SensorEntityDescription
):
    """A sensor reading one value of its subject."""

    value_fn: Callable[[SubjectT], StateType | datetime]
    unit_fn: Callable[[SubjectT], str | None] | None = None
    # A display precision that depends on the subject's value (read when the entity is added).
    precision_fn: Callable[[SubjectT], int | None] | None = None


def kilowatt_precision(watts: float | None) -> int:
    """Decimals of a power rating shown in kW: "11 kW" and "22 kW", but "7.4 kW".

    Ratings are fixed per device, so the first reading decides.
    """
    return 0 if watts is not None and float(watts / 1000).is_integer() else 1


def energy_window_sensors() -> tuple[EVChargerCloudSensorDescription[Any], ...]:
    """Energy used over the last day, week and month: rolling windows, not meters.

    They go down as old energy leaves the window, so they have no state class
    (neither a total nor a measurement the statistics could average).
    """
    return tuple(
        EVChargerCloudSensorDescription[Any](
            key=key,
            feature=Feature.ENERGY_HISTORY,
            device_class=SensorDeviceClass.ENERGY,
            native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
            suggested_display_precision=1,
            value_fn=attrgetter(key),
        )
        for key in ("energy_last_day", "energy_last_week", "energy_last_month")
    )


def charging_power_sensor() -> EVChargerCloudSensorDescription[Any]:
    """The power flowing now, of a charging session or into a vehicle."""
    return EVChargerCloudSensorDescription[Any](
        key="charging_power",
        feature=Feature.CHARGING_POWER,
        device_class=SensorDeviceClass.POWER,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfPower.WATT,
        suggested_unit_of_measurement=UnitOfPower.KILO_WATT,
        suggested_display_precision=2,
        value_fn=lambda s: s.charging_power,
    )


def charge_time_remaining_sensor() -> EVChargerCloudSensorDescription[Any]:
    """The time left until the charge target is reached."""
    return EVChargerCloudSensorDescription[Any](
        key="charge_time_remaining",
        feature=Feature.CHARGE_TIME_REMAINING,
        device_class=SensorDeviceClass.DURATION,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfTime.SECONDS,
        suggested_unit_of_measurement=UnitOfTime.MINUTES,
        suggested_display_precision=0,
        value_fn=lambda s: s.charge_time_remaining,
    )


CONNECTOR_SENSORS: tuple[EVChargerCloudSensorDescription[Connector], ...] = (
    charging_power_sensor(),
    *(
        EVChargerCloudSensorDescription[Connector](
            key=key,
            feature=feature,
            device_class=SensorDeviceClass.ENERGY,
            state_class=SensorStateClass.TOTAL_INCREASING,
            native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
            suggested_display_precision=2,
            entity_registry_enabled_default=key in ("session_energy", "session_discharged_energy"),
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
            # Resets at the next session like session energy (Energy dashboard: the total).
            (
                "session_discharged_energy",
                Feature.DISCHARGED_ENERGY,
                lambda c: c.session_discharged_energy,
            ),
        )
    ),
    EVChargerCloudSensorDescription(
        key="added_range",
        feature=Feature.ADDED_RANGE,
        device_class=SensorDeviceClass.DISTANCE,
        state_class=SensorStateClass.TOTAL_INCREASING,
        native_unit_of_measurement=UnitOfLength.KILOMETERS,
        suggested_display_precision=0,
        value_fn=lambda c: c.added_range,
    ),
    EVChargerCloudSensorDescription(
        key="charging_time",
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
        feature=Feature.CHARGING_POWER,
        device_class=SensorDeviceClass.ENUM,
        options=[status.value for status in ChargerStatus],
        value_fn=lambda c: c.status.value,
    ),
    EVChargerCloudSensorDescription(
        key="state_of_charge",
        feature=Feature.STATE_OF_CHARGE,
        device_class=SensorDeviceClass.BATTERY,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=PERCENTAGE,
        suggested_display_precision=0,
        value_fn=lambda c: c.state_of_charge,
    ),
    EVChargerCloudSensorDescription(
        key="status_code",
        feature=Feature.CHARGING_POWER,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda c: c.status_code,
    ),
    # The cloud's own meter (Podero); clouds with session counters only get the
    # summed-up meter of energy_total.py under the same key instead.
    EVChargerCloudSensorDescription(
        key="total_energy",
        feature=Feature.TOTAL_ENERGY,
        device_class=SensorDeviceClass.ENERGY,
        state_class=SensorStateClass.TOTAL_INCREASING,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        suggested_display_precision=2,
        value_fn=lambda c: c.total_energy,
    ),
    *energy_window_sensors(),
    charge_time_remaining_sensor(),
    EVChargerCloudSensorDescription(
        key="session_started",
        feature=Feature.SESSION_STARTED,
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=lambda c: c.session_started,
    ),
    EVChargerCloudSensorDescription(
        key="rated_power",
        feature=Feature.RATED_POWER,
        device_class=SensorDeviceClass.POWER,
        native_unit_of_measurement=UnitOfPower.WATT,
        suggested_unit_of_measurement=UnitOfPower.KILO_WATT,
        suggested_display_precision=1,
        precision_fn=lambda c: kilowatt_precision(c.rated_power),
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda c: c.rated_power,
    ),
    EVChargerCloudSensorDescription(
        key="max_current",
        feature=Feature.MAX_CURRENT,
        device_class=SensorDeviceClass.CURRENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        suggested_display_precision=0,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda c: c.max_current,
    ),
)


HEALTH_OPTIONS = [health.value for health in Health]

CHARGER_SENSORS: tuple[EVChargerCloudSensorDescription[Charger], ...] = (
    *(
        EVChargerCloudSensorDescription[Charger](
            key=key,
            feature=Feature.CLOUD_HEALTH,
            device_class=SensorDeviceClass.ENUM,
            options=HEALTH_OPTIONS,
            entity_category=EntityCategory.DIAGNOSTIC,
            entity_registry_enabled_default=key == "connection_status",
            value_fn=value_fn,
        )
        for key, value_fn in (
            ("connection_status", lambda c: c.connection_status),
            ("monitoring_status", lambda c: c.monitoring_status),
            ("steering_status", lambda c: c.steering_status),
        )
    ),
    EVChargerCloudSensorDescription(
        key="max_charging_power",
        feature=Feature.MAX_CHARGING_POWER,
        device_class=SensorDeviceClass.POWER,
        native_unit_of_measurement=UnitOfPower.WATT,
        suggested_unit_of_measurement=UnitOfPower.KILO_WATT,
        suggested_display_precision=1,
        precision_fn=lambda c: kilowatt_precision(c.max_charging_power),
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda c: c.max_charging_power,
    ),
    EVChargerCloudSensorDescription(
        key="phases",
        feature=Feature.PHASES,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda c: c.phases,
    ),
    EVChargerCloudSensorDescription(
        key="max_available_current",
        feature=Feature.MAX_AVAILABLE_CURRENT,
        device_class=SensorDeviceClass.CURRENT,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        suggested_display_precision=0,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda c: c.max_available_current,
    ),
    EVChargerCloudSensorDescription(
        key="energy_price",
        feature=Feature.ENERGY_PRICE,
        # The number with the same value: shown as the cloud has it ("0.24", not "0.240").
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda c: c.energy_price,
        unit_fn=price_unit,
    ),
    EVChargerCloudSensorDescription(
        key="last_heartbeat",
        feature=Feature.LAST_HEARTBEAT,
        device_class=SensorDeviceClass.TIMESTAMP,
        entity_category=EntityCategory.DIAGNOSTIC,
        # It changes at every heartbeat of every box: a state write per box and poll
        # that few want recorded. Cloud connection tells whether a box is there.
        entity_registry_enabled_default=False,
        value_fn=lambda c: c.last_heartbeat,
    ),
)

VEHICLE_SENSORS: tuple[EVChargerCloudSensorDescription[Vehicle], ...] = (
    EVChargerCloudSensorDescription(
        key="battery_level",
        feature=Feature.BATTERY_LEVEL,
        device_class=SensorDeviceClass.BATTERY,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=PERCENTAGE,
        suggested_display_precision=0,
        value_fn=lambda v: v.battery_level,
    ),
    EVChargerCloudSensorDescription(
        key="driving_range",
        feature=Feature.DRIVING_RANGE,
        device_class=SensorDeviceClass.DISTANCE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfLength.KILOMETERS,
        suggested_display_precision=0,
        value_fn=lambda v: v.driving_range,
    ),
    charging_power_sensor(),
    charge_time_remaining_sensor(),
    *energy_window_sensors(),
    EVChargerCloudSensorDescription(
        key="battery_capacity",
        feature=Feature.BATTERY_CAPACITY,
        device_class=SensorDeviceClass.ENERGY_STORAGE,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        suggested_display_precision=0,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda v: v.battery_capacity,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: EVChargerCloudConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the sensors of every charger, connector and vehicle."""
    async_add_entities_for(entry, async_add_entities, ConnectorSensor, CONNECTOR_SENSORS)
    async_add_entities_for(
        entry, async_add_entities, TotalEnergySensor, (TOTAL_ENERGY, TOTAL_DISCHARGED_ENERGY)
    )
    async_add_entities_for(entry, async_add_entities, ChargerSensor, CHARGER_SENSORS)
    async_add_entities_for(entry, async_add_entities, VehicleSensor, VEHICLE_SENSORS)


class EVChargerCloudSensor[SubjectT: Subject](EVChargerCloudEntity[SubjectT], SensorEntity):
    """A reading of the entity's subject."""

    entity_description: EVChargerCloudSensorDescription[SubjectT]

    @property
    def native_value(self) -> StateType | datetime:
        """The reading."""
        return self.entity_description.value_fn(self.subject)

    @property
    def suggested_display_precision(self) -> int | None:
        """A fixed precision, or one that follows the subject's value."""
        if self.entity_description.precision_fn is not None:
            return self.entity_description.precision_fn(self.subject)
        return super().suggested_display_precision

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
