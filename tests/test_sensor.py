"""Sensors: the demo accounts' snapshot, Wallbox readings over time, and display precisions.

Numeric sensors show whole values without a needless ".0" ("32 A", "22 kW", "0.24 EUR/kWh"):
the frontend formats a sensor's state with the display precision stored in the entity
registry (from ``suggested_display_precision``); a sensor without one shows its state as is.
"""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ev_charger_cloud.sensor import (
    CHARGER_SENSORS,
    CONNECTOR_SENSORS,
    VEHICLE_SENSORS,
    kilowatt_precision,
)
from simulator.wallbox.model import Car

from .conftest import POLL, RunningSimulator, advance, attributes, state_of
from .platform_helpers import SnapshotDemo, set_up_one_charger

# Values that are whole by nature (A, %, km, min, whole kWh of a battery): no decimals.
WHOLE = {
    "max_available_current",
    "max_current",
    "state_of_charge",
    "battery_level",
    "added_range",
    "driving_range",
    "charging_time",
    "charge_time_remaining",
    "battery_capacity",
}

pytest_plugins = [
    "tests.demo_accounts",
    "tests.podero_entry_fixtures",
    "tests.thor_entry_fixtures",
]


@pytest.mark.parametrize("demo_platforms", [[Platform.SENSOR]], ids=["sensor"])
async def test_demo_accounts(snapshot_demo: SnapshotDemo) -> None:
    """Every sensor of the cloud's demo account: registry entry and state."""
    await snapshot_demo()


@pytest.mark.usefixtures("init_integration")
async def test_energy_accumulates_while_charging(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """30 minutes at 3.68 kW add 1.84 kWh to the session."""
    for _ in range(20):
        await advance(hass, freezer, POLL)
    # The charging garage is read at every poll (the idle office only every 15 min).
    assert attributes(hass, "sensor.garage_session_energy")[:2] == ("1.84", "kWh")
    minutes, unit = attributes(hass, "sensor.garage_charging_time")[:2]
    assert (round(float(minutes), 2), unit) == (30.0, "min")


async def test_state_of_charge_appears_when_a_car_reports_it(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: RunningSimulator,
    config_entry: MockConfigEntry,
) -> None:
    """A charger that reads the battery gets the sensor once a car tells its level."""
    cloud = simulator.sim.wallbox
    charger = await set_up_one_charger(hass, simulator, config_entry, reports_soc=True)
    assert hass.states.get("sensor.garage_state_of_charge") is None  # no car yet
    cloud.plug_in(charger.id, Car(soc_percent=40))
    await advance(hass, freezer)
    assert attributes(hass, "sensor.garage_state_of_charge")[:2] == ("40.0", "%")
    # It stays when the car leaves, and reads unknown.
    cloud.unplug(charger.id)
    await advance(hass, freezer)
    assert state_of(hass, "sensor.garage_state_of_charge") == "unknown"


def shown_precision(entity_registry: er.EntityRegistry, entity_id: str) -> int | None:
    """The precision the frontend formats the state with (None: the state as is)."""
    entry = entity_registry.async_get(entity_id)
    assert entry is not None, entity_id
    options = entry.options.get("sensor", {})
    precision = options.get("display_precision", options.get("suggested_display_precision"))
    return None if precision is None else int(precision)


def test_whole_valued_sensors_have_no_decimals() -> None:
    """Every description of a whole-valued reading asks for 0 decimals."""
    descriptions = {d.key: d for d in (*CONNECTOR_SENSORS, *CHARGER_SENSORS, *VEHICLE_SENSORS)}
    assert set(descriptions) >= WHOLE
    for key in WHOLE:
        assert descriptions[key].suggested_display_precision == 0, key


@pytest.mark.parametrize(
    ("watts", "decimals"), [(22000, 0), (11000.0, 0), (7400, 1), (3680, 1), (None, 1)]
)
def test_power_ratings_show_decimals_only_when_needed(watts: float | None, decimals: int) -> None:
    """22 kW, not 22.0 kW; 7.4 kW keeps its decimal."""
    assert kilowatt_precision(watts) == decimals


@pytest.mark.usefixtures("entity_registry_enabled_by_default", "init_integration")
async def test_wallbox_precisions(hass: HomeAssistant, entity_registry: er.EntityRegistry) -> None:
    """32 A with no decimal; the price as the cloud has it, like the number beside it."""
    assert state_of(hass, "sensor.garage_maximum_available_current") == "32.0"
    assert shown_precision(entity_registry, "sensor.garage_maximum_available_current") == 0
    assert state_of(hass, "sensor.garage_energy_price_read_only") == "0.24"
    assert shown_precision(entity_registry, "sensor.garage_energy_price_read_only") is None
    assert state_of(hass, "number.garage_energy_price") == "0.24"


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_thor_power_ratings(
    hass: HomeAssistant, thor_entry: MockConfigEntry, entity_registry: er.EntityRegistry
) -> None:
    """Connectors rated 22 kW and 11 kW show as such, their currents as 32 A and 16 A."""
    for entity_id in (
        "sensor.garage_rated_power",
        "sensor.parking_a_connector_1_rated_power",
        "sensor.garage_maximum_current",
    ):
        assert shown_precision(entity_registry, entity_id) == 0, entity_id


async def test_battery_level_shows_whole_percent(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    """Podero reports whole percent: shown as "40 %", not "40.0 %"."""
    registered = er.async_get(hass).async_get("sensor.volkswagen_id_4_battery_level")
    assert registered is not None
    assert registered.options["sensor"]["suggested_display_precision"] == 0
