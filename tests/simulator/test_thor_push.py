"""Thor: start, stop and meter notifications POSTed to a local receiver; failures counted."""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
import time
from typing import Any

import aiohttp
from aiohttp import web
import pytest

from simulator import Simulator
from simulator.thor.model import ThorAccount, ThorChargebox

ThorCall = Callable[..., Awaitable[aiohttp.ClientResponse]]


class Receiver:
    """A local webhook endpoint that keeps what it got and can be slow or failing."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.raw: list[str] = []  # the bodies as text (a repeated key survives only here)
        self.status = 200
        self.delay = 0.0
        self.url = ""

    async def handle(self, request: web.Request) -> web.Response:
        if self.delay:
            await asyncio.sleep(self.delay)
        self.raw.append(await request.text())
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


@dataclass
class ShapedPushes:
    """One charge on connector 1 of `box`, its notifications in the shape a test sets."""

    sim: Simulator
    box: ThorChargebox
    key: str
    receiver: Receiver

    async def of_charge(
        self, kinds: tuple[str, ...], *, seconds: float = 0.0, plug: bool = True, **shape: str
    ) -> list[dict[str, Any]]:
        """Notifications of `kinds` sent for a charge (meters after `seconds`, then the stop)."""
        thor = self.sim.thor
        thor.set_push_urls(self.key, dict.fromkeys(kinds, self.receiver.url))
        thor.set_push_shape(self.key, **shape)
        if plug:
            thor.plug_in(self.box.id, 1, max_power_w=11_000)
        thor.start_local(self.box.id, 1, "RFID-1")
        self.sim.clock.advance(seconds)
        if "meters" in kinds:
            thor.push_meters(self.key)
        if "stop" in kinds:
            thor.stop_local(self.box.id, 1)
        await thor.push.drain()
        return self.receiver.received


@pytest.fixture
def pushes(
    sim: Simulator, box: ThorChargebox, thor_account: ThorAccount, receiver: Receiver
) -> ShapedPushes:
    return ShapedPushes(sim, box, thor_account.api_key, receiver)


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
    assert meters_note["time"] == "3600"  # the duration, a String in seconds by default
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
    assert stop_note["time"] == 3600  # the total duration, an Integer in seconds by default


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


# --- the documented variants (PushShape) ---------------------------------------------


async def test_shape_through_the_control_api(
    sim: Simulator, thor_account: ThorAccount, thor_control: Callable[..., Awaitable[Any]]
) -> None:
    """Picked per account with the URLs, or alone; unknown options and values are 400."""
    path = f"/accounts/{thor_account.api_key}/push"
    assert (await thor_control("GET", path))["shape"] == {
        "start": "mode",
        "time": "seconds",
        "stop_energy": "both",
        "meters": "both",
        "meter_value": "text",
    }
    state = await thor_control("POST", path, {"shape": {"start": "repeated_type", "time": "hms"}})
    assert (state["shape"]["start"], state["shape"]["time"]) == ("repeated_type", "hms")
    state = await thor_control("POST", path, {"shape": {"meters": "register"}})
    assert state["shape"] == {
        "start": "repeated_type",
        "time": "hms",
        "stop_energy": "both",
        "meters": "register",
        "meter_value": "text",
    }
    await thor_control("POST", path, {"shape": {"time": "fortnights"}}, status=400)
    await thor_control("POST", path, {"shape": {"colour": "red"}}, status=400)
    await thor_control("POST", path, {"shape": ["start"]}, status=400)
    assert thor_account.push.shape.meters == "register"


async def test_start_with_a_repeated_type_as_the_vendor_writes_it(
    sim: Simulator, box: ThorChargebox, thor_account: ThorAccount, receiver: Receiver
) -> None:
    """`"type": "start"` first, the mode as a second `"type"` last; no `mode` key."""
    sim.thor.set_push_urls(thor_account.api_key, {"start": receiver.url})
    sim.thor.set_push_shape(thor_account.api_key, start="repeated_type")
    charge = sim.thor.start_local(box.id, 2, "0012847382")
    await sim.thor.push.drain()
    assert receiver.raw == [
        '{"type": "start", "accepted": true, "chargebox": "CB-1", "id": "0012847382", '
        f'"connector": 2, "transaction_id": {charge.id}, "type": "local"}}'
    ]
    assert receiver.received[0]["type"] == "local"  # what a last-wins parser makes of it
    delivery = thor_account.push.deliveries[0]
    assert (delivery.body, delivery.payload["mode"]) == (receiver.raw[0], "local")


@pytest.mark.parametrize(
    ("form", "meters_time", "stop_time"),
    [
        ("seconds", "930", 930),
        ("ms", "930000", 930_000),
        ("hms", "00:15:30", "00:15:30"),
        ("iso", "PT0H15M30S", "PT0H15M30S"),
        ("none", None, None),
    ],
)
async def test_time_is_the_duration_in_each_form(
    pushes: ShapedPushes, form: str, meters_time: str | None, stop_time: int | str | None
) -> None:
    meters, stop = await pushes.of_charge(("meters", "stop"), seconds=930, time=form)
    assert (meters.get("time"), stop.get("time")) == (meters_time, stop_time)
    assert ("time" in meters, "time" in stop) == (form != "none", form != "none")


@pytest.mark.parametrize(
    ("form", "fields"),
    [
        ("both", {"kwh": 2750, "energy": 2750}),
        ("kwh", {"kwh": 2750}),
        ("energy", {"energy": 2750}),
        ("zero", {"kwh": 0}),
    ],
)
async def test_stop_energy_fields(pushes: ShapedPushes, form: str, fields: dict[str, int]) -> None:
    (stop,) = await pushes.of_charge(("stop",), seconds=900, stop_energy=form)
    assert {k: v for k, v in stop.items() if k in ("kwh", "energy")} == fields


@pytest.mark.parametrize(
    ("form", "measurands"),
    [
        ("both", ["Energy.Active.Import.Register", "Power.Active.Import"]),
        ("register", ["Energy.Active.Import.Register"]),
        ("power", ["Power.Active.Import"]),
    ],
)
async def test_meter_rows(pushes: ShapedPushes, form: str, measurands: list[str]) -> None:
    (meters,) = await pushes.of_charge(("meters",), plug=False, meters=form)
    assert [row["measurand"] for row in meters["meters"]] == measurands


@pytest.mark.parametrize(
    ("reading", "row"),
    [
        ("text", {"value": "11000"}),
        ("number", {"value": 11000.0}),
        ("table", {"Value": 11000.0}),
    ],
)
async def test_meter_readings(pushes: ShapedPushes, reading: str, row: dict[str, Any]) -> None:
    (meters,) = await pushes.of_charge(("meters",), meters="power", meter_value=reading)
    expected = {"measurand": "Power.Active.Import", "uom": "W", "phase": None, **row}
    assert meters["meters"] == [expected]


async def test_unlock_and_replay_through_the_control_api(
    sim: Simulator,
    box: ThorChargebox,
    thor_account: ThorAccount,
    thor_control: Callable[..., Awaitable[Any]],
    receiver: Receiver,
) -> None:
    """An unlock is a `msg: "stop"` notice; a replay posts a kept body unchanged."""
    key = thor_account.api_key
    await thor_control("POST", f"/accounts/{key}/push", {"url": receiver.url})
    sim.thor.set_push_shape(key, start="repeated_type")
    sim.thor.plug_in(box.id, 1, max_power_w=11_000)
    sim.thor.start_local(box.id, 1, "RFID-1")
    sim.clock.advance(360)
    sim.thor.stop_local(box.id, 1)
    unlock = f"/chargeboxes/{box.id}/connectors/1/unlock"
    assert await thor_control("POST", unlock) == {"sent": 1}
    assert await thor_control("POST", f"/accounts/{key}/push/replay", {"index": 0}) == {"sent": 1}
    await thor_control("POST", f"/accounts/{key}/push/replay", {"index": 99}, status=404)
    await thor_control("POST", f"/chargeboxes/{box.id}/connectors/x/unlock", status=400)
    await thor_control("POST", f"/accounts/{key}/push/drain")
    assert receiver.received[2] == {
        "type": "stop_transaction",
        "msg": "stop",
        "accepted": True,
        "unlocked": True,
        "chargebox": box.id,
        "idTag": "",
        "connector": 1,
        "transaction_id": 0,
        "energy": 1100,
    }
    assert receiver.raw[3] == receiver.raw[0]  # the start again, its repeated type and all
    sim.thor.set_push_urls(key, {"start": None})
    assert sim.thor.replay_push(key, 0) == 0  # no URL for the kind any more
