"""Wallbox discovery, status reads, diagnostics, default hosts and the poll plan.

Against the simulated cloud on 127.0.0.1, or a fake session for the default hosts.
"""

from __future__ import annotations

import json
import time
from typing import Any, cast

import aiohttp
import pytest

from custom_components.ev_charger_cloud.api import WallboxClient
from custom_components.ev_charger_cloud.api.errors import (
    ChargerNotFoundError,
    DeviceGoneError,
    UnexpectedResponseError,
)
from custom_components.ev_charger_cloud.api.models import (
    ChargerStatus,
    DeviceKind,
    DeviceRef,
    EcoSmartMode,
    Feature,
    Provider,
    Target,
)
from custom_components.ev_charger_cloud.api.wallbox.auth import WallboxTokens
from custom_components.ev_charger_cloud.api.wallbox.cloud import WallboxCloud
from simulator import Simulator
from simulator.faults import Fault
from simulator.wallbox.model import Status
from tests.api.wallbox.helpers import EMAIL, PASSWORD, SEED, STATUS_PATH, connector_of, count


async def test_discovery_lists_the_chargers(
    client: WallboxCloud, sim: Simulator, idle_id: int, charging_id: int
) -> None:
    """Every charger of the account's groups, by id and name."""
    sim.wallbox.add_account("other@example.com", "pw")
    sim.wallbox.add_charger("other@example.com", name="Not mine")

    refs = await client.async_discover()

    assert refs == [
        DeviceRef(device_id=str(idle_id), name="Office", kind=DeviceKind.CHARGER),
        DeviceRef(device_id=str(charging_id), name="Garage", kind=DeviceKind.CHARGER),
    ]
    assert count(sim, "/v3/chargers/groups", status=200) == 1


async def test_discovery_of_an_empty_account(client: WallboxCloud) -> None:
    """No chargers, no refs."""
    assert await client.async_discover() == []


@pytest.mark.parametrize(
    "body",
    [
        '{"result": null}',
        '{"groups": []}',
        '{"result": {"groups": [{"chargers": [{"name": "no id"}]}]}}',
        "[]",
    ],
)
async def test_discovery_answer_of_another_shape(
    client: WallboxCloud, sim: Simulator, body: str
) -> None:
    """A groups answer the client cannot read is an unexpected response."""
    await client.async_authenticate()
    sim.wallbox.faults.add(Fault(malformed=True, body=body, path="/v3/chargers/groups"))

    with pytest.raises(UnexpectedResponseError):
        await client.async_discover()


async def test_get_charger_reads_the_live_status(
    client: WallboxCloud, sim: Simulator, charging_id: int
) -> None:
    """A charging Pulsar Plus as the cloud reports it."""
    charger = await client.async_get_device(str(charging_id))

    assert charger.device_id == str(charging_id)
    assert charger.name == "Garage"
    assert charger.manufacturer == "Wallbox"
    assert charger.model == "Pulsar Plus"
    assert charger.serial_number == str(charging_id)
    assert charger.firmware_version == "5.17.59"
    assert charger.update_available is False
    assert connector_of(charger).status is ChargerStatus.CHARGING
    assert connector_of(charger).status_code == Status.CHARGING
    # 16 A on one phase at 230 V, below the car's 11 kW.
    assert connector_of(charger).charging_power == 3680.0
    assert charger.max_charging_current == 16.0
    assert charger.max_available_current == 32.0
    assert charger.min_charging_current == 6.0
    assert charger.locked is False
    assert charger.energy_price == 0.24
    assert charger.currency == "EUR"
    assert charger.icp_max_current == 40.0
    assert charger.eco_smart is EcoSmartMode.OFF
    assert connector_of(charger).state_of_charge == 40.0
    assert {Feature.ECO_SMART, Feature.ICP_MAX_CURRENT} <= charger.features
    assert connector_of(charger).charging_enabled is True


