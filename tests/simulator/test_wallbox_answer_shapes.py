"""The answer shapes of real Wallbox chargers (2023 doc, 2024 and 2026 captures) and ICP signs."""

import aiohttp
import pytest

from simulator import Simulator
from simulator.testing import SimulatorServer, WallboxTestClient
from simulator.wallbox.cloud import WallboxError
from simulator.wallbox.model import Car, StatusShape, WallboxAccount

SINCE_2024_TOP = ("grid", "pru")
SINCE_2024_CONFIG = ("max_charging_unit", "max_charging_value", "home_power_export_setpoint")
ONLY_2026_CONFIG = ("phase_switch", "zipcode")


async def test_default_is_the_2026_capture(account: WallboxAccount, sim: Simulator) -> None:
    """grid/pru {"status": 0}, max_charging_unit/value, phase_switch, zipcode; totalEnergy text."""
    charger = sim.wallbox.add_charger(account.email, max_charging_current=16)
    sim.wallbox.plug_in(charger.id, Car(max_power_kw=11.0))
    sim.clock.advance(3600)

    status = sim.wallbox.status_json(charger.id)
    config = status["config_data"]
    resume = sim.wallbox.charger_data_json(charger.id)["data"]["chargerData"]["resume"]

    assert (status["grid"], status["pru"]) == ({"status": 0}, {"status": 0})
    assert (config["max_charging_unit"], config["max_charging_value"]) == ("amp", 16)
    assert config["home_power_export_setpoint"] is None
    assert (config["phase_switch"], config["zipcode"]) == ({"enabled": False}, None)
    assert config["software"]["fileName"] == "plp1.tar"
    assert config["operation_mode"] == "ocpp"
    # Charging at 3.68 kW, and charging_speed is 0 as in every captured answer.
    assert (status["status_id"], status["charging_power"]) == (194, 3.68)
    assert status["charging_speed"] == 0
    assert resume["totalEnergy"] == "3.680"
    assert resume["energyUnit"] == "kWh"


async def test_2024_capture_shape(
    account: WallboxAccount, sim: Simulator, signed_in: WallboxTestClient
) -> None:
    """Pulsar Max 2024: null statuses, operation_mode "wallbox", versioned firmware file."""
    charger = sim.wallbox.add_charger(
        account.email, part_number="PLP2-0-2-4-9-002-B", status_shape="2024"
    )

    status = await signed_in.get_json(f"/chargers/status/{charger.id}")
    config = status["config_data"]

    assert (status["grid"], status["pru"]) == ({"status": None}, {"status": None})
    assert (config["max_charging_unit"], config["max_charging_value"]) == ("amp", 16)
    assert config["home_power_export_setpoint"] is None
    assert not set(ONLY_2026_CONFIG) & set(config)
    assert config["operation_mode"] == "wallbox"
    assert config["software"]["fileName"] == "plp2_5.17.59.tar"
    assert status["name"] == f"PulsarMax SN {charger.id}"


async def test_2023_community_doc_shape(
    account: WallboxAccount, sim: Simulator, signed_in: WallboxTestClient
) -> None:
    """Seed 003: none of the later keys; totalEnergy a number."""
    charger = sim.wallbox.add_charger(account.email, status_shape="2023")

    status = await signed_in.get_json(f"/chargers/status/{charger.id}")
    resume = (await signed_in.get_json(f"/v2/charger/{charger.id}"))["data"]["chargerData"][
        "resume"
    ]

    assert not set(SINCE_2024_TOP) & set(status)
    assert not set(SINCE_2024_CONFIG + ONLY_2026_CONFIG) & set(status["config_data"])
    assert status["config_data"]["software"]["fileName"] == "plp1_5.17.59.tar"
    assert resume["totalEnergy"] == 0.0


async def test_shape_changes_through_the_control_api(
    account: WallboxAccount, sim: Simulator, server: SimulatorServer, session: aiohttp.ClientSession
) -> None:
    """POST /_sim/wallbox/chargers/{id} {"status_shape"}; creation takes it too; junk is 400."""
    control = f"{server.base_url}/_sim/wallbox"
    created = await session.post(
        f"{control}/accounts/{account.email}/chargers", json={"status_shape": "2024"}
    )
    charger_id = (await created.json())["id"]
    assert (await created.json())["status_shape"] == "2024"

    changed = await session.post(f"{control}/chargers/{charger_id}", json={"status_shape": "2023"})

    assert changed.status == 200
    assert (await changed.json())["status_shape"] == "2023"
    assert "grid" not in sim.wallbox.status_json(charger_id)
    refused = await session.post(f"{control}/chargers/{charger_id}", json={"status_shape": "1999"})
    assert refused.status == 400
    with pytest.raises(WallboxError):
        sim.wallbox.set_status_shape(charger_id, "later")
    assert sim.wallbox.charger(charger_id).status_shape is StatusShape.COMMUNITY_2023


async def test_negative_icp_is_power_boost_off(
    account: WallboxAccount, sim: Simulator, signed_in: WallboxTestClient
) -> None:
    """Seed 003: -1..-64 with home_sharing 0; accepted on creation and through chargers/config."""
    charger = sim.wallbox.add_charger(
        account.email, power_boost=True, icp_max_current=-25, home_sharing=False
    )
    path = f"/chargers/config/{charger.id}"
    config = sim.wallbox.status_json(charger.id)["config_data"]
    assert (config["icp_max_current"], config["home_sharing"]) == (-25, 0)

    response = await signed_in.request("POST", path, json={"icp_max_current": -64})
    assert response.status == 200
    assert (await response.json())["icp_max_current"] == -64
    both = {"home_sharing": 1, "icp_max_current": 32}
    config = await (await signed_in.request("POST", path, json=both)).json()
    assert (config["icp_max_current"], config["home_sharing"]) == (32, 1)
    for bad in (-256, 0, 256):
        response = await signed_in.request("POST", path, json={"icp_max_current": bad})
        assert response.status == 400, bad
    with pytest.raises(WallboxError):
        sim.wallbox.add_charger(account.email, icp_max_current=-300)
    assert sim.wallbox.set_icp_max_current(charger.id, -255).icp_max_current == -255
