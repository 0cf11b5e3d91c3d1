"""Energy of running Thor charges over the simulator clock, integrated lazily.

A running charge is brought up to the clock whenever anything of the cloud is read or
changed. Power is constant between such moments except when the car becomes full,
which is computed exactly here.
"""

from .model import ThorCharge, ThorChargebox, ThorConnector


def power_w(box: ThorChargebox, connector: ThorConnector, charge: ThorCharge | None) -> float:
    """What flows now: min(connector rating, car maximum) while a charge runs.

    Nothing flows without a running charge, without a car, on an offline box or once
    the car is full.
    """
    car = connector.car
    if charge is None or not charge.running or car is None or not box.connected:
        return 0.0
    if car.full_after_wh is not None and charge.energy_wh >= car.full_after_wh:
        return 0.0
    return float(max(min(connector.power, car.max_power_w), 0))


def advance(box: ThorChargebox, connector: ThorConnector, charge: ThorCharge, now: float) -> None:
    """Integrate a running charge (and the connector's meter) up to `now`."""
    elapsed = now - charge.integrated_at
    if elapsed <= 0 or not charge.running:
        return
    power = power_w(box, connector, charge)
    charge.integrated_at = now
    if power <= 0:
        return
    added = power * elapsed / 3600.0
    car = connector.car
    if car is not None and car.full_after_wh is not None:
        added = min(added, car.full_after_wh - charge.energy_wh)
    charge.energy_wh += added
    connector.meter_wh += added