async def test_session_counters_follow_the_cloud(
    client: WallboxCloud, sim: Simulator, charging_id: int
) -> None:
    """Ten minutes at 3.68 kW: energy, time, range and state of charge grow."""
    sim.clock.advance(600)

    charger = await client.async_get_device(str(charging_id))

    assert connector_of(charger).session_energy == pytest.approx(3.68 * 600 / 3600, abs=0.005)
    assert connector_of(charger).session_grid_energy == pytest.approx(
        connector_of(charger).session_energy, abs=0.001
    )
    assert connector_of(charger).session_green_energy == 0.0
    assert connector_of(charger).charging_time == pytest.approx(600, abs=2)
    assert connector_of(charger).added_range == 4.0
    assert connector_of(charger).state_of_charge == 41.0


async def test_charger_without_eco_smart(
    client: WallboxCloud, sim: Simulator, idle_id: int
) -> None:
    """A charger without Eco-Smart or power boost offers neither."""
    charger = await client.async_get_device(str(idle_id))

    assert charger.eco_smart is None
    assert charger.icp_max_current == 0.0
    assert Feature.ECO_SMART not in charger.features
    assert Feature.ICP_MAX_CURRENT not in charger.features


async def test_unknown_charger(client: WallboxCloud, sim: Simulator, idle_id: int) -> None:
    """A charger id the account does not have, or another account's charger, is not found.

    Read, it is ChargerNotFoundError only (one 404 may be a glitch); commanded, it is
    DeviceGoneError, as a command to a device gone is for every cloud.
    """
    sim.wallbox.add_account("other@example.com", "pw")
    foreign = sim.wallbox.add_charger("other@example.com").id

    for device_id in ("999999", str(foreign)):
        with pytest.raises(ChargerNotFoundError) as read:
            await client.async_get_device(device_id)
        assert type(read.value) is ChargerNotFoundError
    with pytest.raises(DeviceGoneError):
        await client.async_set_locked(Target("999999"), True)
    with pytest.raises(DeviceGoneError):
        await client.async_restart(Target(str(foreign)))

    assert count(sim, "/999999", status=404) == 2
    assert count(sim, f"/{foreign}", status=404) == 2


async def test_diagnostics_keep_the_last_raw_status(client: WallboxCloud, sim: Simulator) -> None:
    """diagnostics() holds the status JSON exactly as the cloud sent it."""
    assert client.diagnostics() == {"status": {}}
    seed_text = SEED.read_text(encoding="utf-8")
    sim.wallbox.faults.add(
        Fault(malformed=True, body=seed_text, path="/chargers/status/9988552", times=1)
    )

    charger = await client.async_get_device("9988552")

    assert connector_of(charger).status is ChargerStatus.LOCKED_CAR_CONNECTED
    assert connector_of(charger).session_energy == 0.546
    assert client.diagnostics() == {"status": {"9988552": json.loads(seed_text)}}

    # A broken answer later does not replace the last good one.
    sim.wallbox.faults.add(Fault(malformed=True, body='{"status_id": 194}', path=STATUS_PATH))
    with pytest.raises(UnexpectedResponseError):
        await client.async_get_device("9988552")
    assert client.diagnostics() == {"status": {"9988552": json.loads(seed_text)}}


async def test_diagnostics_of_live_chargers(
    client: WallboxCloud, sim: Simulator, idle_id: int, charging_id: int
) -> None:
    """One entry per charger read, with what the cloud answered."""
    await client.async_get_device(str(idle_id))
    await client.async_get_device(str(charging_id))

    status = client.diagnostics()["status"]

    assert set(status) == {str(idle_id), str(charging_id)}
    assert status[str(idle_id)]["status_id"] == Status.READY
    assert status[str(charging_id)]["status_id"] == Status.CHARGING
    assert status[str(charging_id)]["config_data"]["serial_number"] == str(charging_id)


# --- default hosts --------------------------------------------------------------------


class _FakeResponse:
    """Just what JsonHttp reads of an aiohttp response."""

    def __init__(self, body: Any) -> None:
        self.status = 200
        self.headers: dict[str, str] = {}
        self._text = json.dumps(body)

    async def __aenter__(self) -> _FakeResponse:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        return None

    async def text(self, errors: str = "strict") -> str:
        return self._text


