"""ThorCloud's start and stop over HTTP: the kept id tag, the unconfirmed answer."""

from __future__ import annotations

from typing import Any

import pytest

from custom_components.ev_charger_cloud.api import (
    Charger,
    ChargerStatus,
    CommandRejectedError,
    Target,
)
from custom_components.ev_charger_cloud.api.thor.cloud import ThorCloud
from simulator import Simulator
from tests.thor_helpers import API_KEY, PREFIX, Sent

from .conftest import charge_locally

pytest_plugins = ["tests.thor_fixtures"]


def commands(sim: Simulator) -> list[dict[str, Any]]:
    """Every start/stop body the simulated Thor got, with its status."""
    return [
        {"kind": c["kind"], "body": c["body"], "status": c["status"]}
        for c in sim.thor.account(API_KEY).commands
    ]


async def test_start_keeps_the_tag_and_answers_unconfirmed(
    thor_sim: Simulator,
    thor_ready: ThorCloud,
    parking_id: str,
    thor_states: list[dict[str, Any]],
) -> None:
    """Start: the tag Thor gives is kept (and handed to on_state); CHARGING, unconfirmed."""
    await thor_ready.async_read_all()

    device = await thor_ready.async_set_charging(Target(parking_id, "2"), True)

    assert isinstance(device, Charger)
    assert device.confirmed is False
    connector = device.connector("2")
    assert connector is not None
    assert (connector.status, connector.charging_power) == (ChargerStatus.CHARGING, None)
    other = device.connector("1")
    assert other is not None
    assert other.status is ChargerStatus.READY
    assert commands(thor_sim) == [
        {"kind": "start", "body": {"chargebox": parking_id, "connector": 2}, "status": 200}
    ]
    assert thor_states[-1]["id_tags"] == {f"{parking_id}/2": "API000001"}


async def test_stop_uses_the_transaction_and_the_kept_tag(
    thor_sim: Simulator,
    thor_ready: ThorCloud,
    garage_id: str,
    thor_sent: list[Sent],
    thor_states: list[dict[str, Any]],
) -> None:
    """Thor lists API-started charges without a tag: the stop sends the one kept at start."""
    thor_sim.thor.plug_in(garage_id, 1)
    await thor_ready.async_read_all()
    await thor_ready.async_set_charging(Target(garage_id, "1"), True)
    await thor_ready.async_read_all()
    charge = thor_sim.thor.running_charge(garage_id, 1)
    assert charge is not None

    device = await thor_ready.async_set_charging(Target(garage_id, "1"), False)

    assert thor_sent[-1].path == f"{PREFIX}/charges/stop"
    assert thor_sent[-1].json() == {
        "chargebox": garage_id,
        "connector": 1,
        "id_tag": "API000001",
        "transaction": charge.id,
    }
    assert thor_sim.thor.running_charge(garage_id, 1) is None
    assert isinstance(device, Charger)
    assert device.confirmed is False
    connector = device.connector("1")
    assert connector is not None
    assert (connector.status, connector.charging_power) == (ChargerStatus.READY, 0.0)

    await thor_ready.async_read_all()  # the charge is seen ending: the tag is forgotten
    assert thor_states[-1]["id_tags"] == {}


async def test_tag_restored_after_a_restart(
    thor_sim: Simulator,
    thor_cloud_factory: Any,
    garage_id: str,
    thor_states: list[dict[str, Any]],
) -> None:
    """The kept tag comes back with the entry and still stops the charge."""
    thor_sim.thor.plug_in(garage_id, 1)
    first: ThorCloud = thor_cloud_factory()
    await first.async_set_charging(Target(garage_id, "1"), True)
    kept = thor_states[-1]

    restarted: ThorCloud = thor_cloud_factory(
        id_tags=kept["id_tags"], history=None, account_box=garage_id
    )
    await restarted.async_read_all()
    await restarted.async_set_charging(Target(garage_id, "1"), False)

    assert thor_sim.thor.running_charge(garage_id, 1) is None
    assert commands(thor_sim)[-1]["status"] == 200


async def test_stop_a_charge_started_elsewhere(
    thor_sim: Simulator, thor_ready: ThorCloud, garage_id: str
) -> None:
    """An RFID charge: its tag is in the running list, the stop uses it."""
    charge_locally(thor_sim, garage_id, 1, "RFID-CARD-9")
    await thor_ready.async_read_all()

    await thor_ready.async_set_charging(Target(garage_id, "1"), False)

    assert commands(thor_sim)[-1]["body"]["id_tag"] == "RFID-CARD-9"
    assert commands(thor_sim)[-1]["status"] == 200
    assert thor_sim.thor.running_charge(garage_id, 1) is None


async def test_stop_without_a_charge_or_a_tag(
    thor_sim: Simulator,
    thor_ready: ThorCloud,
    thor_cloud_factory: Any,
    garage_id: str,
) -> None:
    """No charge read on the connector; a charge started through the API by someone else."""
    await thor_ready.async_read_all()
    with pytest.raises(CommandRejectedError):
        await thor_ready.async_set_charging(Target(garage_id, "1"), False)

    thor_sim.thor.plug_in(garage_id, 1)
    other: ThorCloud = thor_cloud_factory()
    await other.async_set_charging(Target(garage_id, "1"), True)
    await thor_ready.async_read_all()
    with pytest.raises(CommandRejectedError):
        await thor_ready.async_set_charging(Target(garage_id, "1"), False)

    assert [c["kind"] for c in commands(thor_sim)] == ["start"]
    assert thor_sim.thor.running_charge(garage_id, 1) is not None


async def test_commands_need_a_connector(thor_ready: ThorCloud) -> None:
    """A charge is started on a connector: a whole box or a non-number is refused."""
    for target in (Target("CB-GARAGE"), Target("CB-GARAGE", "left")):
        with pytest.raises(CommandRejectedError):
            await thor_ready.async_set_charging(target, True)


async def test_start_before_any_read(
    thor_sim: Simulator, thor_ready: ThorCloud, garage_id: str
) -> None:
    """Without a reading to change, the answer is None (read again)."""
    assert await thor_ready.async_set_charging(Target(garage_id, "1"), True) is None
    assert commands(thor_sim)[0]["status"] == 200


async def test_tag_kept_until_the_charge_is_seen(
    thor_sim: Simulator,
    thor_ready: ThorCloud,
    garage_id: str,
    thor_states: list[dict[str, Any]],
) -> None:
    """A start the box has not carried out yet (offline): the tag stays for the stop."""
    thor_sim.thor.set_connected(garage_id, False)
    await thor_ready.async_set_charging(Target(garage_id, "1"), True)

    await thor_ready.async_read_all()

    assert thor_states[-1]["id_tags"] == {f"{garage_id}/1": "API000001"}
