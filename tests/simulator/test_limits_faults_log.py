"""Rate limiting, injected faults, request log and the HTTP control API."""

import asyncio
import json
import time

import aiohttp
import pytest

from simulator import Simulator
from simulator.faults import Fault
from simulator.testing import SimulatorServer, WallboxTestClient
from simulator.wallbox.model import WallboxAccount, WallboxCharger


async def test_429_after_burst_and_recovery(
    sim: Simulator, charger: WallboxCharger, signed_in: WallboxTestClient
) -> None:
    path = f"/chargers/status/{charger.id}"
    for _ in range(4):
        assert (await signed_in.request("GET", path)).status == 200
    response = await signed_in.request("GET", path)
    assert response.status == 429
    assert await response.json() == {"errors": [{"status": 429, "title": "Too many requests"}]}
    assert 55 <= int(response.headers["Retry-After"]) <= 60
    # Rejected requests cost nothing: one token back after a minute.
    sim.clock.advance(30)
    retry_after = (await signed_in.request("GET", path)).headers["Retry-After"]
    assert 25 <= int(retry_after) <= 30
    sim.clock.advance(31)
    assert (await signed_in.request("GET", path)).status == 200
    assert (await signed_in.request("GET", path)).status == 429
    # Sign-in is never limited.
    assert (await signed_in.sign_in()).status == 200


async def test_retry_after_can_be_omitted(sim: Simulator, signed_in: WallboxTestClient) -> None:
    sim.wallbox.settings.get_burst = 1
    sim.wallbox.settings.send_retry_after = False
    assert (await signed_in.request("GET", "/v3/chargers/groups")).status == 200
    response = await signed_in.request("GET", "/v3/chargers/groups")
    assert response.status == 429
    assert "Retry-After" not in response.headers


async def test_fault_once(sim: Simulator, signed_in: WallboxTestClient) -> None:
    sim.wallbox.faults.add(Fault(status=503, times=1, path="/groups"))
    response = await signed_in.request("GET", "/v3/chargers/groups")
    assert response.status == 503
    assert (await response.json())["errors"][0]["status"] == 503
    assert (await signed_in.request("GET", "/v3/chargers/groups")).status == 200
    assert len(sim.wallbox.faults) == 0


async def test_fault_filters_and_comes_before_auth(
    sim: Simulator, wallbox: WallboxTestClient
) -> None:
    sim.wallbox.faults.add(Fault(status=500, method="GET", path="/signin"))
    assert (await wallbox.sign_in()).status == 500
    assert (await wallbox.sign_in()).status == 500
    assert (await wallbox.request("GET", "/v3/chargers/groups", token="nope")).status == 401
    sim.wallbox.faults.clear()
    assert (await wallbox.sign_in()).status == 200


async def test_malformed_and_delay_faults(sim: Simulator, signed_in: WallboxTestClient) -> None:
    sim.wallbox.faults.add(Fault(malformed=True, times=1))
    response = await signed_in.request("GET", "/v3/chargers/groups")
    assert response.status == 200
    with pytest.raises(json.JSONDecodeError):
        await response.json(content_type=None)

    sim.wallbox.faults.add(Fault(malformed=True, body="{}", times=1))
    response = await signed_in.request("GET", "/v3/chargers/groups")
    assert await response.json() == {}

    sim.wallbox.faults.add(Fault(delay=0.2, times=1))
    started = time.monotonic()
    response = await signed_in.request("GET", "/v3/chargers/groups")
    assert response.status == 200
    assert time.monotonic() - started >= 0.2


async def test_delay_fault_ends_when_the_client_gives_up(
    sim: Simulator, socket_enabled: None, account: WallboxAccount
) -> None:
    sim.wallbox.faults.add(Fault(delay=30))
    async with SimulatorServer(sim) as server, aiohttp.ClientSession() as session:
        client = WallboxTestClient(session, server.wallbox_url, account.email, account.password)
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.2):
                await client.sign_in()
        started = time.monotonic()
    assert time.monotonic() - started < 2  # shutdown did not wait for the sleeping handler
    for _ in range(20):  # the cancelled handler logs on its way out
        if len(sim.requests):
            break
        await asyncio.sleep(0.01)
    assert [r.status for r in sim.requests] == [499]


