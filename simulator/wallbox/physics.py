"""Charger behaviour over time: what flows at a given moment and lazy integration.

State is only integrated when a charger is read or changed, from its
`updated_at` up to the current clock time; inside that span the power is
piecewise constant, changing only at events computed here (restart finished,
car full or empty).
"""

from dataclasses import dataclass

from .model import (
    DISCHARGE_FLOOR_SOC,
    KM_PER_KWH,
    MIN_CURRENT,
    VOLTAGE,
    EcoSmartMode,
    Status,
    WallboxCharger,
)

# Guards against a pathological event loop; a real span has at most a few segments.
_MAX_SEGMENTS = 16
# Float rounding must not leave a car a hair below its target and charging forever.
_SOC_EPSILON = 1e-9


@dataclass(frozen=True, slots=True)
class Flow:
    """What the charger is doing: status and power (kW, negative when discharging)."""

    status: int
    power_kw: float = 0.0
    green_kw: float = 0.0


def min_solar_kw(phases: int) -> float:
    """Solar power below which Full Green Eco-Smart cannot start (6 A on every phase)."""
    return MIN_CURRENT * VOLTAGE * phases / 1000.0


def _blocking_status(charger: WallboxCharger, at: float) -> int | None:
    """Return the status of a charger that cannot deliver energy at all, if so."""
    if charger.forced_status is not None:
        # Error and updating chargers do not deliver energy.
        return charger.forced_status
    if charger.restarting(at):
        return Status.DISCONNECTED
    if charger.car is None:
        return Status.LOCKED if charger.locked else Status.READY
    if charger.locked:
        return Status.LOCKED_CAR_CONNECTED
    return Status.PAUSED if charger.paused else None


def flow_at(charger: WallboxCharger, at: float) -> Flow:
    """Return status and power at time `at`, from the state as it is now."""
    blocked = _blocking_status(charger, at)
    car = charger.car
    if blocked is not None or car is None:
        return Flow(Status.READY if blocked is None else blocked)

    current = charger.max_charging_current
    phase_kw = abs(current) * VOLTAGE * charger.phases / 1000.0
    if current < 0:
        if car.soc_percent <= DISCHARGE_FLOOR_SOC + _SOC_EPSILON:
            return Flow(Status.WAITING_FOR_CAR_DEMAND)
        return Flow(Status.DISCHARGING, -min(phase_kw, car.max_power_kw))
    if current < MIN_CURRENT or car.soc_percent >= car.target_soc - _SOC_EPSILON:
        return Flow(Status.WAITING_FOR_CAR_DEMAND)

    power = min(phase_kw, car.max_power_kw)
    solar = max(charger.solar_power_kw, 0.0)
    eco = charger.eco_smart
    if eco is not None and eco.enabled and eco.mode == EcoSmartMode.FULL_GREEN:
        if solar < min_solar_kw(charger.phases):
            return Flow(Status.WAITING_ECO_SMART)
        power = min(power, solar)
    return Flow(Status.CHARGING, power, min(power, solar))


def _seconds_until_event(charger: WallboxCharger, at: float, flow: Flow) -> float | None:
    """Seconds from `at` until the flow changes by itself, if it will."""
    candidates: list[float] = []
    if charger.restart_until is not None and at < charger.restart_until:
        candidates.append(charger.restart_until - at)
    car = charger.car
    if car is not None and flow.power_kw != 0.0:
        if flow.power_kw > 0:
            kwh_left = (car.target_soc - car.soc_percent) / 100.0 * car.battery_kwh
        else:
            kwh_left = (car.soc_percent - DISCHARGE_FLOOR_SOC) / 100.0 * car.battery_kwh
        candidates.append(max(kwh_left, 0.0) / abs(flow.power_kw) * 3600.0)
    return min(candidates) if candidates else None


def _accumulate(charger: WallboxCharger, flow: Flow, seconds: float) -> None:
    if flow.power_kw == 0.0 or seconds <= 0.0:
        return
    hours = seconds / 3600.0
    session = charger.session
    session.charging_time += seconds
    charger.total_charging_time += seconds
    car = charger.car
    if flow.power_kw > 0:
        energy = flow.power_kw * hours
        green = flow.green_kw * hours
        session.added_energy += energy
        session.added_green_energy += green
        session.added_grid_energy += energy - green
        session.cost += energy * charger.energy_price
        charger.total_energy += energy
        if car is not None:
            car.soc_percent = min(
                car.target_soc, car.soc_percent + energy / car.battery_kwh * 100.0
            )
    else:
        energy = -flow.power_kw * hours
        session.added_discharged_energy += energy
        if car is not None:
            car.soc_percent = max(
                DISCHARGE_FLOOR_SOC, car.soc_percent - energy / car.battery_kwh * 100.0
            )


def advance(charger: WallboxCharger, now: float) -> None:
    """Integrate the charger's state from `updated_at` to `now`."""
    at = charger.updated_at
    for _ in range(_MAX_SEGMENTS):
        if at >= now:
            break
        flow = flow_at(charger, at)
        until_event = _seconds_until_event(charger, at, flow)
        end = now if until_event is None else min(now, at + until_event)
        _accumulate(charger, flow, end - at)
        at = end
    charger.updated_at = max(charger.updated_at, now)
    if charger.restart_until is not None and charger.restart_until <= now:
        charger.restart_until = None


def added_range_km(charger: WallboxCharger) -> int:
    """Range the session added, at a flat consumption figure."""
    return round(charger.session.added_energy * KM_PER_KWH)
