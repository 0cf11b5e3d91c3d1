"""Wallbox unique ids, entity ids and devices stay as they were before the device-kind model.

The list was written down from the code before the change; a difference would orphan
registry entries (and users' dashboards) without a migration.
"""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

WALLBOX_IDS = [
    ("wallbox_100001_added_range", "sensor.garage_added_range"),
    ("wallbox_100001_charging", "switch.garage_charging"),
    ("wallbox_100001_charging_power", "sensor.garage_charging_power"),
    ("wallbox_100001_charging_time", "sensor.garage_charging_time"),
    ("wallbox_100001_eco_smart", "select.garage_solar_charging"),
    ("wallbox_100001_energy_price", "number.garage_energy_price"),
    ("wallbox_100001_energy_price", "sensor.garage_energy_price_read_only"),
    ("wallbox_100001_firmware", "update.garage_firmware"),
    ("wallbox_100001_icp_max_current", "number.garage_power_boost_supply_limit"),
    ("wallbox_100001_lock", "lock.garage_lock"),
    ("wallbox_100001_max_available_current", "sensor.garage_maximum_available_current"),
    ("wallbox_100001_max_charging_current", "number.garage_maximum_charging_current"),
    ("wallbox_100001_restart", "button.garage_restart"),
    ("wallbox_100001_resume_schedule", "button.garage_resume_schedule"),
    ("wallbox_100001_session_energy", "sensor.garage_session_energy"),
    ("wallbox_100001_session_green_energy", "sensor.garage_session_green_energy"),
    ("wallbox_100001_session_grid_energy", "sensor.garage_session_grid_energy"),
    ("wallbox_100001_status", "sensor.garage_status"),
    ("wallbox_100001_status_code", "sensor.garage_status_code"),
    ("wallbox_100001_total_energy", "sensor.garage_total_energy"),
    ("wallbox_100002_added_range", "sensor.office_added_range"),
    ("wallbox_100002_charging", "switch.office_charging"),
    ("wallbox_100002_charging_power", "sensor.office_charging_power"),
    ("wallbox_100002_charging_time", "sensor.office_charging_time"),
    ("wallbox_100002_energy_price", "number.office_energy_price"),
    ("wallbox_100002_energy_price", "sensor.office_energy_price_read_only"),
    ("wallbox_100002_firmware", "update.office_firmware"),
    ("wallbox_100002_lock", "lock.office_lock"),
    ("wallbox_100002_max_available_current", "sensor.office_maximum_available_current"),
    ("wallbox_100002_max_charging_current", "number.office_maximum_charging_current"),
    ("wallbox_100002_restart", "button.office_restart"),
    ("wallbox_100002_resume_schedule", "button.office_resume_schedule"),
    ("wallbox_100002_session_energy", "sensor.office_session_energy"),
    ("wallbox_100002_session_green_energy", "sensor.office_session_green_energy"),
    ("wallbox_100002_session_grid_energy", "sensor.office_session_grid_energy"),
    ("wallbox_100002_status", "sensor.office_status"),
    ("wallbox_100002_status_code", "sensor.office_status_code"),
    ("wallbox_100002_total_energy", "sensor.office_total_energy"),
]


async def test_wallbox_unique_and_entity_ids_unchanged(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """The test account gets exactly the registry entries it always got."""
    entries = er.async_entries_for_config_entry(entity_registry, init_integration.entry_id)
    assert sorted((entry.unique_id, entry.entity_id) for entry in entries) == WALLBOX_IDS
    devices = dr.async_entries_for_config_entry(device_registry, init_integration.entry_id)
    assert sorted(sorted(device.identifiers) for device in devices) == [
        [("ev_charger_cloud", "wallbox_100001")],
        [("ev_charger_cloud", "wallbox_100002")],
    ]
    assert all(device.via_device_id is None for device in devices)
