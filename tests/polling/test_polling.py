"""Polling within the Wallbox budget, outages and recovery, token renewal."""

from __future__ import annotations

from datetime import timedelta
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
)

from simulator.faults import Fault
from tests.conftest import POLL, RunningSimulator, advance, state_of


@pytest.mark.usefixtures("init_integration")
async def test_one_status_read_per_poll_busy_charger_first(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
    wallbox_account: list[int],
) -> None:
    """Each poll reads one charger: the charging garage, while the idle office waits."""
    log = simulator.sim.requests
    log.clear()
    for _ in range(4):
        await advance(hass, freezer, POLL)
    reads = [r.path for r in log if r.method == "GET"]
    assert reads == [f"/wallbox/chargers/status/{wallbox_account[0]}"] * 4
    assert float(state_of(hass, "sensor.garage_session_energy")) > 0


async def test_update_entity_cannot_burst_past_the_budget(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A user hammering update_entity gets at most one read per minute."""
    await async_setup_component(hass, "homeassistant", {})
    log = simulator.sim.requests
    log.clear()
    for _ in range(5):
        await hass.services.async_call(
            "homeassistant",
            "update_entity",
            {"entity_id": "sensor.garage_charging_power"},
            blocking=True,
        )
        await advance(hass, freezer, timedelta(seconds=11))
    # 55 s after the setup reads: nothing may have been sent yet.
    assert log.count(method="GET") == 0
    await advance(hass, freezer, timedelta(seconds=6))
    await hass.services.async_call(
        "homeassistant",
        "update_entity",
        {"entity_id": "sensor.garage_charging_power"},
        blocking=True,
    )
    await hass.async_block_till_done()
    assert log.count(method="GET") == 1


@pytest.mark.parametrize(
    "fault",
    [
        Fault(status=500),
        Fault(status=503),
        Fault(malformed=True),
        Fault(status=403, method="GET"),
    ],
    ids=["500", "503", "malformed", "403-disguised-limit"],
)
async def test_outage_makes_entities_unavailable_and_they_recover(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
    fault: Fault,
) -> None:
    """A failing cloud turns every entity unavailable; the next good poll brings them back."""
    simulator.sim.wallbox.faults.add(fault)
    await advance(hass, freezer, POLL)
    for entity_id in ("sensor.garage_charging_power", "switch.garage_charging", "lock.office_lock"):
        assert state_of(hass, entity_id) == STATE_UNAVAILABLE, entity_id
    simulator.sim.wallbox.faults.clear()
    # A disguised limit backs off two intervals; others retry at the next poll.
    for _ in range(2):
        await advance(hass, freezer, POLL)
    assert state_of(hass, "sensor.garage_charging_power") == "3.68"
    assert state_of(hass, "lock.office_lock") == "unlocked"


async def test_timeout_at_setup_retries_later(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    wallbox_account: list[int],
    simulator: RunningSimulator,
) -> None:
    """A cloud that does not answer in time fails setup quickly; Home Assistant retries.

    Real time runs here (a frozen clock would stop the timeout too).
    """
    simulator.sim.wallbox.faults.add(Fault(delay=2, path="chargers/status"))
    with patch("custom_components.ev_charger_cloud.api.http.DEFAULT_TIMEOUT", 0.2):
        config_entry.add_to_hass(hass)
        assert not await hass.config_entries.async_setup(config_entry.entry_id)
    assert config_entry.state is ConfigEntryState.SETUP_RETRY
    assert "Timeout" in str(config_entry.reason)
    simulator.sim.wallbox.faults.clear()


async def test_rate_limit_honours_retry_after(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A 429 makes entities unavailable and the next read waits for Retry-After."""
    cloud = simulator.sim.wallbox
    cloud.settings.get_per_minute = 0.25  # one read per 4 minutes
    log = simulator.sim.requests
    await advance(hass, freezer, POLL)  # spends the last token of the burst
    await advance(hass, freezer, POLL)  # refused: Retry-After 80 s
    assert log.count(status=429) == 1
    assert state_of(hass, "sensor.garage_charging_power") == STATE_UNAVAILABLE
    log.clear()
    await advance(hass, freezer, timedelta(seconds=81))  # the Retry-After of 80 s
    assert log.count(method="GET") == 1
    assert log.count(status=429) == 0
    assert state_of(hass, "sensor.garage_charging_power") != STATE_UNAVAILABLE


async def test_tokens_are_refreshed_and_survive_a_restart(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Expiring tokens are refreshed, never re-signed-in; a reload reuses stored tokens."""
    log = simulator.sim.requests
    assert log.count(path_contains="users/signin") == 1
    first_token = init_integration.data["tokens"]["token"]
    # 23 polls = 30 min 40 s, two token lifetimes of the simulator.
    for _ in range(23):
        await advance(hass, freezer, POLL)
    assert log.count(path_contains="users/refresh-token") == 2
    assert log.count(status=401) == 0
    assert init_integration.data["tokens"]["token"] != first_token
    assert state_of(hass, "sensor.garage_charging_power") != STATE_UNAVAILABLE

    assert await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()
    assert log.count(path_contains="users/signin") == 1
    assert log.count(path_contains="users/refresh-token") == 2


async def test_revoked_tokens_lead_to_a_new_sign_in(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A token the cloud stopped accepting is replaced without the user noticing."""
    simulator.sim.wallbox.revoke_tokens(init_integration.data["email"])
    await advance(hass, freezer, POLL)
    log = simulator.sim.requests
    assert log.count(status=401) >= 1
    assert log.count(path_contains="users/signin") == 2
    assert state_of(hass, "sensor.garage_charging_power") == "3.68"


async def test_changed_password_starts_reauth(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """When the cloud refuses the password the user is asked to sign in again."""
    cloud = simulator.sim.wallbox
    cloud.account(init_integration.data["email"]).password = "changed"
    cloud.revoke_tokens(init_integration.data["email"])
    await advance(hass, freezer, POLL)
    flows = hass.config_entries.flow.async_progress()
    assert [flow["context"]["source"] for flow in flows] == ["reauth"]
    assert flows[0]["step_id"] == "reauth_confirm"
    assert state_of(hass, "sensor.garage_charging_power") == STATE_UNAVAILABLE


async def test_large_account_starts_within_budget_and_fills_in(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: RunningSimulator,
    config_entry: MockConfigEntry,
) -> None:
    """Five chargers: setup lists and reads what the burst allows, the rest follow, no 429.

    The cloud took one more read than the budget assumed: the burst it learned is larger.
    """
    cloud = simulator.sim.wallbox
    cloud.add_account("driver@example.com", "correct horse battery staple", user_id=4242)
    for index in range(5):
        cloud.add_charger("driver@example.com", name=f"Bay {index}")
    config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    present = lambda: {  # noqa: E731
        i for i in range(5) if hass.states.get(f"sensor.bay_{i}_status") is not None
    }
    assert present() == {0, 1}  # the discovery and two reads: the assumed burst of 3
    coordinator = config_entry.runtime_data.coordinator
    assert coordinator.read_burst == 3
    for expected in ({0, 1, 2, 3}, {0, 1, 2, 3, 4}):
        await advance(hass, freezer, POLL)
        assert present() == expected
    assert simulator.sim.requests.count(status=429) == 0
    assert coordinator.read_burst == 4


async def test_chargers_added_and_removed_in_the_cloud(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
    wallbox_account: list[int],
    device_registry: dr.DeviceRegistry,
) -> None:
    """Rediscovery adds a new charger; a vanished one goes unavailable and can be removed."""
    cloud = simulator.sim.wallbox
    cloud.add_charger("driver@example.com", name="Carport")
    await advance(hass, freezer, timedelta(hours=1))  # rediscovery is due; the new one is read
    assert state_of(hass, "sensor.carport_status") == "ready"
    assert init_integration.data["chargers"] == [str(i) for i in (*wallbox_account, 100003)]

    # The office charger disappears from the account: its read answers 404.
    cloud.account("driver@example.com").charger_ids.remove(wallbox_account[1])
    cloud.charger(wallbox_account[1]).owner_email = "new-owner@example.com"
    await advance(hass, freezer, timedelta(minutes=16))  # the idle office is due: 404
    await advance(hass, freezer, POLL)  # discovery: it is gone
    assert state_of(hass, "sensor.office_status") == STATE_UNAVAILABLE
    office = device_registry.async_get_device_by_identifier(
        ("ev_charger_cloud", f"wallbox_{wallbox_account[1]}"), init_integration.entry_id
    )
    garage = device_registry.async_get_device_by_identifier(
        ("ev_charger_cloud", f"wallbox_{wallbox_account[0]}"), init_integration.entry_id
    )
    assert office is not None
    assert garage is not None
    assert await async_setup_component(hass, "config", {})
    integration = init_integration.runtime_data
    from custom_components.ev_charger_cloud import async_remove_config_entry_device

    assert await async_remove_config_entry_device(hass, init_integration, office)
    assert not await async_remove_config_entry_device(hass, init_integration, garage)
    assert integration.coordinator.device_ids == [str(wallbox_account[0]), "100003"]


async def test_hourly_rediscovery_costs_one_read(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Every hour one poll also lists the chargers; nothing else changes."""
    log = simulator.sim.requests
    for _ in range(39):  # 58 min 30 s
        await advance(hass, freezer, POLL)
    log.clear()
    await advance(hass, freezer, POLL)
    reads = [r.path for r in log if r.method == "GET" and "/users/" not in r.path]
    # The budget has room: the charging garage keeps its read.
    assert reads == ["/wallbox/v3/chargers/groups", "/wallbox/chargers/status/100001"]
    assert init_integration.data["chargers"] == ["100001", "100002"]


async def test_unload_with_a_follow_up_read_pending(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Unloading right after a command cancels its follow-up read."""
    await hass.services.async_call(
        "switch", "turn_off", {"entity_id": "switch.garage_charging"}, blocking=True
    )
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    simulator.sim.requests.clear()
    await advance(hass, freezer, timedelta(minutes=5))
    assert len(simulator.sim.requests) == 0
