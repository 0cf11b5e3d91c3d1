"""Setting up and unloading an account against the simulator."""

from __future__ import annotations

from datetime import timedelta
import logging

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ev_charger_cloud.const import DOMAIN

from .conftest import RunningSimulator, advance, state_of


async def test_setup_creates_a_device_per_charger(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    wallbox_account: list[int],
    device_registry: dr.DeviceRegistry,
) -> None:
    """Each charger of the account becomes a device with its model, serial and firmware."""
    assert init_integration.state is ConfigEntryState.LOADED
    devices = dr.async_entries_for_config_entry(device_registry, init_integration.entry_id)
    assert sorted(d.name for d in devices if d.name) == ["Garage", "Office"]
    garage = device_registry.async_get_device_by_identifier(
        (DOMAIN, f"wallbox_{wallbox_account[0]}"), init_integration.entry_id
    )
    assert garage is not None
    assert (garage.manufacturer, garage.model, garage.model_id) == (
        "Wallbox",
        "Pulsar Plus",
        "PLP1-M-2-4-9-002-F",
    )
    assert garage.serial_number == str(wallbox_account[0])
    assert garage.sw_version == "5.17.59"
    office = device_registry.async_get_device_by_identifier(
        (DOMAIN, f"wallbox_{wallbox_account[1]}"), init_integration.entry_id
    )
    assert office is not None
    assert office.model == "Copper C"


async def test_setup_sends_no_sign_in_with_stored_tokens(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Setup signs in once and keeps the tokens and chargers; a reload reuses both."""
    log = simulator.sim.requests
    assert log.count(path_contains="users/signin") == 1
    assert init_integration.data["chargers"] == ["100001", "100002"]
    assert set(init_integration.data["tokens"]) == {
        "token",
        "expires_at",
        "refresh_token",
        "refresh_expires_at",
        "user_id",
    }
    log.clear()
    freezer.tick(timedelta(minutes=2))  # the account's read budget refills meanwhile
    assert await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()
    # Known chargers: no discovery, no sign-in, just one read per charger.
    assert [(r.method, r.path) for r in log] == [
        ("GET", "/wallbox/chargers/status/100001"),
        ("GET", "/wallbox/chargers/status/100002"),
    ]


async def test_quick_reload_starts_with_what_the_budget_allows(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A reload right after setup hits the limit on its second read and still loads."""
    log = simulator.sim.requests
    log.clear()
    assert await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()
    assert [r.status for r in log] == [200, 429]
    assert init_integration.state is ConfigEntryState.LOADED
    assert state_of(hass, "sensor.garage_status") == "charging"
    # The office was known before: its restored entity waits for the next poll.
    assert state_of(hass, "sensor.office_status") == STATE_UNAVAILABLE
    await advance(hass, freezer)
    assert state_of(hass, "sensor.office_status") == "ready"


async def test_unload(hass: HomeAssistant, init_integration: MockConfigEntry) -> None:
    """Unloading removes the entities' live state and stops polling."""
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()
    assert init_integration.state is ConfigEntryState.NOT_LOADED
    assert state_of(hass, "sensor.garage_charging_power") == STATE_UNAVAILABLE


async def test_bad_credentials_at_setup_start_reauth(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    wallbox_account: list[int],
    simulator: RunningSimulator,
) -> None:
    """A password changed elsewhere fails setup with a reauth request, not a retry loop."""
    simulator.sim.wallbox.account(config_entry.data["email"]).password = "changed"
    config_entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(config_entry.entry_id)
    assert config_entry.state is ConfigEntryState.SETUP_ERROR
    flows = hass.config_entries.flow.async_progress()
    assert [flow["context"]["source"] for flow in flows] == ["reauth"]


async def test_no_secret_in_debug_logs(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    wallbox_account: list[int],
    simulator: RunningSimulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Even at debug level the password and tokens never reach the log."""
    caplog.set_level(logging.DEBUG)
    config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    await hass.services.async_call("lock", "lock", {"entity_id": "lock.garage_lock"}, blocking=True)
    tokens = config_entry.data["tokens"]
    assert "GET http://127.0.0.1" in caplog.text  # requests are logged ...
    for secret in (config_entry.data["password"], tokens["token"], tokens["refresh_token"]):
        assert secret not in caplog.text  # ... their credentials are not
