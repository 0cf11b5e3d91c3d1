"""How many requests one Podero user sends to the Podero cloud at the default settings.

Prints numbers; asserts only what cannot depend on timing. Run with `scripts/benchmark`.
"""

from __future__ import annotations

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ev_charger_cloud.const import CONF_API_URL, CONF_PROVIDER, DOMAIN
from simulator import Simulator
from simulator.requestlog import RequestLog
from tests.podero_helpers import CLIENT_ID, CLIENT_SECRET, ORG_ID, USER_ID

from .simday import busiest_minute, run_day

pytest_plugins = ["tests.podero_fixtures"]

STEP = timedelta(seconds=60)


@pytest.fixture
async def podero_entry(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, podero_sim: Simulator, podero_url: str
) -> MockConfigEntry:
    """One wallbox charging one EV, a second EV away; set up fresh (no stored token)."""
    cloud = podero_sim.podero
    wallbox = cloud.add_wallbox(USER_ID, name="Garage")
    cloud.plug_in(cloud.add_vehicle(USER_ID, battery_level=40.0).id, wallbox.id)
    cloud.add_vehicle(USER_ID, manufacturer="Tesla", model="Model 3")
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Jane Driver",
        unique_id=f"{ORG_ID}_{USER_ID}",
        data={
            CONF_PROVIDER: "podero",
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "org_id": ORG_ID,
            "user_id": USER_ID,
            CONF_API_URL: podero_url,
        },
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


def by_kind(log: RequestLog) -> dict[str, int]:
    """Podero requests by kind."""
    kinds = {
        "token": log.count(provider="podero", path_contains="oauth2/token"),
        "GET wallboxes": log.count(provider="podero", method="GET", path_contains="/wallboxes"),
        "GET EVs": log.count(provider="podero", method="GET", path_contains="/electric-vehicles"),
        "GET charging-config": log.count(
            provider="podero", method="GET", path_contains="/charging-config"
        ),
    }
    return kinds | {"other": log.count(provider="podero") - sum(kinds.values())}


async def test_requests_per_hour_and_day(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    podero_sim: Simulator,
    podero_entry: MockConfigEntry,
) -> None:
    """Count requests by kind over setup, one simulated hour and one simulated day."""
    log = podero_sim.requests
    setup = by_kind(log)
    log.clear()

    hour = await run_day(hass, freezer, STEP, lambda: by_kind(log))

    day = by_kind(log)
    throttled = log.count(status=429)
    data_gets = [r for r in log if r.method == "GET"]
    interval = podero_entry.runtime_data.coordinator.update_interval
    print(
        f"\nPodero, 1 wallbox + 2 EVs: setup {setup}; first hour {hour}; "
        f"first day {day} ({len(log)} in all); 429s: {throttled}; "
        f"most requests in any 60 s window: {busiest_minute(log)}; "
        f"data read every {interval.total_seconds():.0f} s"
    )
    assert throttled == 0
    assert setup["token"] == 1
    assert busiest_minute(data_gets) <= 3


async def test_restart(
    hass: HomeAssistant, podero_sim: Simulator, podero_entry: MockConfigEntry
) -> None:
    """A reload reuses the token kept with the entry."""
    podero_sim.requests.clear()
    assert await hass.config_entries.async_reload(podero_entry.entry_id)
    await hass.async_block_till_done()
    restart = by_kind(podero_sim.requests)
    print(f"\nPodero restart (reload): {restart}")
    assert restart["token"] == 0
