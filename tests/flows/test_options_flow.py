"""Options: Podero's pause length; clouds without settings offer no options."""

from __future__ import annotations

import time

from homeassistant.const import ATTR_ENTITY_ID, SERVICE_TURN_OFF
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ev_charger_cloud.config_flow import EVChargerCloudConfigFlow
from custom_components.ev_charger_cloud.const import CONF_PAUSE_MINUTES
from simulator import Simulator
from simulator.podero.model import PoderoVehicle as SimVehicle, PoderoWallbox as SimWallbox

pytest_plugins = ["tests.podero_entry_fixtures"]


async def pause(hass: HomeAssistant) -> None:
    await hass.services.async_call(
        "switch", SERVICE_TURN_OFF, {ATTR_ENTITY_ID: "switch.garage_charging"}, blocking=True
    )
    await hass.async_block_till_done()


async def test_pause_length_is_an_option(
    hass: HomeAssistant,
    podero_sim: Simulator,
    home: tuple[SimWallbox, SimVehicle],
    entry: MockConfigEntry,
) -> None:
    """Default 2 h; after choosing 45 min the entry reloads and a pause lasts 45 min."""
    form = await hass.config_entries.options.async_init(entry.entry_id)
    assert form["type"] is FlowResultType.FORM
    (field,) = form["data_schema"].schema
    assert (str(field), field.default()) == (CONF_PAUSE_MINUTES, 120)

    result = await hass.config_entries.options.async_configure(
        form["flow_id"], {CONF_PAUSE_MINUTES: 45.0}
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options == {CONF_PAUSE_MINUTES: 45}
    await pause(hass)
    until = home[0].pause_power_until
    assert until is not None
    assert until == pytest.approx(time.time() + 45 * 60, abs=5)


async def test_form_shows_the_current_length(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    hass.config_entries.async_update_entry(entry, options={CONF_PAUSE_MINUTES: 90})
    form = await hass.config_entries.options.async_init(entry.entry_id)
    (field,) = form["data_schema"].schema
    assert field.default() == 90


def test_wallbox_entries_have_no_options() -> None:
    """Wallbox pauses until resumed: nothing to set."""
    wallbox = MockConfigEntry(domain="ev_charger_cloud", data={"provider": "wallbox"})
    podero = MockConfigEntry(domain="ev_charger_cloud", data={"provider": "podero"})
    assert not EVChargerCloudConfigFlow.async_supports_options_flow(wallbox)
    assert EVChargerCloudConfigFlow.async_supports_options_flow(podero)
