"""Thor: the control API over HTTP, its refusals, settings, reset and the demo account."""

from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import pytest

from simulator import Simulator
from simulator.testing import SimulatorServer
from simulator.thor.demo import (
    DEMO_API_KEY,
    DEMO_BARN_ID,
    DEMO_GARAGE_ID,
    DEMO_PARKING_ID,
)

Control = Callable[..., Awaitable[Any]]


async def test_control_api_over_http(
    sim: Simulator,
    session: aiohttp.ClientSession,
    server: SimulatorServer,
    thor_control: Control,
) -> None:
    account = await thor_control("POST", "/accounts", {"api_key": "k1", "name": "Acme"})
    assert (account["api_key"], account["name"], account["rest_api_enabled"]) == (
        "k1",
        "Acme",
        True,
    )
    box = await thor_control(
        "POST",
        "/accounts/k1/chargeboxes",
        {"alias": "Yard", "connectors": 2, "power": 11_000, "max_amperage": 16, "free": True},
    )
    assert box["id"] == "CB-0001"
    assert [c["number"] for c in box["connectors"]] == [1, 2]
    assert box["connectors"][0]["power"] == 11_000
    state = await thor_control(
        "POST", "/chargeboxes/CB-0001/connectors/1/plug", {"max_power_w": 7_000}
    )
    assert state["connectors"][0]["car"] == {"max_power_w": 7_000, "full_after_wh": None}
    await thor_control("POST", "/chargeboxes/CB-0001/connectors/1/plug", {}, status=409)
    charge = await thor_control(
        "POST", "/chargeboxes/CB-0001/connectors/1/start", {"id_tag": "RFID-1", "user": "u1"}
    )
    assert (charge["id_tag"], charge["type"], charge["user"]) == ("RFID-1", "local", "u1")
    await session.post(f"{server.base_url}/_sim/clock/advance", json={"seconds": 1800})
    state = await thor_control("GET", "/chargeboxes/CB-0001")
    assert state["connectors"][0]["power_w"] == 7_000
    assert state["connectors"][0]["charge"]["energy"] == pytest.approx(3_500, abs=2)

    offline = await thor_control("POST", "/chargeboxes/CB-0001", {"connected": False})
    assert offline["connected"] is False
    assert offline["connectors"][0]["power_w"] == 0
    api_json = await thor_control("GET", "/chargeboxes/CB-0001/json")
    assert (api_json["connected"], api_json["occupied_connectors"]) == (False, [1])
    await thor_control("POST", "/chargeboxes/CB-0001", {"connected": True, "alias": "Big yard"})
    finished = await thor_control("POST", "/chargeboxes/CB-0001/connectors/1/stop")
    assert finished["date_finished"] >= finished["date_started"]
    await thor_control("POST", "/chargeboxes/CB-0001/connectors/1/stop", status=409)
    await thor_control("POST", "/chargeboxes/CB-0001/connectors/1/unplug")
    await thor_control("POST", "/chargeboxes/CB-0001/connectors/1/unplug", status=409)

    now = sim.clock.now()
    history = await thor_control(
        "POST",
        "/chargeboxes/CB-0001/charges",
        {"connector": 2, "started_at": now - 7200, "finished_at": now - 3600, "energy_wh": 9000},
    )
    assert history["energy"] == 9000
    reservation = await thor_control(
        "POST", "/chargeboxes/CB-0001/reservations", {"connector": 2, "expires_in": 900}
    )
    assert reservation["status"] == 1
    await thor_control(
        "POST", "/chargeboxes/CB-0001/reservations", {"connector": 2, "expires_in": 900}, 409
    )
    api_json = await thor_control("GET", "/chargeboxes/CB-0001/json")
    assert (api_json["alias"], api_json["reserved_connectors"]) == ("Big yard", [2])

    switched = await thor_control(
        "POST", "/accounts/k1", {"rest_api_enabled": False, "source_ip": "10.0.0.1"}
    )
    assert (switched["rest_api_enabled"], switched["source_ip"]) == (False, "10.0.0.1")
    switched = await thor_control("POST", "/accounts/k1", {"source_ip": None})
    assert switched["source_ip"] is None
    user = await thor_control("POST", "/accounts/k1/users", {"id": "u2", "alias": "Una"})
    assert user == {"id": "u2", "alias": "Una", "email": None}
    account = await thor_control("GET", "/accounts/k1")
    assert (account["chargeboxes"], account["running"], account["finished"]) == (["CB-0001"], 0, 2)
    assert set(account["users"]) == {"u1", "u2"}
    assert [a["api_key"] for a in await thor_control("GET", "/accounts")] == ["k1"]


