"""The read-only entities of Thor chargeboxes, against the simulator.

A one-connector box (Garage: its connector's entities sit on the box's device) and
a two-connector box (Parking A: a child device per connector). Thor has no live
power and no OCPP status in its REST API: power comes from the session energy's
rise between reads, the status from the running charges, reservations and the
box's connection.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import json
import math
from pathlib import Path

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.sensor import ATTR_OPTIONS
from homeassistant.const import (
    STATE_OFF,
    STATE_ON,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ev_charger_cloud.const import DOMAIN
from simulator import Simulator

from .conftest import advance, attributes, state_of, value
from .platform_helpers import assert_enabled_and_categories
from .thor_entry_fixtures import (
    GARAGE_CAR_W,
    GARAGE_HISTORY_WH,
    GARAGE_ID,
    PARKING_CAR_W,
    PARKING_HISTORY_WH,
    PARKING_ID,
)

pytest_plugins = ["tests.thor_entry_fixtures"]

POLL = timedelta(minutes=1)
GARAGE = "garage"
PARKING = "parking_a"
P1 = "parking_a_connector_1"
P2 = "parking_a_connector_2"
CONNECTORS = (GARAGE, P1, P2)
STATUS_STRINGS = json.loads(
    (
        Path(__file__).parents[1] / "custom_components" / DOMAIN / "translations" / "en.json"
    ).read_text(encoding="utf-8")
)["entity"]["sensor"]["status"]["state"]


def moment(hass: HomeAssistant, entity_id: str) -> datetime:
    """The time a timestamp sensor shows."""
    parsed = dt_util.parse_datetime(state_of(hass, entity_id))
    assert parsed is not None, entity_id
    return parsed


def shown(epoch_seconds: float) -> datetime:
    """A time as a timestamp sensor shows it: UTC, whole seconds."""
    return datetime.fromtimestamp(math.floor(epoch_seconds), UTC)


def session_kwh(sim: Simulator, box_id: str, connector: int) -> float:
    """What Thor lists as the running charge's energy (whole Wh), in kWh."""
    charge = sim.thor.running_charge(box_id, connector)
    assert charge is not None
    return math.floor(charge.energy_wh) / 1000


async def polls(hass: HomeAssistant, freezer: FrozenDateTimeFactory, times: int = 1) -> None:
    await advance(hass, freezer, POLL, times)


