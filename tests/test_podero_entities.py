"""The read-only entities of Podero devices, against the simulator.

A wallbox (a charger with one connector) and the EVs of one user: their sensors
and binary sensors, how they follow the simulator's physics and the plug.
"""

from __future__ import annotations

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import (
    STATE_OFF,
    STATE_ON,
    STATE_UNKNOWN,
)
from homeassistant.core import HomeAssistant
import pytest

from simulator import Simulator
from simulator.podero.model import PoderoVehicle as SimVehicle, PoderoWallbox as SimWallbox
from tests.podero_helpers import USER_ID

from .conftest import advance, attributes, state_of, value
from .platform_helpers import assert_enabled_and_categories

pytest_plugins = ["tests.podero_fixtures", "tests.podero_entry_fixtures"]

POLL = timedelta(minutes=5)
WALLBOX = "garage"
EV = "volkswagen_id_4"


# (entity id, enabled by default, diagnostic)
REGISTRY = [
    (f"sensor.{WALLBOX}_total_energy", True, False),
    (f"sensor.{WALLBOX}_energy_last_day", True, False),
    (f"sensor.{WALLBOX}_energy_last_week", True, False),
    (f"sensor.{WALLBOX}_energy_last_month", True, False),
    (f"sensor.{WALLBOX}_charge_time_remaining", True, False),
    (f"sensor.{WALLBOX}_connection_status", True, True),
    (f"sensor.{WALLBOX}_monitoring_status", False, True),
    (f"sensor.{WALLBOX}_steering_status", False, True),
    (f"sensor.{WALLBOX}_maximum_charging_power", True, True),
    (f"sensor.{WALLBOX}_phases", False, True),
    (f"binary_sensor.{WALLBOX}_plugged_in", True, False),
    (f"binary_sensor.{WALLBOX}_charging", True, False),
    (f"binary_sensor.{WALLBOX}_cloud_connection", True, True),
    (f"sensor.{EV}_charging_power", True, False),
    (f"sensor.{EV}_charge_time_remaining", True, False),
    (f"sensor.{EV}_energy_last_day", True, False),
    (f"sensor.{EV}_energy_last_week", True, False),
    (f"sensor.{EV}_energy_last_month", True, False),
    (f"sensor.{EV}_battery_capacity", True, True),
    (f"binary_sensor.{EV}_plugged_in", True, False),
    (f"binary_sensor.{EV}_charging", True, False),
    (f"binary_sensor.{EV}_fully_charged", True, False),
]


@pytest.mark.usefixtures("entry")
async def test_enabled_by_default_and_categories(hass: HomeAssistant) -> None:
    """Diagnostics are marked; the secondary health pills and the phases start disabled."""
    assert_enabled_and_categories(hass, REGISTRY)


@pytest.mark.usefixtures("entity_registry_enabled_by_default", "entry")
async def test_wallbox_entities(hass: HomeAssistant) -> None:
    """The wallbox's readings: units, device and state classes, translated enums."""
    expected = {
        f"sensor.{WALLBOX}_total_energy": ("0.0", "kWh", "energy", "total_increasing"),
        **{
            f"sensor.{WALLBOX}_energy_last_{window}": ("0.0", "kWh", "energy", None)
            for window in ("day", "week", "month")
        },
        # 46.2 kWh to 100 % at 11 kW: 4.2 h.
        f"sensor.{WALLBOX}_charge_time_remaining": ("252.0", "min", "duration", "measurement"),
        f"sensor.{WALLBOX}_maximum_charging_power": ("11.0", "kW", "power", None),
        f"sensor.{WALLBOX}_phases": ("3", None, None, None),
        f"binary_sensor.{WALLBOX}_plugged_in": (STATE_ON, None, "plug", None),
        f"binary_sensor.{WALLBOX}_charging": (STATE_ON, None, "battery_charging", None),
        f"binary_sensor.{WALLBOX}_cloud_connection": (STATE_ON, None, "connectivity", None),
    }
    for entity_id, shown in expected.items():
        assert attributes(hass, entity_id) == shown, entity_id
    for pill in ("connection", "monitoring", "steering"):
        state = hass.states.get(f"sensor.{WALLBOX}_{pill}_status")
        assert state is not None
        assert state.state == "ok"
        assert state.attributes["options"] == ["ok", "warning", "error", "unknown"]


@pytest.mark.usefixtures("entry")
async def test_vehicle_entities(hass: HomeAssistant) -> None:
    """The EV's readings: power, time left, energy windows, capacity and its flags."""
    expected = {
        f"sensor.{EV}_battery_level": ("40.0", "%", "battery", "measurement"),
        f"sensor.{EV}_driving_range": ("180.0", "km", "distance", "measurement"),
        f"sensor.{EV}_charging_power": ("11.0", "kW", "power", "measurement"),
        f"sensor.{EV}_charge_time_remaining": ("252.0", "min", "duration", "measurement"),
        **{
            f"sensor.{EV}_energy_last_{window}": ("0.0", "kWh", "energy", None)
            for window in ("day", "week", "month")
        },
        f"sensor.{EV}_battery_capacity": ("77.0", "kWh", "energy_storage", None),
        f"binary_sensor.{EV}_plugged_in": (STATE_ON, None, "plug", None),
        f"binary_sensor.{EV}_charging": (STATE_ON, None, "battery_charging", None),
        f"binary_sensor.{EV}_fully_charged": (STATE_OFF, None, None, None),
    }
    for entity_id, shown in expected.items():
        assert attributes(hass, entity_id) == shown, entity_id