async def test_control_refusals(thor_control: Control) -> None:
    await thor_control("POST", "/accounts", {"api_key": "k1"})
    await thor_control("POST", "/accounts", {"api_key": "k1"}, status=409)
    await thor_control("POST", "/accounts", {"name": "no key"}, status=400)
    await thor_control("POST", "/accounts", {"api_key": "k2", "colour": "red"}, status=400)
    await thor_control("GET", "/accounts/nobody", status=404)
    await thor_control("POST", "/accounts/nobody/chargeboxes", {}, status=404)
    for body in (
        {"type": "tesla"},
        {"power_type": "AC_2_PHASE"},
        {"connectors": 0},
        {"connectors": [{"wheels": 4}]},
        {"power": -1},
        {"version": "2.0.1"},
        {"active": "yes"},
    ):
        await thor_control("POST", "/accounts/k1/chargeboxes", body, status=400)
    await thor_control("POST", "/accounts/k1/chargeboxes", {"id": "X"})
    await thor_control("POST", "/accounts/k1/chargeboxes", {"id": "X"}, status=409)
    await thor_control("GET", "/chargeboxes/Y", status=404)
    await thor_control("POST", "/chargeboxes/X", {"vehicle": "boat"}, status=400)
    assert (await thor_control("GET", "/chargeboxes/X"))["id"] == "X"
    await thor_control("POST", "/chargeboxes/X/connectors/2/plug", {}, status=400)
    await thor_control("POST", "/chargeboxes/X/connectors/1/start", {}, status=400)
    await thor_control(
        "POST", "/chargeboxes/X/connectors/1/start", {"id_tag": "t", "mode": "api"}, status=400
    )
    await thor_control("POST", "/chargeboxes/X/reservations", {"connector": 1}, status=400)
    await thor_control("POST", "/accounts/k1/push", {"url": "ftp://x"}, status=400)
    await thor_control("POST", "/accounts/k1/bulk", {"connectors": 2}, status=400)


async def test_settings_faults_and_reset(
    sim: Simulator, thor_control: Control, session: aiohttp.ClientSession, server: SimulatorServer
) -> None:
    settings = await thor_control("POST", "/settings", {"start_limit": 5, "push_timeout": 0.5})
    assert (settings["start_limit"], settings["push_timeout"]) == (5, 0.5)
    await thor_control("POST", "/settings", {"start_limit": -1}, status=400)
    await thor_control("POST", "/faults", {"status": 503, "path": "/charges"})
    assert len(await thor_control("GET", "/faults")) == 1
    await thor_control("POST", "/accounts", {"api_key": "k1"})
    response = await session.get(
        f"{server.base_url}/thor/latest/integration/charges/running", headers={"X-Api-Key": "k1"}
    )
    assert response.status == 503
    assert await response.json() == {"message": "Injected fault"}
    await thor_control("DELETE", "/faults")
    await thor_control("DELETE", "/ratelimits")
    await thor_control("POST", "/reset")
    assert sim.thor.accounts == []
    assert sim.thor.settings.start_limit == 3
    assert len(sim.thor.faults) == 0


def test_demo_seed() -> None:
    sim = Simulator()
    sim.seed_demo()
    thor = sim.thor
    account = thor.account(DEMO_API_KEY)
    boxes = thor.chargeboxes_json(account)
    assert [b["alias"] for b in boxes] == ["Garage", "Parking A", "Barn"]
    garage, parking, barn = boxes
    assert garage["connectors"][0]["power"] == 22_000
    assert garage["connectors"][0]["type"] == "type_2"
    assert (garage["connected"], parking["connected"], barn["connected"]) == (True, True, False)
    assert parking["public"] is True
    assert len(parking["connectors"]) == 2
    assert thor.chargebox_json(DEMO_PARKING_ID)["occupied_connectors"] == [1]
    assert thor.chargebox_json(DEMO_GARAGE_ID)["occupied_connectors"] == [1]
    assert thor.power_w(DEMO_GARAGE_ID, 1) > 0
    assert thor.power_w(DEMO_PARKING_ID, 2) == 0
    assert thor.chargebox(DEMO_GARAGE_ID).free
    assert not thor.chargebox(DEMO_BARN_ID).free  # paid: the API cannot start charges there
    finished = thor.finished_charges(DEMO_API_KEY)
    assert len({c.chargebox for c in finished}) == 3
    assert sum(c.energy_wh for c in finished) > 100_000
    sim.clock.advance(600)
    running = thor.running_json(account)
    assert running["count"] == 2
    assert all(item["energy"] > 0 for item in running["items"])
