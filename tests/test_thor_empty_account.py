"""A Thor entry whose chargeboxes are all removed later keeps working.

Adding an account without a chargebox is refused (tests/flows/test_add_errors.py): it has
nothing to be recognised by. An entry that already exists keeps the identity it
was created with, so losing its boxes must not break it: it stays loaded (also
across a restart), asks for no new key, and shows a box added later.
"""

from __future__ import annotations

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ev_charger_cloud.const import CONF_ACCOUNT_BOX, DOMAIN
from simulator import Simulator
from tests.thor_entry_fixtures import API_KEY, GARAGE_ID, UNIQUE_ID

from .conftest import advance, state_of

pytest_plugins = ["tests.thor_entry_fixtures"]

GARAGE_STATUS = "sensor.garage_status"


async def test_an_entry_whose_boxes_all_went_keeps_running(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    thor_entry_sim: Simulator,
    thor_entry: MockConfigEntry,
) -> None:
    assert state_of(hass, GARAGE_STATUS) != STATE_UNAVAILABLE
    cloud = thor_entry_sim.thor
    cloud.reset()
    cloud.add_account(API_KEY, "Thor test customer")

    await advance(hass, freezer, timedelta(minutes=1), times=3)
    assert thor_entry.state is ConfigEntryState.LOADED
    assert hass.config_entries.flow.async_progress_by_handler(DOMAIN) == []
    assert state_of(hass, GARAGE_STATUS) == STATE_UNAVAILABLE

    # A restart with no box at all.
    assert await hass.config_entries.async_reload(thor_entry.entry_id)
    await hass.async_block_till_done()
    assert thor_entry.state is ConfigEntryState.LOADED
    assert (thor_entry.unique_id, thor_entry.data[CONF_ACCOUNT_BOX]) == (UNIQUE_ID, GARAGE_ID)

    # The box comes back (sold and bought back, or re-added in the dashboard).
    cloud.add_chargebox(API_KEY, id=GARAGE_ID, alias="Garage")
    await advance(hass, freezer, timedelta(minutes=1), times=3)
    assert state_of(hass, GARAGE_STATUS) != STATE_UNAVAILABLE
    assert hass.config_entries.flow.async_progress_by_handler(DOMAIN) == []
