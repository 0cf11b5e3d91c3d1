"""How the Thor provider scales: 50, 100 and 500 chargeboxes of two connectors each.

The real integration (a config entry set up through hass.config_entries) against the
simulator's Thor cloud. For each size it prints requests per refresh and per hour,
wall and CPU time of a refresh, memory, setup time, the number of entities and how
many states one refresh changes; then one Markdown table and the demo account's
requests per hour. At 500 boxes it also prints cProfile's top functions of a refresh.

Prints numbers; asserts only what cannot depend on timing (request counts, no state
written when nothing changed). Run with `scripts/benchmark benchmarks/test_thor_scale.py`.

Time: Home Assistant's frozen clock moves only when told. Refreshes run by hand are
30 s of frozen time apart (more than the poll plan's 20 s minimum spacing, less than
the 60 s interval, so no scheduled poll runs in between); wall time is read from
CLOCK_MONOTONIC, which freezegun leaves alone, CPU time from time.process_time. The
simulator serves in the same process, so CPU time includes its side of the requests.

"Nothing changed" comes in two kinds. The simulator answers a connected box's last
heartbeat as the time of the read (a box that is online has just sent one), so 30 s
later every box's heartbeat has moved while nothing else has: that is the steady
state, measured with the clock moved. A refresh without moving the clock gets the
very same answer from the cloud: there, no entity may be written at all.
"""

from __future__ import annotations

from collections.abc import Iterator
import cProfile
import io
import pstats
import statistics
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest

from custom_components.ev_charger_cloud.api.thor.cloud import ThorCloud
from simulator import Simulator
from simulator.thor.demo import DEMO_API_KEY, seed_thor_demo

from .thor_scale import (
    POLL_STEP,
    REFRESH_STEP,
    Measured,
    StateCounter,
    ThorSetup,
    by_kind,
    cpu_now,
    format_table,
    per_hour,
    rss_bytes,
    wall_now,
)

SIZES = (50, 100, 500)
CONNECTORS = 2
API_KEY = "bulk-thor-key"
# Refreshes measured in the steady state (after the back-fill), the first one not counted.
STEADY_REFRESHES = 6
CHANGED_SHARE = 0.05
PROFILE_SIZE = 500
PROFILE_TOP = 15
# The one sensor whose state moves with every heartbeat.
HEARTBEAT = "last_heartbeat"


@pytest.fixture(scope="module")
def results() -> Iterator[dict[str, Any]]:
    """What the tests of this module measured; printed as one table at the end."""
    collected: dict[str, Any] = {}
    started = wall_now()
    yield collected
    print("\n\n" + format_table(collected))
    print(f"\nThis file ran {wall_now() - started:.0f} s (wall).")


def profile_top(profiler: cProfile.Profile, sort: str) -> str:
    """The top functions of a profile as pstats prints them."""
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.strip_dirs().sort_stats(sort).print_stats(PROFILE_TOP)
    lines = out.getvalue().splitlines()
    header = next(i for i, line in enumerate(lines) if "ncalls" in line)
    totals = next(line.strip() for line in lines if "function calls" in line)
    return "\n".join([totals, *lines[header:]]).rstrip()


async def setup_phase(thor: ThorSetup) -> dict[str, Any]:
    """Set the entry up: time, memory, requests and entities."""
    rss_before = rss_bytes()
    wall, cpu = wall_now(), cpu_now()
    await thor.setup()
    setup_wall, setup_cpu = wall_now() - wall, cpu_now() - cpu
    rss_delta = rss_bytes() - rss_before
    entities, states = thor.entity_counts()
    setup_requests = len(thor.sim.requests)
    client_bytes = await thor.client_data_bytes()
    return {
        "entities": entities,
        "states": states,
        "setup_requests": setup_requests,
        "client_bytes": client_bytes,
        "setup_wall": setup_wall,
        "setup_cpu": setup_cpu,
        "rss_delta": rss_delta,
    }


async def first_hour_phase(thor: ThorSetup, freezer: FrozenDateTimeFactory) -> dict[str, Any]:
    """The scheduled polls of the first hour, the back-fill of the history among them."""
    records, backfill_polls = await thor.run_hour(freezer)
    interval = thor.coordinator.update_interval
    assert interval == POLL_STEP
    assert thor.client.history.complete, "the back-fill ends within the first hour"
    # One read of all per poll: the scheduled polls and nothing else.
    assert sum(1 for r in records if r.path.endswith("/chargeboxes")) == 60
    return {
        "backfill_polls": backfill_polls,
        "first_hour": len(records),
        "first_hour_kinds": by_kind(records),
    }


