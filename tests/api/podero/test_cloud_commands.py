"""Pause and resume through the neutral client, checked on the simulated Podero devices."""

from __future__ import annotations

from datetime import timedelta
import time

import pytest

from custom_components.ev_charger_cloud.api import (
    Charger,
    ChargerStatus,
    CommandNotSupportedError,
    DeviceGoneError,
    PoderoCloud,
    Target,
    Vehicle,
)
from simulator import Simulator
from simulator.podero.model import PoderoWallbox as SimWallbox
from tests.podero_helpers import USER_ID, Sent

pytest_plugins = ["tests.podero_fixtures"]


async def test_pause_and_resume_a_wallbox(
    podero_sim: Simulator,
    podero_cloud: PoderoCloud,
    podero_sent: list[Sent],
    garage: SimWallbox,
) -> None:
    """Pause: until now + 2 h, the PUT answer shows it; resume: null, charging again."""
    await podero_cloud.async_read_all()
    target = Target(garage.id, "1")

    paused = await podero_cloud.async_set_charging(target, False)

    assert podero_sent[-1].method == "PUT"
    assert podero_sent[-1].url.endswith(f"/wallboxes/{garage.id}")
    assert garage.pause_power_until == pytest.approx(time.time() + 7200, abs=5)
    assert isinstance(paused, Charger)
    assert paused.confirmed
    connector = paused.connectors[0]
    assert (connector.status, connector.charging_power) == (ChargerStatus.PAUSED, 0.0)
    assert not connector.charging_enabled
    assert connector.can_pause_or_resume

    resumed = await podero_cloud.async_set_charging(target, True)

    assert podero_sent[-1].json() == {"pause_power_until": None}
    assert garage.pause_power_until is None
    assert isinstance(resumed, Charger)
    assert resumed.connectors[0].status is ChargerStatus.CHARGING
    assert resumed.connectors[0].charging_power == 11000.0
    assert len(podero_sent) == 5  # two lists and the charging config, two PUTs


async def test_pause_lasts_the_configured_time(
    podero_sim: Simulator, podero_cloud: PoderoCloud, garage: SimWallbox
) -> None:
    """The pause duration is the client's (an options flow will set it)."""
    podero_cloud.pause_duration = timedelta(minutes=30)
    await podero_cloud.async_discover()
    await podero_cloud.async_set_charging(Target(garage.id), False)
    assert garage.pause_power_until == pytest.approx(time.time() + 1800, abs=5)


async def test_pause_a_vehicle(
    podero_sim: Simulator, podero_cloud: PoderoCloud, podero_sent: list[Sent]
) -> None:
    """A vehicle pauses at its own path; the answer is the vehicle."""
    car = podero_sim.podero.add_vehicle(USER_ID)
    await podero_cloud.async_read_all()

    answer = await podero_cloud.async_set_charging(Target(car.id), False)

    assert podero_sent[-1].url.endswith(f"/electric-vehicles/{car.id}")
    assert isinstance(answer, Vehicle)
    assert car.pause_power_until is not None
    await podero_cloud.async_set_charging(Target(car.id), True)
    assert car.pause_power_until is None


async def test_command_to_a_device_that_left(
    podero_sim: Simulator, podero_cloud: PoderoCloud, garage: SimWallbox
) -> None:
    """A device no longer with the user: the typed error, nothing changed."""
    await podero_cloud.async_read_all()
    podero_sim.podero.user(USER_ID).wallbox_ids.remove(garage.id)
    with pytest.raises(DeviceGoneError):
        await podero_cloud.async_set_charging(Target(garage.id), False)
    assert garage.pause_power_until is None


async def test_unknown_command_is_not_supported(
    podero_cloud: PoderoCloud, garage: SimWallbox
) -> None:
    """What Podero cannot do stays the base class's refusal (no lock on Podero)."""
    with pytest.raises(CommandNotSupportedError):
        await podero_cloud.async_set_locked(Target(garage.id), True)
