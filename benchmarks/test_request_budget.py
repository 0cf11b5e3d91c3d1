"""How many requests one account sends to the Wallbox cloud at the default settings.

Prints numbers; asserts nothing about them (that is what the tests are for).
Run with `scripts/benchmark`.
"""

from __future__ import annotations

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from simulator.wallbox.model import Car
from tests.conftest import EMAIL, PASSWORD, RunningSimulator

from .simday import busiest_minute, run_day

STEP = timedelta(seconds=15)


@pytest.mark.parametrize("chargers", [1, 3, 10])
async def test_requests_per_hour_and_day(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: RunningSimulator,
    config_entry: MockConfigEntry,
    chargers: int,
) -> None:
    """Count requests by kind over one simulated hour and one simulated day."""
    cloud = simulator.sim.wallbox
    cloud.add_account(EMAIL, PASSWORD, user_id=4242)
    for index in range(chargers):
        charger = cloud.add_charger(EMAIL, name=f"Charger {index}", eco_smart=True)
        cloud.plug_in(charger.id, Car())
    config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    log = simulator.sim.requests
    setup = len(log)
    log.clear()

    hour = await run_day(
        hass,
        freezer,
        STEP,
        lambda: {
            "GET status": log.count(method="GET", path_contains="chargers/status"),
            "GET groups": log.count(method="GET", path_contains="chargers/groups"),
            "all": len(log),
        },
    )
    day = {
        "signin": log.count(path_contains="users/signin"),
        "refresh": log.count(path_contains="users/refresh-token"),
        "GET": log.count(method="GET") - log.count(path_contains="users/"),
        "429": log.count(status=429),
        "all": len(log),
    }
    max_in_a_minute = busiest_minute(r for r in log if r.method == "GET" and "users/" not in r.path)
    print(
        f"\n{chargers} charger(s): setup sent {setup} requests; "
        f"first hour {hour}; first day {day}; "
        f"most data GETs in any 60 s window: {max_in_a_minute}"
    )
