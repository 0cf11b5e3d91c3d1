"""Locks: the demo accounts' snapshot, and locking and unlocking a Wallbox charger."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
import pytest

from .conftest import state_of
from .platform_helpers import SnapshotDemo, WallboxHome, call_service

pytest_plugins = ["tests.demo_accounts", "tests.wallbox_home"]


@pytest.mark.parametrize("demo_platforms", [[Platform.LOCK]], ids=["lock"])
async def test_demo_accounts(snapshot_demo: SnapshotDemo) -> None:
    """Every lock of the cloud's demo account: registry entry and state."""
    await snapshot_demo()


async def test_lock_and_unlock(hass: HomeAssistant, wallbox_home: WallboxHome) -> None:
    """Locking uses the write's answer: the state changes without another read."""
    cloud, log = wallbox_home.cloud, wallbox_home.log
    log.clear()
    await call_service(hass, "lock", "lock", "lock.garage_lock")
    assert cloud.charger(wallbox_home.garage).locked
    assert state_of(hass, "lock.garage_lock") == "locked"
    assert state_of(hass, "sensor.garage_status") == "locked_car_connected"
    await call_service(hass, "lock", "unlock", "lock.garage_lock")
    assert not cloud.charger(wallbox_home.garage).locked
    assert state_of(hass, "lock.garage_lock") == "unlocked"
    assert log.count(method="GET") == 0
    assert log.count(method="PUT") == 2
