"""Selects: the demo accounts' snapshot, and the solar charging mode of a Wallbox charger."""

from __future__ import annotations

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
import pytest

from .conftest import advance, state_of
from .platform_helpers import SnapshotDemo, WallboxHome, call_service

pytest_plugins = ["tests.demo_accounts", "tests.wallbox_home"]


@pytest.mark.parametrize("demo_platforms", [[Platform.SELECT]], ids=["select"])
async def test_demo_accounts(snapshot_demo: SnapshotDemo) -> None:
    """Every select of the cloud's demo account: registry entry and state."""
    await snapshot_demo()


@pytest.mark.parametrize(
    ("option", "enabled", "mode"),
    [("eco_mode", True, 0), ("full_solar", True, 1), ("off", False, None)],
)
async def test_select_eco_smart(
    hass: HomeAssistant,
    wallbox_home: WallboxHome,
    freezer: FrozenDateTimeFactory,
    option: str,
    enabled: bool,
    mode: int | None,
) -> None:
    """Each solar mode reaches the charger, shows at once and is confirmed by one read."""
    wallbox_home.log.clear()
    await call_service(
        hass, "select", "select_option", "select.garage_solar_charging", option=option
    )
    eco = wallbox_home.cloud.charger(wallbox_home.garage).eco_smart
    assert eco is not None
    assert eco.enabled is enabled
    if mode is not None:
        assert int(eco.mode) == mode
    assert state_of(hass, "select.garage_solar_charging") == option
    await advance(hass, freezer, timedelta(seconds=61))
    assert wallbox_home.log.count(method="GET", path_contains="chargers/status") == 1
    assert state_of(hass, "select.garage_solar_charging") == option
