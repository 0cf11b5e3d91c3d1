"""Locks: the demo accounts' snapshot, and locking and unlocking a Wallbox charger."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from .conftest import RunningSimulator, state_of
from .service_calls import call_service

pytest_plugins = ["tests.demo_accounts"]


@pytest.fixture
def demo_platforms() -> list[Platform]:
    """Only the locks."""
    return [Platform.LOCK]


async def test_demo_accounts(snapshot_demo: Callable[[], Awaitable[None]]) -> None:
    """Every lock of the cloud's demo account: registry entry and state."""
    await snapshot_demo()


async def test_lock_and_unlock(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulator: RunningSimulator,
    wallbox_account: list[int],
) -> None:
    """Locking uses the write's answer: the state changes without another read."""
    cloud, log = simulator.sim.wallbox, simulator.sim.requests
    log.clear()
    await call_service(hass, "lock", "lock", "lock.garage_lock")
    assert cloud.charger(wallbox_account[0]).locked
    assert state_of(hass, "lock.garage_lock") == "locked"
    assert state_of(hass, "sensor.garage_status") == "locked_car_connected"
    await call_service(hass, "lock", "unlock", "lock.garage_lock")
    assert not cloud.charger(wallbox_account[0]).locked
    assert state_of(hass, "lock.garage_lock") == "unlocked"
    assert log.count(method="GET") == 0
    assert log.count(method="PUT") == 2
