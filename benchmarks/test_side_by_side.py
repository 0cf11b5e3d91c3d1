"""Home Assistant core's `wallbox` integration beside ours, on identical simulated accounts.

For 1 charger and for 3 (one charging, one with a full car, one without a car), both
integrations run in the same Home Assistant for 6 simulated hours, each against its own
simulator (own account and rate-limit bucket, so neither eats the other's budget) at the
simulator's default Wallbox limits. Both clouds get the same scripted changes at the same
moments. Then our Podero and Thor requests per hour over the same 6 h.

Prints one Markdown table (also written to benchmarks/results/side_by_side.md) and
asserts only that the harness worked. Needs requirements_benchmark.txt (wallbox==0.9.0);
run with `scripts/benchmark benchmarks/test_side_by_side.py`.
"""

from __future__ import annotations

from collections.abc import Iterator
import contextlib
from datetime import timedelta
from pathlib import Path
import time
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ev_charger_cloud.const import CONF_API_URL, CONF_PROVIDER, DOMAIN
from simulator import Simulator
from simulator.testing import SimulatorServer
from simulator.thor.demo import DEMO_API_KEY, seed_thor_demo
from tests.conftest import advance
from tests.podero_helpers import CLIENT_ID, CLIENT_SECRET, EMAIL, ORG_ID, USER_ID

from .side_by_side import LogCounter, Run, power_script, start_sides, unload_all
from .side_by_side_metrics import (
    MINUTE,
    new_charger,
    outage_recovery,
    power_change_delays,
    quick_values,
    refusals,
    requests_by_kind,
    requests_per_hour,
    resume_after_cloud_pause,
    wrong_share,
)
from .side_by_side_report import Column, format_report

HOUR = 3600.0
HOURS = 6
END = HOURS * HOUR
SEED = 20261122
# The scripted events, in seconds after setup. Power changes keep out of their windows.
QUICK_AT = 1 * HOUR
PAUSE_AT = 2 * HOUR
OUTAGE_AT = 3 * HOUR
NEW_CHARGER_AT = 4 * HOUR
NEW_CHARGER_DEADLINE = 5.5 * HOUR
QUIET_WINDOWS = (
    (QUICK_AT - MINUTE, QUICK_AT + 15 * MINUTE),
    (PAUSE_AT - MINUTE, PAUSE_AT + 50 * MINUTE),
    (OUTAGE_AT - MINUTE, OUTAGE_AT + 45 * MINUTE),
)
OTHER_STEP = timedelta(minutes=1)
RESULTS_FILE = Path(__file__).parent / "results" / "side_by_side.md"


@pytest.fixture(scope="module")
def results() -> Iterator[dict[Any, Any]]:
    """What the tests measured; printed as one table (and written to a file) at the end."""
    collected: dict[Any, Any] = {}
    started = time.clock_gettime(time.CLOCK_MONOTONIC)
    yield collected
    table = format_report(collected, HOURS)
    print("\n\n" + table)
    print(f"\n(wall time of this file: {time.clock_gettime(time.CLOCK_MONOTONIC) - started:.0f} s)")
    RESULTS_FILE.parent.mkdir(exist_ok=True)
    RESULTS_FILE.write_text(table + "\n", encoding="utf-8")


