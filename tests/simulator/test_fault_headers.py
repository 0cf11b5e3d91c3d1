"""Injected faults with response headers (e.g. Retry-After), in Python and over the control API."""

import aiohttp
import pytest

from simulator import Simulator
from simulator.faults import Fault
from simulator.jsonbody import BodyError
from simulator.testing import WallboxTestClient


async def test_fault_headers_on_error_and_malformed_answers(
    sim: Simulator, signed_in: WallboxTestClient
) -> None:
    sim.wallbox.faults.add(
        Fault(status=503, times=1, headers={"Retry-After": "Wed, 21 Oct 2026 07:28:00 GMT"})
    )
    response = await signed_in.request("GET", "/v3/chargers/groups")
    assert response.status == 503
    assert response.headers["Retry-After"] == "Wed, 21 Oct 2026 07:28:00 GMT"
    assert (await response.json())["errors"][0]["status"] == 503

    sim.wallbox.faults.add(
        Fault(malformed=True, status=429, body="{}", times=1, headers={"Retry-After": "1e9"})
    )
    response = await signed_in.request("GET", "/v3/chargers/groups")
    assert response.status == 429
    assert response.headers["Retry-After"] == "1e9"
    assert await response.json() == {}

    # Used up: the next answer is the cloud's own, without the injected header.
    response = await signed_in.request("GET", "/v3/chargers/groups")
    assert response.status == 200
    assert "Retry-After" not in response.headers


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"delay": 1.0, "headers": {"Retry-After": "5"}}, "need a status"),
        ({"status": 503, "headers": {"Retry-After": "5\r\nX-Evil: 1"}}, "invalid header"),
        ({"status": 503, "headers": {"Bad:Name": "5"}}, "invalid header"),
        ({"status": 503, "headers": {"Retry-After": 5}}, "must be strings"),
        ({"status": 503, "headers": ["Retry-After", "5"]}, "must be an object"),
    ],
)
def test_bad_fault_headers_are_refused(fields: dict[str, object], message: str) -> None:
    with pytest.raises(BodyError, match=message):
        Fault.from_json(fields)


async def test_fault_headers_over_the_control_api(
    sim: Simulator, session: aiohttp.ClientSession, base_url: str, signed_in: WallboxTestClient
) -> None:
    faults = f"{base_url}/_sim/wallbox/faults"
    added = await session.post(
        faults, json={"status": 429, "times": 1, "headers": {"Retry-After": "inf"}}
    )
    assert added.status == 200, await added.text()
    assert (await added.json())["headers"] == {"Retry-After": "inf"}
    listed = await (await session.get(faults)).json()
    assert [fault["headers"] for fault in listed] == [{"Retry-After": "inf"}]
    response = await signed_in.request("GET", "/v3/chargers/groups")
    assert response.status == 429
    assert response.headers["Retry-After"] == "inf"

    refused = await session.post(faults, json={"status": 503, "headers": {"Retry-After": 1}})
    assert refused.status == 400
    assert len(sim.wallbox.faults) == 0
