"""ThorCloud's reads over HTTP: the requests of a poll and the neutral model they give."""

from __future__ import annotations

from datetime import timedelta
import json
from typing import Any

import pytest

from custom_components.ev_charger_cloud.api import (
    Charger,
    ChargerStatus,
    DeviceGoneError,
    DeviceKind,
    Feature,
    Provider,
)
from custom_components.ev_charger_cloud.api.thor.cloud import ThorCloud
from simulator import Simulator
from simulator.faults import Fault
from tests.thor_helpers import API_KEY, PREFIX, START, TODAY, Sent, requests_of, sim_now

from .conftest import charge_locally

pytest_plugins = ["tests.thor_fixtures"]

BOXES = ("GET", "/chargeboxes")
RUNNING = ("GET", "/charges/running")
FINISHED = ("GET", "/charges/finished")
CONNECTOR_FEATURES = {
    Feature.CHARGING_POWER,
    Feature.SESSION_ENERGY,
    Feature.SESSION_STARTED,
    Feature.START_STOP,
    Feature.TOTAL_ENERGY,
    Feature.RATED_POWER,
    Feature.MAX_CURRENT,
}


def by_id(devices: list[object]) -> dict[str, Charger]:
    chargers = [device for device in devices if isinstance(device, Charger)]
    assert len(chargers) == len(devices)
    return {charger.device_id: charger for charger in chargers}


# --- requests of a poll ---------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 7, 40])
async def test_a_poll_is_three_requests_for_any_number_of_boxes(
    thor_sim: Simulator, thor_ready: ThorCloud, thor_sent: list[Sent], count: int
) -> None:
    """Every box (inactive ones too), all running charges, today's finished charges."""
    boxes = thor_sim.thor.add_chargeboxes(API_KEY, count, connectors=2)
    thor_sim.thor.update_chargebox(boxes[0].id, active=False)
    for box in boxes[::3]:
        charge_locally(thor_sim, box.id, 2, f"TAG-{box.id}")

    devices = await thor_ready.async_read_all()

    assert len(devices) == count
    assert requests_of(thor_sim) == [BOXES, RUNNING, FINISHED]
    day = TODAY.strftime("%Y%m%d")
    assert [(sent.method, sent.path, sent.query) for sent in thor_sent] == [
        ("GET", f"{PREFIX}/chargeboxes", {"onlyactive": ["false"]}),
        ("GET", f"{PREFIX}/charges/running", {}),
        ("GET", f"{PREFIX}/charges/finished", {"from": [day], "to": [day]}),
    ]
    assert {record.status for record in thor_sim.requests} == {200}


async def test_later_polls_stay_at_three(
    thor_sim: Simulator, thor_ready: ThorCloud, thor_boxes: tuple[str, str]
) -> None:
    """Nothing due and no reservable box: the third request is not even needed."""
    await thor_ready.async_read_all()
    thor_sim.requests.clear()
    thor_sim.clock.advance(60)

    await thor_ready.async_read_all()

    assert requests_of(thor_sim) == [BOXES, RUNNING]


# --- the neutral model ----------------------------------------------------------------


async def test_boxes_in_the_neutral_model(
    thor_sim: Simulator, thor_ready: ThorCloud, garage_id: str, parking_id: str
) -> None:
    """A 1-connector and a 2-connector box: names, model, connectors, ratings, features."""
    charge_locally(thor_sim, parking_id, 2, max_power_w=7_400)
    started = sim_now(thor_sim)
    thor_sim.clock.advance(1800)  # 3.7 kWh

    chargers = by_id(await thor_ready.async_read_all())

    garage, parking = chargers[garage_id], chargers[parking_id]
    assert (garage.name, parking.name) == ("Garage", "Parking")
    assert garage.kind is DeviceKind.CHARGER
    assert (garage.model, parking.model) == ("OCPP 1.6 chargebox", "OCPP 1.5 chargebox")
    assert garage.manufacturer is None
    assert garage.features == {Feature.LAST_HEARTBEAT, Feature.CONNECTIVITY}
    assert garage.online is True
    assert garage.last_heartbeat == sim_now(thor_sim)
    assert garage.confirmed is True

    assert [c.connector_id for c in garage.connectors] == ["1"]
    assert [c.connector_id for c in parking.connectors] == ["1", "2"]
    (plug,) = garage.connectors
    assert plug.status is ChargerStatus.READY
    assert (plug.rated_power, plug.max_current) == (22_000.0, 32.0)
    assert plug.features == CONNECTOR_FEATURES
    assert (plug.charging_power, plug.session_energy, plug.session_started) == (0.0, None, None)
    assert plug.charging is None
    assert plug.total_energy == 0.0  # complete history without a charge

    idle, busy = parking.connectors
    assert idle.status is ChargerStatus.READY
    assert (busy.rated_power, busy.max_current) == (11_000.0, 16.0)
    assert busy.status is ChargerStatus.CHARGING
    assert busy.charging is True
    assert busy.session_energy == 3.7
    assert busy.session_started == started
    assert busy.total_energy == 3.7  # the running charge counts
    assert busy.charging_power is None  # the first read of this charge: no rise yet


async def test_name_falls_back_to_the_id(
    thor_sim: Simulator, thor_ready: ThorCloud, thor_clock: None
) -> None:
    """A box without an alias (blank) is named by its id, also in discovery."""
    box = thor_sim.thor.add_chargebox(API_KEY, id="CB-NONAME", alias="  ")

    (charger,) = await thor_ready.async_read_all()
    (ref,) = await thor_ready.async_discover()

    assert charger.name == "CB-NONAME"
    assert (ref.device_id, ref.name, ref.kind) == (box.id, "CB-NONAME", DeviceKind.CHARGER)


