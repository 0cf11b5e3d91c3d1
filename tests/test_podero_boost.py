"""Boost against the simulator: the EV's switch, the wallbox's buttons and the refusals."""

from __future__ import annotations

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ev_charger_cloud.api import BoostRefusalReason, BoostRefusedError
from custom_components.ev_charger_cloud.entity import command_error
from simulator import Simulator
from simulator.podero.model import PoderoVehicle as SimVehicle, PoderoWallbox as SimWallbox
from tests.podero_helpers import HOME_EV as EV, HOME_WALLBOX as WALLBOX, USER_ID

from .conftest import advance, state_of
from .entity_helpers import press, turn

pytest_plugins = ["tests.podero_entry_fixtures"]

POLL = timedelta(minutes=5)


async def boost(hass: HomeAssistant, on: bool, entity_id: str = f"switch.{EV}_boost") -> None:
    await turn(hass, entity_id, on)


async def test_vehicle_boost_switch(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    podero_sim: Simulator,
    podero_ev: SimVehicle,
) -> None:
    """On a paused EV, on asks for a boost: requested at once, ongoing once the cloud starts it."""
    cloud = podero_sim.podero
    await turn(hass, f"switch.{EV}_charging", False)
    assert state_of(hass, f"switch.{EV}_boost") == STATE_OFF

    await boost(hass, True)
    assert cloud.state_json(podero_ev.id)["boost_state"] == "requested"
    assert state_of(hass, f"switch.{EV}_boost") == STATE_ON

    await advance(hass, freezer, POLL)
    assert cloud.vehicle_json(podero_ev.id)["boost_state"] == "ongoing"
    assert state_of(hass, f"switch.{EV}_boost") == STATE_ON

    # Off disarms a boost for the next session; the running one goes on until unplugged.
    await boost(hass, False)
    assert cloud.state_json(podero_ev.id)["boost_for_next_session"] is False
    cloud.unplug(podero_ev.id)
    await advance(hass, freezer, POLL)
    assert state_of(hass, f"switch.{EV}_boost") == STATE_OFF


@pytest.mark.usefixtures("entry")
async def test_wallbox_boost_buttons(
    hass: HomeAssistant, podero_sim: Simulator, home: tuple[SimWallbox, SimVehicle]
) -> None:
    """A wallbox without a car arms a boost for the next session; cancel disarms it."""
    cloud = podero_sim.podero
    wallbox, vehicle = home
    cloud.unplug(vehicle.id)

    await press(hass, f"button.{WALLBOX}_boost")
    assert cloud.state_json(wallbox.id)["boost_for_next_session"] is True

    await press(hass, f"button.{WALLBOX}_cancel_boost")
    assert cloud.state_json(wallbox.id)["boost_for_next_session"] is False


async def test_refusal_already_charging(
    hass: HomeAssistant, home: tuple[SimWallbox, SimVehicle], entry: MockConfigEntry
) -> None:
    """Power is flowing: boosting is refused with its own message."""
    with pytest.raises(HomeAssistantError) as err:
        await boost(hass, True)
    assert err.value.translation_key == "boost_already_charging"
    assert state_of(hass, f"switch.{EV}_boost") == STATE_OFF


@pytest.mark.usefixtures("entry")
async def test_refusal_internal_error(hass: HomeAssistant, podero_sim: Simulator) -> None:
    """The cloud's own failure: the internal error message, also for the wallbox button."""
    podero_sim.podero.settings.boost_internal_error = True
    with pytest.raises(HomeAssistantError) as err:
        await boost(hass, True)
    assert err.value.translation_key == "boost_internal_error"
    with pytest.raises(HomeAssistantError) as err:
        await press(hass, f"button.{WALLBOX}_boost")
    assert err.value.translation_key == "boost_internal_error"


async def test_refusal_no_session_and_full(
    hass: HomeAssistant,
    podero_sim: Simulator,
    home: tuple[SimWallbox, SimVehicle],
    entry: MockConfigEntry,
) -> None:
    """Not plugged in, then full: each refusal has its message."""
    cloud = podero_sim.podero
    full = cloud.add_vehicle(USER_ID, manufacturer="Tesla", model="Model 3", battery_level=100.0)
    cloud.unplug(home[1].id)
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()

    with pytest.raises(HomeAssistantError) as err:
        await boost(hass, True)
    assert err.value.translation_key == "boost_no_active_session"

    cloud.plug_in(full.id, home[0].id)
    with pytest.raises(HomeAssistantError) as err:
        await boost(hass, True, "switch.tesla_model_3_boost")
    assert err.value.translation_key == "boost_fully_charged"


def test_unknown_refusal_is_generic() -> None:
    """A reason the cloud adds later gets the generic boost message with its text."""
    error = command_error(
        BoostRefusedError("Boost refused: weather", reason=BoostRefusalReason.UNKNOWN)
    )
    assert error.translation_key == "boost_refused"
    assert error.translation_placeholders == {"error": "Boost refused: weather"}


@pytest.fixture
def wallbox_reports_boost(podero_sim: Simulator) -> None:
    """Podero's wallbox answers carry ``boost_state`` (the EV list's fields), as some do."""
    podero_sim.podero.settings.wallbox_boost_fields = True


async def test_wallbox_reporting_its_boost_gets_a_switch(
    hass: HomeAssistant,
    podero_sim: Simulator,
    home: tuple[SimWallbox, SimVehicle],
    wallbox_reports_boost: None,
    entry: MockConfigEntry,
) -> None:
    """A switch instead of the buttons; on asks for a boost, shown as requested at once."""
    assert hass.states.get(f"button.{WALLBOX}_boost") is None
    assert hass.states.get(f"button.{WALLBOX}_cancel_boost") is None
    await turn(hass, f"switch.{WALLBOX}_charging", False)
    assert state_of(hass, f"switch.{WALLBOX}_boost") == STATE_OFF

    await boost(hass, True, f"switch.{WALLBOX}_boost")

    assert podero_sim.podero.state_json(home[0].id)["boost_state"] == "requested"
    assert state_of(hass, f"switch.{WALLBOX}_boost") == STATE_ON
