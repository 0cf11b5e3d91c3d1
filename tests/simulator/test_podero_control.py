"""Podero: control API over HTTP, faults, rate limit, reset and the demo organisation."""

import json
import time
from typing import Any

import aiohttp
import pytest

from simulator import Simulator
from simulator.faults import Fault
from simulator.podero.demo import (
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    DEMO_ID4_ID,
    DEMO_MODEL3_ID,
    DEMO_NEIGHBOUR_ID,
    DEMO_ORG_ID,
    DEMO_USER_ID,
    DEMO_WALLBOX_ID,
)
from simulator.podero.model import PoderoOrg, PoderoUser
from simulator.testing import PoderoTestClient, SimulatorServer


async def test_control_api_over_http(
    sim: Simulator, session: aiohttp.ClientSession, server: SimulatorServer
) -> None:
    control = f"{server.base_url}/_sim/podero"

    async def call(method: str, path: str, body: object = None, status: int = 200) -> Any:
        response = await session.request(method, f"{control}{path}", json=body)
        assert response.status == status, await response.text()
        return await response.json()

    org = await call("POST", "/orgs", {"client_id": "c", "client_secret": "s"})
    user = await call("POST", f"/orgs/{org['id']}/users", {"email": "u@example.com"})
    wallbox = await call(
        "POST", f"/users/{user['id']}/wallboxes", {"name": "Garage", "charge_power_max_w": 3600}
    )
    ev = await call("POST", f"/users/{user['id']}/vehicles", {"battery_level": 50})
    assert (wallbox["kind"], ev["kind"]) == ("wallbox", "vehicle")
    state = await call("POST", f"/devices/{ev['id']}/plug", {"wallbox_id": wallbox["id"]})
    assert (state["wallbox_id"], state["power_w"]) == (wallbox["id"], 3600.0)
    await call("POST", f"/devices/{ev['id']}/plug", {}, status=409)
    await session.post(f"{server.base_url}/_sim/clock/advance", json={"seconds": 3600})
    box = await call("GET", f"/devices/{wallbox['id']}/json")
    assert box["comment"] == "Garage"
    assert box["total_energy_delivered_wh"] == pytest.approx(3600, abs=10)
    state = await call(
        "POST",
        f"/devices/{ev['id']}",
        {"battery_level": 20, "actions": ["reauthenticate", {"code": "information"}]},
    )
    assert state["battery_level"] == pytest.approx(20, abs=0.1)
    ev_json = await call("GET", f"/devices/{ev['id']}/json")
    assert (ev_json["action_needed"], [a["code"] for a in ev_json["actions"]]) == (
        True,
        ["reauthenticate", "information"],
    )
    assert ev_json["actions"][1]["metadata"]["message"]
    await call("POST", f"/devices/{wallbox['id']}", {"online": False})
    assert (await call("GET", f"/devices/{wallbox['id']}/json"))["connection"] == "offline"
    state = await call("POST", f"/devices/{ev['id']}/unplug")
    assert state["plugged_in"] is False
    config = await call("POST", f"/users/{user['id']}", {"has_inverter": True})
    assert config["available_modes"][2] == {"mode": "hems", "available": True, "reasons": []}
    settings = await call("POST", "/settings", {"burst": 3, "boost_internal_error": True})
    assert (settings["burst"], sim.podero.settings.boost_internal_error) == (3, True)
    assert (await call("GET", "/orgs"))[0]["client_id"] == "c"
    await call("POST", f"/orgs/{org['id']}/revoke-tokens")

    await call("POST", "/orgs", {"client_id": "c", "client_secret": "x"}, status=409)
    await call("POST", f"/users/{user['id']}/vehicles", {"wings": 2}, status=400)
    await call("GET", "/devices/nope", status=404)
    await call("POST", "/reset")
    assert sim.podero.orgs == []
    assert sim.podero.settings.burst == 600