@pytest.mark.usefixtures("entry")
async def test_values_follow_the_physics(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """An hour at 11 kW: 11 kWh on the meter and in the windows, about 14 % more battery."""
    await advance(hass, freezer, POLL, times=12)

    assert value(hass, f"sensor.{WALLBOX}_total_energy") == pytest.approx(11.0, abs=0.01)
    for device in (WALLBOX, EV):
        for window in ("day", "week", "month"):
            assert value(hass, f"sensor.{device}_energy_last_{window}") == pytest.approx(
                11.0, abs=0.01
            )
        assert value(hass, f"sensor.{device}_charge_time_remaining") == pytest.approx(
            192.0, abs=0.1
        )
    assert value(hass, f"sensor.{EV}_battery_level") == pytest.approx(40 + 1100 / 77, abs=0.5)
    assert value(hass, f"sensor.{EV}_driving_range") > 180.0

    # A day later the EV is full: the meter keeps its reading, the day's window drops it.
    await advance(hass, freezer, timedelta(hours=25), times=1)
    await advance(hass, freezer, POLL)

    assert state_of(hass, f"binary_sensor.{EV}_fully_charged") == STATE_ON
    assert state_of(hass, f"binary_sensor.{EV}_charging") == STATE_OFF
    assert state_of(hass, f"binary_sensor.{WALLBOX}_charging") == STATE_OFF
    assert state_of(hass, f"binary_sensor.{WALLBOX}_plugged_in") == STATE_ON
    assert state_of(hass, f"sensor.{EV}_battery_level") == "100.0"
    assert state_of(hass, f"sensor.{EV}_charge_time_remaining") == STATE_UNKNOWN
    assert value(hass, f"sensor.{WALLBOX}_total_energy") == pytest.approx(46.2, abs=0.01)
    assert value(hass, f"sensor.{WALLBOX}_energy_last_day") < 46.2
    assert value(hass, f"sensor.{WALLBOX}_energy_last_week") == pytest.approx(46.2, abs=0.01)


@pytest.mark.usefixtures("entry")
async def test_plug_flips_the_binary_sensors(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    podero_sim: Simulator,
    home: tuple[SimWallbox, SimVehicle],
) -> None:
    """Unplugging turns plugged in and charging off on both devices; plugging in again on."""
    _wallbox, vehicle = home
    podero_sim.podero.unplug(vehicle.id)
    await advance(hass, freezer, POLL)

    for device in (WALLBOX, EV):
        assert state_of(hass, f"binary_sensor.{device}_plugged_in") == STATE_OFF
        assert state_of(hass, f"binary_sensor.{device}_charging") == STATE_OFF
        assert state_of(hass, f"sensor.{device}_charge_time_remaining") == STATE_UNKNOWN
    assert state_of(hass, f"sensor.{WALLBOX}_status") == "ready"
    assert state_of(hass, f"sensor.{EV}_charging_power") == "0.0"

    podero_sim.podero.plug_in(vehicle.id, _wallbox.id)
    await advance(hass, freezer, POLL)

    for device in (WALLBOX, EV):
        assert state_of(hass, f"binary_sensor.{device}_plugged_in") == STATE_ON
        assert state_of(hass, f"binary_sensor.{device}_charging") == STATE_ON


@pytest.mark.usefixtures("entry")
async def test_offline_wallbox(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    podero_sim: Simulator,
    home: tuple[SimWallbox, SimVehicle],
) -> None:
    """A wallbox that lost its connection: the connectivity sensor and the pill tell."""
    podero_sim.podero.set_online(home[0].id, False)
    await advance(hass, freezer, POLL)

    assert state_of(hass, f"binary_sensor.{WALLBOX}_cloud_connection") == STATE_OFF
    assert state_of(hass, f"sensor.{WALLBOX}_connection_status") == "warning"
    assert state_of(hass, f"sensor.{WALLBOX}_status") == "disconnected"


@pytest.mark.usefixtures("entry")
async def test_away_vehicle(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, podero_sim: Simulator
) -> None:
    """An EV away from home: unplugged it has no time left; plugged in elsewhere it charges."""
    cloud = podero_sim.podero
    tesla = cloud.add_vehicle(
        USER_ID,
        manufacturer="Tesla",
        model="Model 3",
        battery_capacity_kwh=57.5,
        battery_level=68.0,
        latitude=47.0707,
        longitude=15.4395,
    )
    await advance(hass, freezer, POLL)

    assert state_of(hass, "binary_sensor.tesla_model_3_plugged_in") == STATE_OFF
    assert state_of(hass, "binary_sensor.tesla_model_3_charging") == STATE_OFF
    assert state_of(hass, "binary_sensor.tesla_model_3_fully_charged") == STATE_OFF
    assert state_of(hass, "sensor.tesla_model_3_charging_power") == "0.0"
    assert state_of(hass, "sensor.tesla_model_3_battery_capacity") == "57.5"
    # Nothing to tell until it charges: the entity comes with the first value.
    assert hass.states.get("sensor.tesla_model_3_charge_time_remaining") is None

    cloud.plug_in(tesla.id)
    await advance(hass, freezer, POLL)

    assert state_of(hass, "binary_sensor.tesla_model_3_plugged_in") == STATE_ON
    assert state_of(hass, "binary_sensor.tesla_model_3_charging") == STATE_ON
    assert value(hass, "sensor.tesla_model_3_charge_time_remaining") > 0
    assert value(hass, "sensor.tesla_model_3_battery_level") > 68.0
    # The garage's wallbox still has the ID.4.
    assert state_of(hass, f"binary_sensor.{WALLBOX}_plugged_in") == STATE_ON
