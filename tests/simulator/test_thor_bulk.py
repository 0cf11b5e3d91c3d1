"""Thor: many chargeboxes at once (how fast the list answers is measured by the benchmarks)."""

from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp

from simulator import Simulator
from simulator.thor.model import ThorAccount

ThorCall = Callable[..., Awaitable[aiohttp.ClientResponse]]


async def test_bulk_creation_over_the_control_api(
    sim: Simulator,
    thor_account: ThorAccount,
    thor_control: Callable[..., Awaitable[Any]],
    thor_call: ThorCall,
) -> None:
    key = thor_account.api_key
    answer = await thor_control(
        "POST", f"/accounts/{key}/bulk", {"chargeboxes": 500, "connectors": 2, "power": 7_400}
    )
    assert answer["created"] == 500
    assert len(set(answer["ids"])) == 500
    assert len(thor_account.box_ids) == 500
    await thor_control("POST", f"/accounts/{key}/bulk", {"chargeboxes": 0}, status=400)

    # Some activity so that the list is not trivially idle.
    for box_id in answer["ids"][:50]:
        sim.thor.start_local(box_id, 1, f"RFID-{box_id}")
    sim.clock.advance(60)

    response = await thor_call("GET", "/chargeboxes", params={"onlyactive": "false"})
    assert response.status == 200
    boxes = await response.json()
    assert len(boxes) == 500
    assert all(len(box["connectors"]) == 2 for box in boxes)
    assert {box["connectors"][1]["power"] for box in boxes} == {7_400}

    running = await thor_call("GET", "/charges/running")
    assert (await running.json())["count"] == 50


def test_bulk_boxes_in_process(sim: Simulator, thor_account: ThorAccount) -> None:
    sim.thor.add_chargeboxes(thor_account.api_key, 500, connectors=2)
    boxes = sim.thor.chargeboxes_json(thor_account, only_active=False)
    assert len(boxes) == 500
    assert [box["alias"] for box in boxes[:2]] == ["Bulk 1", "Bulk 2"]
