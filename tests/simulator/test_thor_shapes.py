"""Thor: chargebox JSON (every field of the seed's table, with its type), filters, 404s."""

from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp

from simulator import Simulator
from simulator.thor.model import (
    CONNECTOR_FORMATS,
    CONNECTOR_TYPES,
    OCPP_MESSAGE_FORMATS,
    OCPP_VERSIONS,
    POWER_TYPES,
    VEHICLES,
    ThorAccount,
)

ThorCall = Callable[..., Awaitable[aiohttp.ClientResponse]]

# Seed 004 (Get chargebox), in the order of its field table.
BOX_FIELDS = {
    "active": bool,
    "alias": str,
    "connected": bool,
    "public": bool,
    "reservable": bool,
    "connectors": list,
    "coordinates": dict,
    "id": str,
    "last_heartbeat": int,
    "timezone": str,
    "type": dict,
}
DETAIL_ONLY = {"occupied_connectors": list, "reserved_connectors": list}
CONNECTOR_FIELDS = {
    "power": int,
    "type": str,
    "format": str,
    "max_amperage": int,
    "power_type": str,
    "terminal_id": (str, type(None)),
    "token": (str, type(None)),
}


async def _json(response: aiohttp.ClientResponse) -> Any:
    assert response.status == 200, await response.text()
    return await response.json()


def _assert_box_shape(box: dict[str, Any], *, detail: bool) -> None:
    expected = BOX_FIELDS | (DETAIL_ONLY if detail else {})
    assert set(box) == set(expected)
    for name, kind in expected.items():
        assert isinstance(box[name], kind), name
    assert not isinstance(box["last_heartbeat"], bool)
    assert set(box["coordinates"]) == {"latitude", "longitude"}
    assert all(isinstance(v, float) for v in box["coordinates"].values())
    assert set(box["type"]) == {"vehicle", "msg", "version"}
    assert box["type"]["vehicle"] in VEHICLES
    assert box["type"]["msg"] in OCPP_MESSAGE_FORMATS
    assert box["type"]["version"] in OCPP_VERSIONS
    for connector in box["connectors"]:
        assert set(connector) == set(CONNECTOR_FIELDS)
        for name, kind in CONNECTOR_FIELDS.items():
            assert isinstance(connector[name], kind), name
        assert connector["type"] in CONNECTOR_TYPES
        assert connector["format"] in CONNECTOR_FORMATS
        assert connector["power_type"] in POWER_TYPES


async def test_list_and_detail_have_every_seed_field(
    sim: Simulator, thor_account: ThorAccount, thor_call: ThorCall
) -> None:
    box = sim.thor.add_chargebox(
        thor_account.api_key,
        alias="Garage",
        connectors=[{}, {"type": "ccs", "format": "CABLE", "power_type": "DC", "power": 50_000}],
        terminal_id="T-1",
        token="secret",
    )
    listed = await _json(await thor_call("GET", "/chargeboxes"))
    assert len(listed) == 1
    _assert_box_shape(listed[0], detail=False)
    assert listed[0]["connectors"][1] == {
        "power": 50_000,
        "type": "ccs",
        "format": "CABLE",
        "max_amperage": 32,
        "power_type": "DC",
        "terminal_id": "T-1",
        "token": "secret",
    }
    detail = await _json(await thor_call("GET", f"/chargeboxes/{box.id}"))
    _assert_box_shape(detail, detail=True)
    assert detail["alias"] == "Garage"
    assert (detail["occupied_connectors"], detail["reserved_connectors"]) == ([], [])
    assert abs(detail["last_heartbeat"] - sim.clock.now() * 1000) < 5000