async def steady_phase(
    thor: ThorSetup, freezer: FrozenDateTimeFactory, counter: StateCounter
) -> dict[str, Any]:
    """Refreshes after the back-fill with nothing changed but the heartbeats, and none."""
    measured = [await thor.refresh(freezer, counter) for _ in range(STEADY_REFRESHES)][1:]
    for refresh in measured:
        assert refresh.requests == measured[0].requests
        # Only the heartbeats moved: no other state may change.
        assert set(refresh.changed) <= {HEARTBEAT}, refresh.changed
    quiet = [
        await thor.refresh(freezer, counter, move_clock=False) for _ in range(STEADY_REFRESHES)
    ][1:]
    for refresh in quiet:
        assert refresh.requests == measured[0].requests
        # The cloud answered exactly as before: nothing may be written.
        assert refresh.state_changes == 0, refresh.changed
        assert refresh.writes == 0
    interval = thor.coordinator.update_interval
    assert interval is not None
    return {
        "steady": measured[0],
        "per_hour": per_hour(measured[0].requests, interval),
        "wall": statistics.median(m.wall for m in measured),
        "cpu": statistics.median(m.cpu for m in measured),
        "walls": [m.wall for m in measured],
        "quiet": quiet[0],
        "quiet_wall": statistics.median(m.wall for m in quiet),
        "quiet_cpu": statistics.median(m.cpu for m in quiet),
        "memory": await thor.traced_refresh(freezer),
    }


