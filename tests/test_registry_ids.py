"""Unique ids, entity ids and devices of each cloud's test account stay as they are.

Wallbox's list was written down before the device-kind model, Podero's and Thor's before
the "room per cloud" restructure (issue 15); a difference would orphan registry entries
(and users' dashboards) without a migration.
"""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

pytest_plugins = ["tests.podero_entry_fixtures", "tests.thor_entry_fixtures"]

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


PODERO_IDS = [
    ("podero_04751752-d36d-500b-a801-2c043ccc02bc_boost", "button.garage_boost"),
    ("podero_04751752-d36d-500b-a801-2c043ccc02bc_cancel_boost", "button.garage_cancel_boost"),
    (
        "podero_04751752-d36d-500b-a801-2c043ccc02bc_charge_time_remaining",
        "sensor.garage_charge_time_remaining",
    ),
    ("podero_04751752-d36d-500b-a801-2c043ccc02bc_charging", "binary_sensor.garage_charging"),
    ("podero_04751752-d36d-500b-a801-2c043ccc02bc_charging", "switch.garage_charging"),
    ("podero_04751752-d36d-500b-a801-2c043ccc02bc_charging_power", "sensor.garage_charging_power"),
    (
        "podero_04751752-d36d-500b-a801-2c043ccc02bc_connection_status",
        "sensor.garage_connection_status",
    ),
    (
        "podero_04751752-d36d-500b-a801-2c043ccc02bc_connectivity",
        "binary_sensor.garage_cloud_connection",
    ),
    (
        "podero_04751752-d36d-500b-a801-2c043ccc02bc_energy_last_day",
        "sensor.garage_energy_last_day",
    ),
    (
        "podero_04751752-d36d-500b-a801-2c043ccc02bc_energy_last_month",
        "sensor.garage_energy_last_month",
    ),
    (
        "podero_04751752-d36d-500b-a801-2c043ccc02bc_energy_last_week",
        "sensor.garage_energy_last_week",
    ),
    (
        "podero_04751752-d36d-500b-a801-2c043ccc02bc_max_charging_power",
        "sensor.garage_maximum_charging_power",
    ),
    (
        "podero_04751752-d36d-500b-a801-2c043ccc02bc_monitoring_status",
        "sensor.garage_monitoring_status",
    ),
    ("podero_04751752-d36d-500b-a801-2c043ccc02bc_phases", "sensor.garage_phases"),
    ("podero_04751752-d36d-500b-a801-2c043ccc02bc_plugged_in", "binary_sensor.garage_plugged_in"),
    (
        "podero_04751752-d36d-500b-a801-2c043ccc02bc_smart_optimization",
        "switch.garage_smart_optimization",
    ),
    ("podero_04751752-d36d-500b-a801-2c043ccc02bc_status", "sensor.garage_status"),
    ("podero_04751752-d36d-500b-a801-2c043ccc02bc_status_code", "sensor.garage_status_code"),
    (
        "podero_04751752-d36d-500b-a801-2c043ccc02bc_steering_status",
        "sensor.garage_steering_status",
    ),
    ("podero_04751752-d36d-500b-a801-2c043ccc02bc_total_energy", "sensor.garage_total_energy"),
    (
        "podero_7b1d782e-0de7-52cf-a66a-b081b5d4cd33_battery_capacity",
        "sensor.volkswagen_id_4_battery_capacity",
    ),
    (
        "podero_7b1d782e-0de7-52cf-a66a-b081b5d4cd33_battery_level",
        "sensor.volkswagen_id_4_battery_level",
    ),
    ("podero_7b1d782e-0de7-52cf-a66a-b081b5d4cd33_boost", "switch.volkswagen_id_4_boost"),
    (
        "podero_7b1d782e-0de7-52cf-a66a-b081b5d4cd33_charge_deadline",
        "time.volkswagen_id_4_charge_deadline",
    ),
    (
        "podero_7b1d782e-0de7-52cf-a66a-b081b5d4cd33_charge_policy",
        "switch.volkswagen_id_4_charge_target",
    ),
    (
        "podero_7b1d782e-0de7-52cf-a66a-b081b5d4cd33_charge_time_remaining",
        "sensor.volkswagen_id_4_charge_time_remaining",
    ),
    (
        "podero_7b1d782e-0de7-52cf-a66a-b081b5d4cd33_charging",
        "binary_sensor.volkswagen_id_4_charging",
    ),
    ("podero_7b1d782e-0de7-52cf-a66a-b081b5d4cd33_charging", "switch.volkswagen_id_4_charging"),
    (
        "podero_7b1d782e-0de7-52cf-a66a-b081b5d4cd33_charging_power",
        "sensor.volkswagen_id_4_charging_power",
    ),
    (
        "podero_7b1d782e-0de7-52cf-a66a-b081b5d4cd33_driving_range",
        "sensor.volkswagen_id_4_driving_range",
    ),
    (
        "podero_7b1d782e-0de7-52cf-a66a-b081b5d4cd33_energy_last_day",
        "sensor.volkswagen_id_4_energy_last_day",
    ),
    (
        "podero_7b1d782e-0de7-52cf-a66a-b081b5d4cd33_energy_last_month",
        "sensor.volkswagen_id_4_energy_last_month",
    ),
    (
        "podero_7b1d782e-0de7-52cf-a66a-b081b5d4cd33_energy_last_week",
        "sensor.volkswagen_id_4_energy_last_week",
    ),
    (
        "podero_7b1d782e-0de7-52cf-a66a-b081b5d4cd33_fully_charged",
        "binary_sensor.volkswagen_id_4_fully_charged",
    ),
    (
        "podero_7b1d782e-0de7-52cf-a66a-b081b5d4cd33_location",
        "device_tracker.volkswagen_id_4_location",
    ),
    (
        "podero_7b1d782e-0de7-52cf-a66a-b081b5d4cd33_minimum_charge_limit",
        "number.volkswagen_id_4_minimum_charge_limit",
    ),
    (
        "podero_7b1d782e-0de7-52cf-a66a-b081b5d4cd33_plugged_in",
        "binary_sensor.volkswagen_id_4_plugged_in",
    ),
    (
        "podero_7b1d782e-0de7-52cf-a66a-b081b5d4cd33_smart_optimization",
        "switch.volkswagen_id_4_smart_optimization",
    ),
    ("podero_account-a5b6734d2996c32e_charging_mode", "select.podero_charging_mode"),
]

