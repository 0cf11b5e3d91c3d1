"""Thor: start, stop and meter notifications POSTed to a local receiver; failures counted."""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
import time
from typing import Any

import aiohttp
from aiohttp import web
import pytest

from simulator import Simulator
from simulator.thor_model import ThorAccount, ThorChargebox

ThorCall = Callable[..., Awaitable[aiohttp.ClientResponse]]


class Receiver:
    """A local webhook endpoint that keeps what it got and can be slow or failing."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.status = 200
        self.delay = 0.0
        self.url = ""

    async def handle(self, request: web.Request) -> web.Response:
        if self.delay:
            await asyncio.sleep(self.delay)
        self.received.append(await request.json())
        return web.Response(status=self.status)


@pytest.fixture
async def receiver(socket_enabled: None) -> AsyncIterator[Receiver]:
    target = Receiver()
    app = web.Application()
    app.router.add_post("/hook", target.handle)
    runner = web.AppRunner(app, access_log=None, handler_cancellation=True)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    target.url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
    yield target
    await runner.cleanup()


@pytest.fixture
def box(sim: Simulator, thor_account: ThorAccount) -> ThorChargebox:
    return sim.thor.add_chargebox(thor_account.api_key, id="CB-1", power=22_000, connectors=2)


async def test_start_stop_and_meters_reach_the_url(
    sim: Simulator,
    box: ThorChargebox,
    thor_account: ThorAccount,
    thor_call: ThorCall,
    thor_control: Callable[..., Awaitable[Any]],
    receiver: Receiver,
) -> None:
    key = thor_account.api_key
    config = await thor_control("POST", f"/accounts/{key}/push", {"url": receiver.url})
    assert config["urls"] == dict.fromkeys(("start", "stop", "meters"), receiver.url)
    sim.thor.plug_in(box.id, 1, max_power_w=7_360)
    start = {"chargebox": box.id, "connector": 1}
    tag = (await (await thor_call("POST", "/charges/start", start)).json())["id_tag"]
    transaction = sim.thor.running_charges(key)[0].id
    sim.clock.advance(3600)
    sent = await thor_control("POST", f"/accounts/{key}/push/meters", {})
    assert sent == {"sent": 1}
    await thor_call("POST", "/charges/stop", start | {"id_tag": tag})
    state = await thor_control("POST", f"/accounts/{key}/push/drain")
    assert (state["sent"], state["failed"], state["pending"]) == (3, 0, 0)

    start_note, meters_note, stop_note = receiver.received
    assert start_note == {
        "type": "start",
        "accepted": True,
        "chargebox": box.id,
        "id": tag,
        "connector": 1,
        "transaction_id": transaction,
        "mode": "api",
    }
    assert meters_note["type"] == "meters"
    assert (meters_note["chargebox"], meters_note["connector"], meters_note["idTag"]) == (
        box.id,
        1,
        tag,
    )
    energy, power = meters_note["meters"]
    assert energy == {
        "measurand": "Energy.Active.Import.Register",
        "uom": "Wh",
        "phase": None,
        "value": energy["value"],
    }
    assert int(energy["value"]) == pytest.approx(7_360, abs=2)
    assert (power["measurand"], power["uom"], power["value"]) == (
        "Power.Active.Import",
        "W",
        "7360",
    )
    assert meters_note["kwh"] == pytest.approx(7_360, abs=2)
    assert meters_note["time"] == pytest.approx(sim.clock.now() * 1000, abs=5000)
    assert set(stop_note) == {
        "type", "accepted", "unlocked", "chargebox", "idTag", "connector", "transaction_id",
        "kwh", "energy", "time",
    }  # fmt: skip
    assert (stop_note["type"], stop_note["accepted"], stop_note["unlocked"]) == (
        "stop_transaction",
        True,
        True,
    )
    assert (stop_note["idTag"], stop_note["transaction_id"]) == (tag, transaction)
    assert stop_note["kwh"] == stop_note["energy"] == pytest.approx(7_360, abs=2)


async def test_separate_urls_and_local_starts(
    sim: Simulator, box: ThorChargebox, thor_account: ThorAccount, receiver: Receiver
) -> None:
    sim.thor.set_push_urls(thor_account.api_key, {"stop": receiver.url})
    charge = sim.thor.start_local(box.id, 2, "RFID-5")
    sim.thor.stop_local(box.id, 2)
    await sim.thor.push.drain()
    assert [(n["type"], n["idTag"], n["transaction_id"]) for n in receiver.received] == [
        ("stop_transaction", "RFID-5", charge.id)
    ]
    sim.thor.set_push_urls(thor_account.api_key, {"start": receiver.url, "stop": None})
    sim.thor.start_local(box.id, 2, "RFID-5", mode="remote")
    sim.thor.stop_local(box.id, 2)
    await sim.thor.push.drain()
    assert [(n["type"], n.get("mode")) for n in receiver.received[1:]] == [("start", "remote")]


async def test_offline_start_is_reported_rejected(
    sim: Simulator,
    box: ThorChargebox,
    thor_account: ThorAccount,
    thor_call: ThorCall,
    receiver: Receiver,
) -> None:
    sim.thor.set_push_urls(thor_account.api_key, {"start": receiver.url, "stop": receiver.url})
    sim.thor.set_connected(box.id, False)
    response = await thor_call("POST", "/charges/start", {"chargebox": box.id, "connector": 1})
    tag = (await response.json())["id_tag"]
    await sim.thor.push.drain()
    assert receiver.received == [
        {
            "type": "start",
            "accepted": False,
            "chargebox": box.id,
            "id": tag,
            "connector": 1,
            "transaction_id": 0,
            "mode": "api",
        }
    ]


async def test_a_dead_or_slow_url_never_blocks_a_request(
    sim: Simulator,
    box: ThorChargebox,
    thor_account: ThorAccount,
    thor_call: ThorCall,
    receiver: Receiver,
) -> None:
    key = thor_account.api_key
    sim.thor.settings.push_timeout = 1.0
    receiver.delay = 5.0
    sim.thor.set_push_urls(key, {"start": receiver.url, "stop": "http://127.0.0.1:9/refused"})
    start = {"chargebox": box.id, "connector": 1}
    started = time.monotonic()
    tag = (await (await thor_call("POST", "/charges/start", start)).json())["id_tag"]
    assert (await thor_call("POST", "/charges/stop", start | {"id_tag": tag})).status == 200
    assert time.monotonic() - started < 0.8  # not waiting for the 1 s timeout
    assert thor_account.push.pending == 2
    await sim.thor.push.drain()
    state = thor_account.push
    assert (state.sent, state.failed, state.pending) == (0, 2, 0)
    errors = {d.kind: d.error for d in state.deliveries}
    assert errors["start"] == "timeout"
    assert errors["stop"] is not None
    assert errors["stop"].startswith("ClientConnectorError")


async def test_error_status_counts_as_failed(
    sim: Simulator, box: ThorChargebox, thor_account: ThorAccount, receiver: Receiver
) -> None:
    receiver.status = 500
    sim.thor.set_push_urls(thor_account.api_key, {"start": receiver.url})
    sim.thor.start_local(box.id, 1, "RFID-1")
    await sim.thor.push.drain()
    state = thor_account.push
    assert (state.sent, state.failed, state.last_error) == (0, 1, "HTTP 500")
    assert state.deliveries[0].status == 500


def test_without_an_event_loop_nothing_is_sent(
    sim: Simulator, box: ThorChargebox, thor_account: ThorAccount
) -> None:
    sim.thor.set_push_urls(thor_account.api_key, {"start": "http://127.0.0.1:9/x"})
    sim.thor.start_local(box.id, 1, "RFID-1")
    assert (thor_account.push.failed, thor_account.push.last_error) == (1, "no running event loop")


def test_meters_only_for_running_charges_and_filters(
    sim: Simulator, box: ThorChargebox, thor_account: ThorAccount
) -> None:
    key = thor_account.api_key
    assert sim.thor.push_meters(key) == 0
    sim.thor.start_local(box.id, 1, "RFID-1")
    sim.thor.start_local(box.id, 2, "RFID-2")
    assert sim.thor.push_meters(key) == 2  # without a URL nothing is attempted
    assert sim.thor.push_meters(key, box.id, 2) == 1
    assert sim.thor.push_meters(key, "CB-other") == 0
    assert len(thor_account.push.deliveries) == 0
