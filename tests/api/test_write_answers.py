"""A 2xx to a write is a success, whatever its answer lacks: what it confirms, or None."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest

from custom_components.ev_charger_cloud.api import (
    ChargerStatus,
    ChargingMode,
    Target,
    WallboxClient,
    WallboxCloud,
)
from custom_components.ev_charger_cloud.api.podero.client import WALLBOX, PoderoClient
from custom_components.ev_charger_cloud.api.podero.cloud import PoderoCloud
from custom_components.ev_charger_cloud.api.podero.models import PoderoChargingMode
from custom_components.ev_charger_cloud.api.thor.cloud import ThorCloud
from simulator import Simulator
from simulator.faults import Fault
from tests.conftest import EMAIL, PASSWORD, RunningSimulator
from tests.podero_helpers import USER_ID

pytest_plugins = ["tests.podero_fixtures", "tests.thor_fixtures"]


@dataclass
class WallboxGarage:
    """A Wallbox client that has read the garage charger once, and the simulator behind it."""

    client: WallboxCloud
    target: Target
    sim: Simulator

    def answer(self, path: str, body: str) -> None:
        """The next answer on `path` is `body`, whatever the write was."""
        self.sim.wallbox.faults.add(Fault(malformed=True, body=body, path=path, times=1))


@pytest.fixture
async def wallbox(
    simulator: RunningSimulator, wallbox_account: list[int]
) -> AsyncIterator[WallboxGarage]:
    async with aiohttp.ClientSession() as session:
        client = WallboxCloud(
            WallboxClient(session, EMAIL, PASSWORD, base_url=simulator.wallbox_url)
        )
        garage = str(wallbox_account[0])
        await client.async_get_device(garage)
        yield WallboxGarage(client, Target(garage), simulator.sim)


@pytest.mark.parametrize(
    "body",
    [
        '{"data": {"chargerData": {"locked": 1, "maxChargingCurrent": 16}}}',
        '{"data": {"chargerData": {"locked": 1}}}',
    ],
)
async def test_wallbox_lock_answer_without_status(wallbox: WallboxGarage, body: str) -> None:
    """The lock the answer confirms is shown; a missing status keeps the last one."""
    before = wallbox.client._chargers[wallbox.target.device_id]
    wallbox.answer("/v2/charger/", body)

    result = await wallbox.client.async_set_locked(wallbox.target, True)

    assert result is not None
    assert result.locked is True
    assert result.connectors[0].status_code == before.connectors[0].status_code


async def test_wallbox_current_not_confirmed(wallbox: WallboxGarage) -> None:
    """An answer with the status only: shown, but the current is unconfirmed (read again)."""
    wallbox.answer("/v2/charger/", '{"data": {"chargerData": {"status": 194}}}')

    result = await wallbox.client.async_set_max_charging_current(wallbox.target, 10)

    assert result is not None
    assert result.confirmed is False
    assert result.connectors[0].status is ChargerStatus.CHARGING


@pytest.mark.parametrize("body", ['{"result": "ok"}', '{"data": {"chargerData": null}}', ""])
async def test_wallbox_put_confirming_nothing(wallbox: WallboxGarage, body: str) -> None:
    """Nothing confirmed: None, so the coordinator reads the charger again."""
    wallbox.answer("/v2/charger/", body)
    assert await wallbox.client.async_set_locked(wallbox.target, True) is None


async def test_wallbox_config_answers(wallbox: WallboxGarage) -> None:
    """Config answers: without the value set it is unconfirmed; with nothing, None."""
    client, garage = wallbox.client, wallbox.target
    wallbox.answer("/chargers/config/", '{"icp_max_current": 20}')
    partial = await client.async_set_energy_price(garage, 0.3)
    assert partial is not None
    assert (partial.icp_max_current, partial.confirmed) == (20.0, False)

    wallbox.answer("/chargers/config/", '{"currency": {"code": "EUR"}}')
    assert await client.async_set_icp_max_current(garage, 20) is None

    wallbox.answer("/chargers/config/", '{"energy_price": 0.3}')
    confirmed = await client.async_set_energy_price(garage, 0.3)
    assert confirmed is not None
    assert confirmed.energy_price == 0.3


# --- Podero ---------------------------------------------------------------------------


@pytest.mark.parametrize("body", ["null", "", '{"id": "x"}', '"ok"'])
async def test_podero_update_confirming_nothing(
    podero_sim: Simulator, podero_client: PoderoClient, body: str
) -> None:
    """A 2xx whose answer is not the device with the field changed: None."""
    wallbox = podero_sim.podero.add_wallbox(USER_ID)
    podero_sim.podero.faults.add(Fault(malformed=True, body=body, path="/wallboxes/"))
    assert await podero_client.async_resume(WALLBOX, wallbox.id) is None


async def test_podero_mode_answer_without_mode(
    podero_sim: Simulator, podero_cloud: PoderoCloud, podero_client: PoderoClient
) -> None:
    """A charging-config answer that does not tell the mode: None, read again."""
    podero_sim.podero.faults.add(
        Fault(malformed=True, body='{"detail": "saved"}', path="/charging-config")
    )
    assert await podero_client.async_set_charging_mode(PoderoChargingMode.SPOT) is None


async def test_podero_cloud_passes_none_on(
    podero_sim: Simulator, podero_cloud: PoderoCloud
) -> None:
    """The neutral client gives None too, for device writes and the charging mode."""
    wallbox = podero_sim.podero.add_wallbox(USER_ID)
    await podero_cloud.async_read_all()
    podero_sim.podero.faults.add(Fault(malformed=True, body="{}", path="/api/", method="PUT"))

    assert await podero_cloud.async_set_charging(Target(wallbox.id), True) is None
    assert await podero_cloud.async_set_smart_optimization(Target(wallbox.id), False) is None
    account = Target(podero_cloud.account_device_id)
    assert await podero_cloud.async_set_charging_mode(account, ChargingMode.SPOT) is None


# --- Thor -----------------------------------------------------------------------------


@pytest.mark.parametrize("body", ["{}", "API1234", ""])
async def test_thor_start_without_id_tag(
    thor_sim: Simulator,
    thor_ready: ThorCloud,
    thor_boxes: tuple[str, str],
    thor_states: list[dict[str, Any]],
    body: str,
) -> None:
    """A start answered 2xx without a tag: shown as charging, unconfirmed; no tag kept."""
    garage_id, _ = thor_boxes
    await thor_ready.async_read_all()
    thor_sim.thor.faults.add(Fault(malformed=True, body=body, path="/charges/start"))

    result = await thor_ready.async_set_charging(Target(garage_id, "1"), True)

    assert result is not None
    assert result.confirmed is False
    assert all(state["id_tags"] == {} for state in thor_states)
