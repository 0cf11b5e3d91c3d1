"""Push notifications applied by ThorCloud: the payloads the simulated Thor sends."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from custom_components.ev_charger_cloud.api import (
    Charger,
    ChargerStatus,
    Connector,
    DeviceGoneError,
    Target,
)
from custom_components.ev_charger_cloud.api.thor.cloud import ThorCloud
from custom_components.ev_charger_cloud.api.thor.push import (
    ThorMeterNotice,
    ThorStartNotice,
    parse_notification,
)
from simulator import Simulator
from tests.thor_helpers import API_KEY, sim_now

from .conftest import charge_locally

pytest_plugins = ["tests.thor_fixtures"]

Pushes = Callable[[], list[dict[str, Any]]]


def apply(client: ThorCloud, payload: dict[str, Any], **kwargs: Any) -> Charger | None:
    """Parse a pushed payload as the webhook does and apply it."""
    notice = parse_notification(payload)
    assert notice is not None
    return client.apply_notification(notice, **kwargs)


async def charging_a_minute(sim: Simulator, client: ThorCloud, garage_id: str, watts: int) -> None:
    """A car draws ``watts`` at the garage, read at its start and a minute later."""
    sim.thor.plug_in(garage_id, 1, max_power_w=watts)
    sim.thor.start_local(garage_id, 1, "RFID-1")
    await client.async_read_all()
    sim.clock.advance(60)
    await client.async_read_all()


def connector(device: Charger | None, number: str = "1") -> Connector:
    assert device is not None
    found = device.connector(number)
    assert found is not None
    return found


async def test_start_stop_and_meters(
    thor_sim: Simulator,
    thor_ready: ThorCloud,
    garage_id: str,
    thor_pushes: Pushes,
) -> None:
    """Start: CHARGING from 0 kWh; meters: the pushed power; stop: READY at 0 W."""
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


async def test_power_from_the_register_over_the_time_between_arrivals(
    thor_sim: Simulator,
    thor_ready: ThorCloud,
    garage_id: str,
    thor_pushes: Pushes,
) -> None:
    """The issue's case: `time` "930" then "990" (a duration), 60 s and 100 Wh apart: 6 kW.

    Read as epoch ms, 60 ms apart, it gave 6,000,000 W.
    """
    thor_sim.thor.start_local(garage_id, 1, "RFID-1")
    await thor_ready.async_read_all()
    start = sim_now(thor_sim)
    body = thor_pushes()[0] | {"type": "meters"}

    def register(wh: float, duration: str, seconds: float) -> Charger | None:
        meters = [{"measurand": "Energy.Active.Import.Register", "uom": "Wh", "value": wh}]
        notice = body | {"meters": meters, "time": duration}
        return apply(thor_ready, notice, now=start + timedelta(seconds=seconds))

    assert register(10_000, "930", 0) is None  # nothing to derive from yet
    assert connector(register(10_100, "990", 60)).charging_power == 6_000.0
    assert register(10_101, "995", 65) is None  # too close to the last one to tell
    assert register(10_100, "1050", 120) is None  # repeated: no news
    assert register(10_050, "1110", 180) is None  # backwards
    assert register(1e300, "1170", 240) is None  # beyond twice the rated power
    assert connector(register(10_700, "1230", 300)).charging_power == 9_000.0  # since 60 s
    assert apply(thor_ready, body | {"meters": []}) is None


async def test_notifications_of_no_known_connector(
    thor_sim: Simulator, thor_ready: ThorCloud, garage_id: str
) -> None:
    """Another account's box, a connector the box lacks, or before any read: DeviceGoneError."""
    start = {"type": "start", "accepted": True, "id": "T", "transaction_id": 7, "mode": "api"}
    with pytest.raises(DeviceGoneError):
        apply(thor_ready, start | {"chargebox": garage_id, "connector": 1})  # nothing read yet
    await thor_ready.async_read_all()
    for chargebox, number in (("CB-ELSEWHERE", 1), (garage_id, 2)):
        with pytest.raises(DeviceGoneError):
            apply(thor_ready, start | {"chargebox": chargebox, "connector": number})
    assert apply(thor_ready, start | {"chargebox": garage_id, "connector": 1}) is not None


async def test_rejected_start_and_stop(
    thor_sim: Simulator,
    thor_ready: ThorCloud,
    garage_id: str,
    parking_id: str,
    thor_pushes: Pushes,
) -> None:
    """An offline box refuses a remote start and a remote stop: nothing changes."""
    charge_locally(thor_sim, parking_id, 1)
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


async def test_pushed_power_holds_until_a_read_measures_the_power(
    thor_sim: Simulator,
    thor_ready: ThorCloud,
    garage_id: str,
    thor_pushes: Pushes,
) -> None:
    """1.0 kW pushed, 11 kW real: the next read that sees the energy rise at 11 kW wins."""
    await charging_a_minute(thor_sim, thor_ready, garage_id, 11_000)
    pushed = thor_pushes()[0] | {
        "type": "meters",
        "meters": [{"measurand": "Power.Active.Import", "uom": "kW", "value": "1.0"}],
    }
    notice = parse_notification(pushed)
    assert isinstance(notice, ThorMeterNotice)
    assert connector(apply(thor_ready, pushed)).charging_power == 1_000.0

    thor_sim.clock.advance(60)
    (garage, _) = await thor_ready.async_read_all()

    assert connector(garage).charging_power == pytest.approx(11_000, rel=0.01)


async def test_a_stop_push_has_the_ended_charge_read(
    thor_sim: Simulator,
    thor_ready: ThorCloud,
    garage_id: str,
    thor_pushes: Pushes,
) -> None:
    """After a pushed stop the next poll reads today's finished charges (exact total)."""
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


async def test_a_charge_seen_only_by_its_stop_shows_once_its_finished_charge_is_read(
    thor_sim: Simulator,
    thor_ready: ThorCloud,
    garage_id: str,
    thor_pushes: Pushes,
) -> None:
    """A newer charge than the one seen ending: its own energy, not the older one's."""
    await charging_a_minute(thor_sim, thor_ready, garage_id, 6_000)
    thor_sim.thor.stop_local(garage_id, 1)
    (garage, _) = await thor_ready.async_read_all()
    assert connector(garage).session_energy == 0.1  # the one seen ending, as finished
    thor_sim.thor.start_local(garage_id, 1, "RFID-1")  # its start notice is lost
    thor_sim.clock.advance(300)
    thor_sim.thor.stop_local(garage_id, 1)
    assert apply(thor_ready, thor_pushes()[-1]) is None  # never seen running: not shown

    (garage, _) = await thor_ready.async_read_all()

    assert connector(garage).session_energy == 0.5
