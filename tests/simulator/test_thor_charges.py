"""Thor: starting and stopping charges through the API, and every refusal."""

from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import pytest

from simulator import Simulator
from simulator.thor.model import ThorAccount, ThorChargebox

ThorCall = Callable[..., Awaitable[aiohttp.ClientResponse]]


@pytest.fixture
def box(sim: Simulator, thor_account: ThorAccount) -> ThorChargebox:
    return sim.thor.add_chargebox(thor_account.api_key, id="CB-1", connectors=2)


async def _refused(response: aiohttp.ClientResponse, status: int, message: str) -> None:
    assert response.status == status, await response.text()
    assert await response.json() == {"message": message}


async def _running(thor_call: ThorCall, **params: str) -> Any:
    response = await thor_call("GET", "/charges/running", params=params)
    assert response.status == 200
    return await response.json()


async def test_start_then_stop(sim: Simulator, box: ThorChargebox, thor_call: ThorCall) -> None:
    response = await thor_call("POST", "/charges/start", {"chargebox": box.id, "connector": 1})
    assert response.status == 200
    answer = await response.json()
    assert set(answer) == {"id_tag"}
    assert answer["id_tag"].startswith("API")

    running = await _running(thor_call)
    assert running["count"] == 1
    assert running["users"] == {}
    (item,) = running["items"]
    assert set(item) == {
        "id", "chargebox", "connector", "date_started", "energy", "id_tag", "type", "user",
        "payment",
    }  # fmt: skip
    assert isinstance(item["id"], int)
    assert (item["chargebox"], item["connector"], item["energy"]) == (box.id, 1, 0)
    assert item["id_tag"] is None  # API starts are listed without a tag
    assert (item["type"], item["user"]) == ("api", None)
    assert abs(item["date_started"] - sim.clock.now() * 1000) < 5000
    detail = await (await thor_call("GET", f"/chargeboxes/{box.id}")).json()
    assert detail["occupied_connectors"] == [1]

    stop = {
        "chargebox": box.id,
        "connector": 1,
        "id_tag": answer["id_tag"],
        "transaction": item["id"],
    }
    response = await thor_call("POST", "/charges/stop", stop)
    assert response.status == 200
    assert await response.read() == b""
    assert (await _running(thor_call))["count"] == 0
    assert sim.thor.finished_charges(box.api_key)[0].id == item["id"]


async def test_stop_without_transaction_and_rfid_charges(
    sim: Simulator, box: ThorChargebox, thor_call: ThorCall
) -> None:
    charge = sim.thor.start_local(box.id, 2, "RFID-CARD-9", user="alice")
    running = await _running(thor_call, chargebox=box.id)
    assert running["items"][0]["id_tag"] == "RFID-CARD-9"
    assert running["items"][0]["type"] == "local"
    assert running["users"] == {"alice": {"id": "alice", "alias": "alice", "email": None}}
    # The tag of an RFID charge is the card's; a wrong tag is a wrong transaction.
    wrong = {"chargebox": box.id, "connector": 2, "id_tag": "API000001"}
    await _refused(await thor_call("POST", "/charges/stop", wrong), 400, "WrongTransaction")
    right = wrong | {"id_tag": "RFID-CARD-9"}
    assert (await thor_call("POST", "/charges/stop", right)).status == 200
    assert charge.finished_at is not None


async def test_start_refusals(
    sim: Simulator, box: ThorChargebox, thor_account: ThorAccount, thor_call: ThorCall
) -> None:
    async def start(body: Any) -> aiohttp.ClientResponse:
        return await thor_call("POST", "/charges/start", body)

    await _refused(await start({"chargebox": "CB-404", "connector": 1}), 404, "ChargeboxNotFound")
    for connector in (0, 3, "1", None):
        body = {"chargebox": box.id, "connector": connector}
        expected = "BadRequest" if connector is None else "ConnectorNotValid"
        await _refused(await start(body), 400, expected)
    await _refused(await start({"connector": 1}), 400, "BadRequest")
    response = await thor_call("POST", "/charges/start", None)
    await _refused(response, 400, "BadRequest")

    inactive = sim.thor.add_chargebox(thor_account.api_key, active=False)
    await _refused(
        await start({"chargebox": inactive.id, "connector": 1}), 403, "ChargeboxNotActive"
    )
    paid = sim.thor.add_chargebox(thor_account.api_key, free=False, price_per_kwh=0.4)
    await _refused(await start({"chargebox": paid.id, "connector": 1}), 402, "ChargeboxNotFree")

    assert (await start({"chargebox": box.id, "connector": 1})).status == 200
    await _refused(await start({"chargebox": box.id, "connector": 1}), 400, "AlreadyInTransaction")
    sim.thor.add_account("other-key")
    foreign = sim.thor.add_chargebox("other-key")
    await _refused(await start({"chargebox": foreign.id, "connector": 1}), 404, "ChargeboxNotFound")


