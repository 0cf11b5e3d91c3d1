"""What real Wallbox chargers send, through Home Assistant and the simulator over HTTP.

Model names by part number, a power-boost limit kept negative while power boost
is off, status codes 4 and 5, a Quasar's discharged energy, and every answer
shape the simulator serves (including the captured answers verbatim).
"""

from __future__ import annotations

import ast
import json
import logging
from pathlib import Path

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.sensor import ATTR_STATE_CLASS
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ev_charger_cloud.const import DOMAIN
from simulator.faults import Fault
from simulator.wallbox.cloud import SimulatedWallbox
from simulator.wallbox.model import Car, StatusShape

from .conftest import (
    EMAIL,
    PASSWORD,
    RunningSimulator,
    advance,
    attributes,
    device_of,
    set_up_entry,
    state_of,
    value,
)
from .entity_helpers import call
from .test_energy_total_glitches import glitch_next_status

CAPTURED = Path(__file__).parent / "fixtures" / "wallbox_captured"


@pytest.fixture
def cloud(simulator: RunningSimulator) -> SimulatedWallbox:
    """The account alone: each test adds the chargers it is about."""
    cloud = simulator.sim.wallbox
    cloud.add_account(EMAIL, PASSWORD, user_id=4242)
    # Setup and the follow-up reads of these tests fit without rate-limit waits.
    cloud.settings.get_burst = 20
    cloud.settings.get_per_minute = 10
    return cloud


def device_model(
    hass: HomeAssistant, entry: MockConfigEntry, charger_id: int
) -> tuple[str | None, str | None]:
    device = device_of(hass, entry, f"wallbox_{charger_id}")
    return device.model, device.model_id


# --- 1. model names -------------------------------------------------------------------


async def test_device_model_follows_the_part_number(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    cloud: SimulatedWallbox,
    config_entry: MockConfigEntry,
) -> None:
    """PLP2 is a Pulsar Max; an unknown prefix takes the default name's chargerType."""
    plus = cloud.add_charger(EMAIL, name="Plus", part_number="PLP1-0-2-2-E-002-C")
    maxi = cloud.add_charger(EMAIL, name="Max", part_number="PLP2-0-2-4-9-002-B")
    # A prefix the client does not know, under the cloud's default name ("PulsarPlus SN 100003").
    odd = cloud.add_charger(EMAIL, part_number="PUP9-0-2-4-9-002-A")
    owned = cloud.add_charger(EMAIL, name="Shed", part_number="PLX7-0-2-4-9-002-A")

    await set_up_entry(hass, config_entry)
    await advance(hass, freezer, times=2)  # the setup reads three; the fourth comes next

    assert device_model(hass, config_entry, plus.id) == ("Pulsar Plus", "PLP1-0-2-2-E-002-C")
    assert device_model(hass, config_entry, maxi.id) == ("Pulsar Max", "PLP2-0-2-4-9-002-B")
    assert device_model(hass, config_entry, odd.id) == ("Pulsar Plus", "PUP9-0-2-4-9-002-A")
    assert device_model(hass, config_entry, owned.id) == ("Wallbox charger", "PLX7-0-2-4-9-002-A")


# --- 2. power boost (ICP) ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("icp", "home_sharing", "sent"),
    [(-25, False, -30), (25, True, 30)],
    ids=["power-boost-off", "power-boost-on"],
)
async def test_power_boost_limit_keeps_its_sign(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    cloud: SimulatedWallbox,
    config_entry: MockConfigEntry,
    icp: int,
    home_sharing: bool,
    sent: int,
) -> None:
    """A negative limit (power boost off, seed 003) shows as its magnitude and stays negative.

    The number never disappears for it; setting a new limit keeps power boost as it
    is, so the user's limit is not turned into "power boost on" behind their back.
    """
    charger = cloud.add_charger(
        EMAIL, name="Garage", power_boost=True, icp_max_current=icp, home_sharing=home_sharing
    )
    await set_up_entry(hass, config_entry)
    assert state_of(hass, "number.garage_power_boost_supply_limit") == "25"

    await call(hass, "number", "set_value", "number.garage_power_boost_supply_limit", value=30)

    assert cloud.charger(charger.id).icp_max_current == sent
    assert cloud.charger(charger.id).home_sharing is home_sharing
    assert state_of(hass, "number.garage_power_boost_supply_limit") == "30"
    sent_bodies = simulator.sim.requests.count(method="POST", path_contains="chargers/config")
    assert sent_bodies == 1