async def change_phase(
    thor: ThorSetup, freezer: FrozenDateTimeFactory, counter: StateCounter, boxes: int
) -> dict[str, Any]:
    """5 % of the connectors, spread over the account, start charging, then stop."""
    cloud = thor.sim.thor
    every = [
        (box_id, number)
        for box_id in cloud.account(API_KEY).box_ids
        for number in range(1, CONNECTORS + 1)
    ]
    changed = max(1, round(len(every) * CHANGED_SHARE))
    targets = every[:: len(every) // changed][:changed]
    for box_id, number in targets:
        cloud.plug_in(box_id, number)
        cloud.start_local(box_id, number, f"RFID-{box_id}-{number}")
    start = await thor.refresh(freezer, counter)
    charging = await thor.refresh(freezer, counter)
    for box_id, number in targets:
        cloud.stop_local(box_id, number)
    stop = await thor.refresh(freezer, counter)
    after = await thor.refresh(freezer, counter)
    assert set(after.changed) <= {HEARTBEAT}, after.changed
    # A stop is followed by one read of today's finished charges.
    assert stop.kinds.get("charges/finished") == 1
    return {
        "changed": changed,
        "targets": targets,
        "start": start,
        "charging": charging,
        "stop": stop,
        "after_stop": after,
    }


async def profile_phase(
    thor: ThorSetup, freezer: FrozenDateTimeFactory, counter: StateCounter, targets: list[Any]
) -> list[str]:
    """CProfile of a steady refresh and of one where the 5 % start again."""
    steady = cProfile.Profile()
    await thor.refresh(freezer, counter, profiler=steady)
    for box_id, number in targets:
        thor.sim.thor.start_local(box_id, number, f"RFID-{box_id}-{number}-again")
    busy = cProfile.Profile()
    await thor.refresh(freezer, counter, profiler=busy)
    boxes = len(thor.sim.thor.account(API_KEY).box_ids)
    return [
        f"cProfile, one steady refresh at {boxes} boxes (only heartbeats moved), own time:\n"
        + profile_top(steady, "tottime"),
        "the same refresh by cumulative time:\n" + profile_top(steady, "cumulative"),
        f"cProfile, one refresh at {boxes} boxes with {len(targets)} connectors starting, "
        "own time:\n" + profile_top(busy, "tottime"),
    ]


def describe(row: dict[str, Any]) -> str:
    """The numbers of one size on one line."""

    def changes(measured: Measured) -> str:
        return f"{measured.state_changes} states {measured.changed} / {measured.writes} writes"

    steady: Measured = row["steady"]
    return (
        f"Thor {row['boxes']} boxes x {CONNECTORS}: {row['entities']} entities "
        f"({row['states']} enabled); setup {row['setup_wall']:.2f} s wall / "
        f"{row['setup_cpu']:.2f} s CPU, {row['setup_requests']} requests, RSS "
        f"+{row['rss_delta'] / 2**20:.0f} MiB, client data {row['client_bytes'] / 2**20:.2f} MiB; "
        f"back-fill complete after "
        f"{row['backfill_polls']} polls; first hour {row['first_hour']} requests "
        f"{row['first_hour_kinds']}; steady refresh {steady.kinds} = {row['per_hour']:.0f}/h, "
        f"{row['wall'] * 1000:.0f} ms wall / {row['cpu'] * 1000:.0f} ms CPU (median of "
        f"{', '.join(f'{w * 1000:.0f}' for w in row['walls'])} ms), {changes(steady)}; "
        f"unchanged answer: {row['quiet_wall'] * 1000:.0f} ms / "
        f"{row['quiet_cpu'] * 1000:.0f} ms, {changes(row['quiet'])}; "
        f"{row['changed']} connectors start: {changes(row['start'])} "
        f"({row['start'].wall * 1000:.0f} ms); charging: {changes(row['charging'])}; "
        f"stop: {changes(row['stop'])}, {row['stop'].kinds}; next: "
        f"{changes(row['after_stop'])}; tracemalloc over a steady refresh: peak "
        f"{row['memory'].peak / 2**20:.1f} MiB, kept {row['memory'].kept / 2**10:.0f} KiB; "
        f"unload {row['unload_wall']:.2f} s; this size took {row['total_wall']:.1f} s"
    )


@pytest.mark.parametrize("boxes", SIZES)
async def test_thor_scale(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    socket_enabled: None,
    results: dict[str, Any],
    boxes: int,
) -> None:
    """Set up, run the first hour (the back-fill), then measure steady refreshes."""
    started = wall_now()
    sim = Simulator()
    sim.thor.add_account(API_KEY, "Bulk Thor customer")
    sim.thor.add_chargeboxes(API_KEY, boxes, connectors=CONNECTORS)
    row: dict[str, Any] = {"boxes": boxes}
    profiles: list[str] = []
    async with ThorSetup(hass, sim, API_KEY) as thor:
        row |= await setup_phase(thor)
        row |= await first_hour_phase(thor, freezer)
        counter = StateCounter(hass)
        row |= await steady_phase(thor, freezer, counter)
        row |= await change_phase(thor, freezer, counter, boxes)
        if boxes == PROFILE_SIZE:
            profiles = await profile_phase(thor, freezer, counter, row["targets"])
        row["unload_wall"] = await thor.unload()
    row["total_wall"] = wall_now() - started
    results[f"size {boxes}"] = row
    print("\n" + describe(row))
    for profile in profiles:
        print("\n" + profile)


async def test_thor_demo(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    socket_enabled: None,
    results: dict[str, Any],
) -> None:
    """The demo account (three boxes, weeks of history, one reservable box)."""
    sim = Simulator()
    seed_thor_demo(sim.thor)
    async with ThorSetup(hass, sim, DEMO_API_KEY) as thor:
        await thor.setup()
        setup_requests = len(sim.requests)
        first_hour, backfill_polls = await thor.run_hour(freezer)
        second_hour, _ = await thor.run_hour(freezer)
        assert thor.coordinator.update_interval == POLL_STEP
        assert thor.client.history.complete
        assert sum(1 for r in second_hour if r.path.endswith("/chargeboxes")) == 60
        await thor.unload()
    demo = {
        "setup_requests": setup_requests,
        "backfill_polls": backfill_polls,
        "first_hour": len(first_hour),
        "first_hour_kinds": by_kind(first_hour),
        "second_hour": len(second_hour),
        "second_hour_kinds": by_kind(second_hour),
    }
    results["demo"] = demo
    print(
        f"\nThor demo account: setup {setup_requests} requests; back-fill complete after "
        f"{backfill_polls} polls; first hour {demo['first_hour']} requests "
        f"{demo['first_hour_kinds']}; second hour {demo['second_hour']} "
        f"{demo['second_hour_kinds']}"
    )


def test_steps_fit_the_poll_plan() -> None:
    """The hour runs in steps of the default interval; hand refreshes fit between polls."""
    plan = ThorCloud.poll_plan
    assert plan.interval == POLL_STEP
    assert plan.min_spacing < REFRESH_STEP < plan.interval
