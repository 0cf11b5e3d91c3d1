"""Helpers of the Thor scale benchmark: one entry against the simulator, timed refreshes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
import contextlib
import cProfile
from dataclasses import dataclass
from datetime import timedelta
import gc
import math
import os
from pathlib import Path
import time
import tracemalloc
from types import TracebackType
from typing import Any, Self

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import EVENT_STATE_CHANGED
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.entity import Entity
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ev_charger_cloud.api.thor.cloud import ThorCloud
from custom_components.ev_charger_cloud.const import CONF_API_URL, CONF_PROVIDER, DOMAIN
from custom_components.ev_charger_cloud.coordinator import ChargerCloudCoordinator
from simulator import Simulator
from simulator.requestlog import RequestRecord
from simulator.testing import SimulatorServer
from tests.conftest import advance

# The default poll interval of Thor (checked by the benchmark against the poll plan).
POLL_STEP = timedelta(minutes=1)
# Frozen time between two refreshes run by hand: past the minimum spacing, before the
# next scheduled poll.
REFRESH_STEP = timedelta(seconds=30)
HOUR = timedelta(hours=1)
_KINDS = ("chargeboxes", "charges/running", "charges/finished", "reservations")


def wall_now() -> float:
    """Seconds of real time: freezegun freezes time.perf_counter and time.monotonic."""
    return time.clock_gettime(time.CLOCK_MONOTONIC)


def cpu_now() -> float:
    """CPU seconds of the process (Home Assistant and the in-process simulator)."""
    return time.process_time()


def rss_bytes() -> int:
    """Resident set size of the process now (Linux)."""
    gc.collect()
    pages = int(Path("/proc/self/statm").read_text(encoding="ascii").split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE")


def by_kind(records: Iterable[RequestRecord]) -> dict[str, int]:
    """Thor requests by path."""
    counts: Counter[str] = Counter()
    for record in records:
        kind = next((k for k in _KINDS if record.path.endswith(f"/{k}")), "other")
        counts[kind] += 1
    return {kind: counts[kind] for kind in (*_KINDS, "other") if counts[kind]}


def per_hour(requests: int, interval: timedelta) -> float:
    """Requests an hour at one refresh per interval."""
    return requests * HOUR / interval


@dataclass(slots=True)
class Measured:
    """One refresh: requests, wall and CPU seconds, states changed and entity writes.

    `changed` counts the changed states by the entity's translation key.
    """

    requests: int
    kinds: dict[str, int]
    wall: float
    cpu: float
    state_changes: int
    writes: int
    changed: dict[str, int]


@dataclass(slots=True)
class Memory:
    """tracemalloc over one refresh: the peak above the start and what stayed allocated."""

    peak: int
    kept: int


class StateCounter:
    """Counts `state_changed` events and calls of Entity.async_write_ha_state.

    A write is what an entity does on a coordinator update; Home Assistant fires
    `state_changed` only when the state or its attributes differ.
    """

    def __init__(self, hass: HomeAssistant) -> None:
        self.changes = 0
        self.writes = 0
        self.entity_ids: list[str] = []
        self._counting = False
        hass.bus.async_listen(EVENT_STATE_CHANGED, self._on_change)

    @callback
    def _on_change(self, event: Event) -> None:
        if self._counting:
            self.changes += 1
            self.entity_ids.append(event.data["entity_id"])

    @contextlib.contextmanager
    def counting(self) -> Iterator[None]:
        """Count from zero while the block runs."""
        self.changes = self.writes = 0
        self.entity_ids = []
        original = Entity.async_write_ha_state

        @callback
        def write(entity: Entity) -> None:
            self.writes += 1
            original(entity)

        Entity.async_write_ha_state = write  # type: ignore[method-assign]
        self._counting = True
        try:
            yield
        finally:
            self._counting = False
            Entity.async_write_ha_state = original  # type: ignore[method-assign]


class ThorSetup:
    """The simulator on a local port and one Thor entry of `api_key` against it."""

    def __init__(self, hass: HomeAssistant, sim: Simulator, api_key: str) -> None:
        self.hass = hass
        self.sim = sim
        self.api_key = api_key
        self.server = SimulatorServer(sim)
        self.entry: MockConfigEntry | None = None
        # Polls (reads of all, the first one at setup) until the back-fill was complete.
        self.backfill_polls: int | None = None
        self._polls_forgotten = 0

    async def __aenter__(self) -> Self:
        await self.server.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.server.stop()

    async def setup(self) -> None:
        """Add the entry and set it up as Home Assistant does."""
        self.entry = MockConfigEntry(
            domain=DOMAIN,
            title="Thor",
            data={
                CONF_PROVIDER: "thor",
                "api_key": self.api_key,
                CONF_API_URL: f"{self.server.base_url}/thor/latest/integration",
            },
        )
        self.entry.add_to_hass(self.hass)
        assert await self.hass.config_entries.async_setup(self.entry.entry_id)
        await self.hass.async_block_till_done()
        self._check_backfill()

    @property
    def coordinator(self) -> ChargerCloudCoordinator:
        """The entry's coordinator."""
        assert self.entry is not None
        return self.entry.runtime_data.coordinator

    @property
    def client(self) -> ThorCloud:
        """The entry's Thor client."""
        client = self.coordinator.client
        assert isinstance(client, ThorCloud)
        return client

    def entity_counts(self) -> tuple[int, int]:
        """Registry entries of the entry, and how many of them have a state (enabled)."""
        assert self.entry is not None
        entries = er.async_entries_for_config_entry(er.async_get(self.hass), self.entry.entry_id)
        states = sum(1 for e in entries if self.hass.states.get(e.entity_id) is not None)
        return len(entries), states

    def _polls(self) -> int:
        """Reads of all since setup (each poll reads the chargeboxes once)."""
        listed = sum(1 for r in self.sim.requests if r.path.endswith("/chargeboxes"))
        return self._polls_forgotten + listed

    def _check_backfill(self) -> None:
        if self.backfill_polls is None and self.client.history.complete:
            self.backfill_polls = self._polls()

    async def run_hour(
        self, freezer: FrozenDateTimeFactory
    ) -> tuple[list[RequestRecord], int | None]:
        """Let the scheduled polls run for an hour; its requests and the back-fill's polls."""
        first = len(self.sim.requests)
        for _ in range(HOUR // POLL_STEP):
            await advance(self.hass, freezer, POLL_STEP)
            self._check_backfill()
        return list(self.sim.requests)[first:], self.backfill_polls

    async def refresh(
        self,
        freezer: FrozenDateTimeFactory,
        counter: StateCounter,
        profiler: cProfile.Profile | None = None,
        *,
        move_clock: bool = True,
    ) -> Measured:
        """One refresh by hand, 30 s of frozen time after the last one.

        With `move_clock` false the clock stays where it is, so the cloud answers exactly
        as before (a connected box's last heartbeat is the time of the read); the poll
        plan's minimum spacing is lifted for this one refresh instead.
        """
        self.sim.requests.clear()
        if move_clock:
            freezer.tick(REFRESH_STEP)
        else:
            self.coordinator.strategy.last_poll = -math.inf
        with counter.counting():
            wall, cpu = wall_now(), cpu_now()
            if profiler is not None:
                profiler.enable()
            await self.coordinator.async_refresh()
            await self.hass.async_block_till_done()
            if profiler is not None:
                profiler.disable()
            wall, cpu = wall_now() - wall, cpu_now() - cpu
        assert self.coordinator.last_update_success
        records = list(self.sim.requests)
        return Measured(
            requests=len(records),
            kinds=by_kind(records),
            wall=wall,
            cpu=cpu,
            state_changes=counter.changes,
            writes=counter.writes,
            changed=self._by_key(counter.entity_ids),
        )

    def _by_key(self, entity_ids: Iterable[str]) -> dict[str, int]:
        registry = er.async_get(self.hass)
        keys: Counter[str] = Counter()
        for entity_id in entity_ids:
            entry = registry.async_get(entity_id)
            keys[(entry and entry.translation_key) or entity_id] += 1
        return dict(keys)

    async def traced_refresh(self, freezer: FrozenDateTimeFactory) -> Memory:
        """One refresh under tracemalloc (slower; its times are not used)."""
        freezer.tick(REFRESH_STEP)
        gc.collect()
        tracemalloc.start()
        try:
            before, _ = tracemalloc.get_traced_memory()
            await self.coordinator.async_refresh()
            await self.hass.async_block_till_done()
            gc.collect()
            current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert self.coordinator.last_update_success
        return Memory(peak=peak - before, kept=current - before)

    async def client_data_bytes(self) -> int:
        """Memory a fresh client of the account holds after one read of all (tracemalloc).

        The parsed chargeboxes, running charges and devices in the neutral model: what
        the integration keeps besides Home Assistant's entities, states and registries.
        """
        polls = self._polls()
        gc.collect()
        tracemalloc.start()
        try:
            before, _ = tracemalloc.get_traced_memory()
            client = ThorCloud(
                async_get_clientsession(self.hass),
                self.api_key,
                base_url=f"{self.server.base_url}/thor/latest/integration",
            )
            await client.async_read_all()
            gc.collect()
            held, _ = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        del client
        # Its requests are not the entry's.
        self.sim.requests.clear()
        self._polls_forgotten = polls
        return held - before

    async def unload(self) -> float:
        """Unload the entry; the wall seconds it took."""
        assert self.entry is not None
        wall = wall_now()
        assert await self.hass.config_entries.async_unload(self.entry.entry_id)
        await self.hass.async_block_till_done()
        return wall_now() - wall


def _ms(wall: float, cpu: float) -> str:
    return f"{wall * 1000:.0f} / {cpu * 1000:.0f}"


def _states(measured: Measured) -> str:
    return f"{measured.state_changes} ({measured.writes})"


def format_table(results: Mapping[str, Any]) -> str:
    """One Markdown row per size, then a line for the demo account."""
    lines = [
        "Thor at scale, 2 connectors per box. Refresh: median of 5 after the back-fill; "
        "CPU includes the in-process simulator. States: state_changed events of one "
        "refresh (entity writes in brackets); 'same answer' is a refresh whose answer is "
        "identical to the last, 'heartbeats' 30 s later with only the boxes' heartbeats "
        "moved (the steady state). RSS: growth of the process over setup (noisy: the "
        "allocator reuses what earlier tests freed). Client data: tracemalloc, what a "
        "fresh Thor client holds after one read of all.",
        "",
        "| Boxes | Entities (enabled) | Setup s wall / CPU | RSS setup | Back-fill polls "
        "| Requests / refresh | Requests / h | Refresh ms wall / CPU | Same answer ms "
        "| Client data | tracemalloc peak / refresh | States: same answer | States: heartbeats "
        "| States: 5 % start | States: 5 % stop |",
        "|---:|---|---|---|---:|---|---:|---|---|---|---|---|---|---|---|",
    ]
    rows = sorted(
        (row for key, row in results.items() if key.startswith("size ")),
        key=lambda row: row["boxes"],
    )
    for row in rows:
        steady: Measured = row["steady"]
        kinds = ", ".join(f"{count} {kind}" for kind, count in steady.kinds.items())
        lines.append(
            f"| {row['boxes']} | {row['entities']} ({row['states']}) "
            f"| {row['setup_wall']:.2f} / {row['setup_cpu']:.2f} "
            f"| +{row['rss_delta'] / 2**20:.0f} MiB "
            f"| {row['backfill_polls']} "
            f"| {steady.requests} ({kinds}) "
            f"| {row['per_hour']:.0f} (first hour {row['first_hour']}) "
            f"| {_ms(row['wall'], row['cpu'])} "
            f"| {_ms(row['quiet_wall'], row['quiet_cpu'])} "
            f"| {row['client_bytes'] / 2**20:.1f} MiB "
            f"| {row['memory'].peak / 2**20:.1f} MiB "
            f"| {_states(row['quiet'])} "
            f"| {_states(steady)} "
            f"| {_states(row['start'])} ({row['changed']} connectors) "
            f"| {_states(row['stop'])} |"
        )
    demo = results.get("demo")
    if demo is not None:
        lines += [
            "",
            f"Demo account (3 boxes, 4 connectors, 3 weeks of history, one reservable box): "
            f"back-fill complete after {demo['backfill_polls']} polls; first hour "
            f"{demo['first_hour']} requests {demo['first_hour_kinds']}, then "
            f"{demo['second_hour']} requests/h {demo['second_hour_kinds']}.",
        ]
    return "\n".join(lines)
