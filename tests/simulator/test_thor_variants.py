"""Thor: the documented variants of its answers, selected through the control API's settings.

- `reservations_shape`: `count_items` (the table), `list` (the text: "an array"),
  `object` (the example: one bare reservation without `status`, `{}` when none);
- `connector_secrets`: `string` (documented; every connector gets a Nayax terminal id
  and token) or `null`;
- `finished_max_days`: the longest `from`-`to` range of `charges/finished` (0: none).
"""

from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import pytest

from simulator import Simulator
from simulator.thor.model import ThorAccount

ThorCall = Callable[..., Awaitable[aiohttp.ClientResponse]]
Control = Callable[..., Awaitable[Any]]


async def _json(response: aiohttp.ClientResponse) -> Any:
    assert response.status == 200, await response.text()
    return await response.json()


@pytest.fixture
def reserved(sim: Simulator, thor_account: ThorAccount) -> str:
    """A reservable box with connector 2 reserved for 10 minutes."""
    box = sim.thor.add_chargebox(thor_account.api_key, id="CB-RES", connectors=2, reservable=True)
    sim.thor.add_reservation(box.id, 2, sim.clock.now() + 600, id_tag="RES-1", user="u1")
    return box.id


async def test_reservations_in_the_three_documented_shapes(
    sim: Simulator, reserved: str, thor_call: ThorCall, thor_control: Control
) -> None:
    table = await _json(await thor_call("GET", "/reservations"))
    assert set(table) == {"count", "items"}
    (item,) = table["items"]
    assert item["status"] == 1

    settings = await thor_control("POST", "/settings", {"reservations_shape": "list"})
    assert settings["reservations_shape"] == "list"
    assert await _json(await thor_call("GET", "/reservations")) == [item]

    await thor_control("POST", "/settings", {"reservations_shape": "object"})
    bare = await _json(await thor_call("GET", "/reservations"))
    assert bare == {key: value for key, value in item.items() if key != "status"}
    assert list(bare) == [
        "date_accepted",
        "payment",
        "user",
        "id_tag",
        "expiry_date",
        "client",
        "chargebox",
        "connector",
    ]  # the keys of the page's example, in its order
    none = await _json(await thor_call("GET", "/reservations", params={"chargebox": "other"}))
    assert none == {}


async def test_nayax_secrets_as_strings_or_null(
    sim: Simulator, thor_account: ThorAccount, thor_call: ThorCall, thor_control: Control
) -> None:
    """Strings by default (one terminal and token per connector, given ones kept); or null."""
    given = sim.thor.add_chargebox(
        thor_account.api_key, id="CB-N1", connectors=[{"terminal_id": "T-1", "token": "tok-1"}, {}]
    )
    other = sim.thor.add_chargebox(thor_account.api_key, id="CB-N2")
    listed = await _json(await thor_call("GET", "/chargeboxes"))
    connectors = [c for box in listed for c in box["connectors"]]
    terminals = [c["terminal_id"] for c in connectors]
    tokens = [c["token"] for c in connectors]
    assert terminals[0] == "T-1"
    assert tokens[0] == "tok-1"
    assert all(isinstance(v, str) and v for v in terminals + tokens)
    assert len(set(terminals)) == len(set(tokens)) == 3
    detail = await _json(await thor_call("GET", f"/chargeboxes/{other.id}"))
    assert detail["connectors"][0]["token"] == tokens[2]

    await thor_control("POST", "/settings", {"connector_secrets": "null"})
    for box in (
        *(await _json(await thor_call("GET", "/chargeboxes"))),
        await _json(await thor_call("GET", f"/chargeboxes/{given.id}")),
    ):
        for connector in box["connectors"]:
            assert (connector["terminal_id"], connector["token"]) == (None, None)
    state = await thor_control("GET", f"/chargeboxes/{given.id}")
    assert state["connectors"][0]["token"] == "tok-1"  # the control API still shows them


async def test_longest_finished_range(
    sim: Simulator, thor_account: ThorAccount, thor_call: ThorCall, thor_control: Control
) -> None:
    """No limit by default; with `finished_max_days`, a longer range is 400 BadRequest."""
    params = {"from": "20100101", "to": "20300101"}
    assert (await _json(await thor_call("GET", "/charges/finished", params=params)))["count"] == 0

    await thor_control("POST", "/settings", {"finished_max_days": 31})
    refused = await thor_call("GET", "/charges/finished", params=params)
    assert refused.status == 400
    assert await refused.json() == {"message": "BadRequest"}
    month = {"from": "20300101", "to": "20300131"}
    assert (await thor_call("GET", "/charges/finished", params=month)).status == 200
    longer = {"from": "20300101", "to": "20300201"}
    assert (await thor_call("GET", "/charges/finished", params=longer)).status == 400


async def test_variant_settings_are_checked(sim: Simulator, thor_control: Control) -> None:
    """Only the documented values; nothing changes on a refusal; reset restores the defaults."""
    for body in (
        {"reservations_shape": "array"},
        {"reservations_shape": 1},
        {"connector_secrets": "absent"},
        {"connector_secrets": "null", "reservations_shape": "xml"},
        {"finished_max_days": -1},
    ):
        await thor_control("POST", "/settings", body, status=400)
    settings = await thor_control("GET", "/settings")
    assert (settings["reservations_shape"], settings["connector_secrets"]) == (
        "count_items",
        "string",
    )
    await thor_control("POST", "/settings", {"reservations_shape": "object"})
    await thor_control("POST", "/reset")
    assert sim.thor.settings.reservations_shape == "count_items"
