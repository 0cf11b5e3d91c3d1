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


type SensorDescription = EVChargerCloudSensorDescription[Any]


def energy_window_sensors() -> tuple[SensorDescription, ...]:
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


# The factories below read the subject's attribute of the same name as the key.


def energy_meter(key: str, feature: Feature, *, enabled: bool = True) -> SensorDescription:
    """A growing energy counter in kWh (the Energy dashboard's kind of total)."""
    return EVChargerCloudSensorDescription[Any](
        key=key,
        feature=feature,
        device_class=SensorDeviceClass.ENERGY,
        state_class=SensorStateClass.TOTAL_INCREASING,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        suggested_display_precision=2,
        entity_registry_enabled_default=enabled,
        value_fn=attrgetter(key),
    )


def power_sensor(key: str, feature: Feature, *, rating: bool) -> SensorDescription:
    """A power in W shown in kW: the flow now, or a fixed rating of the device.

    A rating has no statistics and a precision that fits its value.
    """
    read = attrgetter(key)
    return EVChargerCloudSensorDescription[Any](
        key=key,
        feature=feature,
        device_class=SensorDeviceClass.POWER,
        state_class=None if rating else SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfPower.WATT,
        suggested_unit_of_measurement=UnitOfPower.KILO_WATT,
        suggested_display_precision=1 if rating else 2,
        precision_fn=(lambda s: kilowatt_precision(read(s))) if rating else None,
        entity_category=EntityCategory.DIAGNOSTIC if rating else None,
        value_fn=read,
    )


def whole_number_sensor(
    key: str,
    feature: Feature,
    device_class: SensorDeviceClass,
    unit: str,
    state_class: SensorStateClass | None = SensorStateClass.MEASUREMENT,
    entity_category: EntityCategory | None = None,
) -> SensorDescription:
    """A reading shown without decimals: a battery, a distance, a duration (s shown in min)."""
    return EVChargerCloudSensorDescription[Any](
        key=key,
        feature=feature,
        device_class=device_class,
        state_class=state_class,
        native_unit_of_measurement=unit,
        suggested_unit_of_measurement=UnitOfTime.MINUTES if unit == UnitOfTime.SECONDS else None,
        suggested_display_precision=0,
        entity_category=entity_category,
        value_fn=attrgetter(key),
    )


def current_sensor(
    key: str, feature: Feature, state_class: SensorStateClass | None, *, enabled: bool
) -> SensorDescription:
    """A diagnostic current limit in A."""
    return EVChargerCloudSensorDescription[Any](
        key=key,
        feature=feature,
        device_class=SensorDeviceClass.CURRENT,
        state_class=state_class,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        suggested_display_precision=0,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=enabled,
        value_fn=attrgetter(key),
    )


def hidden_diagnostic(key: str, feature: Feature, **fields: Any) -> SensorDescription:
    """A diagnostic reading that few want recorded: disabled until the user enables it."""
    return EVChargerCloudSensorDescription[Any](
        key=key,
        feature=feature,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=attrgetter(key),
        **fields,
    )


def charge_time_remaining_sensor() -> SensorDescription:
    """The time left until the charge target is reached."""
    return whole_number_sensor(
        "charge_time_remaining",
        Feature.CHARGE_TIME_REMAINING,
        SensorDeviceClass.DURATION,
        UnitOfTime.SECONDS,
    )


CONNECTOR_SENSORS: tuple[EVChargerCloudSensorDescription[Connector], ...] = (
    power_sensor("charging_power", Feature.CHARGING_POWER, rating=False),
    energy_meter("session_energy", Feature.SESSION_ENERGY),
    energy_meter("session_green_energy", Feature.SESSION_ENERGY_SPLIT, enabled=False),
    energy_meter("session_grid_energy", Feature.SESSION_ENERGY_SPLIT, enabled=False),
    # Resets at the next session like session energy (Energy dashboard: the total).
    energy_meter("session_discharged_energy", Feature.DISCHARGED_ENERGY),
    whole_number_sensor(
        "added_range",
        Feature.ADDED_RANGE,
        SensorDeviceClass.DISTANCE,
        UnitOfLength.KILOMETERS,
        SensorStateClass.TOTAL_INCREASING,
    ),
    whole_number_sensor(
        "charging_time",
        Feature.CHARGING_TIME,
        SensorDeviceClass.DURATION,
        UnitOfTime.SECONDS,
        SensorStateClass.TOTAL_INCREASING,
    ),
    EVChargerCloudSensorDescription(
        key="status",
        feature=Feature.CHARGING_POWER,
        device_class=SensorDeviceClass.ENUM,
        options=[status.value for status in ChargerStatus],
        value_fn=lambda c: c.status.value,
    ),
    whole_number_sensor(
        "state_of_charge", Feature.STATE_OF_CHARGE, SensorDeviceClass.BATTERY, PERCENTAGE
    ),
    hidden_diagnostic("status_code", Feature.CHARGING_POWER),
    # The cloud's own meter (Podero); clouds with session counters only get the
    # summed-up meter of energy_total.py under the same key instead.
    energy_meter("total_energy", Feature.TOTAL_ENERGY),
    *energy_window_sensors(),
    charge_time_remaining_sensor(),
    EVChargerCloudSensorDescription(
        key="session_started",
        feature=Feature.SESSION_STARTED,
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=lambda c: c.session_started,
    ),
    power_sensor("rated_power", Feature.RATED_POWER, rating=True),
    current_sensor("max_current", Feature.MAX_CURRENT, None, enabled=True),
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
            value_fn=attrgetter(key),
        )
        for key in ("connection_status", "monitoring_status", "steering_status")
    ),
    power_sensor("max_charging_power", Feature.MAX_CHARGING_POWER, rating=True),
    hidden_diagnostic("phases", Feature.PHASES),
    current_sensor(
        "max_available_current",
        Feature.MAX_AVAILABLE_CURRENT,
        SensorStateClass.MEASUREMENT,
        enabled=False,
    ),
    # The number with the same value: shown as the cloud has it ("0.24", not "0.240").
    hidden_diagnostic("energy_price", Feature.ENERGY_PRICE, unit_fn=price_unit),
    # It changes at every heartbeat of every box: a state write per box and poll
    # that few want recorded. Cloud connection tells whether a box is there.
    hidden_diagnostic(
        "last_heartbeat", Feature.LAST_HEARTBEAT, device_class=SensorDeviceClass.TIMESTAMP
    ),
)

VEHICLE_SENSORS: tuple[EVChargerCloudSensorDescription[Vehicle], ...] = (
    whole_number_sensor(
        "battery_level", Feature.BATTERY_LEVEL, SensorDeviceClass.BATTERY, PERCENTAGE
    ),
    whole_number_sensor(
        "driving_range", Feature.DRIVING_RANGE, SensorDeviceClass.DISTANCE, UnitOfLength.KILOMETERS
    ),
    power_sensor("charging_power", Feature.CHARGING_POWER, rating=False),
    charge_time_remaining_sensor(),
    *energy_window_sensors(),
    whole_number_sensor(
        "battery_capacity",
        Feature.BATTERY_CAPACITY,
        SensorDeviceClass.ENERGY_STORAGE,
        UnitOfEnergy.KILO_WATT_HOUR,
        state_class=None,
        entity_category=EntityCategory.DIAGNOSTIC,
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
