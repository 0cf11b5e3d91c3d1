"""Write endpoints: remote actions, lock, max current, Eco-Smart, config."""

import pytest

from simulator import Simulator
from simulator.testing import WallboxTestClient
from simulator.wallbox.model import WallboxAccount, WallboxCharger


@pytest.fixture(autouse=True)
def _generous_write_budget(sim: Simulator) -> None:
    sim.wallbox.settings.write_burst = 50
    sim.wallbox.settings.get_burst = 50


async def _action(wallbox: WallboxTestClient, charger_id: int, action: int) -> int:
    response = await wallbox.request(
        "POST", f"/v3/chargers/{charger_id}/remote-action", json={"action": action}
    )
    if response.status == 200:
        assert await response.json() == {
            "id": charger_id,
            "action": action,
            "status": "accepted",
        }
    return response.status


async def test_pause_and_resume(
    sim: Simulator, charger: WallboxCharger, signed_in: WallboxTestClient
) -> None:
    assert await _action(signed_in, charger.id, 2) == 409  # nothing to pause
    assert await _action(signed_in, charger.id, 1) == 409  # nothing paused
    sim.wallbox.plug_in(charger.id)
    assert await _action(signed_in, charger.id, 2) == 200
    assert sim.wallbox.status_id(charger.id) == 182
    sim.clock.advance(600)
    assert sim.wallbox.status_json(charger.id)["added_energy"] == 0
    assert await _action(signed_in, charger.id, 2) == 409  # already paused
    assert await _action(signed_in, charger.id, 1) == 200
    assert sim.wallbox.status_id(charger.id) == 194


async def test_resume_schedule_clears_pause(
    sim: Simulator, charger: WallboxCharger, signed_in: WallboxTestClient
) -> None:
    assert await _action(signed_in, charger.id, 9) == 200
    sim.wallbox.plug_in(charger.id)
    assert await _action(signed_in, charger.id, 2) == 200
    assert await _action(signed_in, charger.id, 9) == 200
    assert sim.wallbox.status_id(charger.id) == 194


async def test_pause_locked_charger_is_403(
    sim: Simulator, charger: WallboxCharger, signed_in: WallboxTestClient
) -> None:
    sim.wallbox.plug_in(charger.id)
    sim.wallbox.set_locked(charger.id, True)
    assert await _action(signed_in, charger.id, 2) == 403


async def test_other_actions(
    account: WallboxAccount, sim: Simulator, charger: WallboxCharger, signed_in: WallboxTestClient
) -> None:
    assert await _action(signed_in, charger.id, 4) == 403
    assert await _action(signed_in, charger.id, 5) == 409
    assert await _action(signed_in, charger.id, 7) == 400
    outdated = sim.wallbox.add_charger(account.email, latest_firmware="6.0.0")
    assert await _action(signed_in, outdated.id, 5) == 200
    software = sim.wallbox.status_json(outdated.id)["config_data"]["software"]
    assert software["currentVersion"] == "6.0.0"
    assert software["updateAvailable"] is False
    bad = await signed_in.request("POST", f"/v3/chargers/{charger.id}/remote-action", json=[])
    assert bad.status == 400


async def test_lock_stops_charging(
    sim: Simulator, charger: WallboxCharger, signed_in: WallboxTestClient
) -> None:
    sim.wallbox.plug_in(charger.id)
    response = await signed_in.request("PUT", f"/v2/charger/{charger.id}", json={"locked": 1})
    assert response.status == 200
    data = (await response.json())["data"]["chargerData"]
    assert data["locked"] == 1
    assert data["status"] == 210
    assert sim.wallbox.charging_power_kw(charger.id) == 0
    response = await signed_in.request("PUT", f"/v2/charger/{charger.id}", json={"locked": 0})
    assert (await response.json())["data"]["chargerData"]["status"] == 194
    sim.wallbox.unplug(charger.id)
    sim.wallbox.set_locked(charger.id, True)
    assert sim.wallbox.status_id(charger.id) == 209


