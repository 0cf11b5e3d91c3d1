"""The measurements of the side-by-side benchmark, one small function each.

The scripted events (`quick_values`, `resume_after_cloud_pause`, `outage_recovery`,
`new_charger`) act on both clouds at the same moment and step the shared clock until
both sides are done or a deadline passes; they return one result per side label.
The others compute a number from a side's request log or power samples.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta
import random
import statistics
from typing import Any

from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE, STATE_UNKNOWN

from simulator.faults import Fault

from .side_by_side import TOLERANCE_KW, PowerChange, Run, Sample, Side, call_error

MINUTE = 60.0
# 20 calls within a second.
STEP_QUICK = timedelta(milliseconds=50)


# --- requests -------------------------------------------------------------------------


def requests_per_hour(side: Side, hours: float) -> float:
    """Every request the account sent to its cloud (sign-in and refresh too), per hour."""
    return len(side.sim.requests) / hours


_KINDS = (
    ("sign-in", "GET", "users/signin"),
    ("refresh", "GET", "users/refresh-token"),
    ("status", "GET", "chargers/status"),
    ("groups", "GET", "chargers/groups"),
)


def requests_by_kind(side: Side) -> dict[str, int]:
    """The account's requests by kind: sign-in, refresh, status and group reads, the rest."""
    log = side.sim.requests
    kinds = {name: log.count(method=method, path_contains=path) for name, method, path in _KINDS}
    kinds["other GET"] = log.count(method="GET") - sum(kinds.values())
    kinds["writes"] = len(log) - log.count(method="GET")
    return kinds


@dataclass(frozen=True, slots=True)
class Refusals:
    """429 answers of the cloud's rate limit, 429s injected by the outage, and 403s."""

    rate_limited: int
    injected: int
    forbidden: int


def refusals(side: Side, outage: tuple[float, float]) -> Refusals:
    """Count refusals; the 429s inside the outage's span (epoch s) are the injected ones."""
    start, end = outage
    too_many = side.sim.requests.matching(status=429)
    injected = sum(1 for record in too_many if start <= record.at < end)
    return Refusals(len(too_many) - injected, injected, side.sim.requests.count(status=403))


# --- power shown ----------------------------------------------------------------------


def matches(sample: Sample) -> bool:
    """Home Assistant shows the true power (within the tolerance)."""
    return sample.shown is not None and abs(sample.shown - sample.truth) <= TOLERANCE_KW


@dataclass(frozen=True, slots=True)
class Delays:
    """Seconds from a power change until it was shown; changes not shown before the next."""

    shown: list[float]
    missed: int

    @property
    def mean(self) -> float | None:
        """Mean of the delays shown, None if none was."""
        return statistics.fmean(self.shown) if self.shown else None

    @property
    def max(self) -> float | None:
        """Longest delay shown, None if none was."""
        return max(self.shown) if self.shown else None


def power_change_delays(samples: list[Sample], changes: list[PowerChange], end: float) -> Delays:
    """For each change: the first sample after it that shows the truth, before the next change.

    Samples are taken every 5 s, so delays are multiples of 5 s (0 is not possible: the
    first sample is 5 s after the change).
    """
    delays: list[float] = []
    missed = 0
    for index, change in enumerate(changes):
        until = changes[index + 1].at if index + 1 < len(changes) else end
        hit = next((s.t for s in samples if change.at < s.t <= until + 1e-6 and matches(s)), None)
        if hit is None:
            missed += 1
        else:
            delays.append(hit - change.at)
    return Delays(delays, missed)


def wrong_share(samples: list[Sample]) -> float:
    """Share of samples whose shown power is not the truth (or is missing)."""
    return sum(1 for sample in samples if not matches(sample)) / len(samples)


# --- 20 quick values ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QuickValues:
    """What 20 quick set_value calls of the max charging current led to."""

    writes: int  # requests other than GET sent in the measurement
    refused: int  # of those answered 429
    errors: int  # service calls that raised (the user sees an error) or never returned
    last: int
    cloud: int  # the charger's max current in the cloud afterwards
    shown: float | None  # what Home Assistant shows afterwards