# --- 3. status codes 4 and 5 ------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "status", "switch"),
    [(4, "completed", "off"), (5, "offline", STATE_UNAVAILABLE)],
)
async def test_completed_and_offline_have_their_own_status(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: RunningSimulator,
    cloud: SimulatedWallbox,
    config_entry: MockConfigEntry,
    code: int,
    status: str,
    switch: str,
) -> None:
    """4 shows "completed" (no session to pause), 5 "offline" (no command gets through)."""
    charger = cloud.add_charger(EMAIL, name="Garage")
    cloud.plug_in(charger.id, Car())
    await set_up_entry(hass, config_entry)
    assert state_of(hass, "sensor.garage_status") == "charging"

    cloud.force_status(charger.id, code)
    await advance(hass, freezer)

    assert state_of(hass, "sensor.garage_status") == status
    options = hass.states.get("sensor.garage_status")
    assert options is not None
    assert status in options.attributes["options"]
    assert state_of(hass, "switch.garage_charging") == switch
    if switch == "off":
        simulator.sim.requests.clear()
        with pytest.raises(HomeAssistantError) as raised:
            await call(hass, "switch", "turn_on", "switch.garage_charging")
        assert raised.value.translation_key == "no_session_to_resume"
        assert simulator.sim.requests.count(method="POST") == 0


# --- 4. Quasar: discharged energy -------------------------------------------------------


@pytest.fixture
def quasar(cloud: SimulatedWallbox) -> int:
    """A Quasar set to -16 A, a car at 80 % plugged in: it discharges 3.68 kW."""
    quasar = cloud.add_charger(
        EMAIL, name="Quasar", part_number="QS1-3-2-4-0-001-A", max_charging_current=-16
    )
    cloud.plug_in(quasar.id, Car(soc_percent=80.0))
    return quasar.id


async def test_quasar_discharged_energy_per_session_and_in_total(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    cloud: SimulatedWallbox,
    quasar: int,
    config_entry: MockConfigEntry,
) -> None:
    """The session value resets with the session; the total adds sessions up, never twice."""
    pulsar = cloud.add_charger(EMAIL, name="Pulsar")
    await set_up_entry(hass, config_entry)
    session = "sensor.quasar_session_discharged_energy"
    total = "sensor.quasar_total_discharged_energy"
    assert attributes(hass, session) == ("0.0", "kWh", "energy", "total_increasing")
    assert attributes(hass, total) == ("0.0", "kWh", "energy", "total_increasing")
    # Only a charger that can discharge has them.
    registry = er.async_get(hass)
    assert registry.async_get_entity_id("sensor", DOMAIN, f"wallbox_{pulsar.id}_total_energy")
    for key in ("session_discharged_energy", "total_discharged_energy"):
        assert registry.async_get_entity_id("sensor", DOMAIN, f"wallbox_{pulsar.id}_{key}") is None

    await advance(hass, freezer, times=20)  # 30 min at 16 A on one phase: 1.84 kWh

    assert state_of(hass, "sensor.quasar_status") == "discharging"
    assert state_of(hass, session) == "1.84"
    assert value(hass, total) == pytest.approx(1.84)
    assert state_of(hass, "sensor.quasar_total_energy") == "0.0"  # nothing delivered

    cloud.unplug(quasar)
    await advance(hass, freezer)
    cloud.plug_in(quasar, Car(soc_percent=80.0))
    await advance(hass, freezer, times=10)  # 15 min more: 0.92 kWh in the new session

    assert state_of(hass, session) == "0.92"
    assert value(hass, total) == pytest.approx(2.76)
    state = hass.states.get(total)
    assert state is not None
    assert state.attributes[ATTR_STATE_CLASS] == "total_increasing"


async def test_quasar_discharged_total_holds_a_glitch_while_discharging(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: RunningSimulator,
    cloud: SimulatedWallbox,
    quasar: int,
    config_entry: MockConfigEntry,
) -> None:
    """A lower discharged reading, twice while discharging, is a glitch, not a new session."""
    await set_up_entry(hass, config_entry)
    total = "sensor.quasar_total_discharged_energy"
    await advance(hass, freezer, times=4)  # 6 min at 3.68 kW
    assert value(hass, total) == pytest.approx(0.368)
    # Two answers that differ (the clock runs on), both with the lower reading.
    clock = cloud.status_json(quasar)["charging_time"]
    for seconds in (0, 90):
        glitch_next_status(
            simulator, quasar, added_discharged_energy=0.1, charging_time=clock + seconds
        )
    simulator.sim.requests.clear()
    await advance(hass, freezer, times=2)

    assert simulator.sim.requests.count(path_contains=f"status/{quasar}") == 2
    assert state_of(hass, "sensor.quasar_session_discharged_energy") == "0.1"
    assert value(hass, total) == pytest.approx(0.368)
    await advance(hass, freezer)  # the real reading again, 630 s in
    assert value(hass, total) == pytest.approx(0.644)