async def test_request_log(
    account: WallboxAccount, sim: Simulator, charger: WallboxCharger, signed_in: WallboxTestClient
) -> None:
    await signed_in.request("GET", f"/chargers/status/{charger.id}")
    await signed_in.request("GET", "/v3/chargers/groups", token="bad")
    records = list(sim.requests)
    assert [(r.method, r.path, r.status, r.account) for r in records] == [
        ("GET", "/wallbox/users/signin", 200, account.email),
        ("GET", f"/wallbox/chargers/status/{charger.id}", 200, account.email),
        ("GET", "/wallbox/v3/chargers/groups", 401, None),
    ]
    assert all(r.provider == "wallbox" for r in records)
    assert records[0].at == pytest.approx(sim.clock.now(), abs=5)
    assert sim.requests.count(provider="wallbox", path_contains="/status/") == 1
    assert sim.requests.count(method="GET", status=401) == 1
    sim.requests.clear()
    assert len(sim.requests) == 0


async def test_control_api_over_http(
    sim: Simulator, session: aiohttp.ClientSession, base_url: str, wallbox: WallboxTestClient
) -> None:
    control = f"{base_url}/_sim"

    async def call(method: str, path: str, json: object = None) -> object:
        response = await session.request(method, f"{control}{path}", json=json)
        assert response.status == 200, await response.text()
        return await response.json()

    account = await call("POST", "/wallbox/accounts", {"email": "a@b.c", "password": "pw"})
    assert isinstance(account, dict)
    created = await call("POST", "/wallbox/accounts/a@b.c/chargers", {"eco_smart": True})
    assert isinstance(created, dict)
    charger_id = created["id"]
    await call("POST", "/wallbox/settings", {"get_burst": 20})
    assert sim.wallbox.settings.get_burst == 20
    state = await call("POST", f"/wallbox/chargers/{charger_id}/plug", {"soc_percent": 10})
    assert isinstance(state, dict)
    assert state["status_id"] == 194
    await call("POST", f"/wallbox/chargers/{charger_id}", {"solar_power_kw": 2.5})
    await call("POST", "/clock/advance", {"seconds": 3600})
    state = await call("GET", f"/wallbox/chargers/{charger_id}")
    assert isinstance(state, dict)
    assert state["session"]["added_energy"] == pytest.approx(3.68, abs=0.01)
    assert state["session"]["added_green_energy"] == pytest.approx(2.5, abs=0.01)
    await call("POST", f"/wallbox/chargers/{charger_id}", {"force_status": 166})
    assert sim.wallbox.status_id(charger_id) == 166
    await call("POST", f"/wallbox/chargers/{charger_id}", {"force_status": None})
    await call("POST", f"/wallbox/chargers/{charger_id}/unplug")
    assert sim.wallbox.status_id(charger_id) == 161

    await call("POST", "/wallbox/faults", {"status": 502, "times": 1})
    assert (await wallbox.sign_in("a@b.c", "pw")).status == 502
    await call("POST", "/wallbox/faults", {"status": 502})
    await call("DELETE", "/wallbox/faults")
    assert (await wallbox.sign_in("a@b.c", "pw")).status == 200
    log = await call("GET", "/requests?status=502")
    assert isinstance(log, list)
    assert len(log) == 1
    await call("DELETE", "/requests")
    assert len(sim.requests) == 0

    bad = await session.post(f"{control}/wallbox/accounts/a@b.c/chargers", json={"x": 1})
    assert bad.status == 400
    missing = await session.get(f"{control}/wallbox/chargers/42")
    assert missing.status == 404


def test_demo_seed() -> None:
    sim = Simulator()
    sim.seed_demo()
    chargers = sim.wallbox.chargers_of("demo@example.com")
    assert [c.name for c in chargers] == ["Garage", "Carport", "Office"]
    garage, carport, office = chargers
    assert sim.wallbox.status_id(garage.id) == 194
    assert garage.eco_smart is not None
    assert garage.power_boost
    assert carport.eco_smart is not None
    assert carport.car is None
    assert carport.charger_type == "Commander2"
    assert office.eco_smart is None
    assert office.locked
    assert office.part_number.startswith("CPB1")
    assert sim.wallbox.settings.get_burst == 10