async def quick_values(
    run: Run, seed: int, count: int = 20, observe: float = 10 * MINUTE
) -> dict[str, QuickValues]:
    """`count` number.set_value calls 50 ms apart on the charging charger, then wait.

    Values are 6..15 A (each differs from the one before); afterwards the cloud side sets
    16 A again so the power script is not capped.
    """
    rng = random.Random(seed)
    values: list[int] = []
    while len(values) < count:
        value = rng.randint(6, 15)
        if not values or value != values[-1]:
            values.append(value)
    before = {side.label: len(side.sim.requests) for side in run.sides}
    tasks: dict[str, list[asyncio.Task[Any]]] = {side.label: [] for side in run.sides}
    for value in values:
        for side in run.sides:
            entity_id = side.entity_id(run.hass, "current", side.charging)
            assert entity_id is not None, f"{side.label}: max charging current number"
            tasks[side.label].append(
                await run.call("number", "set_value", {"entity_id": entity_id, "value": value})
            )
        await run.step(STEP_QUICK)
    await run.until(run.now + observe)
    results = {}
    for side in run.sides:
        sent = list(side.sim.requests)[before[side.label] :]
        writes = [record for record in sent if record.method != "GET"]
        results[side.label] = QuickValues(
            writes=len(writes),
            refused=sum(1 for record in writes if record.status == 429),
            errors=sum(1 for task in tasks[side.label] if call_error(task) is not None),
            last=values[-1],
            cloud=side.sim.wallbox.charger(side.charging).max_charging_current,
            shown=side.number(run.hass, "current", side.charging),
        )
    await run.cancel_calls()
    for side in run.sides:
        side.sim.wallbox.set_max_charging_current(side.charging, 16)
    return results


# --- resume after a pause made in the cloud -------------------------------------------


@dataclass(slots=True)
class Resume:
    """Switching charging on after the cloud side paused it."""

    shown_paused_after: float | None = None  # s from the pause until the switch showed off
    called_at: float | None = None
    first_on: float | None = None  # s from the call until the switch first showed on
    on_for_good: float | None = None  # s from the call until the last off → on
    springs_back: bool = False  # on, then off again, after the call
    error: str | None = None  # what the service call raised
    cloud_resumed: bool = False
    on_before: bool = True  # the switch showed on before the pause (else the test is void)


class _ResumeProbe:
    """One side's part of the resume test: wait for "paused", switch on, watch the switch."""

    def __init__(self, run: Run, side: Side, wait_paused: float, observe: float) -> None:
        self.run = run
        self.side = side
        self.start = run.now
        self.wait_until = run.now + wait_paused
        self.observe = observe
        self.result = Resume(on_before=self._switch() == STATE_ON)
        self.call: asyncio.Task[Any] | None = None
        self.last: str | None = None

    def _switch(self) -> str | None:
        return self.side.state(self.run.hass, "switch", self.side.charging)

    def busy(self) -> bool:
        """Still waiting for the paused state, or still watching after the call."""
        called = self.result.called_at
        if called is None:
            return self.run.now < self.wait_until
        return self.run.now < called + self.observe

    async def look(self) -> None:
        """Look at the switch once; call turn_on the first time it shows off."""
        if not self.busy():
            return
        state = self._switch()
        result = self.result
        if result.called_at is None:
            if state != STATE_OFF:
                return
            result.shown_paused_after = self.run.now - self.start
            result.called_at = self.run.now
            entity_id = self.side.entity_id(self.run.hass, "switch", self.side.charging)
            self.call = await self.run.call("switch", "turn_on", {"entity_id": entity_id})
            self.last = STATE_OFF
            state = self._switch()
        _follow_switch(result, self.last, state, self.run.now)
        self.last = state

    def finish(self) -> Resume:
        """The result, with what the call raised and whether the cloud resumed."""
        if self.call is not None:
            self.result.error = call_error(self.call)
        self.result.cloud_resumed = not self.side.sim.wallbox.charger(self.side.charging).paused
        return self.result


async def resume_after_cloud_pause(
    run: Run, wait_paused: float = 30 * MINUTE, observe: float = 15 * MINUTE
) -> dict[str, Resume]:
    """Pause the charging charger in the cloud; once HA shows it paused, switch it on.

    Per side: wait (at most `wait_paused`) until the switch shows off, call
    switch.turn_on, then watch the switch for `observe` seconds.
    """
    probes = [_ResumeProbe(run, side, wait_paused, observe) for side in run.sides]
    for side in run.sides:
        side.sim.wallbox.remote_action(side.charging, 2)  # pause, as from the app
    while True:
        for probe in probes:
            await probe.look()
        if not any(probe.busy() for probe in probes):
            break
        await run.step()
    results = {probe.side.label: probe.finish() for probe in probes}
    await run.cancel_calls()
    return results