async def complete_history(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Poll until the finished charges are read back to the account's start.

    The first read (at setup) found the past charges, up to today; the empty far
    past takes three more windows, one per poll (api/thor/history.py); a midnight in
    between adds a read of the day before.
    """
    await polls(hass, freezer, 2)
    assert state_of(hass, f"sensor.{GARAGE}_total_energy") == STATE_UNKNOWN
    for _ in range(2):
        await polls(hass, freezer)
        if state_of(hass, f"sensor.{GARAGE}_total_energy") != STATE_UNKNOWN:
            return
    pytest.fail("the total energy stayed unknown")


# (entity id, enabled by default, diagnostic)
REGISTRY = [
    *(
        entry
        for box in (GARAGE, PARKING)
        for entry in (
            (f"binary_sensor.{box}_cloud_connection", True, True),
            # Changes at every heartbeat: off until the user wants it.
            (f"sensor.{box}_last_heartbeat", False, True),
        )
    ),
    *(
        entry
        for connector in CONNECTORS
        for entry in (
            (f"sensor.{connector}_status", True, False),
            (f"sensor.{connector}_status_code", False, True),
            (f"sensor.{connector}_session_energy", True, False),
            (f"sensor.{connector}_charging_power", True, False),
            (f"sensor.{connector}_total_energy", True, False),
            (f"sensor.{connector}_session_started", True, False),
            (f"sensor.{connector}_rated_power", True, True),
            (f"sensor.{connector}_maximum_current", True, True),
            (f"switch.{connector}_charging", True, False),
        )
    ),
]


async def test_entities_enabled_and_categories(
    hass: HomeAssistant, thor_entry: MockConfigEntry
) -> None:
    """Exactly these entities; diagnostics are marked, the empty status code starts disabled."""
    registry = er.async_get(hass)
    entities = er.async_entries_for_config_entry(registry, thor_entry.entry_id)
    assert sorted(entity.entity_id for entity in entities) == sorted(
        entity_id for entity_id, _, _ in REGISTRY
    )
    assert_enabled_and_categories(hass, REGISTRY)


async def test_devices(hass: HomeAssistant, thor_entry: MockConfigEntry) -> None:
    """Each box is a device; Parking A's connectors are child devices with their entities."""
    devices = dr.async_get(hass)
    entities = er.async_get(hass)
    garage = devices.async_get_device_by_identifier(
        (DOMAIN, f"thor_{GARAGE_ID}"), thor_entry.entry_id
    )
    parking = devices.async_get_device_by_identifier(
        (DOMAIN, f"thor_{PARKING_ID}"), thor_entry.entry_id
    )
    assert garage is not None
    assert parking is not None
    assert (garage.name, garage.model, garage.manufacturer) == (
        "Garage",
        "OCPP 1.6 chargebox",
        None,
    )
    assert (parking.name, parking.model) == ("Parking A", "OCPP 1.6 chargebox")
    # One connector: no device of its own.
    assert dr.async_entries_for_parent_device(devices, garage.id) == []
    children = dr.async_entries_for_parent_device(devices, parking.id)
    assert sorted((child.name, sorted(child.identifiers)) for child in children) == [
        ("Connector 1", [(DOMAIN, f"thor_{PARKING_ID}_1")]),
        ("Connector 2", [(DOMAIN, f"thor_{PARKING_ID}_2")]),
    ]
    child_of = {child.name: child.id for child in children}

    def device_of(entity_id: str) -> str | None:
        entity = entities.async_get(entity_id)
        assert entity is not None, entity_id
        return entity.device_id

    assert device_of(f"sensor.{GARAGE}_status") == garage.id
    assert device_of(f"switch.{GARAGE}_charging") == garage.id
    assert device_of(f"binary_sensor.{PARKING}_cloud_connection") == parking.id
    assert device_of(f"sensor.{PARKING}_last_heartbeat") == parking.id
    assert device_of(f"sensor.{P1}_status") == child_of["Connector 1"]
    assert device_of(f"sensor.{P2}_status") == child_of["Connector 2"]
    assert device_of(f"switch.{P2}_charging") == child_of["Connector 2"]
    # Unique ids name the connector of a multi-connector box, not the key.
    assert entities.async_get(f"sensor.{P2}_status") is not None
    p2 = entities.async_get(f"sensor.{P2}_status")
    assert p2 is not None
    assert p2.unique_id == f"thor_{PARKING_ID}_2_status"
    garage_status = entities.async_get(f"sensor.{GARAGE}_status")
    assert garage_status is not None
    assert garage_status.unique_id == f"thor_{GARAGE_ID}_status"


@pytest.mark.usefixtures("entity_registry_enabled_by_default", "thor_entry")
async def test_chargebox_entities(hass: HomeAssistant, thor_entry_sim: Simulator) -> None:
    """Connected to Thor, with a heartbeat just now (a connected box's is the clock time)."""
    for box in (GARAGE, PARKING):
        assert attributes(hass, f"binary_sensor.{box}_cloud_connection") == (
            STATE_ON,
            None,
            "connectivity",
            None,
        )
        assert attributes(hass, f"sensor.{box}_last_heartbeat")[1:] == (None, "timestamp", None)
        assert moment(hass, f"sensor.{box}_last_heartbeat") == shown(thor_entry_sim.clock.now())


@pytest.mark.usefixtures("thor_entry")
async def test_connectors_at_the_first_read(hass: HomeAssistant, thor_entry_sim: Simulator) -> None:
    """Two charges just begun and a free connector: what a user sees right after setup."""
    started = shown(thor_entry_sim.clock.now())
    for connector in (GARAGE, P1):
        assert attributes(hass, f"sensor.{connector}_status") == (
            "charging",
            None,
            "enum",
            None,
        )
        assert attributes(hass, f"sensor.{connector}_session_energy") == (
            "0.0",
            "kWh",
            "energy",
            "total_increasing",
        )
        # One read of a charge tells no power yet.
        assert attributes(hass, f"sensor.{connector}_charging_power") == (
            STATE_UNKNOWN,
            "kW",
            "power",
            "measurement",
        )
        assert attributes(hass, f"sensor.{connector}_session_started")[1:] == (
            None,
            "timestamp",
            None,
        )
        assert moment(hass, f"sensor.{connector}_session_started") == started
        assert state_of(hass, f"switch.{connector}_charging") == STATE_ON

    assert state_of(hass, f"sensor.{P2}_status") == "ready"
    assert attributes(hass, f"sensor.{P2}_charging_power") == ("0.0", "kW", "power", "measurement")
    # Never charged: no session to show.
    assert state_of(hass, f"sensor.{P2}_session_energy") == STATE_UNKNOWN
    assert state_of(hass, f"sensor.{P2}_session_started") == STATE_UNKNOWN
    assert state_of(hass, f"switch.{P2}_charging") == STATE_OFF

    for connector in CONNECTORS:
        # Unknown until the finished charges are read back to the account's start.
        assert attributes(hass, f"sensor.{connector}_total_energy") == (
            STATE_UNKNOWN,
            "kWh",
            "energy",
            "total_increasing",
        )
        status = hass.states.get(f"sensor.{connector}_status")
        assert status is not None
        options = status.attributes[ATTR_OPTIONS]
        assert {"ready", "charging", "reserved", "disconnected"} <= set(options)
        assert set(options) <= set(STATUS_STRINGS)

    # The connectors' ratings: W shown as kW, and the current limit.
    assert attributes(hass, f"sensor.{GARAGE}_rated_power") == ("22.0", "kW", "power", None)
    assert attributes(hass, f"sensor.{GARAGE}_maximum_current") == ("32.0", "A", "current", None)
    for connector in (P1, P2):
        assert attributes(hass, f"sensor.{connector}_rated_power") == ("11.0", "kW", "power", None)
        assert attributes(hass, f"sensor.{connector}_maximum_current") == (
            "16.0",
            "A",
            "current",
            None,
        )


@pytest.mark.usefixtures("thor_entry")
async def test_power_from_the_energy_rise(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, thor_entry_sim: Simulator
) -> None:
    """The second read of a charge gives its power; the session energy follows Thor's."""
    await polls(hass, freezer)
    for connector, box_id, number, watts in (
        (GARAGE, GARAGE_ID, 1, GARAGE_CAR_W),
        (P1, PARKING_ID, 1, PARKING_CAR_W),
    ):
        assert value(hass, f"sensor.{connector}_session_energy") == session_kwh(
            thor_entry_sim, box_id, number
        )
        # Thor floors the energy to whole Wh: the rise is within a few W of the car's.
        assert value(hass, f"sensor.{connector}_charging_power") == pytest.approx(
            watts / 1000, abs=0.05
        )
    assert state_of(hass, f"sensor.{P2}_charging_power") == "0.0"

    # A car that stops drawing (full) shows no power, the charge still runs.
    thor_entry_sim.thor.unplug(GARAGE_ID, 1)
    thor_entry_sim.thor.plug_in(PARKING_ID, 2, max_power_w=3_700)
    await polls(hass, freezer)
    assert state_of(hass, f"sensor.{GARAGE}_status") == "ready"
    assert state_of(hass, f"sensor.{GARAGE}_charging_power") == "0.0"
    assert state_of(hass, f"switch.{GARAGE}_charging") == STATE_OFF
    # A car plugged into an idle connector is not seen by Thor's REST API.
    assert state_of(hass, f"sensor.{P2}_status") == "ready"


@pytest.mark.usefixtures("thor_entry")
async def test_total_energy_once_the_history_is_complete(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, thor_entry_sim: Simulator
) -> None:
    """Past charges plus the running one, exactly; a finished charge keeps it exact."""
    # The last charge of an idle connector shows as its session energy at once.
    await complete_history(hass, freezer)
    garage_session = session_kwh(thor_entry_sim, GARAGE_ID, 1)
    assert value(hass, f"sensor.{GARAGE}_session_energy") == garage_session
    assert value(hass, f"sensor.{GARAGE}_total_energy") == pytest.approx(
        GARAGE_HISTORY_WH / 1000 + garage_session
    )
    assert value(hass, f"sensor.{P1}_total_energy") == pytest.approx(
        PARKING_HISTORY_WH / 1000 + session_kwh(thor_entry_sim, PARKING_ID, 1)
    )
    assert value(hass, f"sensor.{P2}_total_energy") == 0.0

    # The garage charge ends: the finished charge's energy (not the last poll's) counts.
    await polls(hass, freezer)
    before = value(hass, f"sensor.{GARAGE}_total_energy")
    freezer.tick(timedelta(seconds=30))
    finished = thor_entry_sim.thor.stop_local(GARAGE_ID, 1)
    await polls(hass, freezer)
    assert state_of(hass, f"sensor.{GARAGE}_status") == "ready"
    assert state_of(hass, f"switch.{GARAGE}_charging") == STATE_OFF
    assert state_of(hass, f"sensor.{GARAGE}_charging_power") == "0.0"
    assert state_of(hass, f"sensor.{GARAGE}_session_started") == STATE_UNKNOWN
    finished_kwh = math.floor(finished.energy_wh) / 1000
    assert value(hass, f"sensor.{GARAGE}_session_energy") == finished_kwh
    total = value(hass, f"sensor.{GARAGE}_total_energy")
    assert total == pytest.approx(GARAGE_HISTORY_WH / 1000 + finished_kwh)
    assert total > before

    # Nothing more runs: the total stays.
    await polls(hass, freezer, 2)
    assert value(hass, f"sensor.{GARAGE}_total_energy") == total


@pytest.mark.usefixtures("thor_entry")
async def test_reserved_connector(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, thor_entry_sim: Simulator
) -> None:
    """A reservation shows as Reserved until it expires; the switch can still start."""
    await complete_history(hass, freezer)
    thor_entry_sim.thor.add_reservation(PARKING_ID, 2, thor_entry_sim.clock.now() + 600)
    # Reservations are read when nothing is due before them (today's charges first).
    await polls(hass, freezer, 2)
    assert state_of(hass, f"sensor.{P2}_status") == "reserved"
    assert STATUS_STRINGS["reserved"] == "Reserved"
    assert state_of(hass, f"switch.{P2}_charging") == STATE_OFF
    assert state_of(hass, f"sensor.{P1}_status") == "charging"

    await polls(hass, freezer, 10)
    assert state_of(hass, f"sensor.{P2}_status") == "ready"


@pytest.mark.usefixtures("entity_registry_enabled_by_default", "thor_entry")
async def test_offline_box(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, thor_entry_sim: Simulator
) -> None:
    """An offline box: disconnected, its heartbeat stays, its charge freezes; then back."""
    went_offline = thor_entry_sim.clock.now()
    thor_entry_sim.thor.set_connected(PARKING_ID, False)
    await polls(hass, freezer, 2)

    assert state_of(hass, f"binary_sensor.{PARKING}_cloud_connection") == STATE_OFF
    assert moment(hass, f"sensor.{PARKING}_last_heartbeat") == shown(went_offline)
    for connector in (P1, P2):
        assert state_of(hass, f"sensor.{connector}_status") == "disconnected"
        assert state_of(hass, f"switch.{connector}_charging") == STATE_UNAVAILABLE
    assert STATUS_STRINGS["disconnected"] == "Disconnected"
    # The charge does not grow while the box is away.
    assert state_of(hass, f"sensor.{P1}_session_energy") == "0.0"
    # The other box goes on.
    assert state_of(hass, f"binary_sensor.{GARAGE}_cloud_connection") == STATE_ON
    assert moment(hass, f"sensor.{GARAGE}_last_heartbeat") == shown(thor_entry_sim.clock.now())
    assert state_of(hass, f"sensor.{GARAGE}_status") == "charging"
    assert state_of(hass, f"switch.{GARAGE}_charging") == STATE_ON

    thor_entry_sim.thor.set_connected(PARKING_ID, True)
    await polls(hass, freezer)
    assert state_of(hass, f"binary_sensor.{PARKING}_cloud_connection") == STATE_ON
    assert moment(hass, f"sensor.{PARKING}_last_heartbeat") == shown(thor_entry_sim.clock.now())
    assert state_of(hass, f"sensor.{P1}_status") == "charging"
    assert state_of(hass, f"sensor.{P2}_status") == "ready"
    assert state_of(hass, f"switch.{P1}_charging") == STATE_ON
    assert state_of(hass, f"switch.{P2}_charging") == STATE_OFF
