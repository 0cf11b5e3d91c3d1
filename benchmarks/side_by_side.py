"""Harness of the side-by-side benchmark: two integrations, two simulated clouds, one clock.

Core's `wallbox` integration and ours run in the same Home Assistant, each against its
own simulator (own account, own rate-limit bucket, own request log, own faults); both
simulators follow Home Assistant's frozen clock. The same scripted changes are made to
both clouds at the same moments. The harness only looks at Home Assistant's states and
registry, calls services, and reads the simulators' request logs: nothing of either
integration's internals.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
import contextlib
from dataclasses import dataclass, field
from datetime import timedelta
import logging
import random
import time
from typing import Any, Self

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN, UnitOfPower
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.ev_charger_cloud.const import CONF_API_URL, CONF_PROVIDER, DOMAIN
from simulator import Simulator
from simulator.testing import SimulatorServer
from simulator.wallbox.model import Car
from tests.conftest import advance

from .core_wallbox import CORE_DOMAIN, async_setup_core, core_pointed_at

EMAIL = "driver@example.com"
PASSWORD = "correct horse battery staple"
USER_ID = 4242
STEP = timedelta(seconds=5)
# Shown and true power agree within this.
TOLERANCE_KW = 0.05
# Service calls run as tasks of their own; this many rounds of "let everything pending
# run" at the same frozen instant before time moves on (a call waiting for a timer stays).
_SETTLE_ROUNDS = 200

# Where each integration keeps the entities the benchmark watches: registry domain and
# unique id by charger id. Ours: tests/test_registry_ids.py; core: "<key>-<serial>".
ENTITIES: dict[str, dict[str, tuple[str, str]]] = {
    "core": {
        "power": ("sensor", "charging_power-{id}"),
        "switch": ("switch", "paused-{id}"),
        "current": ("number", "max_charging_current-{id}"),
    },
    "ours": {
        "power": ("sensor", "wallbox_{id}_charging_power"),
        "switch": ("switch", "wallbox_{id}_charging"),
        "current": ("number", "wallbox_{id}_max_charging_current"),
    },
}
PLATFORMS = {"core": CORE_DOMAIN, "ours": DOMAIN}


def build_account(sim: Simulator, chargers: int) -> list[int]:
    """The account: charger 1 charges a car; 2 has a full car (idle); 3 has none.

    Charger 1 has 3 phases at 16 A (11 kW), so the car's own limit sets the power.
    Returns the charger ids, the charging one first.
    """
    cloud = sim.wallbox
    cloud.add_account(EMAIL, PASSWORD, user_id=USER_ID)
    garage = cloud.add_charger(EMAIL, name="Garage", phases=3, max_charging_current=16)
    cloud.plug_in(garage.id, Car(max_power_kw=7.4, battery_kwh=150, soc_percent=10))
    ids = [garage.id]
    if chargers >= 2:
        carport = cloud.add_charger(EMAIL, name="Carport", max_charging_current=16)
        cloud.plug_in(carport.id, Car(soc_percent=80, target_soc=80))
        ids.append(carport.id)
    for index in range(3, chargers + 1):
        office = cloud.add_charger(EMAIL, name=f"Office {index - 2}", max_charging_current=16)
        ids.append(office.id)
    return ids


@dataclass(slots=True)
class Sample:
    """The charging charger's power at one moment: the truth and what Home Assistant shows."""

    t: float
    truth: float
    shown: float | None  # None: unavailable, unknown or missing