def _follow_switch(result: Resume, before: str | None, state: str | None, now: float) -> None:
    """Note the switch's transitions after the call."""
    assert result.called_at is not None
    if state == STATE_ON and before != STATE_ON:
        if result.first_on is None:
            result.first_on = now - result.called_at
        result.on_for_good = now - result.called_at
    elif before == STATE_ON and state != STATE_ON:
        result.springs_back = True
        result.on_for_good = None


# --- a 10 min 429 outage --------------------------------------------------------------


@dataclass(slots=True)
class Outage:
    """Recovery from an outage in which the cloud answered every request with 429."""

    start: float
    end: float
    recovered_after: float | None = None  # s from the end until every charger was fresh
    went_unavailable: bool = False  # the charging charger's power showed no value

    @property
    def span(self) -> tuple[float, float]:
        """Start and end, seconds after the start of the run."""
        return self.start, self.end


# Max charging current set in the cloud during the outage: charger 1, the others.
OUTAGE_CURRENT = (15, 10)


def _outage_current(side: Side, charger: int) -> int:
    return OUTAGE_CURRENT[0] if charger == side.charging else OUTAGE_CURRENT[1]


async def outage_recovery(
    run: Run, minutes: float = 10, observe: float = 30 * MINUTE
) -> dict[str, Outage]:
    """Every request answered 429 (Retry-After: 60) for `minutes`; then wait for fresh values.

    A minute in, every charger's max charging current is changed in the cloud (15 A for
    the charging one, 10 A for the others). Recovered: every entity of the integration
    that had a state other than unavailable before the outage has one again, and for
    every charger the power sensor shows the true power and the number the new current.
    (Core's switch is unavailable by design for a charger without a car.)
    """
    start = run.now
    available = {side.label: side.available_entities(run.hass) for side in run.sides}
    for side in run.sides:
        side.sim.wallbox.faults.add(Fault(status=429, headers={"Retry-After": "60"}))
    await run.until(start + MINUTE)
    for side in run.sides:
        for charger in side.chargers:
            side.sim.wallbox.set_max_charging_current(charger, _outage_current(side, charger))
    await run.until(start + minutes * MINUTE)
    end = run.now
    for side in run.sides:
        side.sim.wallbox.faults.clear()
    results = {side.label: Outage(start, end) for side in run.sides}
    for side in run.sides:
        results[side.label].went_unavailable = any(
            s.shown is None for s in side.samples if start <= s.t <= end
        )

    def fresh(side: Side) -> bool:
        if not available[side.label] <= side.available_entities(run.hass):
            return False
        for charger in side.chargers:
            shown = side.shown_kw(run.hass, charger)
            if shown is None or abs(shown - side.truth_kw(charger)) > TOLERANCE_KW:
                return False
            if side.number(run.hass, "current", charger) != _outage_current(side, charger):
                return False
        return True

    def busy() -> bool:
        for side in run.sides:
            result = results[side.label]
            if result.recovered_after is None and fresh(side):
                result.recovered_after = run.now - end
        return any(result.recovered_after is None for result in results.values())

    await run.step_while(busy, end + observe)
    return results


# --- a charger added to the account ---------------------------------------------------


async def new_charger(run: Run, deadline: float) -> dict[str, float | None]:
    """Add a charger (no car) to both accounts; seconds until its power sensor has a value.

    Core makes one config entry per charger, added by hand: it never gets one (the table
    shows n/a). Ours is watched until `deadline` seconds after the start.
    """
    start = run.now
    added = {
        side.label: side.sim.wallbox.add_charger(side.sim.wallbox.accounts[0].email, name="Barn").id
        for side in run.sides
    }
    results: dict[str, float | None] = {side.label: None for side in run.sides}

    def busy() -> bool:
        for side in run.sides:
            state = side.state(run.hass, "power", added[side.label])
            if results[side.label] is None and state not in (
                None,
                STATE_UNAVAILABLE,
                STATE_UNKNOWN,
            ):
                results[side.label] = run.now - start
        return results["ours"] is None

    await run.step_while(busy, deadline)
    return results
