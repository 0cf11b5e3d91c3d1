"""Push notifications applied by ThorCloudClient: the payloads the simulated Thor sends."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from custom_components.ev_charger_cloud.api import Charger, ChargerStatus, Connector, Target
from custom_components.ev_charger_cloud.api.thor_cloud import PUSH_POWER_FRESH, ThorCloudClient
from custom_components.ev_charger_cloud.api.thor_push import (
    ThorMeterNotice,
    ThorStartNotice,
    parse_notification,
)
from simulator import Simulator
from tests.thor_helpers import API_KEY, sim_now

pytest_plugins = ["tests.thor_fixtures"]

Pushes = Callable[[], list[dict[str, Any]]]


def apply(client: ThorCloudClient, payload: dict[str, Any], **kwargs: Any) -> Charger | None:
    """Parse a pushed payload as the webhook does and apply it."""
    notice = parse_notification(payload)
    assert notice is not None
    return client.apply_notification(notice, **kwargs)


def connector(device: Charger | None, number: str = "1") -> Connector:
    assert device is not None
    found = device.connector(number)
    assert found is not None
    return found


async def test_start_stop_and_meters(
    thor_sim: Simulator,
    thor_ready: ThorCloudClient,
    thor_boxes: tuple[str, str],
    thor_pushes: Pushes,
) -> None:
    """Start: CHARGING from 0 kWh; meters: the pushed power; stop: READY at 0 W."""
    garage_id, _ = thor_boxes
    thor_sim.thor.plug_in(garage_id, 1, max_power_w=7_400)
    await thor_ready.async_read_all()

    thor_sim.thor.start_local(garage_id, 1, "RFID-1")
    started = apply(thor_ready, thor_pushes()[-1])
    thor_sim.clock.advance(300)
    thor_sim.thor.push_meters(API_KEY, garage_id, 1)
    metered = apply(thor_ready, thor_pushes()[-1])
    thor_sim.thor.stop_local(garage_id, 1)
    stopped = apply(thor_ready, thor_pushes()[-1])

    plug = connector(started)
    assert (plug.status, plug.session_energy) == (ChargerStatus.CHARGING, 0.0)
    assert plug.session_started == sim_now(thor_sim) - timedelta(seconds=300)
    assert connector(metered).charging_power == 7_400.0
    assert (connector(stopped).status, connector(stopped).charging_power) == (
        ChargerStatus.READY,
        0.0,
    )
    assert [p.get("type") for p in thor_pushes()] == ["start", "meters", "stop_transaction"]


async def test_power_derived_from_the_register(
    thor_sim: Simulator, thor_ready: ThorCloudClient, thor_boxes: tuple[str, str]
) -> None:
    """Without Power.Active.Import: the register's rise between two meter values."""
    garage_id, _ = thor_boxes
    await thor_ready.async_read_all()
    body = {"type": "meters", "chargebox": garage_id, "connector": 1}
    start = sim_now(thor_sim)

    def register(wh: int, seconds: int) -> dict[str, Any]:
        moment = start + timedelta(seconds=seconds)
        meters = [{"measurand": "Energy.Active.Import.Register", "uom": "Wh", "value": str(wh)}]
        return body | {"meters": meters, "time": int(moment.timestamp() * 1000)}

    assert apply(thor_ready, register(10_000, 0)) is None  # nothing to derive from yet
    derived = apply(thor_ready, register(10_500, 300))
    assert connector(derived).charging_power == 6_000.0
    assert apply(thor_ready, register(10_400, 600)) is None  # a register going back
    assert apply(thor_ready, body | {"meters": []}) is None


