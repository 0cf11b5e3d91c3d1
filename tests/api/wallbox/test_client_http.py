"""WallboxClient alone, against the simulated cloud on 127.0.0.1: the vendor's answers, typed.

What it returns is Wallbox's own (the status JSON as sent, what a write answer
confirms); how a 404 reads: a charger not found on a read, a device gone on a
command. And WallboxCloud built on a ready WallboxClient.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from custom_components.ev_charger_cloud.api.errors import ChargerNotFoundError, DeviceGoneError
from custom_components.ev_charger_cloud.api.models import Account, DeviceKind, DeviceRef
from custom_components.ev_charger_cloud.api.wallbox.client import RemoteAction, WallboxClient
from custom_components.ev_charger_cloud.api.wallbox.cloud import WallboxCloud
from custom_components.ev_charger_cloud.api.wallbox.parse import ChargerData, ConfigData
from simulator import Simulator
from simulator.wallbox.model import Status
from tests.api.wallbox.helpers import EMAIL, USER_ID, count

type Command = Callable[[WallboxClient, str], Awaitable[Any]]

# Every command of the client, each with a value the cloud accepts.
COMMANDS: dict[str, Command] = {
    "lock": lambda client, charger: client.async_set_locked(charger, True),
    "current": lambda client, charger: client.async_set_max_charging_current(charger, 10),
    "price": lambda client, charger: client.async_set_energy_price(charger, 0.3),
    "icp": lambda client, charger: client.async_set_icp_max_current(charger, 20),
    "eco_smart": lambda client, charger: client.async_set_eco_smart(
        charger, enabled=True, full_solar=False
    ),
    "restart": lambda client, charger: client.async_remote_action(charger, RemoteAction.RESTART),
}


async def test_reads_give_the_vendors_answers(
    raw_client: WallboxClient, sim: Simulator, charging_id: int
) -> None:
    """The tokens name the user; the status comes as the cloud sent it, the groups as refs."""
    tokens = await raw_client.async_authenticate()
    status = await raw_client.async_get_status(str(charging_id))
    chargers = await raw_client.async_get_chargers()

    assert tokens.user_id == str(USER_ID)
    assert raw_client.tokens is tokens
    assert status["status_id"] == Status.CHARGING
    assert status["config_data"]["serial_number"] == str(charging_id)
    assert status["config_data"]["icp_max_current"] == 40
    assert chargers == [
        DeviceRef(device_id=str(charging_id), name="Garage", kind=DeviceKind.CHARGER)
    ]


async def test_commands_give_what_the_answer_confirms(
    raw_client: WallboxClient, sim: Simulator, charging_id: int
) -> None:
    """PUT v2/charger answers chargerData, POST chargers/config the config with its sign."""
    charger = str(charging_id)

    assert await raw_client.async_set_locked(charger, True) == ChargerData(
        locked=True, max_charging_current=16.0, status_code=Status.LOCKED_CAR_CONNECTED
    )
    current = await raw_client.async_set_max_charging_current(charger, 10)
    assert current.max_charging_current == 10.0
    assert await raw_client.async_set_energy_price(charger, 0.3) == ConfigData(
        values={"energy_price": 0.3, "icp_max_current": 40.0}, icp_sign=1
    )
    # Negative while power boost is off: the answer shows the limit and the sign apart.
    assert await raw_client.async_set_icp_max_current(charger, -25) == ConfigData(
        values={"energy_price": 0.3, "icp_max_current": 25.0}, icp_sign=-1
    )
    assert sim.wallbox.charger(charging_id).icp_max_current == -25


@pytest.mark.parametrize("command", COMMANDS.values(), ids=COMMANDS.keys())
async def test_404_is_a_device_gone_on_commands_only(
    raw_client: WallboxClient, sim: Simulator, command: Command
) -> None:
    """A command to a charger not in the account: DeviceGoneError; a read: ChargerNotFoundError."""
    with pytest.raises(DeviceGoneError):
        await command(raw_client, "999999")
    with pytest.raises(ChargerNotFoundError) as read:
        await raw_client.async_get_status("999999")

    assert type(read.value) is ChargerNotFoundError
    assert count(sim, "/999999", status=404) == 2


async def test_cloud_of_a_ready_client(
    raw_client: WallboxClient, sim: Simulator, idle_id: int
) -> None:
    """WallboxCloud takes a WallboxClient as it is: the account is the client's."""
    cloud = WallboxCloud(raw_client)

    account = await cloud.async_authenticate()
    charger = await cloud.async_get_device(str(idle_id))

    assert cloud.wallbox is raw_client
    assert account == Account(unique_id=str(USER_ID), title=EMAIL)
    assert cloud.tokens is raw_client.tokens is not None
    assert charger.name == "Office"