class _FakeSession:
    """Answers by URL and records where requests went; no network involved."""

    def __init__(self, answers: dict[str, Any]) -> None:
        self.answers = answers
        self.calls: list[tuple[str, str]] = []

    def request(self, method: str, url: object, **_kwargs: Any) -> _FakeResponse:
        self.calls.append((method, str(url)))
        return _FakeResponse(self.answers[str(url)])


def _token_answer(user_id: int) -> dict[str, Any]:
    later_ms = round((time.time() + 3600) * 1000)
    return {
        "data": {
            "attributes": {
                "token": "access",
                "ttl": later_ms,
                "refresh_token": "refresh",
                "refresh_token_ttl": later_ms,
                "user_id": user_id,
            }
        }
    }


async def test_default_hosts() -> None:
    """Without a base URL, sign-in goes to user-api.wall-box.com and data to api.wall-box.com."""
    seed = json.loads(SEED.read_text(encoding="utf-8"))
    fake = _FakeSession(
        {
            "https://user-api.wall-box.com/users/signin": _token_answer(286113),
            "https://api.wall-box.com/chargers/status/9988552": seed,
        }
    )
    client = WallboxCloud(WallboxClient(cast("aiohttp.ClientSession", fake), EMAIL, PASSWORD))

    account = await client.async_authenticate()
    charger = await client.async_get_device("9988552")

    assert account.unique_id == "286113"
    assert charger.serial_number == "9988552"
    assert fake.calls == [
        ("GET", "https://user-api.wall-box.com/users/signin"),
        ("GET", "https://api.wall-box.com/chargers/status/9988552"),
    ]


async def test_default_host_of_the_refresh() -> None:
    """Refreshing also goes to user-api.wall-box.com."""
    now = time.time()
    fake = _FakeSession({"https://user-api.wall-box.com/users/refresh-token": _token_answer(1)})
    tokens = WallboxTokens(
        token="old",
        expires_at=now - 1,
        refresh_token="r",
        refresh_expires_at=now + 3600,
        user_id="1",
    )
    client = WallboxCloud(
        WallboxClient(cast("aiohttp.ClientSession", fake), EMAIL, PASSWORD, tokens=tokens)
    )

    await client.async_authenticate()

    assert fake.calls == [("GET", "https://user-api.wall-box.com/users/refresh-token")]


@pytest.mark.parametrize("base", ["https://sim.test/wallbox", "https://sim.test/wallbox/"])
async def test_base_url_with_or_without_slash(base: str) -> None:
    """A base URL serves both sign-in and data, whether or not it ends in a slash."""
    fake = _FakeSession(
        {
            "https://sim.test/wallbox/users/signin": _token_answer(1),
            "https://sim.test/wallbox/v3/chargers/groups": {"result": {"groups": []}},
        }
    )
    client = WallboxCloud(
        WallboxClient(cast("aiohttp.ClientSession", fake), EMAIL, PASSWORD, base_url=base)
    )

    assert await client.async_discover() == []
    assert [url for _, url in fake.calls] == [
        "https://sim.test/wallbox/users/signin",
        "https://sim.test/wallbox/v3/chargers/groups",
    ]


def test_poll_plan_keeps_within_the_budget() -> None:
    """About one GET a minute per account: one charger per poll, polls at least 60 s apart."""
    plan = WallboxCloud.poll_plan

    assert WallboxCloud.provider is Provider.WALLBOX
    assert plan.devices_per_poll == 1
    assert plan.min_spacing.total_seconds() >= 60
    assert plan.interval >= plan.min_spacing
    # Regular reads stay below the cloud's refill, leaving room for the rest.
    assert plan.cloud_reads_per_minute == 1.0
    assert 3600 / plan.interval.total_seconds() < 60 * plan.cloud_reads_per_minute
    assert plan.burst <= plan.burst_max
