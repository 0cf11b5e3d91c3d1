"""A device Podero lost access to raises a repair issue, which goes away once it is back."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ev_charger_cloud.const import DOMAIN
from simulator import Simulator
from simulator.faults import Fault
from simulator.podero.model import PoderoVehicle as SimVehicle, PoderoWallbox as SimWallbox

from .conftest import advance

pytest_plugins = ["tests.podero_entry_fixtures"]

POLL = timedelta(minutes=5)


def reconnect_issues(hass: HomeAssistant) -> dict[str, ir.IssueEntry]:
    return {
        issue_id: issue
        for (domain, issue_id), issue in ir.async_get(hass).issues.items()
        if domain == DOMAIN
    }


async def poll_with_actions(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    podero_sim: Simulator,
    device_id: str,
    actions: list[str | Mapping[str, Any]],
) -> None:
    """Podero lists ``actions`` on the device from now on; the next poll reads them."""
    podero_sim.podero.set_actions(device_id, actions)
    await advance(hass, freezer, POLL)


async def test_reauthenticate_action_raises_and_clears_an_issue(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    podero_sim: Simulator,
    home: tuple[SimWallbox, SimVehicle],
    entry: MockConfigEntry,
) -> None:
    """The wallbox's ``reauthenticate`` action: one warning naming it, gone with the action."""
    wallbox, _vehicle = home
    assert reconnect_issues(hass) == {}

    await poll_with_actions(hass, freezer, podero_sim, wallbox.id, ["reauthenticate"])

    (issue,) = reconnect_issues(hass).values()
    assert issue.translation_key == "device_reconnect"
    assert issue.translation_placeholders == {"device": "Garage", "cloud": "Podero"}
    assert issue.severity is ir.IssueSeverity.WARNING
    assert not issue.is_fixable

    await poll_with_actions(hass, freezer, podero_sim, wallbox.id, [])

    assert reconnect_issues(hass) == {}


async def test_vehicle_list_flag_raises_an_issue(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    podero_sim: Simulator,
    home: tuple[SimWallbox, SimVehicle],
    entry: MockConfigEntry,
) -> None:
    """Vehicle lists carry only ``action_needed``: that is enough for the issue."""
    _wallbox, vehicle = home
    podero_sim.podero.set_actions(vehicle.id, ["reauthenticate"])
    assert "actions" not in podero_sim.podero.vehicle_json(vehicle.id, detail=False)

    await advance(hass, freezer, POLL)

    (issue,) = reconnect_issues(hass).values()
    assert issue.translation_placeholders == {"device": "Volkswagen ID.4", "cloud": "Podero"}


async def test_information_actions_raise_nothing(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    podero_sim: Simulator,
    home: tuple[SimWallbox, SimVehicle],
    entry: MockConfigEntry,
) -> None:
    """An ``information`` action needs nothing from the user."""
    await poll_with_actions(hass, freezer, podero_sim, home[0].id, ["information"])
    assert reconnect_issues(hass) == {}


async def test_issues_survive_an_outage_and_leave_with_the_entry(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    podero_sim: Simulator,
    home: tuple[SimWallbox, SimVehicle],
    entry: MockConfigEntry,
) -> None:
    """A failed poll says nothing new, so the issue stays; removing the entry drops it."""
    await poll_with_actions(hass, freezer, podero_sim, home[0].id, ["reauthenticate"])
    podero_sim.podero.faults.add(Fault(status=500))
    await advance(hass, freezer, POLL)
    assert len(reconnect_issues(hass)) == 1

    assert await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()
    assert reconnect_issues(hass) == {}
