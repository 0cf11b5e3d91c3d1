"""The simulator's demo accounts of the three clouds, each set up as an entry with chosen platforms.

The snapshot tests (tests/test_<platform>.py) parametrize ``demo_platforms`` with their own
platform and run once per cloud (``demo_cloud``) against its demo account
(simulator/<cloud>/demo.py, as ``python -m simulator --demo`` serves them). Time is
frozen at ``DEMO_MOMENT`` before the accounts are seeded and moves only ``SETTLE_POLLS``
polls on, so every state is the same on every run; entities disabled by default are
enabled, so each has one.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import CONF_API_KEY, CONF_EMAIL, CONF_PASSWORD, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, snapshot_platform
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.assertion import SnapshotAssertion

from custom_components.ev_charger_cloud import PLATFORMS
from custom_components.ev_charger_cloud.const import (
    CONF_ACCOUNT_BOX,
    CONF_API_URL,
    CONF_DEVICE_IDS,
    CONF_PROVIDER,
    DOMAIN,
)
from simulator import Simulator
from simulator.podero.demo import (
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    DEMO_ORG_ID,
    DEMO_USER_ID,
)
from simulator.testing import SimulatorServer
from simulator.thor.demo import DEMO_API_KEY, DEMO_BARN_ID, DEMO_GARAGE_ID, DEMO_PARKING_ID
from simulator.wallbox.demo import DEMO_EMAIL, DEMO_PASSWORD
from tests.thor_entry_fixtures import THOR_PATH

from .conftest import advance
from .platform_helpers import SnapshotDemo

CLOUDS = ("wallbox", "podero", "thor")
# A morning: the settling polls do not cross midnight (a new day adds Thor reads).
DEMO_MOMENT = "2030-06-15 10:00:00+00:00"
# Thor's back-fill of the demo account's history ends three polls after setup; Total
# energy is known from then on.
SETTLE = timedelta(minutes=1)
SETTLE_POLLS = 3
THOR_BOXES = [DEMO_GARAGE_ID, DEMO_PARKING_ID, DEMO_BARN_ID]


def demo_entry_data(cloud: str, base_url: str) -> dict[str, object]:
    """What the config flow stores for the cloud's demo account on the simulator at base_url."""
    if cloud == "wallbox":
        return {
            CONF_PROVIDER: cloud,
            CONF_EMAIL: DEMO_EMAIL,
            CONF_PASSWORD: DEMO_PASSWORD,
            CONF_API_URL: f"{base_url}/wallbox",
        }
    if cloud == "podero":
        return {
            CONF_PROVIDER: cloud,
            "client_id": DEMO_CLIENT_ID,
            "client_secret": DEMO_CLIENT_SECRET,
            "org_id": DEMO_ORG_ID,
            "user_id": DEMO_USER_ID,
            CONF_API_URL: f"{base_url}/podero",
        }
    return {
        CONF_PROVIDER: cloud,
        CONF_API_KEY: DEMO_API_KEY,
        CONF_API_URL: f"{base_url}{THOR_PATH}",
        CONF_DEVICE_IDS: THOR_BOXES,
        CONF_ACCOUNT_BOX: min(THOR_BOXES),
    }


@pytest.fixture
async def demo_url(freezer: FrozenDateTimeFactory, socket_enabled: None) -> AsyncIterator[str]:
    """The demo accounts of every cloud, seeded at DEMO_MOMENT and served on 127.0.0.1.

    Returns the simulator's base URL.
    """
    freezer.move_to(DEMO_MOMENT)
    sim = Simulator()
    sim.seed_demo()
    async with SimulatorServer(sim) as server:
        yield server.base_url


@pytest.fixture
def demo_platforms() -> list[Platform]:
    """The platforms to load; each test_<platform>.py parametrizes it with its own."""
    return list(PLATFORMS)


@pytest.fixture
async def demo_entry(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    demo_url: str,
    demo_cloud: str,
    demo_platforms: list[Platform],
    entity_registry_enabled_by_default: None,
) -> AsyncIterator[MockConfigEntry]:
    """The demo account of ``demo_cloud`` set up with ``demo_platforms``, SETTLE_POLLS later."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=f"{demo_cloud} demo",
        unique_id=f"{demo_cloud}_demo",
        data=demo_entry_data(demo_cloud, demo_url),
    )
    entry.add_to_hass(hass)
    # Only these platforms, until the entry is unloaded with the test.
    with patch("custom_components.ev_charger_cloud.PLATFORMS", demo_platforms):
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        await advance(hass, freezer, SETTLE, SETTLE_POLLS)
        yield entry


@pytest.fixture(params=CLOUDS)
def demo_cloud(request: pytest.FixtureRequest) -> str:
    """Each cloud in turn: a test that sets up a demo account runs once per cloud."""
    cloud: str = request.param
    return cloud


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Syrupy with Home Assistant's extension (files in snapshots/; registry ids left out).

    The test plugin's fixture of the same name loses to syrupy's own in this setup.
    """
    return snapshot.use_extension(HomeAssistantSnapshotExtension)


@pytest.fixture
def snapshot_demo(
    hass: HomeAssistant, snapshot: SnapshotAssertion, demo_entry: MockConfigEntry
) -> SnapshotDemo:
    """Snapshot which entities the entry has, then each one's registry entry and state.

    The list is snapshotted too, so that a cloud without entities of the platform pins that.
    """

    async def take() -> None:
        registry = er.async_get(hass)
        entities = er.async_entries_for_config_entry(registry, demo_entry.entry_id)
        assert sorted(entity.entity_id for entity in entities) == snapshot(name="entity_ids")
        if entities:
            await snapshot_platform(hass, registry, snapshot, demo_entry.entry_id)

    return take
