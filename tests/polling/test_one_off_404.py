"""A single 404 on a charger's read keeps it; only discovery decides that it is gone."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ev_charger_cloud.api import Target
from simulator.faults import Fault
from tests.conftest import RunningSimulator, advance, state_of


async def office_due(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, simulator: RunningSimulator
) -> None:
    """Poll until the idle office is due (read every 15 min; the charging garage at each poll).

    The request log starts with that poll's reads: the garage, then the office.
    """
    await advance(hass, freezer, times=9)  # 810 s: the garage each time
    simulator.sim.requests.clear()
    await advance(hass, freezer)  # 900 s: the garage, and the office, unread for 15 min


async def office_leaves_then_is_due(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, simulator: RunningSimulator, office: int
) -> None:
    """The office moves to another owner's account; poll until it is due (a 404)."""
    cloud = simulator.sim.wallbox
    cloud.account("driver@example.com").charger_ids.remove(office)
    cloud.charger(office).owner_email = "new-owner@example.com"
    simulator.sim.requests.clear()
    await office_due(hass, freezer, simulator)


OFFICE_ENTITIES = ("sensor.office_status", "lock.office_lock")


def data_reads(simulator: RunningSimulator) -> list[str]:
    """The GETs sent to the data API (sign-in and token renewal left out)."""
    return [r.path for r in simulator.sim.requests if r.method == "GET" and "/users/" not in r.path]


@pytest.mark.usefixtures("init_integration")
async def test_one_off_404_keeps_the_charger_and_reads_it_again(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
    wallbox_account: list[int],
) -> None:
    """The office charger answers 404 once: it stays, discovery keeps it, it is read again."""
    garage, office = wallbox_account
    before = {entity_id: state_of(hass, entity_id) for entity_id in OFFICE_ENTITIES}
    assert STATE_UNAVAILABLE not in before.values()
    simulator.sim.wallbox.faults.add(Fault(status=404, path=f"/chargers/status/{office}", times=1))
    simulator.sim.requests.clear()

    await office_due(hass, freezer, simulator)  # the idle office is due: 404
    assert simulator.sim.requests.count(status=404) == 1
    # The last reading is still shown.
    assert {entity_id: state_of(hass, entity_id) for entity_id in OFFICE_ENTITIES} == before

    # The next poll is spent on discovery, which still lists it: it is read again at once.
    simulator.sim.wallbox.set_locked(office, locked=True)
    await advance(hass, freezer)
    assert state_of(hass, "lock.office_lock") == "locked"
    assert state_of(hass, "sensor.office_status") != STATE_UNAVAILABLE
    assert state_of(hass, "sensor.garage_status") != STATE_UNAVAILABLE
    assert data_reads(simulator) == [
        f"/wallbox/chargers/status/{garage}",
        f"/wallbox/chargers/status/{office}",
        "/wallbox/v3/chargers/groups",
        f"/wallbox/chargers/status/{office}",
    ]


async def test_charger_removed_from_the_account_leaves_after_discovery(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
    wallbox_account: list[int],
) -> None:
    """A charger that really left answers 404; it goes unavailable once discovery agrees."""
    garage, office = wallbox_account
    await office_leaves_then_is_due(hass, freezer, simulator, office)  # its read: 404
    assert simulator.sim.requests.count(status=404) == 1
    for entity_id in OFFICE_ENTITIES:
        assert state_of(hass, entity_id) != STATE_UNAVAILABLE, entity_id

    await advance(hass, freezer)  # discovery: the office is gone
    for entity_id in OFFICE_ENTITIES:
        assert state_of(hass, entity_id) == STATE_UNAVAILABLE, entity_id
    assert state_of(hass, "sensor.garage_status") != STATE_UNAVAILABLE
    assert init_integration.data["chargers"] == [str(garage)]
    assert init_integration.runtime_data.coordinator.device_ids == [str(garage)]

    # From then on only the garage is read, one per poll.
    await advance(hass, freezer, times=2)
    assert data_reads(simulator) == [
        f"/wallbox/chargers/status/{garage}",
        f"/wallbox/chargers/status/{office}",
        "/wallbox/v3/chargers/groups",
        f"/wallbox/chargers/status/{garage}",
        f"/wallbox/chargers/status/{garage}",
        f"/wallbox/chargers/status/{garage}",
    ]
    assert simulator.sim.requests.count(status=404) == 1


async def test_404_is_looked_up_before_a_pending_follow_up(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
    wallbox_account: list[int],
) -> None:
    """A charger gone while a follow-up read waits: discovery still comes at the next poll."""
    garage, office = wallbox_account
    await office_leaves_then_is_due(hass, freezer, simulator, office)  # its read: 404
    assert state_of(hass, "lock.office_lock") != STATE_UNAVAILABLE
    # A command on the garage asks for a follow-up read of it.
    init_integration.runtime_data.coordinator.async_command_done(Target(str(garage)), None)
    await advance(hass, freezer)  # discovery first (the office is gone), then the garage
    assert state_of(hass, "lock.office_lock") == STATE_UNAVAILABLE
    assert data_reads(simulator) == [
        f"/wallbox/chargers/status/{garage}",
        f"/wallbox/chargers/status/{office}",
        "/wallbox/v3/chargers/groups",
        f"/wallbox/chargers/status/{garage}",
    ]
