"""Fixtures of the Podero entity tests: a wallbox with an EV charging in it, set up."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ev_charger_cloud.api import PoderoToken
from custom_components.ev_charger_cloud.const import (
    CONF_API_URL,
    CONF_PROVIDER,
    CONF_TOKENS,
    DOMAIN,
)
from simulator import Simulator
from simulator.podero.model import PoderoVehicle as SimVehicle, PoderoWallbox as SimWallbox
from tests.podero_helpers import CLIENT_ID, CLIENT_SECRET, ORG_ID, USER_ID

pytest_plugins = ["tests.podero_fixtures"]


@pytest.fixture
def home(podero_sim: Simulator) -> tuple[SimWallbox, SimVehicle]:
    """A wallbox with an ID.4 at 40 % charging in it (77 kWh, 11 kW)."""
    cloud = podero_sim.podero
    wallbox = cloud.add_wallbox(USER_ID, name="Garage")
    vehicle = cloud.add_vehicle(USER_ID, battery_level=40.0)
    cloud.plug_in(vehicle.id, wallbox.id)
    return wallbox, vehicle


@pytest.fixture
async def entry(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    podero_url: str,
    podero_stored_token: PoderoToken,
    home: tuple[SimWallbox, SimVehicle],
) -> MockConfigEntry:
    """The user's Podero entry, set up."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Jane Driver",
        unique_id=f"{ORG_ID}_{USER_ID}",
        data={
            CONF_PROVIDER: "podero",
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "org_id": ORG_ID,
            "user_id": USER_ID,
            CONF_API_URL: podero_url,
            CONF_TOKENS: podero_stored_token.as_dict(),
        },
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry
