"""A Podero entry set up in Home Assistant: its wallbox and EVs become devices with entities.

The entry is made directly (as the config flow will store it): client credentials,
organisation, user, the simulator's URL and a stored token.
"""

from __future__ import annotations

from datetime import timedelta
import json

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.diagnostics import REDACTED
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.ev_charger_cloud.const import (
    CONF_DEVICE_IDS,
    CONF_TOKENS,
    DOMAIN,
)
from simulator import Simulator
from simulator.podero.model import PoderoVehicle as SimVehicle, PoderoWallbox as SimWallbox
from tests.podero_helpers import ACCOUNT, CLIENT_ID, CLIENT_SECRET, ORG_ID, USER_ID

from .conftest import advance, device_of, state_of
from .entity_helpers import turn

pytest_plugins = ["tests.podero_entry_fixtures"]

POLL = timedelta(minutes=5)


@pytest.fixture
def garage(home: tuple[SimWallbox, SimVehicle], entry: MockConfigEntry) -> SimWallbox:
    """A Podero entry whose user has a wallbox charging an ID.4; set up."""
    return home[0]


async def test_devices_and_entities(
    hass: HomeAssistant, podero_sim: Simulator, garage: SimWallbox, entry: MockConfigEntry
) -> None:
    """Setup reads both lists and the charging config once; the devices show their values."""
    assert podero_sim.requests.count(provider="podero") == 3
    assert state_of(hass, "sensor.garage_charging_power") == "11.0"
    assert state_of(hass, "sensor.garage_status") == "charging"
    assert state_of(hass, "switch.garage_charging") == "on"
    assert state_of(hass, "sensor.volkswagen_id_4_battery_level") == "40.0"
    assert state_of(hass, "sensor.volkswagen_id_4_driving_range") == "180.0"
    device = device_of(hass, entry, f"podero_{garage.id}")
    assert (device.manufacturer, device.model, device.sw_version) == (
        "Wallbox",
        "Pulsar Plus",
        "1.8.2",
    )


async def test_pause_from_the_switch(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    podero_sim: Simulator,
    garage: SimWallbox,
) -> None:
    """Turning the switch off pauses the wallbox; the answer is shown without another read."""
    podero_sim.requests.clear()
    await turn(hass, "switch.garage_charging", False, settle=False)
    assert garage.pause_power_until is not None
    assert state_of(hass, "switch.garage_charging") == "off"
    assert state_of(hass, "sensor.garage_status") == "paused"
    await advance(hass, freezer, timedelta(seconds=60))
    assert [r.method for r in podero_sim.requests] == ["PUT"]


async def test_new_and_gone_devices(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    podero_sim: Simulator,
    garage: SimWallbox,
    entry: MockConfigEntry,
) -> None:
    """A vehicle added in the cloud gets entities at the next poll; a gone one is unavailable."""
    podero_sim.requests.clear()
    car = podero_sim.podero.add_vehicle(USER_ID, manufacturer="Tesla", model="Model 3")

    await advance(hass, freezer, POLL)

    assert podero_sim.requests.count(provider="podero") == 3
    assert state_of(hass, "sensor.tesla_model_3_battery_level") == "50.0"
    assert car.id in entry.data[CONF_DEVICE_IDS]

    podero_sim.podero.user(USER_ID).wallbox_ids.remove(garage.id)
    await advance(hass, freezer, POLL)

    assert state_of(hass, "sensor.garage_charging_power") == STATE_UNAVAILABLE
    assert state_of(hass, "sensor.tesla_model_3_battery_level") == "50.0"
    assert garage.id not in entry.data[CONF_DEVICE_IDS]


async def test_diagnostics_show_no_comment_text(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    freezer: FrozenDateTimeFactory,
    podero_sim: Simulator,
    garage: SimWallbox,
) -> None:
    """A device is named by its comment, free text the partner wrote: no part of it in a dump.

    Neither the raw answer (the comment is left out) nor the devices (the name is
    the device's pseudonym) show it; the make and model, no personal data, stay.
    """
    user = podero_sim.podero.user(USER_ID)
    car = podero_sim.podero.vehicle(user.vehicle_ids[0])
    garage.comment = "  Anna Musterfrau, Hauptstr. 5  "
    car.comment = "Annas Tesla (Kennzeichen M-AB 123)"
    await advance(hass, freezer, POLL)
    entry = hass.config_entries.async_entries(DOMAIN)[0]
    coordinator = entry.runtime_data.coordinator
    assert coordinator.data[garage.id].name == "Anna Musterfrau, Hauptstr. 5"

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    text = json.dumps(diagnostics)
    for part in ("Anna", "Musterfrau", "Hauptstr", "Annas Tesla", "M-AB 123"):
        assert part not in text, part
    devices = diagnostics["devices"]
    for pseudonym, dump in devices.items():
        assert dump["name"] == pseudonym
    raw = diagnostics["cloud"]["devices"]
    assert all("comment" not in device for device in raw.values())
    assert {device["model"] for device in raw.values()} >= {garage.model}


async def test_diagnostics_hide_the_client_secret(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    podero_sim: Simulator,
    garage: SimWallbox,
) -> None:
    """Credentials, owner and location are redacted, ids pseudonymised; the state is kept."""
    entry = hass.config_entries.async_entries(DOMAIN)[0]
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)

    data = diagnostics["entry"]["data"]
    for key in ("client_id", "client_secret", CONF_TOKENS):
        assert data[key] == REDACTED, key
    assert data["org_id"] == "org_1"
    assert data["user_id"] == "user_1"
    devices = diagnostics["devices"]
    kinds = {dump["kind"]: pseudonym for pseudonym, dump in devices.items()}
    assert set(kinds) == {"charger", "vehicle", "account"}
    wallbox, vehicle = kinds["charger"], kinds["vehicle"]
    assert (wallbox, vehicle, kinds["account"]) == ("charger_1", "vehicle_1", "account_1")
    assert sorted(data[CONF_DEVICE_IDS]) == sorted(devices)
    raw = diagnostics["cloud"]["devices"]
    assert set(raw) == {wallbox, vehicle}
    assert raw[wallbox]["id"] == devices[wallbox]["device_id"] == wallbox
    assert raw[vehicle]["id"] == devices[vehicle]["device_id"] == vehicle
    assert raw[wallbox]["mode"] == "CHARGING"

    user = podero_sim.podero.user(USER_ID)
    sim_vehicle = podero_sim.podero.vehicle(user.vehicle_ids[0])
    personal = (
        CLIENT_ID,
        CLIENT_SECRET,
        ORG_ID,
        USER_ID,
        ACCOUNT,
        garage.id,
        sim_vehicle.id,
        user.email,
        user.first_name,
        user.last_name,
        str(garage.latitude),
        str(garage.longitude),
        str(sim_vehicle.latitude),
        str(sim_vehicle.longitude),
    )
    text = json.dumps(diagnostics)
    for secret in personal:
        assert secret not in text, secret
    for device in raw.values():
        assert device.get("latitude") in (None, REDACTED)
