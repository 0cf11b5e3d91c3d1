"""Where a vehicle is: a GPS tracker, disabled until the user enables it (personal data)."""

from __future__ import annotations

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.zone import ENTITY_ID_HOME
from homeassistant.const import ATTR_LATITUDE, ATTR_LONGITUDE, STATE_HOME, STATE_NOT_HOME
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from simulator import Simulator
from simulator.podero.model import (
    HOME_LATITUDE,
    HOME_LONGITUDE,
    PoderoVehicle as SimVehicle,
    PoderoWallbox as SimWallbox,
)

from .conftest import advance

pytest_plugins = ["tests.podero_entry_fixtures"]

POLL = timedelta(minutes=5)
TRACKER = "device_tracker.volkswagen_id_4_location"


async def test_location_starts_disabled(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    registered = er.async_get(hass).async_get(TRACKER)
    assert registered is not None
    assert registered.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    assert hass.states.get(TRACKER) is None


@pytest.fixture
async def tracker_enabled(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """The user enabled the tracker; Home Assistant's home zone is at the wallbox."""
    hass.states.async_set(
        ENTITY_ID_HOME,
        "0",
        {ATTR_LATITUDE: HOME_LATITUDE, ATTR_LONGITUDE: HOME_LONGITUDE, "radius": 100},
    )
    er.async_get(hass).async_update_entity(TRACKER, disabled_by=None)
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()


@pytest.mark.usefixtures("tracker_enabled")
async def test_enabled_location_follows_the_vehicle(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    podero_sim: Simulator,
    home: tuple[SimWallbox, SimVehicle],
) -> None:
    """At the wallbox it is home; away, its coordinates."""
    state = hass.states.get(TRACKER)
    assert state is not None
    assert state.state == STATE_HOME
    assert (state.attributes[ATTR_LATITUDE], state.attributes[ATTR_LONGITUDE]) == (
        HOME_LATITUDE,
        HOME_LONGITUDE,
    )

    vehicle = home[1]
    podero_sim.podero.unplug(vehicle.id)
    podero_sim.podero.set_location(vehicle.id, 47.0707, 15.4395)
    await advance(hass, freezer, POLL)

    state = hass.states.get(TRACKER)
    assert state is not None
    assert state.state == STATE_NOT_HOME
    assert (state.attributes[ATTR_LATITUDE], state.attributes[ATTR_LONGITUDE]) == (
        47.0707,
        15.4395,
    )