async def test_faults_apply_before_auth(
    sim: Simulator, org: PoderoOrg, podero: PoderoTestClient
) -> None:
    sim.podero.faults.add(Fault(status=503, times=1, path="/oauth2/token/"))
    response = await podero.get_token()
    assert response.status == 503
    assert await response.json() == {"detail": "Injected fault"}
    assert (await podero.get_token()).status == 200

    users = f"/org/{org.id}/users"
    sim.podero.faults.add(Fault(status=500, method="GET", path="/users", times=1))
    assert (await podero.request("GET", users, token="bogus")).status == 500
    sim.podero.faults.add(Fault(malformed=True, times=1))
    response = await podero.request("GET", users)
    assert response.status == 200
    with pytest.raises(json.JSONDecodeError):
        await response.json(content_type=None)
    sim.podero.faults.add(Fault(delay=0.2, times=1))
    started = time.monotonic()
    assert (await podero.request("GET", users)).status == 200
    assert time.monotonic() - started >= 0.2
    assert sim.requests.count(provider="podero", status=500) == 1
    # The Wallbox cloud's faults do not touch Podero.
    sim.wallbox.faults.add(Fault(status=502))
    assert (await podero.request("GET", users)).status == 200


async def test_faults_over_the_control_api(
    sim: Simulator, session: aiohttp.ClientSession, server: SimulatorServer, org: PoderoOrg
) -> None:
    control = f"{server.base_url}/_sim/podero/faults"
    assert (await session.post(control, json={"status": 502, "path": "/users"})).status == 200
    assert len(sim.podero.faults) == 1
    assert (await (await session.get(control)).json())[0]["status"] == 502
    assert (await session.delete(control)).status == 200
    assert len(sim.podero.faults) == 0


async def test_rate_limit_per_organisation(
    sim: Simulator, org: PoderoOrg, user: PoderoUser, authorized: PoderoTestClient
) -> None:
    sim.podero.settings.burst = 2
    sim.podero.settings.requests_per_minute = 6  # one every 10 s
    users = f"/org/{org.id}/users"
    assert (await authorized.request("GET", users)).status == 200
    assert (await authorized.request("GET", users)).status == 200
    response = await authorized.request("GET", users)
    assert response.status == 429
    assert 9 <= int(response.headers["Retry-After"]) <= 10
    assert "throttled" in (await response.json())["detail"]
    # Token requests are free; another organisation has its own bucket.
    assert (await authorized.get_token()).status == 200
    other = sim.podero.add_org("other", "secret")
    second = PoderoTestClient(authorized.session, authorized.base, "other", "secret")
    await second.get_token()
    assert (await second.request("GET", f"/org/{other.id}/users")).status == 200
    sim.clock.advance(10)
    assert (await authorized.request("GET", users)).status == 200
    sim.podero.reset_rate_limits()
    assert (await authorized.request("GET", users)).status == 200


def test_demo_organisation() -> None:
    sim = Simulator()
    sim.seed_demo()
    podero = sim.podero
    org = podero.authenticate_client(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET)
    assert org.id == DEMO_ORG_ID
    user, neighbour = podero.users_json(DEMO_ORG_ID)
    assert (neighbour["id"], neighbour["num_electric_vehicles"]) == (DEMO_NEIGHBOUR_ID, 1)
    assert (user["id"], user["email"], user["first_name"], user["last_name"]) == (
        DEMO_USER_ID,
        "driver@example.com",
        "Demo",
        "Driver",
    )
    box = podero.wallbox_json(DEMO_WALLBOX_ID)
    assert (box["comment"], box["mode"], box["is_charging"]) == ("Driveway", "CHARGING", True)
    id4 = podero.vehicle_json(DEMO_ID4_ID)
    assert (id4["device_model"]["model"], id4["mode"]) == ("ID.4", "CHARGING")
    model3 = podero.vehicle_json(DEMO_MODEL3_ID)
    assert (model3["device_model"]["model"], model3["is_plugged_in"]) == ("Model 3", False)
    assert (model3["latitude"], model3["longitude"]) != (id4["latitude"], id4["longitude"])
