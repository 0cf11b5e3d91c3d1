"""A Thor account whose API the dashboard switched off: a repair says what to change."""

from __future__ import annotations

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ev_charger_cloud.const import DOMAIN
from simulator import Simulator
from tests.thor_entry_fixtures import API_KEY

from .conftest import advance, state_of

pytest_plugins = ["tests.thor_entry_fixtures"]

MINUTE = timedelta(minutes=1)
STATUS = "sensor.garage_status"


def issues(hass: HomeAssistant) -> list[ir.IssueEntry]:
    return [issue for (domain, _), issue in ir.async_get(hass).issues.items() if domain == DOMAIN]


def refuse(sim: Simulator, reason: str) -> None:
    if reason == "rest_api_disabled":
        sim.thor.set_rest_api_enabled(API_KEY, False)
    else:
        sim.thor.set_source_ip(API_KEY, "203.0.113.7")


def allow(sim: Simulator) -> None:
    sim.thor.set_rest_api_enabled(API_KEY, True)
    sim.thor.set_source_ip(API_KEY, None)


@pytest.mark.parametrize("reason", ["rest_api_disabled", "ip_not_allowed"])
async def test_repair_appears_polling_slows_and_it_clears(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    thor_entry_sim: Simulator,
    thor_entry: MockConfigEntry,
    reason: str,
) -> None:
    """Unavailable with a repair naming the setting; read every 10 min; back by itself."""
    refuse(thor_entry_sim, reason)
    await advance(hass, freezer, MINUTE)

    (issue,) = issues(hass)
    assert issue.translation_key == reason
    assert issue.translation_placeholders == {"account": thor_entry.title}
    assert issue.severity is ir.IssueSeverity.ERROR
    assert state_of(hass, STATUS) == STATE_UNAVAILABLE
    assert thor_entry.state.recoverable  # no reauth: the key is fine

    # Slowly: nothing for 9 minutes, then one look.
    thor_entry_sim.requests.clear()
    await advance(hass, freezer, MINUTE, times=9)
    assert thor_entry_sim.requests.count(provider="thor") == 0
    allow(thor_entry_sim)
    await advance(hass, freezer, MINUTE)

    assert issues(hass) == []
    assert state_of(hass, STATUS) == "charging"
    # Back to the regular pace.
    thor_entry_sim.requests.clear()
    await advance(hass, freezer, MINUTE)
    assert thor_entry_sim.requests.count(provider="thor") >= 2


async def test_repair_left_from_before_a_restart_clears(
    hass: HomeAssistant, thor_entry_sim: Simulator, thor_entry: MockConfigEntry
) -> None:
    """An issue raised before a restart goes with the first answer after it."""
    ir.async_create_issue(
        hass,
        DOMAIN,
        f"service_disabled_{thor_entry.entry_id}",
        is_fixable=False,
        severity=ir.IssueSeverity.ERROR,
        translation_key="rest_api_disabled",
        translation_placeholders={"account": thor_entry.title},
    )
    assert await hass.config_entries.async_reload(thor_entry.entry_id)
    await hass.async_block_till_done()
    assert issues(hass) == []


async def test_a_wrong_key_starts_reauthentication(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    thor_entry_sim: Simulator,
    thor_entry: MockConfigEntry,
) -> None:
    """Only APIKeyNotFound asks for a new key, once refused for 15 minutes."""
    thor_entry_sim.thor.renew_key(API_KEY, "a-new-key")  # someone made a new key on the dashboard
    await advance(hass, freezer, MINUTE)
    assert hass.config_entries.flow.async_progress_by_handler(DOMAIN) == []  # a glitch, so far
    await advance(hass, freezer, MINUTE, times=15)

    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == ["reauth"]
    assert issues(hass) == []