async def test_notifications_of_no_known_connector(
    thor_sim: Simulator, thor_ready: ThorCloudClient, thor_boxes: tuple[str, str]
) -> None:
    """Another account's box, a connector the box lacks, or before any read: None."""
    garage_id, _ = thor_boxes
    start = {"type": "start", "accepted": True, "id": "T", "transaction_id": 7, "mode": "api"}
    assert apply(thor_ready, start | {"chargebox": garage_id, "connector": 1}) is None  # no read
    await thor_ready.async_read_all()
    assert apply(thor_ready, start | {"chargebox": "CB-ELSEWHERE", "connector": 1}) is None
    assert apply(thor_ready, start | {"chargebox": garage_id, "connector": 2}) is None
    assert apply(thor_ready, start | {"chargebox": garage_id, "connector": 1}) is not None


async def test_rejected_start_and_stop(
    thor_sim: Simulator,
    thor_ready: ThorCloudClient,
    thor_boxes: tuple[str, str],
    thor_pushes: Pushes,
) -> None:
    """An offline box refuses a remote start and a remote stop: nothing changes."""
    garage_id, parking_id = thor_boxes
    thor_sim.thor.plug_in(parking_id, 1)
    thor_sim.thor.start_local(parking_id, 1, "RFID-1")
    await thor_ready.async_read_all()
    thor_sim.thor.set_connected(garage_id, False)
    thor_sim.thor.set_connected(parking_id, False)

    await thor_ready.async_set_charging(Target(garage_id, "1"), True)
    await thor_ready.async_set_charging(Target(parking_id, "1"), False)

    rejected_start, rejected_stop = thor_pushes()[-2:]
    assert (rejected_start["accepted"], rejected_stop["accepted"]) == (False, False)
    notice = parse_notification(rejected_start)
    assert isinstance(notice, ThorStartNotice)
    assert apply(thor_ready, rejected_start) is None
    assert apply(thor_ready, rejected_stop) is None


async def test_pushed_power_wins_while_fresh(
    thor_sim: Simulator,
    thor_ready: ThorCloudClient,
    thor_boxes: tuple[str, str],
    thor_pushes: Pushes,
) -> None:
    """A pushed power holds for 5 minutes over the rise between reads, then the rise again."""
    garage_id, _ = thor_boxes
    thor_sim.thor.plug_in(garage_id, 1, max_power_w=6_000)
    thor_sim.thor.start_local(garage_id, 1, "RFID-1")
    thor_sim.clock.advance(600)
    await thor_ready.async_read_all()
    pushed = thor_pushes()[0] | {
        "type": "meters",
        "meters": [{"measurand": "Power.Active.Import", "uom": "kW", "value": "4.2"}],
    }
    notice = parse_notification(pushed)
    assert isinstance(notice, ThorMeterNotice)
    assert connector(apply(thor_ready, pushed)).charging_power == 4_200.0

    thor_sim.clock.advance(PUSH_POWER_FRESH.total_seconds())
    fresh = connector((await thor_ready.async_read_all())[0])
    thor_sim.clock.advance(60)
    stale = connector((await thor_ready.async_read_all())[0])

    assert fresh.charging_power == 4_200.0
    assert stale.charging_power == 6_000.0


async def test_a_stop_push_has_the_ended_charge_read(
    thor_sim: Simulator,
    thor_ready: ThorCloudClient,
    thor_boxes: tuple[str, str],
    thor_pushes: Pushes,
) -> None:
    """After a pushed stop the next poll reads today's finished charges (exact total)."""
    garage_id, _ = thor_boxes
    thor_sim.thor.plug_in(garage_id, 1, max_power_w=6_000)
    await thor_ready.async_read_all()
    thor_sim.thor.start_local(garage_id, 1, "RFID-1")
    thor_sim.clock.advance(600)
    thor_sim.thor.stop_local(garage_id, 1)
    apply(thor_ready, thor_pushes()[-1])
    thor_sim.requests.clear()

    (garage, _) = await thor_ready.async_read_all()

    assert thor_sim.requests.count(provider="thor", path_contains="/charges/finished") == 1
    assert connector(garage).total_energy == 1.0
