"""Update entities: the demo accounts' snapshot, and a Wallbox charger's firmware and restart.

The install shows in progress from the press until a reading shows the new version
(or ``INSTALL_TIMEOUT`` passes); the charger's status shows what the charger does
(updating, offline while it restarts) at once, not only at the next poll.
"""

from __future__ import annotations

from datetime import timedelta
import logging

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.update import ATTR_IN_PROGRESS, ATTR_UPDATE_PERCENTAGE
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ev_charger_cloud.update import INSTALL_TIMEOUT
from simulator.faults import Fault

from .conftest import RunningSimulator, advance, state_of
from .platform_helpers import SnapshotDemo, call_service, set_up_one_charger

UPDATE = "update.garage_firmware"
STATUS = "sensor.garage_status"
# The follow-up read after a command: the account's one read a minute allows it.
FOLLOW_UP = timedelta(seconds=61)

pytest_plugins = ["tests.demo_accounts"]


@pytest.mark.parametrize("demo_platforms", [[Platform.UPDATE]], ids=["update"])
async def test_demo_accounts(snapshot_demo: SnapshotDemo) -> None:
    """Every update entity of the cloud's demo account: registry entry and state."""
    await snapshot_demo()


@pytest.fixture
async def old_firmware(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: RunningSimulator,
    config_entry: MockConfigEntry,
) -> int:
    """One charger running 6.1.0 with 6.2.4 offered; returns its id."""
    charger = await set_up_one_charger(
        hass, simulator, config_entry, firmware="6.1.0", latest_firmware="6.2.4"
    )
    return charger.id


def progress(hass: HomeAssistant) -> tuple[str, object, object, object]:
    """State, installed version, in progress and percentage of the firmware entity."""
    state = hass.states.get(UPDATE)
    assert state is not None
    return (
        state.state,
        state.attributes["installed_version"],
        state.attributes[ATTR_IN_PROGRESS],
        state.attributes[ATTR_UPDATE_PERCENTAGE],
    )


async def install(hass: HomeAssistant) -> None:
    await call_service(hass, "update", "install", UPDATE)


async def test_firmware_update(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: RunningSimulator,
    old_firmware: int,
) -> None:
    """A newer firmware shows as an update; installing it reaches the charger."""
    cloud = simulator.sim.wallbox
    state = hass.states.get(UPDATE)
    assert state is not None
    assert state.state == "on"
    assert (state.attributes["installed_version"], state.attributes["latest_version"]) == (
        "6.1.0",
        "6.2.4",
    )
    await install(hass)
    assert cloud.charger(old_firmware).firmware == "6.2.4"
    await advance(hass, freezer, timedelta(seconds=61))  # the follow-up read
    assert state_of(hass, UPDATE) == "off"


@pytest.mark.usefixtures("init_integration")
async def test_install_without_update_is_refused(
    hass: HomeAssistant, simulator: RunningSimulator
) -> None:
    """Without newer firmware Home Assistant refuses before asking the cloud."""
    assert state_of(hass, UPDATE) == "off"
    simulator.sim.requests.clear()
    with pytest.raises(HomeAssistantError, match="No update available"):
        await install(hass)
    assert simulator.sim.requests.count(method="POST") == 0


async def test_install_shows_progress_until_the_new_version_is_read(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: RunningSimulator,
    old_firmware: int,
) -> None:
    """From the press on: in progress (no percentage) and the charger updating."""
    assert progress(hass) == ("on", "6.1.0", False, None)
    await install(hass)
    assert progress(hass) == ("on", "6.1.0", True, None)
    assert state_of(hass, STATUS) == "updating"
    # A second press while it runs is refused by Home Assistant, not sent.
    with pytest.raises(HomeAssistantError):
        await install(hass)
    await advance(hass, freezer, FOLLOW_UP)
    assert progress(hass) == ("off", "6.2.4", False, None)
    assert state_of(hass, STATUS) == "ready"
    actions = [r for r in simulator.sim.requests if "remote-action" in r.path]
    assert len(actions) == 1


async def test_progress_stops_after_the_timeout(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: RunningSimulator,
    old_firmware: int,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A charger that never reports the new version is not shown updating forever."""
    await install(hass)
    # As if the install had not finished (the simulator installs at once).
    simulator.sim.wallbox.charger(old_firmware).firmware = "6.1.0"
    await advance(hass, freezer, FOLLOW_UP)
    assert progress(hass) == ("on", "6.1.0", True, None)
    caplog.set_level(logging.WARNING)
    await advance(hass, freezer, INSTALL_TIMEOUT - FOLLOW_UP - timedelta(seconds=5))
    assert progress(hass) == ("on", "6.1.0", True, None)
    await advance(hass, freezer, timedelta(seconds=10))
    assert progress(hass) == ("on", "6.1.0", False, None)
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING and UPDATE in r.message]
    assert len(warnings) == 1
    assert "still reports version 6.1.0" in warnings[0].message
    # The update is offered again and can be installed again.
    await install(hass)
    assert progress(hass) == ("on", "6.1.0", True, None)


async def test_failed_install_shows_no_progress(
    hass: HomeAssistant, simulator: RunningSimulator, old_firmware: int
) -> None:
    """A refused install raises and leaves the entity as it was."""
    simulator.sim.wallbox.faults.add(Fault(status=500, method="POST"))
    with pytest.raises(HomeAssistantError):
        await install(hass)
    assert progress(hass) == ("on", "6.1.0", False, None)


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_restart_shows_the_charger_offline_at_once(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: RunningSimulator,
    old_firmware: int,
) -> None:
    """Offline from the press until the cloud reports the charger back."""
    assert state_of(hass, STATUS) == "ready"
    await call_service(hass, "button", "press", "button.garage_restart")
    assert simulator.sim.wallbox.charger(old_firmware).restart_until is not None
    assert state_of(hass, STATUS) == "disconnected"
    await advance(hass, freezer, FOLLOW_UP)  # the cloud confirms: rebooting
    assert state_of(hass, STATUS) == "disconnected"
    await advance(hass, freezer, timedelta(seconds=90))  # back after 90 s
    assert state_of(hass, STATUS) == "ready"
