"""EV Charger Cloud: EV chargers behind vendor clouds, one entry per account."""

from __future__ import annotations

from typing import Any

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryError
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from .api import Provider
from .const import CONF_API_URL, CONF_DEVICE_IDS, CONF_PROVIDER, DOMAIN
from .coordinator import ChargerCloudCoordinator, EVChargerCloudConfigEntry, RuntimeData
from .devices import async_register_devices, registry_identifiers
from .issues import async_clear_entry_issues, async_track_reconnect_issues
from .providers import PROVIDERS
from .push import async_setup_push
from .push_url import async_forget_cloudhook
from .server_url import server_url_allowed

PLATFORMS: list[Platform] = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.DEVICE_TRACKER,
    Platform.LOCK,
    Platform.NUMBER,
    Platform.SELECT,
    Platform.SENSOR,
    Platform.SWITCH,
    Platform.TIME,
    Platform.UPDATE,
]


async def async_setup_entry(hass: HomeAssistant, entry: EVChargerCloudConfigEntry) -> bool:
    """Connect to the account, read its chargers and set up their entities."""

    @callback
    def keep(updates: dict[str, Any]) -> None:
        # Tokens and the charger list survive restarts, so a restart costs no sign-in.
        hass.config_entries.async_update_entry(entry, data={**entry.data, **updates})

    api_url = entry.data.get(CONF_API_URL)
    if api_url and not server_url_allowed(api_url):
        # An entry from before the flows checked the URL: its credentials stay here.
        raise ConfigEntryError(translation_domain=DOMAIN, translation_key="server_url_not_allowed")
    spec = PROVIDERS[Provider(entry.data[CONF_PROVIDER])]
    client = spec.build_client(async_get_clientsession(hass), entry.data, entry.options, keep)
    coordinator = ChargerCloudCoordinator(
        hass,
        entry,
        client,
        known_ids=entry.data.get(CONF_DEVICE_IDS, ()),
        on_discovered=lambda ids: keep({CONF_DEVICE_IDS: ids}),
    )
    await coordinator.async_config_entry_first_refresh()
    entry.runtime_data = RuntimeData(client=client, coordinator=coordinator)
    # Before the entities: a connector's child device names its charger's registry entry.
    async_register_devices(hass, entry, coordinator, client.provider)
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    async_track_reconnect_issues(hass, entry, coordinator, client.provider)
    async_setup_push(hass, entry)
    return True


async def async_unload_entry(hass: HomeAssistant, entry: EVChargerCloudConfigEntry) -> bool:
    """Unload the entities; the coordinator stops with the entry."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: EVChargerCloudConfigEntry) -> None:
    """Forget the entry's repair issues with it, and its Home Assistant Cloud webhook."""
    async_clear_entry_issues(hass, entry.entry_id)
    await async_forget_cloudhook(hass, entry)


async def async_remove_config_entry_device(
    hass: HomeAssistant, entry: EVChargerCloudConfigEntry, device: dr.DeviceEntry
) -> bool:
    """Let the user remove a device that is no longer part of the account."""
    coordinator = entry.runtime_data.coordinator
    provider = coordinator.client.provider
    current = {
        identifier
        for cloud_device in coordinator.data.values()
        for identifier in registry_identifiers(provider, cloud_device)
    }
    return not device.identifiers & current