THOR_IDS = [
    ("thor_CB-GARAGE_charging", "switch.garage_charging"),
    ("thor_CB-GARAGE_charging_power", "sensor.garage_charging_power"),
    ("thor_CB-GARAGE_connectivity", "binary_sensor.garage_cloud_connection"),
    ("thor_CB-GARAGE_last_heartbeat", "sensor.garage_last_heartbeat"),
    ("thor_CB-GARAGE_max_current", "sensor.garage_maximum_current"),
    ("thor_CB-GARAGE_rated_power", "sensor.garage_rated_power"),
    ("thor_CB-GARAGE_session_energy", "sensor.garage_session_energy"),
    ("thor_CB-GARAGE_session_started", "sensor.garage_session_started"),
    ("thor_CB-GARAGE_status", "sensor.garage_status"),
    ("thor_CB-GARAGE_status_code", "sensor.garage_status_code"),
    ("thor_CB-GARAGE_total_energy", "sensor.garage_total_energy"),
    ("thor_CB-PARKING-A_1_charging", "switch.parking_a_connector_1_charging"),
    ("thor_CB-PARKING-A_1_charging_power", "sensor.parking_a_connector_1_charging_power"),
    ("thor_CB-PARKING-A_1_max_current", "sensor.parking_a_connector_1_maximum_current"),
    ("thor_CB-PARKING-A_1_rated_power", "sensor.parking_a_connector_1_rated_power"),
    ("thor_CB-PARKING-A_1_session_energy", "sensor.parking_a_connector_1_session_energy"),
    ("thor_CB-PARKING-A_1_session_started", "sensor.parking_a_connector_1_session_started"),
    ("thor_CB-PARKING-A_1_status", "sensor.parking_a_connector_1_status"),
    ("thor_CB-PARKING-A_1_status_code", "sensor.parking_a_connector_1_status_code"),
    ("thor_CB-PARKING-A_1_total_energy", "sensor.parking_a_connector_1_total_energy"),
    ("thor_CB-PARKING-A_2_charging", "switch.parking_a_connector_2_charging"),
    ("thor_CB-PARKING-A_2_charging_power", "sensor.parking_a_connector_2_charging_power"),
    ("thor_CB-PARKING-A_2_max_current", "sensor.parking_a_connector_2_maximum_current"),
    ("thor_CB-PARKING-A_2_rated_power", "sensor.parking_a_connector_2_rated_power"),
    ("thor_CB-PARKING-A_2_session_energy", "sensor.parking_a_connector_2_session_energy"),
    ("thor_CB-PARKING-A_2_session_started", "sensor.parking_a_connector_2_session_started"),
    ("thor_CB-PARKING-A_2_status", "sensor.parking_a_connector_2_status"),
    ("thor_CB-PARKING-A_2_status_code", "sensor.parking_a_connector_2_status_code"),
    ("thor_CB-PARKING-A_2_total_energy", "sensor.parking_a_connector_2_total_energy"),
    ("thor_CB-PARKING-A_connectivity", "binary_sensor.parking_a_cloud_connection"),
    ("thor_CB-PARKING-A_last_heartbeat", "sensor.parking_a_last_heartbeat"),
]