@dataclass
class Side:
    """One integration with its own simulated cloud."""

    label: str  # "core" or "ours"
    sim: Simulator
    server: SimulatorServer
    chargers: list[int]
    entries: list[MockConfigEntry] = field(default_factory=list)
    samples: list[Sample] = field(default_factory=list)

    @property
    def charging(self) -> int:
        """The charger that charges a car."""
        return self.chargers[0]

    def entity_id(self, hass: HomeAssistant, kind: str, charger: int) -> str | None:
        """The entity id of a watched entity ("power", "switch", "current"), if registered."""
        domain, unique_id = ENTITIES[self.label][kind]
        return er.async_get(hass).async_get_entity_id(
            domain, PLATFORMS[self.label], unique_id.format(id=charger)
        )

    def available_entities(self, hass: HomeAssistant) -> set[str]:
        """The entities of the integration's entries whose state is not unavailable."""
        registry = er.async_get(hass)
        return {
            entry.entity_id
            for config_entry in self.entries
            for entry in er.async_entries_for_config_entry(registry, config_entry.entry_id)
            if (state := hass.states.get(entry.entity_id)) is not None
            and state.state != STATE_UNAVAILABLE
        }

    def state(self, hass: HomeAssistant, kind: str, charger: int) -> str | None:
        """The state of a watched entity, None if it has none."""
        entity_id = self.entity_id(hass, kind, charger)
        state = None if entity_id is None else hass.states.get(entity_id)
        return None if state is None else state.state

    def shown_kw(self, hass: HomeAssistant, charger: int) -> float | None:
        """The charging power Home Assistant shows, in kW; None when there is no value."""
        entity_id = self.entity_id(hass, "power", charger)
        state = None if entity_id is None else hass.states.get(entity_id)
        if state is None or state.state in (STATE_UNAVAILABLE, STATE_UNKNOWN):
            return None
        value = float(state.state)
        unit = state.attributes.get("unit_of_measurement")
        return value / 1000 if unit == UnitOfPower.WATT else value

    def number(self, hass: HomeAssistant, kind: str, charger: int) -> float | None:
        """A numeric state, None when there is no value."""
        state = self.state(hass, kind, charger)
        if state is None or state in (STATE_UNAVAILABLE, STATE_UNKNOWN):
            return None
        return float(state)

    def truth_kw(self, charger: int) -> float:
        """The power the simulated charger delivers now."""
        return self.sim.wallbox.charging_power_kw(charger)


@dataclass(frozen=True, slots=True)
class PowerChange:
    """A scripted change of the car's power limit (kW), seconds after the start."""

    at: float
    kw: float


def power_script(
    seed: int, end: float, blocked: Iterable[tuple[float, float]]
) -> list[PowerChange]:
    """Changes every 5-15 min (on the 5 s grid), outside the blocked windows.

    Each differs from the one before by at least 0.5 kW, within 1.5..10 kW (below what
    the charger's current allows, so the car's limit is the power).
    """
    rng = random.Random(seed)
    windows = list(blocked)
    changes: list[PowerChange] = []
    at, kw = 0.0, 7.4
    while True:
        at += round(rng.uniform(300, 900) / 5) * 5
        if at >= end:
            return changes
        if any(start <= at < stop for start, stop in windows):
            continue
        new = kw
        while abs(new - kw) < 0.5:
            new = round(rng.uniform(1.5, 10.0), 1)
        kw = new
        changes.append(PowerChange(at, kw))


class Run:
    """Moves the shared clock in 5 s steps; applies the power script; samples both sides."""

    def __init__(
        self,
        hass: HomeAssistant,
        freezer: FrozenDateTimeFactory,
        sides: list[Side],
        script: list[PowerChange],
    ) -> None:
        self.hass = hass
        self.freezer = freezer
        self.sides = sides
        self.applied: list[PowerChange] = []
        self._pending = list(script)
        self.t0 = time.time()
        self._tasks: list[asyncio.Task[Any]] = []

    @property
    def now(self) -> float:
        """Simulated seconds since the start."""
        return time.time() - self.t0

    def epoch(self, span: tuple[float, float]) -> tuple[float, float]:
        """A span of seconds after the start as epoch seconds (the request log's `at`)."""
        return span[0] + self.t0, span[1] + self.t0

    async def step(self, delta: timedelta = STEP) -> None:
        """Apply the power changes that are due, move time on, sample (on 5 s steps)."""
        while self._pending and self._pending[0].at <= self.now + 1e-6:
            change = self._pending.pop(0)
            for side in self.sides:
                charger = side.sim.wallbox.charger(side.charging)  # integrates up to now
                assert charger.car is not None
                charger.car.max_power_kw = change.kw
            self.applied.append(PowerChange(self.now, change.kw))
        if self._calls_waiting():
            # A service call waits for a timer (a merge window): Home Assistant's
            # block_till_done would wait for the call, so move time and let things run.
            self.freezer.tick(delta)
            async_fire_time_changed(self.hass)
            await self._spin()
        else:
            await advance(self.hass, self.freezer, delta)
        if delta >= STEP:
            self.sample()

    def sample(self) -> None:
        """Record the charging charger's true and shown power of every side."""
        for side in self.sides:
            side.samples.append(
                Sample(
                    self.now, side.truth_kw(side.charging), side.shown_kw(self.hass, side.charging)
                )
            )

    async def until(self, t: float) -> None:
        """Step until `t` seconds after the start."""
        while self.now < t - 1e-6:
            await self.step()

    async def step_while(self, busy: Callable[[], bool], deadline: float) -> None:
        """Step while `busy()` and before `deadline` (seconds after the start)."""
        while busy() and self.now < deadline - 1e-6:
            await self.step()

    async def call(self, domain: str, service: str, data: dict[str, Any]) -> asyncio.Task[Any]:
        """Call a service as a user would, without waiting for it; let it run at this instant.

        The call runs as a task of its own (not one Home Assistant waits for), so an
        integration that waits for a timer before sending does not stall the clock.
        """
        task = asyncio.create_task(
            self.hass.services.async_call(domain, service, data, blocking=True)
        )
        self._tasks.append(task)
        await self.settle(task)
        return task

    async def settle(self, task: asyncio.Task[Any]) -> None:
        """Let the task and what it started run without moving time."""
        await self._spin()
        if not self._calls_waiting():
            await self.hass.async_block_till_done(wait_background_tasks=True)

    def _calls_waiting(self) -> bool:
        return any(not task.done() for task in self._tasks)

    async def _spin(self) -> None:
        """Let ready work run (requests to the simulator included) without moving time."""
        for _ in range(_SETTLE_ROUNDS):
            await asyncio.sleep(0)

    async def cancel_calls(self) -> None:
        """Cancel service calls that are still waiting (at the end of a measurement)."""
        for task in self._tasks:
            if not task.done():
                task.cancel()
            with contextlib.suppress(BaseException):
                await task
        self._tasks.clear()


