"""The account's charger list (`v3/chargers/groups`) in each shape its entries may have.

Third-party clients read the camelCase fields of `v2/charger`'s chargerData from the
entries (live); the documented minimum is the status (status_only); and an entry may
lack even that (no_status). Issue 16's account-wide poll is tested against all three.
"""

import aiohttp
import pytest

from simulator import Simulator
from simulator.testing import SimulatorServer, WallboxTestClient
from simulator.wallbox.cloud import WallboxError
from simulator.wallbox.model import Car, ListShape, WallboxAccount

LIVE_FIELDS = {
    "chargingPower",
    "addedEnergy",
    "chargingTime",
    "locked",
    "maxChargingCurrent",
    "connectionType",
}
ALWAYS = {"id", "uid", "name", "chargerType", "softwareVersion"}


def entries(groups: dict[str, object]) -> dict[int, dict[str, object]]:
    """The list's entries by charger id, over every group."""
    result = groups["result"]
    assert isinstance(result, dict)
    return {entry["id"]: entry for group in result["groups"] for entry in group["chargers"]}


async def test_live_entries_carry_what_the_status_shows(
    account: WallboxAccount, sim: Simulator
) -> None:
    """By default each entry has the status, power (kW) and session energy (kWh) of now."""
    busy = sim.wallbox.add_charger(account.email, max_charging_current=16)
    idle = sim.wallbox.add_charger(account.email, locked=True)
    sim.wallbox.plug_in(busy.id, Car(max_power_kw=11.0))
    sim.clock.advance(1800)

    # Half an hour on, the sign-in would have expired: the model's answer, as served.
    listed = entries(sim.wallbox.groups_json(account.email))
    status = sim.wallbox.status_json(busy.id)

    assert set(listed[busy.id]) == ALWAYS | {"status"} | LIVE_FIELDS
    assert listed[busy.id]["status"] == status["status_id"] == 194
    assert listed[busy.id]["chargingPower"] == status["charging_power"] == 3.68
    assert listed[busy.id]["addedEnergy"] == status["added_energy"] == 1.84
    assert listed[busy.id]["chargingTime"] == status["charging_time"] == 1800
    assert (listed[busy.id]["locked"], listed[busy.id]["maxChargingCurrent"]) == (0, 16)
    assert (listed[idle.id]["chargingPower"], listed[idle.id]["locked"]) == (0.0, 1)


@pytest.mark.parametrize(
    ("shape", "fields"),
    [("status_only", ALWAYS | {"status"}), ("no_status", ALWAYS)],
)
async def test_sparse_entries(
    account: WallboxAccount,
    sim: Simulator,
    signed_in: WallboxTestClient,
    shape: str,
    fields: set[str],
) -> None:
    """A charger can be listed with the status only, or without it; others keep theirs."""
    sparse = sim.wallbox.add_charger(account.email, list_shape=shape)
    live = sim.wallbox.add_charger(account.email)

    listed = entries(await signed_in.get_json("/v3/chargers/groups"))

    assert set(listed[sparse.id]) == fields
    assert set(listed[live.id]) >= LIVE_FIELDS


async def test_list_shape_through_the_control_api(
    account: WallboxAccount, sim: Simulator, server: SimulatorServer, session: aiohttp.ClientSession
) -> None:
    """Creation and POST /_sim/wallbox/chargers/{id} take {"list_shape"}; junk is 400."""
    control = f"{server.base_url}/_sim/wallbox/"
    created = await (
        await session.post(
            control + f"accounts/{account.email}/chargers", json={"list_shape": "no_status"}
        )
    ).json()
    assert created["list_shape"] == "no_status"

    changed = await session.post(control + f"chargers/{created['id']}", json={"list_shape": "live"})
    refused = await session.post(control + f"chargers/{created['id']}", json={"list_shape": "all"})

    assert (changed.status, (await changed.json())["list_shape"]) == (200, "live")
    assert refused.status == 400
    assert "list_shape must be one of live, status_only, no_status" in await refused.text()
    with pytest.raises(WallboxError):
        sim.wallbox.add_charger(account.email, list_shape="everything")
    assert sim.wallbox.charger(created["id"]).list_shape is ListShape.LIVE
