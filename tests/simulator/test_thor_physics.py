"""Thor: energy of running charges on the clock, offline boxes, finished-charge history."""

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import aiohttp
import pytest

from simulator import Simulator
from simulator.thor.cloud import ThorError
from simulator.thor.model import ThorAccount, ThorChargebox

ThorCall = Callable[..., Awaitable[aiohttp.ClientResponse]]


@pytest.fixture
def box(sim: Simulator, thor_account: ThorAccount) -> ThorChargebox:
    return sim.thor.add_chargebox(thor_account.api_key, id="CB-1", power=22_000, connectors=2)


def _energy(sim: Simulator, key: str) -> list[int]:
    return [item["energy"] for item in sim.thor.running_json(sim.thor.account(key))["items"]]


def test_power_is_the_lower_of_connector_and_car(
    sim: Simulator, box: ThorChargebox, thor_account: ThorAccount
) -> None:
    sim.thor.plug_in(box.id, 1, max_power_w=7_400)
    sim.thor.start_local(box.id, 1, "RFID-1")
    assert sim.thor.power_w(box.id, 1) == 7_400
    sim.clock.advance(1800)
    assert _energy(sim, thor_account.api_key) == pytest.approx([3_700], abs=2)
    sim.thor.unplug(box.id, 1)  # the charge ends with the car leaving
    sim.thor.plug_in(box.id, 1, max_power_w=50_000)
    sim.thor.start_local(box.id, 1, "RFID-1")
    assert sim.thor.power_w(box.id, 1) == 22_000
    sim.clock.advance(600)
    assert _energy(sim, thor_account.api_key) == pytest.approx([3_666], abs=2)


def test_plugged_car_without_charge_draws_nothing_and_a_charge_waits_for_a_car(
    sim: Simulator, box: ThorChargebox, thor_account: ThorAccount
) -> None:
    sim.thor.plug_in(box.id, 1)
    assert sim.thor.power_w(box.id, 1) == 0
    sim.thor.start_local(box.id, 2, "RFID-2")  # nothing plugged into connector 2
    sim.clock.advance(3600)
    assert _energy(sim, thor_account.api_key) == pytest.approx([0], abs=2)
    sim.thor.plug_in(box.id, 2, max_power_w=11_000)
    sim.clock.advance(3600)
    assert _energy(sim, thor_account.api_key) == pytest.approx([11_000], abs=2)
    assert sim.thor.chargebox(box.id).connectors[1].meter_wh == pytest.approx(11_000, abs=2)


def test_a_full_car_stops_drawing(
    sim: Simulator, box: ThorChargebox, thor_account: ThorAccount
) -> None:
    sim.thor.plug_in(box.id, 1, max_power_w=10_000, full_after_wh=2_500)
    sim.thor.start_local(box.id, 1, "RFID-1")
    sim.clock.advance(3600)
    assert _energy(sim, thor_account.api_key) == pytest.approx([2_500], abs=2)
    assert sim.thor.power_w(box.id, 1) == 0


def test_offline_box_freezes_heartbeat_and_energy(
    sim: Simulator, box: ThorChargebox, thor_account: ThorAccount
) -> None:
    sim.thor.plug_in(box.id, 1, max_power_w=3_600)
    sim.thor.start_local(box.id, 1, "RFID-1")
    sim.clock.advance(3600)
    sim.thor.set_connected(box.id, False)
    offline_at = sim.clock.now()
    sim.clock.advance(7200)
    assert _energy(sim, thor_account.api_key) == pytest.approx([3_600], abs=2)
    listed = sim.thor.chargeboxes_json(thor_account)[0]
    assert listed["connected"] is False
    assert listed["last_heartbeat"] == pytest.approx(offline_at * 1000, abs=50)
    sim.thor.set_connected(box.id, True)
    sim.clock.advance(3600)
    assert _energy(sim, thor_account.api_key) == pytest.approx([7_200], abs=2)
    heartbeat = sim.thor.chargeboxes_json(thor_account)[0]["last_heartbeat"]
    assert heartbeat == pytest.approx(sim.clock.now() * 1000, abs=50)


async def test_finished_charges_over_http(
    sim: Simulator, box: ThorChargebox, thor_account: ThorAccount, thor_call: ThorCall
) -> None:
    paid = sim.thor.add_chargebox(thor_account.api_key, id="CB-PAID", free=False, price_per_kwh=0.5)
    sim.thor.plug_in(paid.id, 1, max_power_w=4_000)
    charge = sim.thor.start_local(paid.id, 1, "RFID-7", user="bob")
    sim.clock.advance(1800)
    sim.thor.stop_local(paid.id, 1)
    today = datetime.fromtimestamp(sim.clock.now(), UTC).strftime("%Y%m%d")

    async def finished(**params: str) -> Any:
        response = await thor_call("GET", "/charges/finished", params=params)
        assert response.status == 200, await response.text()
        return await response.json()

    body = await finished(**{"from": today, "to": today})
    assert body["count"] == 1
    (item,) = body["items"]
    assert item["id"] == charge.id
    assert item["energy"] == pytest.approx(2_000, abs=2)
    assert item["date_finished"] - item["date_started"] == pytest.approx(1_800_000, abs=500)
    assert item["payment"]["currency"] == "EUR"
    assert item["payment"]["price"] == pytest.approx(1.0, abs=0.01)  # 2 kWh at 0.50
    assert item["payment"]["success"] is True
    assert body["users"] == {"bob": {"id": "bob", "alias": "bob", "email": None}}
    assert (await finished(**{"from": today, "to": today, "chargebox": box.id}))["count"] == 0


async def test_finished_window_is_by_utc_day_of_the_end(
    sim: Simulator, box: ThorChargebox, thor_account: ThorAccount, thor_call: ThorCall
) -> None:
    # A charge from 23:00 to 01:00 UTC belongs to the day it finished.
    midnight = datetime(2024, 3, 10, tzinfo=UTC).timestamp()
    sim.thor.add_finished_charge(box.id, 1, midnight - 3600, midnight + 3600, 5_000)
    sim.thor.add_finished_charge(box.id, 2, midnight - 7200, midnight - 3600, 1_000)

    async def count(date_from: str, date_to: str) -> int:
        params = {"from": date_from, "to": date_to}
        response = await thor_call("GET", "/charges/finished", params=params)
        assert response.status == 200, await response.text()
        return int((await response.json())["count"])

    assert await count("20240310", "20240310") == 1
    assert await count("20240309", "20240309") == 1
    assert await count("20240301", "20240331") == 2
    assert await count("20240311", "20240320") == 0

    for params in (
        {"from": "20240310"},
        {"to": "20240310"},
        {},
        {"from": "2024-03-10", "to": "20240310"},
        {"from": "20240230", "to": "20240310"},
        {"from": "20240311", "to": "20240310"},
    ):
        response = await thor_call("GET", "/charges/finished", params=params)
        assert response.status == 400, params
        assert await response.json() == {"message": "BadRequest"}


def test_history_must_lie_in_the_past(sim: Simulator, box: ThorChargebox) -> None:
    now = sim.clock.now()
    with pytest.raises(ThorError):
        sim.thor.add_finished_charge(box.id, 1, now - 10, now + 10, 100)
    with pytest.raises(ThorError):
        sim.thor.add_finished_charge(box.id, 3, now - 20, now - 10, 100)
    charge = sim.thor.add_finished_charge(box.id, 1, now - 20, now - 10, 100)
    assert charge.id_tag.startswith("RFID")
    assert sim.thor.chargebox(box.id).connectors[0].meter_wh == 100