async def test_power_from_the_energy_rise(
    thor_sim: Simulator, thor_ready: ThorCloud, garage_id: str
) -> None:
    """None at the first read of a charge, then the rise over the time between reads."""
    charge_locally(thor_sim, garage_id, 1, max_power_w=11_000)
    thor_sim.clock.advance(360)

    first = by_id(await thor_ready.async_read_all())[garage_id].connectors[0]
    thor_sim.clock.advance(720)
    second = by_id(await thor_ready.async_read_all())[garage_id].connectors[0]
    thor_sim.clock.advance(360)
    third = by_id(await thor_ready.async_read_all())[garage_id].connectors[0]

    assert (first.charging_power, first.session_energy) == (None, 1.1)
    assert (second.charging_power, second.session_energy) == (11_000.0, 3.3)
    assert (third.charging_power, third.session_energy) == (11_000.0, 4.4)


async def test_power_of_a_new_charge_starts_afresh(
    thor_sim: Simulator, thor_ready: ThorCloud, garage_id: str
) -> None:
    """Another transaction on the same connector: no rise from the old one's energy."""
    charge_locally(thor_sim, garage_id, 1)
    thor_sim.clock.advance(600)
    await thor_ready.async_read_all()
    thor_sim.thor.stop_local(garage_id, 1)
    thor_sim.thor.start_local(garage_id, 1, "RFID-2")
    thor_sim.clock.advance(60)

    plug = by_id(await thor_ready.async_read_all())[garage_id].connectors[0]

    assert plug.status is ChargerStatus.CHARGING
    assert plug.charging_power is None


async def test_a_full_car_draws_nothing(
    thor_sim: Simulator, thor_ready: ThorCloud, garage_id: str
) -> None:
    """A charge whose energy stops rising: 0 W (not None) while it runs."""
    charge_locally(thor_sim, garage_id, 1, max_power_w=11_000, full_after_wh=500)
    thor_sim.clock.advance(600)
    await thor_ready.async_read_all()
    thor_sim.clock.advance(600)

    plug = by_id(await thor_ready.async_read_all())[garage_id].connectors[0]

    assert (plug.status, plug.charging_power, plug.session_energy) == (
        ChargerStatus.CHARGING,
        0.0,
        0.5,
    )


async def test_offline_box(thor_sim: Simulator, thor_ready: ThorCloud, parking_id: str) -> None:
    """Offline: DISCONNECTED on every connector, the heartbeat of when it went away."""
    charge_locally(thor_sim, parking_id, 1)
    thor_sim.clock.advance(120)
    gone = sim_now(thor_sim)
    thor_sim.thor.set_connected(parking_id, False)
    thor_sim.clock.advance(3600)

    parking = by_id(await thor_ready.async_read_all())[parking_id]

    assert parking.online is False
    assert parking.last_heartbeat == gone
    assert [c.status for c in parking.connectors] == [ChargerStatus.DISCONNECTED] * 2
    assert parking.connectors[0].session_energy == pytest.approx(0.366)  # frozen


async def test_unknown_status_without_connected(
    thor_sim: Simulator, thor_ready: ThorCloud, thor_clock: None
) -> None:
    """A box whose answer lacks `connected` and `last_heartbeat`: UNKNOWN, no such features."""
    box = {"id": "CB-X", "alias": "X", "connectors": [{"power": 3700}]}
    thor_sim.thor.faults.add(
        Fault(status=200, malformed=True, body=json.dumps([box]), path="/chargeboxes", times=1)
    )

    (charger,) = await thor_ready.async_read_all()

    assert isinstance(charger, Charger)
    assert charger.online is None
    assert charger.model == "OCPP chargebox"
    assert charger.features == frozenset()
    (plug,) = charger.connectors
    assert plug.status is ChargerStatus.UNKNOWN
    assert plug.rated_power == 3700.0
    assert plug.max_current is None
    assert Feature.MAX_CURRENT not in plug.features


async def test_get_device_reads_all(
    thor_sim: Simulator, thor_ready: ThorCloud, garage_id: str
) -> None:
    """One device is the read of all; a box the account does not list is gone."""

    garage = await thor_ready.async_get_device(garage_id)

    assert garage.name == "Garage"
    with pytest.raises(DeviceGoneError):
        await thor_ready.async_get_device("CB-ELSEWHERE")


async def test_provider_and_poll_plan() -> None:
    """Thor is read whole, once a minute."""
    assert ThorCloud.provider is Provider.THOR
    plan = ThorCloud.poll_plan
    assert plan.read_all is True
    assert plan.interval == timedelta(minutes=1)
    assert START.tzinfo is not None


async def test_sparse_answers(
    thor_sim: Simulator, thor_cloud_factory: Any, thor_clock: None
) -> None:
    """A charge without a box or energy, a connector without ratings, no on_state: no harm."""
    box = {"id": "CB-X", "connected": True, "connectors": [{"type": "type_2"}]}
    running = {
        "count": 2,
        "items": [
            {"id": 1, "connector": 1, "energy": 100},
            {"id": 2, "chargebox": "CB-X", "connector": 1},
        ],
    }
    for path, body in (("/chargeboxes", [box]), ("/charges/running", running)):
        thor_sim.thor.faults.add(
            Fault(status=200, malformed=True, body=json.dumps(body), path=path, times=1)
        )
    client: ThorCloud = thor_cloud_factory(on_state=None)

    (charger,) = await client.async_read_all()

    assert isinstance(charger, Charger)
    (plug,) = charger.connectors
    assert (plug.status, plug.charging_power, plug.session_energy) == (
        ChargerStatus.CHARGING,
        None,
        None,
    )
    assert (plug.rated_power, plug.max_current) == (None, None)
    assert Feature.RATED_POWER not in plug.features
    assert plug.total_energy is None  # still back-filling
