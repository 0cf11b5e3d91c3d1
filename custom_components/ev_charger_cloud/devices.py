"""Cloud devices in the device registry: their identifiers and entries, registered at setup.

Chargers and vehicles are registered when the entry sets up and whenever a
poll shows a new one, before their entities are created (the coordinator
listener that does it comes before the platforms'). So a connector of a
charger with several, a child device that names its parent by registry id,
always finds the charger there; entities only look it up.
"""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator

from .api import AccountSettings, Charger, Device, Target, Vehicle
from .const import DOMAIN


def device_identifier(provider: str, device_id: str) -> tuple[str, str]:
    """The device registry identifier of a device (device ids are unique per cloud)."""
    return (DOMAIN, f"{provider}_{device_id}")


def connector_identifier(provider: str, target: Target) -> tuple[str, str]:
    """The device registry identifier of one connector of a charger with several."""
    return (DOMAIN, f"{provider}_{target.device_id}_{target.connector_id}")


def registry_identifiers(provider: str, device: Device) -> set[tuple[str, str]]:
    """The identifiers of a device and of the connector devices it may have."""
    connectors = device.connectors if isinstance(device, Charger) else ()
    return {
        device_identifier(provider, device.device_id),
        *(
            connector_identifier(provider, Target(device.device_id, connector.connector_id))
            for connector in connectors
        ),
    }


def device_info(provider: str, device: Device) -> DeviceInfo:
    """The registry entry of a cloud device."""
    return DeviceInfo(
        identifiers={device_identifier(provider, device.device_id)},
        name=device.name,
        manufacturer=device.manufacturer,
        model=device.model,
        model_id=device.model_id,
        serial_number=device.serial_number,
        sw_version=device.firmware_version,
        entry_type=DeviceEntryType.SERVICE if isinstance(device, AccountSettings) else None,
    )


def registered_device_id(hass: HomeAssistant, entry_id: str, provider: str, device_id: str) -> str:
    """The registry id of a charger or vehicle, registered at setup or when it showed up."""
    entry = dr.async_get(hass).async_get_device_by_identifier(
        device_identifier(provider, device_id), entry_id
    )
    if entry is None:
        raise LookupError(f"Device {device_id} of {provider} is not registered")
    return entry.id


@callback
def async_register_devices(
    hass: HomeAssistant,
    entry: ConfigEntry[Any],
    coordinator: DataUpdateCoordinator[dict[str, Device]],
    provider: str,
) -> None:
    """Register the account's chargers and vehicles now, and new ones as polls show them.

    Call before the platforms are set up, so this listener runs before theirs.
    """
    registry = dr.async_get(hass)
    registered: set[str] = set()

    @callback
    def register_new() -> None:
        # A device that left is registered again if it comes back (the user may remove it).
        registered.intersection_update(coordinator.data)
        for device in coordinator.data.values():
            if isinstance(device, Charger | Vehicle) and device.device_id not in registered:
                registry.async_get_or_create(
                    config_entry_id=entry.entry_id, **device_info(provider, device)
                )
                registered.add(device.device_id)

    register_new()
    entry.async_on_unload(coordinator.async_add_listener(register_new))