async def test_occupied_and_reserved_connectors_are_numbers_from_1(
    sim: Simulator, thor_account: ThorAccount, thor_call: ThorCall
) -> None:
    box = sim.thor.add_chargebox(thor_account.api_key, connectors=3)
    sim.thor.start_local(box.id, 2, "RFID-1")
    sim.thor.add_reservation(box.id, 3, sim.clock.now() + 600, user="u1")
    detail = await _json(await thor_call("GET", f"/chargeboxes/{box.id}"))
    assert detail["occupied_connectors"] == [2]
    assert detail["reserved_connectors"] == [3]

    reservations = await _json(await thor_call("GET", "/reservations"))
    assert reservations["count"] == 1
    (item,) = reservations["items"]
    assert set(item) == {
        "date_accepted", "payment", "user", "id_tag", "expiry_date", "client", "status",
        "chargebox", "connector",
    }  # fmt: skip
    assert set(item["payment"]) == {"method", "transaction"}
    assert (item["chargebox"], item["connector"], item["user"], item["status"]) == (
        box.id,
        3,
        "u1",
        1,
    )
    assert item["expiry_date"] - item["date_accepted"] == 600_000
    filtered = await thor_call("GET", "/reservations", params={"chargebox": "other"})
    assert (await _json(filtered))["count"] == 0

    sim.clock.advance(601)
    detail = await _json(await thor_call("GET", f"/chargeboxes/{box.id}"))
    assert detail["reserved_connectors"] == []
    reservations = await _json(await thor_call("GET", "/reservations"))
    assert reservations["items"][0]["status"] == 2


async def test_onlyactive(sim: Simulator, thor_account: ThorAccount, thor_call: ThorCall) -> None:
    sim.thor.add_chargebox(thor_account.api_key, id="A", active=True)
    sim.thor.add_chargebox(thor_account.api_key, id="B", active=False)
    ids = [b["id"] for b in await _json(await thor_call("GET", "/chargeboxes"))]
    assert ids == ["A"]
    for value in ("false", "False", "0"):
        response = await thor_call("GET", "/chargeboxes", params={"onlyactive": value})
        assert [b["id"] for b in await _json(response)] == ["A", "B"]
    response = await thor_call("GET", "/chargeboxes", params={"onlyactive": "true"})
    assert [b["id"] for b in await _json(response)] == ["A"]
    response = await thor_call("GET", "/chargeboxes", params={"onlyactive": "maybe"})
    assert response.status == 400
    # An inactive box is still readable by id.
    assert (await thor_call("GET", "/chargeboxes/B")).status == 200


async def test_bounding_box_and_type_filters(
    sim: Simulator, thor_account: ThorAccount, thor_call: ThorCall
) -> None:
    key = thor_account.api_key
    sim.thor.add_chargebox(key, id="TURIN", latitude=45.07, longitude=7.68)
    sim.thor.add_chargebox(key, id="MILAN", latitude=45.46, longitude=9.19, type="schuko")
    sim.thor.add_chargebox(key, id="ROME", latitude=41.90, longitude=12.50, type="ccs")
    north = {"cnelat": "46", "cnelng": "10", "cswlat": "44.5", "cswlng": "7"}
    response = await thor_call("GET", "/chargeboxes", params=north)
    assert [b["id"] for b in await _json(response)] == ["TURIN", "MILAN"]
    response = await thor_call("GET", "/chargeboxes", params=north | {"type": "schuko"})
    assert [b["id"] for b in await _json(response)] == ["MILAN"]
    response = await thor_call("GET", "/chargeboxes", params={"type": "ccs"})
    assert [b["id"] for b in await _json(response)] == ["ROME"]
    response = await thor_call("GET", "/chargeboxes", params={"type": "chademo"})
    assert await _json(response) == []

    for params in (
        {"cnelat": "46", "cnelng": "10", "cswlat": "44.5"},  # three of four
        {"cnelat": "46"},
        north | {"cnelat": "north"},
        north | {"cnelat": "44", "cswlat": "45"},  # north-east below south-west
    ):
        response = await thor_call("GET", "/chargeboxes", params=params)
        assert response.status == 400, params
        assert await response.json() == {"message": "BadRequest"}


async def test_unknown_and_foreign_boxes_are_404(
    sim: Simulator, thor_account: ThorAccount, thor_call: ThorCall
) -> None:
    sim.thor.add_account("other-key")
    foreign = sim.thor.add_chargebox("other-key")
    own = sim.thor.add_chargebox(thor_account.api_key)
    for box_id in ("CB-9999", foreign.id):
        response = await thor_call("GET", f"/chargeboxes/{box_id}")
        assert response.status == 404
        assert await response.json() == {"message": "ChargeboxNotFound"}
    assert [b["id"] for b in await _json(await thor_call("GET", "/chargeboxes"))] == [own.id]
    other = await thor_call("GET", "/chargeboxes", key="other-key")
    assert [b["id"] for b in await _json(other)] == [foreign.id]
