"""EV charging over time, integrated lazily like the Wallbox chargers.

An EV's state is integrated from its `integrated_at` up to the clock time whenever
anything of its user is read or changed. Power is piecewise constant in between,
changing only at events computed here: a pause ends, a requested boost starts,
the battery reaches its limit.
"""

from .model import (
    CONSUMPTION_HORIZON,
    EnergySegment,
    PoderoDevice,
    PoderoVehicle,
    PoderoWallbox,
)

# Guards against a pathological event loop; a real span has at most a few segments.
_MAX_SEGMENTS = 32
# Float rounding must not leave a battery a hair below its limit and charging forever.
_LEVEL_EPSILON = 1e-9

BOOST_END_FULL = "fully_charged"
BOOST_END_UNPLUGGED = "unplugged"
BOOST_END_CANCELLED = "cancelled"


def _devices(ev: PoderoVehicle, wallbox: PoderoWallbox | None) -> list[PoderoDevice]:
    return [ev] if wallbox is None else [ev, wallbox]


def is_full(ev: PoderoVehicle) -> bool:
    """The battery is at its charge limit."""
    return ev.battery_level >= ev.charge_limit() - _LEVEL_EPSILON


def max_power_w(ev: PoderoVehicle, wallbox: PoderoWallbox | None) -> float:
    """What the pair can draw: the EV's maximum, capped by the wallbox's."""
    power = float(ev.expected_max_charge_power)
    if wallbox is not None:
        power = min(power, float(wallbox.charge_power_max_w))
    return max(power, 0.0)


def boosting(ev: PoderoVehicle, wallbox: PoderoWallbox | None) -> bool:
    """A boost of the EV or of its wallbox is ongoing."""
    return any(d.boost is not None and d.boost.ongoing for d in _devices(ev, wallbox))


def power_w(ev: PoderoVehicle, wallbox: PoderoWallbox | None, at: float) -> float:
    """Charge power at `at`: zero when unplugged, full, or paused without a boost.

    Smart optimisation never holds charging back in the simulator.
    """
    if not ev.plugged_in or is_full(ev):
        return 0.0
    paused = any(d.paused(at) for d in _devices(ev, wallbox))
    if paused and not boosting(ev, wallbox):
        return 0.0
    return max_power_w(ev, wallbox)


def seconds_to_limit(ev: PoderoVehicle, watts: float) -> float | None:
    """Seconds until the charge limit at this power (None when not charging)."""
    if watts <= 0:
        return None
    kwh_left = max(ev.charge_limit() - ev.battery_level, 0.0) / 100.0 * ev.battery_capacity_kwh
    return kwh_left / (watts / 1000.0) * 3600.0


def _settle(ev: PoderoVehicle, wallbox: PoderoWallbox | None, at: float, delay: float) -> None:
    """Apply what happens by itself at `at`: boosts start after the delay, end when full."""
    full = is_full(ev)
    for device in _devices(ev, wallbox):
        boost = device.boost
        if boost is None:
            continue
        if full:
            device.end_boost(at, BOOST_END_FULL)
        elif not boost.ongoing and ev.plugged_in and at >= boost.requested_at + delay:
            boost.ongoing = True


def _seconds_until_event(
    ev: PoderoVehicle, wallbox: PoderoWallbox | None, at: float, delay: float, watts: float
) -> float | None:
    candidates: list[float] = []
    for device in _devices(ev, wallbox):
        if device.pause_power_until is not None and device.pause_power_until > at:
            candidates.append(device.pause_power_until - at)
        boost = device.boost
        if boost is not None and not boost.ongoing and boost.requested_at + delay > at:
            candidates.append(boost.requested_at + delay - at)
    to_limit = seconds_to_limit(ev, watts)
    if to_limit is not None:
        candidates.append(to_limit)
    return min(candidates) if candidates else None


def _record(device: PoderoDevice, start: float, end: float, kw: float) -> None:
    log = device.consumption
    if log and log[-1].end == start and log[-1].kw == kw:
        log[-1].end = end
    else:
        log.append(EnergySegment(start, end, kw))


def _accumulate(
    ev: PoderoVehicle, wallbox: PoderoWallbox | None, start: float, end: float, watts: float
) -> None:
    if watts <= 0 or end <= start:
        return
    kwh = watts / 1000.0 * (end - start) / 3600.0
    ev.battery_level = min(
        ev.charge_limit(), ev.battery_level + kwh / ev.battery_capacity_kwh * 100.0
    )
    for device in _devices(ev, wallbox):
        _record(device, start, end, watts / 1000.0)
    if wallbox is not None:
        wallbox.total_energy_wh += kwh * 1000.0


def advance(ev: PoderoVehicle, wallbox: PoderoWallbox | None, now: float, delay: float) -> None:
    """Integrate the EV (and the wallbox it is plugged into) from `integrated_at` to `now`."""
    at = ev.integrated_at
    for _ in range(_MAX_SEGMENTS):
        _settle(ev, wallbox, at, delay)
        if at >= now:
            break
        watts = power_w(ev, wallbox, at)
        until_event = _seconds_until_event(ev, wallbox, at, delay, watts)
        end = now if until_event is None else min(now, at + until_event)
        _accumulate(ev, wallbox, at, end, watts)
        at = end
    ev.integrated_at = max(ev.integrated_at, now)
    for device in _devices(ev, wallbox):
        log = device.consumption
        while log and log[0].end < now - CONSUMPTION_HORIZON:
            log.pop(0)
