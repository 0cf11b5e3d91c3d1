"""The documented variants of Thor's answers, served by the simulator to the integration.

The account of thor_entry_fixtures: Garage charging, Parking A (reservable) with
connector 1 charging and connector 2 reserved here. The history back-fill takes
the setup's read and three polls; the reservations are read at the next one.

- reservations in each shape their page documents (`{count, items}`, a bare list,
  one bare object): Reserved, and no entity ever unavailable;
- a reservations read that fails: every entity stays available, the read backs off;
- `connectors[].terminal_id` and `token` as the strings they are documented as (the
  simulator's default) or null: neither Nayax secret reaches a log line or the
  diagnostics.
"""

from __future__ import annotations

from datetime import timedelta
import logging

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from simulator import Simulator
from simulator.faults import Fault
from tests.thor_account_entry import entity_states
from tests.thor_entry_fixtures import API_KEY, GARAGE_ID, PARKING_ID

from .conftest import advance, state_of

pytest_plugins = ["tests.thor_entry_fixtures"]
# A morning: no midnight (and its read of the day before) within the polls of a test.
pytestmark = pytest.mark.freeze_time("2030-06-15 10:00:00+00:00")

POLL = timedelta(minutes=1)
P2_STATUS = "sensor.parking_a_connector_2_status"
RESERVATIONS = "/reservations"
# Setup read plus three polls: the history; the fourth poll reads the reservations.
POLLS_TO_RESERVATIONS = 4


@pytest.fixture
def reserved(thor_entry_sim: Simulator) -> Simulator:
    """Connector 2 of Parking A reserved for two hours, before the entry is set up."""
    thor_entry_sim.thor.add_reservation(PARKING_ID, 2, thor_entry_sim.clock.now() + 7200)
    return thor_entry_sim


def reservation_reads(sim: Simulator) -> int:
    return sim.requests.count(provider="thor", path_contains=RESERVATIONS)


@pytest.mark.parametrize("shape", ["count_items", "list", "object"])
async def test_each_reservations_shape_shows_reserved(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    reserved: Simulator,
    thor_entry: MockConfigEntry,
    shape: str,
) -> None:
    """The table's, the text's and the example's shape: Reserved; the account stays up."""
    reserved.thor.settings.reservations_shape = shape
    for _ in range(POLLS_TO_RESERVATIONS):
        assert STATE_UNAVAILABLE not in entity_states(hass, thor_entry).values()
        await advance(hass, freezer, POLL)

    assert reservation_reads(reserved) == 1
    # Shown from the reservations read: the chargebox list has no reserved_connectors.
    listed = reserved.thor.chargeboxes_json(reserved.thor.account(API_KEY), only_active=False)
    assert not any("reserved_connectors" in box or "occupied_connectors" in box for box in listed)
    assert state_of(hass, P2_STATUS) == "reserved"
    assert state_of(hass, "sensor.garage_status") == "charging"
    states = entity_states(hass, thor_entry)
    assert STATE_UNAVAILABLE not in states.values(), states
    assert states["sensor.garage_total_energy"] != STATE_UNKNOWN

    await advance(hass, freezer, POLL, 5)  # read again after 5 minutes, as every shape
    assert reservation_reads(reserved) == 2
    assert STATE_UNAVAILABLE not in entity_states(hass, thor_entry).values()


async def test_failing_reservations_leave_every_entity_available(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    reserved: Simulator,
    thor_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A 500 on every reservations read: all shown, retried after 2, 4, 8, 16 minutes."""
    reserved.thor.faults.add(Fault(path=RESERVATIONS, status=500))
    for _ in range(POLLS_TO_RESERVATIONS + 30):
        await advance(hass, freezer, POLL)
        states = entity_states(hass, thor_entry)
        assert STATE_UNAVAILABLE not in states.values(), states

    assert reservation_reads(reserved) == 5  # at 0, 2, 6, 14 and 30 minutes
    assert state_of(hass, P2_STATUS) == "ready"  # never read: not known to be reserved
    warnings = [
        r
        for r in caplog.records
        if r.levelno >= logging.WARNING and r.name.startswith("custom_components")
    ]
    assert len(warnings) == 1
    assert "reservations could not be read" in warnings[0].getMessage()

    reserved.thor.faults.clear()
    await advance(hass, freezer, POLL, 30)
    assert state_of(hass, P2_STATUS) == "reserved"


def nayax_secrets(sim: Simulator) -> list[str]:
    """Every connector's Nayax terminal id and token, as the simulator holds them."""
    return [
        value
        for box_id in (GARAGE_ID, PARKING_ID)
        for connector in sim.thor.state_json(box_id)["connectors"]
        for value in (connector["terminal_id"], connector["token"])
    ]


@pytest.fixture(params=["string", "null"])
def nayax_setting(request: pytest.FixtureRequest, thor_entry_sim: Simulator) -> str:
    """What connectors carry as `terminal_id`/`token`, set before the entry is set up."""
    setting: str = request.param
    thor_entry_sim.thor.settings.connector_secrets = setting
    return setting


async def test_nayax_secrets_are_never_logged_nor_in_diagnostics(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    nayax_setting: str,
    thor_entry_sim: Simulator,
    thor_entry: MockConfigEntry,
) -> None:
    """Strings (documented) or null: Thor sends them; they reach no log line, no diagnostics."""
    caplog.set_level(logging.DEBUG)
    await advance(hass, freezer, POLL, 3)
    values = nayax_secrets(thor_entry_sim)
    assert all(isinstance(value, str) and len(value) >= 8 for value in values)
    account = thor_entry_sim.thor.account(API_KEY)
    listed = thor_entry_sim.thor.chargeboxes_json(account, only_active=False)
    sent = [c[key] for box in listed for c in box["connectors"] for key in ("terminal_id", "token")]
    assert sent == (values if nayax_setting == "string" else [None] * len(values))
    assert state_of(hass, "sensor.parking_a_connector_1_status") == "charging"

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, thor_entry)

    text = f"{caplog.text}\n{diagnostics}"
    for value in values:
        assert value not in text
    assert "terminal_id" not in text
