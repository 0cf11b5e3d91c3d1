"""Read endpoints: groups, status JSON, v2 charger; ownership and unknown paths."""

from simulator import Simulator
from simulator.testing import WallboxTestClient
from simulator.wallbox.model import WallboxAccount, WallboxCharger


async def test_groups_list_the_accounts_chargers(
    account: WallboxAccount, sim: Simulator, charger: WallboxCharger, signed_in: WallboxTestClient
) -> None:
    second = sim.wallbox.add_charger(account.email, name="Second", part_number="CMX2-0-2-4-8-002-A")
    groups = (await signed_in.get_json("/v3/chargers/groups"))["result"]["groups"]
    assert len(groups) == 1
    listed = groups[0]["chargers"]
    assert [c["id"] for c in listed] == [charger.id, second.id]
    assert listed[0] == {
        "id": 100001,
        "uid": charger.uid,
        "name": "PulsarPlus SN 100001",
        "chargerType": "PulsarPlus",
        "status": 161,
        "softwareVersion": "5.17.59",
        # The live fields (list_shape "live", tests/simulator/test_wallbox_list_shapes.py).
        "chargingPower": 0.0,
        "addedEnergy": 0.0,
        "chargingTime": 0,
        "locked": 0,
        "maxChargingCurrent": 16,
        "connectionType": 1,
    }
    assert listed[1]["chargerType"] == "Commander2"


async def test_status_shape(
    account: WallboxAccount, sim: Simulator, signed_in: WallboxTestClient
) -> None:
    eco = sim.wallbox.add_charger(account.email, eco_smart=True, power_boost=True)
    plain = sim.wallbox.add_charger(account.email, part_number="CPB1-S-2-4-9-001-F")
    sim.wallbox.settings.get_burst = 10
    status = await signed_in.get_json(f"/chargers/status/{eco.id}")
    for key in (
        "user_id", "user_name", "status_id", "name", "charging_power", "max_available_power",
        "charging_speed", "added_range", "added_energy", "added_green_energy",
        "added_grid_energy", "added_discharged_energy", "charging_time", "finished", "cost",
        "state_of_charge", "depot_price", "last_sync", "current_mode", "ocpp_status",
    ):  # fmt: skip
        assert key in status, key
    assert status["status_id"] == 161
    assert status["max_available_power"] == 32
    assert status["state_of_charge"] is None
    config = status["config_data"]
    assert config["serial_number"] == str(eco.id)
    assert config["part_number"] == "PLP1-M-2-4-9-002-F"
    assert config["software"] == {
        "updateAvailable": False,
        "currentVersion": "5.17.59",
        "latestVersion": "5.17.59",
        "fileName": "plp1.tar",  # as in 2026 answers (the default shape)
    }
    assert config["locked"] == 0
    assert config["max_charging_current"] == 16
    assert config["max_available_current"] == 32
    assert config["icp_max_current"] == 40
    assert config["energy_price"] == 0.24
    assert config["energyCost"]["value"] == 0.24
    assert config["currency"]["code"] == "EUR"
    assert "POWER_BOOST" in config["plan"]["features"]
    assert config["ecosmart"] == {"enabled": False, "mode": 0, "percentage": 100}

    plain_status = await signed_in.get_json(f"/chargers/status/{plain.id}")
    assert "ecosmart" not in plain_status["config_data"]
    assert "POWER_BOOST" not in plain_status["config_data"]["plan"]["features"]
    assert plain_status["config_data"]["icp_max_current"] == 0
    assert sim.wallbox.status_json(plain.id)["config_data"] == plain_status["config_data"]


async def test_state_of_charge_only_when_reported(account: WallboxAccount, sim: Simulator) -> None:
    charger = sim.wallbox.add_charger(account.email, reports_soc=True)
    assert sim.wallbox.status_json(charger.id)["state_of_charge"] is None
    sim.wallbox.plug_in(charger.id)
    assert sim.wallbox.status_json(charger.id)["state_of_charge"] == 40


async def test_v2_charger(charger: WallboxCharger, signed_in: WallboxTestClient) -> None:
    data = (await signed_in.get_json(f"/v2/charger/{charger.id}"))["data"]["chargerData"]
    assert data["id"] == charger.id
    assert data["serialNumber"] == str(charger.id)
    assert data["chargerType"] == "PulsarPlus"
    assert data["maxChargingCurrent"] == 16
    assert data["maxAvailableCurrent"] == 32
    assert data["locked"] == 0
    assert data["status"] == 161
    assert data["stateOfCharge"] is None


async def test_foreign_charger_is_404(sim: Simulator, signed_in: WallboxTestClient) -> None:
    sim.wallbox.add_account("other@example.com", "pw")
    foreign = sim.wallbox.add_charger("other@example.com")
    response = await signed_in.request("GET", f"/chargers/status/{foreign.id}")
    assert response.status == 404
    assert (await signed_in.request("GET", "/chargers/status/999")).status == 404


async def test_unknown_paths_are_404(signed_in: WallboxTestClient) -> None:
    assert (await signed_in.request("GET", "/v9/nothing")).status == 404
    response = await signed_in.request("DELETE", "/v3/chargers/groups")
    assert response.status == 404
    assert (await response.json())["errors"][0]["status"] == 404
