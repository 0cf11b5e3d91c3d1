"""Device trackers: a snapshot of each one of the demo accounts of the three clouds."""

from __future__ import annotations

from homeassistant.const import Platform
import pytest

from .platform_helpers import SnapshotDemo

pytest_plugins = ["tests.demo_accounts"]


@pytest.mark.parametrize("demo_platforms", [[Platform.DEVICE_TRACKER]], ids=["device_tracker"])
async def test_demo_accounts(snapshot_demo: SnapshotDemo) -> None:
    """Every device tracker of the cloud's demo account: registry entry and state."""
    await snapshot_demo()