type Identifiers = list[tuple[str, str]]


def ids(hass: HomeAssistant, entry: MockConfigEntry) -> list[tuple[str, str]]:
    """The entry's (unique id, entity id) pairs, sorted."""
    entries = er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    return sorted((entity.unique_id, entity.entity_id) for entity in entries)


def devices(hass: HomeAssistant, entry: MockConfigEntry) -> list[tuple[Identifiers, Identifiers]]:
    """The entry's devices and child devices: identifiers and the parent's ([] for none)."""
    registry = dr.async_get(hass)
    found = []
    for device in dr.async_entries_for_config_entry(registry, entry.entry_id):
        assert device.via_device_id is None, device.identifiers
        found.append((sorted(device.identifiers), []))
    for child in dr.async_child_entries_for_config_entry(registry, entry.entry_id):
        parent = registry.async_get(child.parent_device_id)
        assert parent is not None, child.identifiers
        found.append((sorted(child.identifiers), sorted(parent.identifiers)))
    return sorted(found)


WALLBOX_DEVICES = [
    ([("ev_charger_cloud", "wallbox_100001")], []),
    ([("ev_charger_cloud", "wallbox_100002")], []),
]
# A wallbox, an EV and the account's own device.
PODERO_DEVICES = [
    ([("ev_charger_cloud", "podero_04751752-d36d-500b-a801-2c043ccc02bc")], []),
    ([("ev_charger_cloud", "podero_7b1d782e-0de7-52cf-a66a-b081b5d4cd33")], []),
    ([("ev_charger_cloud", "podero_account-a5b6734d2996c32e")], []),
]
# Parking A's connectors are child devices of it.
PARKING = [("ev_charger_cloud", "thor_CB-PARKING-A")]
THOR_DEVICES = [
    ([("ev_charger_cloud", "thor_CB-GARAGE")], []),
    (PARKING, []),
    ([("ev_charger_cloud", "thor_CB-PARKING-A_1")], PARKING),
    ([("ev_charger_cloud", "thor_CB-PARKING-A_2")], PARKING),
]


@pytest.fixture
def cloud_entry(request: pytest.FixtureRequest) -> MockConfigEntry:
    """The set-up entry of the fixture named by the test's parameter."""
    entry: MockConfigEntry = request.getfixturevalue(request.param)
    return entry


@pytest.mark.parametrize(
    ("cloud_entry", "expected_ids", "expected_devices"),
    [
        ("init_integration", WALLBOX_IDS, WALLBOX_DEVICES),
        ("entry", PODERO_IDS, PODERO_DEVICES),
        ("thor_entry", THOR_IDS, THOR_DEVICES),
    ],
    ids=["wallbox", "podero", "thor"],
    indirect=["cloud_entry"],
)
async def test_unique_and_entity_ids_unchanged(
    hass: HomeAssistant,
    cloud_entry: MockConfigEntry,
    expected_ids: list[tuple[str, str]],
    expected_devices: list[tuple[Identifiers, Identifiers]],
) -> None:
    """Each cloud's test account gets exactly the registry entries it always got."""
    assert ids(hass, cloud_entry) == expected_ids
    assert devices(hass, cloud_entry) == expected_devices