# The loggers of each integration (core's coordinator logs under its module's name).
LOGGERS = {"core": "homeassistant.components.wallbox", "ours": "custom_components.ev_charger_cloud"}


class LogCounter(logging.Handler):
    """Counts (and keeps off the console) what each integration logs at WARNING and above."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.counts: Counter[tuple[str, str]] = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        """Count the record by integration and level."""
        label = next(
            (label for label, name in LOGGERS.items() if record.name.startswith(name)), "?"
        )
        self.counts[label, record.levelname] += 1

    def of(self, label: str) -> dict[str, int]:
        """An integration's counts by level name."""
        return {level: count for (name, level), count in self.counts.items() if name == label}

    @contextlib.contextmanager
    def attached(self) -> Iterator[Self]:
        """Count the integrations' records instead of printing them, while open."""
        loggers = [logging.getLogger(name) for name in LOGGERS.values()]
        for logger in loggers:
            logger.addHandler(self)
            logger.propagate = False
        try:
            yield self
        finally:
            for logger in loggers:
                logger.removeHandler(self)
                logger.propagate = True


def call_error(task: asyncio.Task[Any]) -> str | None:
    """What a finished service call raised ("pending" if it has not returned)."""
    if not task.done():
        return "pending"
    if task.cancelled():
        return "cancelled"
    error = task.exception()
    return None if error is None else type(error).__name__


async def start_sides(
    hass: HomeAssistant, stack: contextlib.AsyncExitStack, chargers: int
) -> list[Side]:
    """Both simulators and both integrations, set up at the same frozen instant."""
    sides = []
    for label in ("core", "ours"):
        sim = Simulator()
        ids = build_account(sim, chargers)
        server = await stack.enter_async_context(SimulatorServer(sim))
        sides.append(Side(label, sim, server, ids))
    core, ours = sides
    stack.enter_context(core_pointed_at(core.server.wallbox_url))
    core.entries = await async_setup_core(hass, core.chargers, EMAIL, PASSWORD)
    ours.entries = [await async_setup_ours(hass, ours.server.wallbox_url)]
    return sides


async def async_setup_ours(hass: HomeAssistant, wallbox_url: str) -> MockConfigEntry:
    """Our integration's Wallbox entry for the account (one entry for all its chargers)."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=EMAIL,
        unique_id=f"wallbox_{USER_ID}",
        data={
            CONF_PROVIDER: "wallbox",
            "email": EMAIL,
            "password": PASSWORD,
            CONF_API_URL: wallbox_url,
        },
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id), "our entry"
    await hass.async_block_till_done(wait_background_tasks=True)
    return entry


async def unload_all(hass: HomeAssistant, sides: list[Side]) -> None:
    """Unload every entry (so no poll outlives the simulators)."""
    for side in sides:
        for entry in side.entries:
            await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
