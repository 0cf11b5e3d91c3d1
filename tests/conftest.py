"""Shared fixtures: the simulator on 127.0.0.1 and the integration set up against it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import timedelta
import logging
from unittest.mock import AsyncMock, PropertyMock, patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.sensor import ATTR_STATE_CLASS
from homeassistant.const import (
    ATTR_DEVICE_CLASS,
    ATTR_UNIT_OF_MEASUREMENT,
    CONF_EMAIL,
    CONF_PASSWORD,
)
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    mock_restore_cache_with_extra_data,
)

# Import the repo's package first: the test plugin ships its own `custom_components`,
# and Home Assistant would not find the integration behind it.
import custom_components.ev_charger_cloud  # noqa: F401
from custom_components.ev_charger_cloud.const import CONF_API_URL, CONF_PROVIDER, DOMAIN
from simulator import Simulator
from simulator.podero.model import PoderoVehicle, PoderoWallbox
from simulator.testing import SimulatorServer
from simulator.wallbox.model import Car

EMAIL = "driver@example.com"
PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load the integration from custom_components."""


class DeprecationReports(logging.Handler):
    """Collects what Home Assistant logs when something deprecated is used.

    ``report_usage`` (frame helper) logs "Detected that ... integration ..." or, outside
    an integration, "Detected code that ..."; the deprecation helpers log "The
    deprecated ... was used/imported ...".
    """

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.reports: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith(("Detected that ", "Detected code that ", "The deprecated ")) or (
            "deprecated" in message.lower() and record.name.startswith("homeassistant")
        ):
            self.reports.append(f"{record.name}: {message}")


@pytest.fixture(autouse=True)
def fail_on_deprecation_reports() -> Iterator[DeprecationReports]:
    """Fail a test in which Home Assistant reported a deprecated use.

    Python's own DeprecationWarning is an error through setup.cfg's filterwarnings.
    """
    handler = DeprecationReports()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
    if handler.reports:
        pytest.fail("Home Assistant reported deprecated use:\n" + "\n".join(handler.reports))


@pytest.fixture(autouse=True)
def instant_commands(request: pytest.FixtureRequest) -> Iterator[None]:
    """Send number values without the merge window, so blocking calls under frozen time end.

    Tests marked ``merge_window`` keep the real window and move time themselves.
    """
    if request.node.get_closest_marker("merge_window"):
        yield
        return
    with patch("custom_components.ev_charger_cloud.command_merge.MERGE_WINDOW", 0):
        yield


@pytest.fixture
def mock_setup_entry() -> Iterator[AsyncMock]:
    """Keep the real integration from starting once a flow creates or reloads an entry."""
    with patch(
        "custom_components.ev_charger_cloud.async_setup_entry", return_value=True
    ) as mock_setup:
        yield mock_setup


@pytest.fixture
def entity_registry_enabled_by_default() -> Iterator[None]:
    """Create entities that are disabled by default as enabled."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        new_callable=PropertyMock,
        return_value=True,
    ):
        yield


POLL = timedelta(seconds=90)


async def advance(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, delta: timedelta = POLL, times: int = 1
) -> None:
    """Move Home Assistant and the simulator on together and let the polls run."""
    for _ in range(times):
        freezer.tick(delta)
        async_fire_time_changed(hass)
        await hass.async_block_till_done(wait_background_tasks=True)


def attributes(hass: HomeAssistant, entity_id: str) -> tuple[object, ...]:
    """State, unit, device class and state class of an entity."""
    state = hass.states.get(entity_id)
    assert state is not None, f"{entity_id} does not exist"
    return (
        state.state,
        state.attributes.get(ATTR_UNIT_OF_MEASUREMENT),
        state.attributes.get(ATTR_DEVICE_CLASS),
        state.attributes.get(ATTR_STATE_CLASS),
    )


def value(hass: HomeAssistant, entity_id: str) -> float:
    """The numeric state of an entity that must exist."""
    return float(state_of(hass, entity_id))


def state_of(hass: HomeAssistant, entity_id: str) -> str:
    """The state of an entity that must exist."""
    state = hass.states.get(entity_id)
    assert state is not None, f"{entity_id} does not exist"
    return state.state


@dataclass
class RunningSimulator:
    """The simulator and the base URL the integration uses to reach its Wallbox cloud."""

    sim: Simulator
    url: str

    @property
    def wallbox_url(self) -> str:
        return f"{self.url}/wallbox"


@pytest.fixture
async def simulator(hass: HomeAssistant, socket_enabled: None) -> AsyncIterator[RunningSimulator]:
    """The simulator serving HTTP on a free port of 127.0.0.1."""
    sim = Simulator()
    async with SimulatorServer(sim) as server:
        yield RunningSimulator(sim, server.base_url)


@pytest.fixture
def wallbox_account(simulator: RunningSimulator) -> list[int]:
    """An account with one Eco-Smart Pulsar Plus charging a car and one Copper C without it.

    Returns the charger ids.
    """
    cloud = simulator.sim.wallbox
    cloud.add_account(EMAIL, PASSWORD, user_id=4242)
    garage = cloud.add_charger(
        EMAIL, name="Garage", eco_smart=True, power_boost=True, max_charging_current=16
    )
    office = cloud.add_charger(EMAIL, name="Office", part_number="CPB1-S-2-4-0-001-A")
    cloud.plug_in(garage.id, Car(max_power_kw=11.0, battery_kwh=60, soc_percent=40))
    return [garage.id, office.id]


@pytest.fixture
def config_entry(simulator: RunningSimulator) -> MockConfigEntry:
    """A Wallbox entry pointing at the simulator."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=EMAIL,
        unique_id="wallbox_4242",
        data={
            CONF_PROVIDER: "wallbox",
            CONF_EMAIL: EMAIL,
            CONF_PASSWORD: PASSWORD,
            CONF_API_URL: simulator.wallbox_url,
        },
    )


@pytest.fixture
async def init_integration(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    config_entry: MockConfigEntry,
    wallbox_account: list[int],
) -> MockConfigEntry:
    """The integration set up against the simulated account.

    Time is frozen first, so tests move Home Assistant and the simulator together.
    """
    config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    return config_entry


async def set_up_entry(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Add an entry and set it up, as Home Assistant does when it starts."""
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


async def set_up_restored(
    hass: HomeAssistant, entry: MockConfigEntry, last: State, extra: dict[str, object]
) -> None:
    """Set an entry up as after a restart: one entity's last state and extra data stored."""
    mock_restore_cache_with_extra_data(hass, ((last, extra),))
    await set_up_entry(hass, entry)


def device_of(hass: HomeAssistant, entry: MockConfigEntry, identifier: str) -> dr.DeviceEntry:
    """The device the entry registered under (DOMAIN, identifier); it must exist."""
    device = dr.async_get(hass).async_get_device_by_identifier((DOMAIN, identifier), entry.entry_id)
    assert device is not None, f"no device {identifier}"
    return device


@pytest.fixture
def podero_ev(home: tuple[PoderoWallbox, PoderoVehicle], entry: MockConfigEntry) -> PoderoVehicle:
    """Podero: the EV of podero_entry_fixtures' home, once the entry is set up."""
    return home[1]
