"""While a boost is requested the account is read every minute, for 10 minutes at most."""

from __future__ import annotations

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import ATTR_ENTITY_ID, SERVICE_TURN_OFF, SERVICE_TURN_ON
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from simulator import Simulator
from simulator.podero.model import PoderoVehicle as SimVehicle, PoderoWallbox as SimWallbox

from .conftest import advance

pytest_plugins = ["tests.podero_entry_fixtures"]

EV = "volkswagen_id_4"
MINUTE = timedelta(minutes=1)


def polls(sim: Simulator) -> int:
    """Reads of the whole account (each is one GET of the wallbox list)."""
    return sum(1 for r in sim.requests if r.method == "GET" and r.path.endswith("/wallboxes"))


@pytest.fixture
async def boosted(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    podero_sim: Simulator,
    home: tuple[SimWallbox, SimVehicle],
    entry: MockConfigEntry,
) -> SimVehicle:
    """The EV paused, then boosted: the cloud has the boost as requested."""
    for service in (SERVICE_TURN_OFF, SERVICE_TURN_ON):
        entity = "charging" if service == SERVICE_TURN_OFF else "boost"
        await hass.services.async_call(
            "switch", service, {ATTR_ENTITY_ID: f"switch.{EV}_{entity}"}, blocking=True
        )
        await hass.async_block_till_done()
    vehicle = home[1]
    assert podero_sim.podero.state_json(vehicle.id)["boost_state"] == "requested"
    podero_sim.requests.clear()
    return vehicle


async def test_polls_every_minute_until_the_boost_starts(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    podero_sim: Simulator,
    boosted: SimVehicle,
) -> None:
    """The follow-up read sees "requested"; a minute later "ongoing"; then every 5 min again."""
    await advance(hass, freezer, timedelta(seconds=30))  # the follow-up read after the command
    assert polls(podero_sim) == 1
    await advance(hass, freezer, MINUTE)
    assert polls(podero_sim) == 2
    assert podero_sim.podero.vehicle_json(boosted.id)["boost_state"] == "ongoing"

    await advance(hass, freezer, MINUTE, times=4)
    assert polls(podero_sim) == 2  # back to the regular 5 min
    await advance(hass, freezer, MINUTE)
    assert polls(podero_sim) == 3


async def test_fast_polling_is_bounded(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    podero_sim: Simulator,
    boosted: SimVehicle,
) -> None:
    """A boost the cloud never starts costs at most 10 fast polls, then the regular pace."""
    podero_sim.podero.settings.boost_start_delay = 24 * 3600

    await advance(hass, freezer, timedelta(seconds=30))
    await advance(hass, freezer, MINUTE, times=10)
    assert polls(podero_sim) == 11

    await advance(hass, freezer, MINUTE, times=4)
    assert polls(podero_sim) == 11
    await advance(hass, freezer, MINUTE)
    assert polls(podero_sim) == 12