async def test_stop_refusals(sim: Simulator, box: ThorChargebox, thor_call: ThorCall) -> None:
    async def stop(body: Any) -> aiohttp.ClientResponse:
        return await thor_call("POST", "/charges/stop", body)

    base = {"chargebox": box.id, "connector": 1, "id_tag": "API000001"}
    for missing in ("chargebox", "connector", "id_tag"):
        body = {k: v for k, v in base.items() if k != missing}
        await _refused(await stop(body), 400, "BadRequest")
    await _refused(await stop(base | {"chargebox": "CB-404"}), 404, "ChargeboxNotFound")
    await _refused(await stop(base | {"connector": 5}), 400, "ConnectorNotValid")
    await _refused(await stop(base), 400, "NotInTransaction")

    tag = (
        await (
            await thor_call("POST", "/charges/start", {"chargebox": box.id, "connector": 1})
        ).json()
    )["id_tag"]
    transaction = (await _running(thor_call))["items"][0]["id"]
    body = base | {"id_tag": tag}
    await _refused(await stop(body | {"transaction": transaction + 1}), 400, "WrongTransaction")
    await _refused(await stop(body | {"id_tag": "API999999"}), 400, "WrongTransaction")
    await _refused(await stop(body | {"connector": 2}), 400, "NotInTransaction")
    assert (await _running(thor_call))["count"] == 1
    assert (await stop(body | {"transaction": transaction})).status == 200


async def test_too_many_starts_on_one_connector(
    sim: Simulator, box: ThorChargebox, thor_call: ThorCall
) -> None:
    start = {"chargebox": box.id, "connector": 1}
    for _ in range(3):
        tag = (await (await thor_call("POST", "/charges/start", start)).json())["id_tag"]
        assert (await thor_call("POST", "/charges/stop", start | {"id_tag": tag})).status == 200
        sim.clock.advance(10)
    response = await thor_call("POST", "/charges/start", start)
    await _refused(response, 429, "TooManyRequests")
    assert 25 <= int(response.headers["Retry-After"]) <= 30  # the first start leaves at 60 s
    # Another connector of the same box has its own count.
    assert (await thor_call("POST", "/charges/start", start | {"connector": 2})).status == 200
    sim.clock.advance(31)
    assert (await thor_call("POST", "/charges/start", start)).status == 200


async def test_offline_box_accepts_commands_but_does_nothing(
    sim: Simulator, box: ThorChargebox, thor_call: ThorCall
) -> None:
    sim.thor.start_local(box.id, 2, "RFID-1")
    sim.thor.set_connected(box.id, False)
    response = await thor_call("POST", "/charges/start", {"chargebox": box.id, "connector": 1})
    assert response.status == 200
    assert (await response.json())["id_tag"].startswith("API")
    stop = {"chargebox": box.id, "connector": 2, "id_tag": "RFID-1"}
    assert (await thor_call("POST", "/charges/stop", stop)).status == 200
    running = await _running(thor_call)
    assert [(i["connector"], i["id_tag"]) for i in running["items"]] == [(2, "RFID-1")]
    sim.thor.set_connected(box.id, True)
    assert (await thor_call("POST", "/charges/stop", stop)).status == 200
    assert (await _running(thor_call))["count"] == 0


async def test_commands_are_recorded_on_the_account(
    sim: Simulator, box: ThorChargebox, thor_account: ThorAccount, thor_call: ThorCall
) -> None:
    start = {"chargebox": box.id, "connector": 1}
    tag = (await (await thor_call("POST", "/charges/start", start)).json())["id_tag"]
    await thor_call("POST", "/charges/stop", start | {"id_tag": "nope"})
    await thor_call("POST", "/charges/stop", start | {"id_tag": tag})
    assert [(c["kind"], c["body"], c["status"], c["answer"]) for c in thor_account.commands] == [
        ("start", start, 200, {"id_tag": tag}),
        ("stop", start | {"id_tag": "nope"}, 400, {"message": "WrongTransaction"}),
        ("stop", start | {"id_tag": tag}, 200, None),
    ]