async def test_delivered_total_takes_a_lower_reading_seen_twice_while_idle(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: RunningSimulator,
    cloud: SimulatedWallbox,
    config_entry: MockConfigEntry,
) -> None:
    """The same rule, delivered side: a lower reading twice while not charging is a new session.

    The counterpart of the test above: "flowing" is charging there, so the meters
    differ only in the counter they add up and what counts as flowing.
    """
    garage = cloud.add_charger(EMAIL, name="Garage")
    cloud.plug_in(garage.id, Car())
    await set_up_entry(hass, config_entry)
    await advance(hass, freezer, times=4)  # 6 min at 3.68 kW
    assert value(hass, "sensor.garage_total_energy") == pytest.approx(0.368)
    clock = cloud.status_json(garage.id)["charging_time"]
    for seconds in (0, 90):  # a short new session, over: waiting for the car, 0.1 kWh
        glitch_next_status(
            simulator, garage.id, added_energy=0.1, status_id=181, charging_time=clock + seconds
        )

    await advance(hass, freezer, times=2)

    assert value(hass, "sensor.garage_total_energy") == pytest.approx(0.468)


# --- 5. every answer shape --------------------------------------------------------------


@pytest.mark.parametrize("shape", [shape.value for shape in StatusShape])
async def test_every_answer_shape_shows_the_same(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    cloud: SimulatedWallbox,
    config_entry: MockConfigEntry,
    shape: str,
) -> None:
    """2023 doc, 2024 and 2026 captures: the same entities and values, and writes work."""
    charger = cloud.add_charger(EMAIL, name="Garage", power_boost=True, status_shape=shape)
    cloud.plug_in(charger.id, Car())
    await set_up_entry(hass, config_entry)
    await advance(hass, freezer, times=20)

    assert state_of(hass, "sensor.garage_status") == "charging"
    assert state_of(hass, "sensor.garage_charging_power") == "3.68"
    assert state_of(hass, "sensor.garage_session_energy") == "1.84"
    assert value(hass, "sensor.garage_total_energy") == pytest.approx(1.84)
    assert state_of(hass, "number.garage_power_boost_supply_limit") == "40"
    # The lock's answer is v2/charger's chargerData (resume.totalEnergy as text since 2024).
    await call(hass, "lock", "lock", "lock.garage_lock")
    assert cloud.charger(charger.id).locked is True
    assert state_of(hass, "lock.garage_lock") == "locked"


def _captured_json(name: str) -> str:
    text = (CAPTURED / name).read_text(encoding="utf-8")
    return json.dumps(ast.literal_eval(text)) if name.endswith(".pydict") else text


@pytest.mark.parametrize(
    ("name", "entity", "shown", "personal"),
    [
        (
            "homeblaze_2024-08-06_pulsar_max_charging.json",
            "pulsar_max_garage",
            {"status": "charging", "charging_power": "11.3528", "session_energy": "1.31"},
            ("910037", "01H4ZP8SPZ03DNK2D5ARXAKH2T", "1466224", "751617"),
        ),
        (
            "homeblaze_2024-08-08_pulsar_max_unplugged.json",
            "pulsar_max_bastelraum",
            {"status": "ready", "charging_power": "0.0", "session_energy": "29.6"},
            ("669749", "01GKVCQE39YW6X3XHDHQRWJN73", "1466224", "751617"),
        ),
        (
            "predbat_2026-10-05_pulsar_plus_locked.pydict",
            "garage",
            {"status": "locked", "charging_power": "0.0", "session_energy": "0.0"},
            ("900001",),
        ),
    ],
)
async def test_captured_answers_through_home_assistant(
    hass: HomeAssistant,
    cloud: SimulatedWallbox,
    config_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
    name: str,
    entity: str,
    shown: dict[str, str],
    personal: tuple[str, ...],
) -> None:
    """A real answer, served verbatim over HTTP, shows as captured and logs no ids of it."""
    caplog.set_level(logging.DEBUG, "custom_components.ev_charger_cloud")
    cloud.add_charger(EMAIL, name="Placeholder")
    cloud.faults.add(
        Fault(malformed=True, status=200, body=_captured_json(name), path="/chargers/status")
    )

    await set_up_entry(hass, config_entry)

    for key, expected in shown.items():
        assert state_of(hass, f"sensor.{entity}_{key}") == expected, key
    assert caplog.records  # the integration did log (at DEBUG) ...
    for identifier in personal:  # ... and no serial number or account id of the answer
        assert identifier not in caplog.text, identifier