async def test_max_charging_current_range(
    account: WallboxAccount, sim: Simulator, charger: WallboxCharger, signed_in: WallboxTestClient
) -> None:
    path = f"/v2/charger/{charger.id}"
    response = await signed_in.request("PUT", path, json={"maxChargingCurrent": 20})
    assert response.status == 200
    assert (await response.json())["data"]["chargerData"]["maxChargingCurrent"] == 20
    for bad in (5, 33, -6, "x"):
        response = await signed_in.request("PUT", path, json={"maxChargingCurrent": bad})
        assert response.status == 400, bad
    assert (await signed_in.request("PUT", path, json={"colour": 1})).status == 400
    assert charger.max_charging_current == 20

    quasar = sim.wallbox.add_charger(account.email, part_number="QSX1-0-2-4-9-002-A")
    quasar_path = f"/v2/charger/{quasar.id}"
    response = await signed_in.request("PUT", quasar_path, json={"maxChargingCurrent": -32})
    assert response.status == 200
    response = await signed_in.request("PUT", quasar_path, json={"maxChargingCurrent": -33})
    assert response.status == 400


async def test_eco_smart_put(
    account: WallboxAccount, sim: Simulator, signed_in: WallboxTestClient
) -> None:
    eco = sim.wallbox.add_charger(account.email, eco_smart=True)
    plain = sim.wallbox.add_charger(account.email)
    body = {"data": {"type": "eco_smart", "attributes": {"enabled": 1, "mode": 1}}}
    response = await signed_in.request("PUT", f"/v4/chargers/{eco.id}/eco-smart", json=body)
    assert response.status == 200
    attributes = (await response.json())["data"]["attributes"]
    assert attributes == {"enabled": 1, "mode": 1, "percentage": 100}
    ecosmart = sim.wallbox.status_json(eco.id)["config_data"]["ecosmart"]
    assert ecosmart == {"enabled": True, "mode": 1, "percentage": 100}

    response = await signed_in.request("PUT", f"/v4/chargers/{plain.id}/eco-smart", json=body)
    assert response.status == 404
    for bad in ({}, {"data": {"attributes": {"enabled": 1}}}, {"data": {"type": "x"}}):
        path = f"/v4/chargers/{eco.id}/eco-smart"
        assert (await signed_in.request("PUT", path, json=bad)).status == 400, bad
    bad_mode = {"data": {"type": "eco_smart", "attributes": {"enabled": 1, "mode": 2}}}
    path = f"/v4/chargers/{eco.id}/eco-smart"
    assert (await signed_in.request("PUT", path, json=bad_mode)).status == 400


async def test_config_energy_price_and_icp(
    account: WallboxAccount, sim: Simulator, signed_in: WallboxTestClient
) -> None:
    charger = sim.wallbox.add_charger(account.email, power_boost=True)
    path = f"/chargers/config/{charger.id}"
    response = await signed_in.request("POST", path, json={"energy_price": 0.31})
    assert response.status == 200
    config = await response.json()
    assert config["energy_price"] == 0.31
    assert config["energyCost"]["value"] == 0.31
    assert config["serial_number"] == str(charger.id)

    response = await signed_in.request("POST", path, json={"energyCost": 0.12, "currency_id": 3})
    config = await response.json()
    assert config["energy_price"] == 0.12
    assert config["currency"]["code"] == "GBP"

    response = await signed_in.request("POST", path, json={"icp_max_current": 63})
    assert (await response.json())["icp_max_current"] == 63
    for bad in (
        {"icp_max_current": 0},
        {"icp_max_current": 256},
        {"energy_price": "cheap"},
        {"max_charging_current": 40},
        {"currency_id": 999},
        {"unknown": 1},
        {},
    ):
        assert (await signed_in.request("POST", path, json=bad)).status == 400, bad
    status = sim.wallbox.status_json(charger.id)
    assert status["config_data"]["icp_max_current"] == 63
    assert status["depot_price"] == 0.12


async def test_writes_use_their_own_budget(
    sim: Simulator, charger: WallboxCharger, signed_in: WallboxTestClient
) -> None:
    sim.wallbox.settings.write_burst = 2
    sim.wallbox.settings.get_burst = 1
    assert (await signed_in.request("GET", "/v3/chargers/groups")).status == 200
    path = f"/v2/charger/{charger.id}"
    assert (await signed_in.request("PUT", path, json={"locked": 1})).status == 200
    assert (await signed_in.request("PUT", path, json={"locked": 0})).status == 200
    assert (await signed_in.request("PUT", path, json={"locked": 1})).status == 429
    assert (await signed_in.request("GET", "/v3/chargers/groups")).status == 429
