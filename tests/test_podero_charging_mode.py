"""The account's charging mode: a select on a service device, from Podero's charging-config."""

from __future__ import annotations

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.select import ATTR_OPTIONS, DOMAIN as SELECT_DOMAIN
from homeassistant.const import ATTR_OPTION, SERVICE_SELECT_OPTION
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from simulator import Simulator
from simulator.faults import Fault
from tests.podero_helpers import ACCOUNT, ORG_ID, USER_ID

from .conftest import advance, device_of, state_of
from .entity_helpers import call

pytest_plugins = ["tests.podero_entry_fixtures"]

MODE = "select.podero_charging_mode"
POLL = timedelta(minutes=5)


async def select(hass: HomeAssistant, option: str) -> None:
    await call(hass, SELECT_DOMAIN, SERVICE_SELECT_OPTION, MODE, **{ATTR_OPTION: option})


async def inverter(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, sim: Simulator, *, present: bool
) -> None:
    """The user's inverter comes or goes in the cloud; the next poll reads it."""
    sim.podero.set_inverter(USER_ID, present=present)
    await advance(hass, freezer, POLL)


@pytest.fixture
async def inverter_present(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    podero_sim: Simulator,
    entry: MockConfigEntry,
) -> None:
    """The entry set up, then the user's inverter added and read: the solar modes are offered."""
    await inverter(hass, freezer, podero_sim, present=True)


def options(hass: HomeAssistant) -> list[str]:
    state = hass.states.get(MODE)
    assert state is not None
    return list(state.attributes[ATTR_OPTIONS])


async def test_mode_sits_on_a_service_device(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """One "Podero" service device per user; its id is not the user's id."""
    device = device_of(hass, entry, f"podero_{ACCOUNT}")
    assert (device.name, device.entry_type) == ("Podero", dr.DeviceEntryType.SERVICE)
    assert USER_ID not in ACCOUNT
    assert ORG_ID not in ACCOUNT


async def test_only_available_modes_are_offered(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    podero_sim: Simulator,
    entry: MockConfigEntry,
) -> None:
    """Without an inverter the solar modes cannot be chosen; once there is one, they can."""
    assert state_of(hass, MODE) == "none"
    assert options(hass) == ["none", "spot"]

    await inverter(hass, freezer, podero_sim, present=True)

    assert options(hass) == ["none", "spot", "hems", "hems_and_spot"]


async def test_choosing_a_mode_changes_it_in_the_cloud(
    hass: HomeAssistant, podero_sim: Simulator, entry: MockConfigEntry
) -> None:
    """One PUT; its answer is shown at once, without another read."""
    podero_sim.requests.clear()

    await select(hass, "spot")

    assert podero_sim.podero.user(USER_ID).charging_mode == "spot"
    assert state_of(hass, MODE) == "spot"
    assert [(r.method, r.path.rsplit("/", 1)[1]) for r in podero_sim.requests] == [
        ("PUT", "charging-config")
    ]


@pytest.mark.usefixtures("inverter_present")
async def test_mode_in_use_stays_listed_when_it_becomes_unavailable(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, podero_sim: Simulator
) -> None:
    """The solar mode in use is still shown after the inverter goes; others are not offered."""
    await select(hass, "hems")

    await inverter(hass, freezer, podero_sim, present=False)

    assert state_of(hass, MODE) == "hems"
    assert options(hass) == ["none", "spot", "hems"]


@pytest.mark.usefixtures("inverter_present")
async def test_refused_mode_is_a_translated_error(
    hass: HomeAssistant, podero_sim: Simulator
) -> None:
    """A mode the cloud refuses (422) reaches the user as a rejected command; nothing changes."""
    podero_sim.podero.set_inverter(USER_ID, present=False)  # the list shown is stale now

    with pytest.raises(HomeAssistantError) as err:
        await select(hass, "hems")

    assert err.value.translation_key == "command_rejected"
    assert podero_sim.podero.user(USER_ID).charging_mode == "none"
    assert state_of(hass, MODE) == "none"


async def test_without_a_charging_config_the_devices_still_work(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    podero_sim: Simulator,
    entry: MockConfigEntry,
) -> None:
    """A 403 on charging-config leaves the mode out (unavailable); the devices stay fresh."""
    podero_sim.podero.faults.add(Fault(status=403, path="charging-config"))
    podero_sim.podero.set_battery(podero_sim.podero.user(USER_ID).vehicle_ids[0], 55.0)

    await advance(hass, freezer, POLL)

    assert state_of(hass, MODE) == "unavailable"
    # 55 % plus what 5 min at 11 kW adds: read fresh, not the 40 % of the setup.
    assert float(state_of(hass, "sensor.volkswagen_id_4_battery_level")) == pytest.approx(56, abs=1)

    podero_sim.podero.faults.clear()
    await advance(hass, freezer, POLL)
    assert state_of(hass, MODE) == "none"
