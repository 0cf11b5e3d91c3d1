"""ThorCloud's account id, reservations and diagnostics against the simulated Thor."""

from __future__ import annotations

from datetime import timedelta
import json
from typing import Any

import aiohttp
import pytest

from custom_components.ev_charger_cloud.api import (
    AccountWithoutDevicesError,
    Charger,
    ChargerStatus,
    PollPlan,
    Target,
)
from custom_components.ev_charger_cloud.api.thor.cloud import ThorCloud, account_id
from custom_components.ev_charger_cloud.api.thor.history import ThorEnergyHistory
from simulator import Simulator
from tests.thor_helpers import API_KEY, requests_of

pytest_plugins = ["tests.thor_fixtures"]


# --- the account ----------------------------------------------------------------------


async def test_account_id_is_a_stable_digest(
    thor_sim: Simulator, thor_cloud_factory: Any, thor_clock: None
) -> None:
    """Known by a box (the first, alphabetically) while listed; the key is not in it."""
    thor_sim.thor.add_chargebox(API_KEY, id="CB-B")
    thor_sim.thor.add_chargebox(API_KEY, id="CB-A")
    client: ThorCloud = thor_cloud_factory()

    account = await client.async_authenticate()

    assert client.account_box == "CB-A"
    assert account.unique_id == account_id("CB-A")
    assert account.title == "Thor (2 chargeboxes)"
    assert API_KEY not in account.unique_id
    assert account_id("CB-A") == account_id("CB-A") != account_id("CB-B")

    kept: ThorCloud = thor_cloud_factory(account_box="CB-B")  # a renewed key
    assert (await kept.async_authenticate()).unique_id == account_id("CB-B")


async def test_account_box_gone(
    thor_sim: Simulator, thor_cloud_factory: Any, thor_clock: None
) -> None:
    """A box no longer listed: the first one; no box at all: no identity, a typed error."""
    client: ThorCloud = thor_cloud_factory(account_box="CB-SOLD")
    with pytest.raises(AccountWithoutDevicesError):
        await client.async_authenticate()
    assert client.account_box == "CB-SOLD"

    thor_sim.thor.add_chargebox(API_KEY, id="CB-NEW")
    account = await client.async_authenticate()
    assert (client.account_box, account.title) == ("CB-NEW", "Thor (1 chargebox)")
    assert account.unique_id == account_id("CB-NEW")
    assert account.identity == {"account_box": "CB-NEW"}


# --- reservations ---------------------------------------------------------------------


async def test_reservations_only_with_a_reservable_box(
    thor_sim: Simulator, thor_ready: ThorCloud, parking_id: str
) -> None:
    """No reservable box: never asked; one: read when nothing else is due, RESERVED shown."""
    for _ in range(2):
        await thor_ready.async_read_all()
    assert all("/reservations" not in path for _, path in requests_of(thor_sim))

    thor_sim.thor.update_chargebox(parking_id, reservable=True)
    thor_sim.thor.add_reservation(parking_id, 2, thor_sim.clock.now() + 900)
    thor_sim.requests.clear()
    devices = await thor_ready.async_read_all()

    assert requests_of(thor_sim)[-1] == ("GET", "/reservations")
    parking = next(d for d in devices if d.device_id == parking_id)
    assert isinstance(parking, Charger)
    assert [c.status for c in parking.connectors] == [ChargerStatus.READY, ChargerStatus.RESERVED]

    thor_sim.clock.advance(1200)  # expired
    devices = await thor_ready.async_read_all()
    parking = next(d for d in devices if d.device_id == parking_id)
    assert isinstance(parking, Charger)
    assert [c.status for c in parking.connectors] == [ChargerStatus.READY] * 2

    thor_sim.thor.add_reservation(parking_id, 1, thor_sim.clock.now() + 900)
    await thor_ready.async_read_all()
    thor_sim.thor.update_chargebox(parking_id, reservable=False)
    thor_sim.requests.clear()
    devices = await thor_ready.async_read_all()  # not reservable any more: forgotten
    parking = next(d for d in devices if d.device_id == parking_id)
    assert isinstance(parking, Charger)
    assert [c.status for c in parking.connectors] == [ChargerStatus.READY] * 2
    assert [path for _, path in requests_of(thor_sim)] == ["/chargeboxes", "/charges/running"]


# --- diagnostics ----------------------------------------------------------------------


async def test_diagnostics_without_personal_data(
    thor_sim: Simulator, thor_ready: ThorCloud, garage_id: str, parking_id: str
) -> None:
    """Boxes, charges and totals; no coordinates, tags, users, Nayax secrets or the key."""
    thor_sim.thor.update_chargebox(parking_id, reservable=True, latitude=45.123456)
    thor_sim.thor.add_user(API_KEY, "driver-7", "Jane Driver", "jane@example.com")
    thor_sim.thor.plug_in(garage_id, 1)
    thor_sim.thor.start_local(garage_id, 1, "RFID-SECRET-TAG", user="driver-7")
    thor_sim.thor.add_reservation(parking_id, 1, thor_sim.clock.now() + 900, id_tag="RES-TAG")
    await thor_ready.async_read_all()
    await thor_ready.async_set_charging(Target(parking_id, "2"), True)  # a kept API tag
    await thor_ready.async_read_all()

    dump = thor_ready.diagnostics()
    text = json.dumps(dump)

    assert set(dump["chargeboxes"]) == {garage_id, parking_id}
    assert dump["running"][f"{garage_id}/1"]["transaction"] > 0
    assert dump["reserved"] == [f"{parking_id}/1"]
    assert dump["history"]["complete"] is True
    for secret in (
        API_KEY,
        "RFID-SECRET-TAG",
        "RES-TAG",
        "API000",
        "driver-7",
        "Jane",
        "jane@example.com",
        "45.12",
        "latitude",
        "longitude",
        "coordinates",
        "token",
        "terminal_id",
    ):
        assert secret not in text, secret


@pytest.mark.parametrize(
    "kept",
    [None, "not a mapping", {"history": "x", "id_tags": 3, "key_refused_since": "soon"}],
)
async def test_resuming_from_unusable_kept_state_starts_afresh(kept: Any) -> None:
    """What an entry kept is stored data: a wrong shape starts without it, never raises."""
    async with aiohttp.ClientSession() as session:
        client = ThorCloud.resumed(session, API_KEY, kept)
    assert client.history.as_dict() == ThorEnergyHistory().as_dict()
    assert client.thor.key_refused_since is None


async def test_resuming_continues_what_the_entry_kept() -> None:
    """The history, tags and first key refusal handed to on_state come back as they were."""
    kept: list[dict[str, Any]] = []
    async with aiohttp.ClientSession() as session:
        first = ThorCloud(session, API_KEY, key_refused_since=1_700_000_000.0, on_state=kept.append)
        first._keep_state()
        again = ThorCloud.resumed(session, API_KEY, kept[-1])
    assert again.history.as_dict() == first.history.as_dict()
    assert again.thor.key_refused_since == 1_700_000_000.0


def test_poll_plan_reads_the_whole_account_every_minute() -> None:
    """One read of all a minute (at most one per 20 s), which is the discovery too."""
    assert ThorCloud.poll_plan == PollPlan(
        interval=timedelta(minutes=1),
        min_spacing=timedelta(seconds=20),
        devices_per_poll=None,
        rediscover_every=timedelta(minutes=1),
        read_all=True,
    )
