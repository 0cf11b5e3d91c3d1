"""Binary sensors: plugged in, charging, fully charged and the cloud connection."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from homeassistant.components.binary_sensor import (
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.components.binary_sensor.const import BinarySensorDeviceClass
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import Charger, Connector, Feature, Vehicle
from .coordinator import EVChargerCloudConfigEntry
from .entity import (
    ChargerEntity,
    ConnectorEntity,
    EVChargerCloudEntity,
    KeyTranslatedDescription,
    Subject,
    VehicleEntity,
    async_add_entities_for,
)

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class EVChargerCloudBinarySensorDescription[SubjectT: Subject](
    KeyTranslatedDescription[SubjectT], BinarySensorEntityDescription
):
    """A binary sensor reading one flag of its subject (None: not known)."""

    is_on_fn: Callable[[SubjectT], bool | None]


def _plug_and_charge[S: Connector | Vehicle]() -> tuple[
    EVChargerCloudBinarySensorDescription[S], ...
]:
    """Plugged in and charging: the same flags on a charging session and on a vehicle."""
    return (
        EVChargerCloudBinarySensorDescription[S](
            key="plugged_in",
            feature=Feature.PLUGGED_IN,
            device_class=BinarySensorDeviceClass.PLUG,
            is_on_fn=lambda s: s.plugged_in,
        ),
        EVChargerCloudBinarySensorDescription[S](
            key="charging",
            feature=Feature.CHARGING_STATE,
            device_class=BinarySensorDeviceClass.BATTERY_CHARGING,
            is_on_fn=lambda s: s.charging,
        ),
    )


CONNECTOR_BINARY_SENSORS: tuple[EVChargerCloudBinarySensorDescription[Connector], ...] = (
    _plug_and_charge()
)

CHARGER_BINARY_SENSORS: tuple[EVChargerCloudBinarySensorDescription[Charger], ...] = (
    EVChargerCloudBinarySensorDescription(
        key="connectivity",
        feature=Feature.CONNECTIVITY,
        device_class=BinarySensorDeviceClass.CONNECTIVITY,
        entity_category=EntityCategory.DIAGNOSTIC,
        is_on_fn=lambda c: c.online,
    ),
)

VEHICLE_BINARY_SENSORS: tuple[EVChargerCloudBinarySensorDescription[Vehicle], ...] = (
    *_plug_and_charge(),
    EVChargerCloudBinarySensorDescription(
        key="fully_charged",
        feature=Feature.CHARGING_STATE,
        is_on_fn=lambda v: v.fully_charged,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: EVChargerCloudConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the binary sensors of every charger, connector and vehicle."""
    async_add_entities_for(
        entry, async_add_entities, ConnectorBinarySensor, CONNECTOR_BINARY_SENSORS
    )
    async_add_entities_for(entry, async_add_entities, ChargerBinarySensor, CHARGER_BINARY_SENSORS)
    async_add_entities_for(entry, async_add_entities, VehicleBinarySensor, VEHICLE_BINARY_SENSORS)


class EVChargerCloudBinarySensor[SubjectT: Subject](
    EVChargerCloudEntity[SubjectT], BinarySensorEntity
):
    """A flag of the entity's subject."""

    entity_description: EVChargerCloudBinarySensorDescription[SubjectT]

    @property
    def is_on(self) -> bool | None:
        """The flag; None when the cloud does not tell."""
        return self.entity_description.is_on_fn(self.subject)


class ConnectorBinarySensor(EVChargerCloudBinarySensor[Connector], ConnectorEntity):
    """A flag of a charging session."""


class ChargerBinarySensor(EVChargerCloudBinarySensor[Charger], ChargerEntity):
    """A flag of a charger as a whole."""


class VehicleBinarySensor(EVChargerCloudBinarySensor[Vehicle], VehicleEntity):
    """A flag of a vehicle."""