@pytest.mark.parametrize("chargers", [1, 3])
async def test_side_by_side(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    socket_enabled: None,
    results: dict[Any, Any],
    chargers: int,
) -> None:
    """Both integrations for 6 simulated hours, with the scripted events in between."""
    align_clock(freezer)
    async with contextlib.AsyncExitStack() as stack:
        logs = stack.enter_context(LogCounter().attached())
        sides = await start_sides(hass, stack, chargers)
        for side in sides:
            for kind in ("power", "switch", "current"):
                assert side.entity_id(hass, kind, side.charging), f"{side.label}: no {kind}"
        run = Run(hass, freezer, sides, power_script(SEED, END, QUIET_WINDOWS))
        run.sample()
        await run.until(QUICK_AT)
        quick = await quick_values(run, SEED)
        await run.until(PAUSE_AT)
        resume = await resume_after_cloud_pause(run)
        await run.until(OUTAGE_AT)
        outage = await outage_recovery(run)
        await run.until(NEW_CHARGER_AT)
        added = await new_charger(run, NEW_CHARGER_DEADLINE)
        await run.until(END)
        for side in sides:
            assert len(side.samples) > END / 5 * 0.9, "the power was sampled every 5 s"
            assert abs(side.sim.clock.now() - time.time()) < 1e-3, "the cloud follows HA's clock"
            results[side.label, chargers] = Column(
                requests_per_hour=requests_per_hour(side, HOURS),
                requests_by_kind=requests_by_kind(side),
                refusals=refusals(side, run.epoch(outage[side.label].span)),
                delays=power_change_delays(side.samples, run.applied, END),
                wrong_share=wrong_share(side.samples),
                resume=resume[side.label],
                outage=outage[side.label],
                quick=quick[side.label],
                new_charger=added[side.label],
                logged=logs.of(side.label),
            )
        await unload_all(hass, sides)


def align_clock(freezer: FrozenDateTimeFactory) -> None:
    """Start on the next full hour, so runs are repeatable (token expiry, poll phases)."""
    now = dt_util.utcnow()
    freezer.move_to((now + timedelta(hours=1)).replace(minute=0, second=0, microsecond=0))


async def run_hours(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Let the polls of 6 hours run, a minute at a time."""
    for _ in range(int(END / OTHER_STEP.total_seconds())):
        await advance(hass, freezer, OTHER_STEP)


async def test_podero_requests(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    socket_enabled: None,
    results: dict[Any, Any],
) -> None:
    """Our Podero entry: one wallbox charging one EV, a second EV away."""
    align_clock(freezer)
    sim = Simulator()
    cloud = sim.podero
    cloud.add_org(CLIENT_ID, CLIENT_SECRET, org_id=ORG_ID)
    cloud.add_user(ORG_ID, EMAIL, first_name="Jane", last_name="Driver", user_id=USER_ID)
    wallbox = cloud.add_wallbox(USER_ID, name="Garage")
    cloud.plug_in(cloud.add_vehicle(USER_ID, battery_level=40.0).id, wallbox.id)
    cloud.add_vehicle(USER_ID, manufacturer="Tesla", model="Model 3")
    async with SimulatorServer(sim) as server:
        entry = await setup_ours(
            hass,
            {
                CONF_PROVIDER: "podero",
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "org_id": ORG_ID,
                "user_id": USER_ID,
                CONF_API_URL: server.podero_url,
            },
        )
        await run_hours(hass, freezer)
        assert sim.requests.count(method="GET") > HOURS, "the Podero entry polled"
        results["podero"] = len(sim.requests) / HOURS, sim.requests.count(status=429)
        await hass.config_entries.async_unload(entry.entry_id)


async def test_thor_requests(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    socket_enabled: None,
    results: dict[Any, Any],
) -> None:
    """Our Thor entry: the simulator's demo account (3 boxes, 4 connectors, history)."""
    align_clock(freezer)
    sim = Simulator()
    seed_thor_demo(sim.thor)
    async with SimulatorServer(sim) as server:
        entry = await setup_ours(
            hass,
            {
                CONF_PROVIDER: "thor",
                "api_key": DEMO_API_KEY,
                CONF_API_URL: f"{server.base_url}/thor/latest/integration",
            },
        )
        await run_hours(hass, freezer)
        assert sim.requests.count(method="GET") > HOURS, "the Thor entry polled"
        results["thor"] = len(sim.requests) / HOURS, sim.requests.count(status=429)
        await hass.config_entries.async_unload(entry.entry_id)


async def setup_ours(hass: HomeAssistant, data: dict[str, Any]) -> MockConfigEntry:
    """Add and set up one entry of ours."""
    entry = MockConfigEntry(domain=DOMAIN, title="benchmark", data=data)
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry
