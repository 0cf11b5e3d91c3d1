"""Podero: charging over the simulated clock (battery, range, energy, pause, boost, limits)."""

from datetime import UTC, datetime

import pytest

from simulator import Simulator
from simulator.podero.model import PoderoUser


def test_plugged_ev_charges_at_the_lower_maximum(sim: Simulator, user: PoderoUser) -> None:
    podero = sim.podero
    wallbox = podero.add_wallbox(user.id, charge_power_max_w=7400)
    ev = podero.add_vehicle(
        user.id, battery_capacity_kwh=74.0, battery_level=20.0, expected_max_charge_power=11_000
    )
    podero.plug_in(ev.id, wallbox.id)
    ev_json = podero.vehicle_json(ev.id)
    assert (ev_json["mode"], ev_json["charge_rate_w"], ev_json["is_charging"]) == (
        "CHARGING",
        7400,
        True,
    )
    assert ev_json["battery_at_plug_in"] == 20.0
    # 80 % of 74 kWh at 7.4 kW: 8 h.
    assert ev_json["charge_time_remaining"] == 8 * 3600
    box = podero.wallbox_json(wallbox.id)
    assert (box["mode"], box["charge_rate_w"], box["is_plugged_in"]) == ("CHARGING", 7400.0, True)

    sim.clock.advance(3600)
    ev_json = podero.vehicle_json(ev.id)
    assert ev_json["battery_level"] == 30  # 7.4 kWh of 74
    assert ev_json["driving_range"] == round(30 * 4.5)
    assert ev_json["consumption_last_day_kwh"] == "7.40"
    assert ev_json["charge_time_remaining"] == 7 * 3600
    box = podero.wallbox_json(wallbox.id)
    assert box["total_energy_delivered_wh"] == 7400
    assert box["consumption_last_week_kwh"] == "7.40"


def test_charging_stops_at_full_or_at_the_policy_limit(sim: Simulator, user: PoderoUser) -> None:
    podero = sim.podero
    ev = podero.add_vehicle(
        user.id, battery_capacity_kwh=50.0, battery_level=90.0, expected_max_charge_power=5000
    )
    podero.plug_in(ev.id)  # somewhere without a Podero wallbox
    sim.clock.advance(2 * 3600)
    body = podero.vehicle_json(ev.id)
    assert (body["battery_level"], body["is_fully_charged"], body["is_charging"]) == (
        100,
        True,
        False,
    )
    assert body["mode"] == "PLUGGED_IN"
    assert body["charge_time_remaining"] is None
    assert body["consumption_last_day_kwh"] == "5.00"  # only what fitted

    other = podero.add_vehicle(user.id, battery_level=50.0, minimum_charge_limit=60)
    podero.plug_in(other.id)
    assert podero.vehicle_json(other.id)["is_charging"] is True  # no policy: up to 100 %
    other.is_charge_policy_enabled = True
    sim.clock.advance(3 * 3600)
    body = podero.vehicle_json(other.id)
    assert (body["battery_level"], body["is_fully_charged"]) == (60, True)


def test_pause_holds_until_it_expires(sim: Simulator, user: PoderoUser) -> None:
    podero = sim.podero
    wallbox = podero.add_wallbox(user.id, charge_power_max_w=3600)
    ev = podero.add_vehicle(user.id, battery_capacity_kwh=36.0, battery_level=10.0)
    podero.plug_in(ev.id, wallbox.id)
    until = datetime.fromtimestamp(sim.clock.now() + 1800, UTC).isoformat()
    podero.update_device(wallbox, {"pause_power_until": until})
    assert podero.vehicle_json(ev.id)["is_charging"] is False
    assert podero.wallbox_json(wallbox.id)["mode"] == "PLUGGED_IN"
    sim.clock.advance(3600)  # paused for the first half hour only
    # Real time also passes between plug-in and pause: microseconds of charging.
    assert podero.state_json(ev.id)["battery_level"] == pytest.approx(15.0, abs=0.01)
    assert podero.wallbox_json(wallbox.id)["total_energy_delivered_wh"] == 1800


def test_boost_overrides_a_pause_until_the_limit(sim: Simulator, user: PoderoUser) -> None:
    podero = sim.podero
    ev = podero.add_vehicle(
        user.id,
        battery_capacity_kwh=10.0,
        battery_level=50.0,
        expected_max_charge_power=10_000,
        pause_power_until=sim.clock.now() + 86_400,
    )
    podero.plug_in(ev.id)
    podero.request_boost(ev)
    sim.clock.advance(60 + 1800 + 600)  # delay, 30 min to full, then some
    body = podero.vehicle_json(ev.id)
    assert body["battery_level"] == 100
    assert body["boost_state"] == "available"
    assert body["last_boost_end_reason"] == "fully_charged"
    assert body["consumption_last_day_kwh"] == "5.00"


def test_boost_without_delay_and_unplug_ends_it(sim: Simulator, user: PoderoUser) -> None:
    podero = sim.podero
    podero.settings.boost_start_delay = 0
    ev = podero.add_vehicle(user.id, battery_level=40.0, pause_power_until=sim.clock.now() + 600)
    podero.plug_in(ev.id)
    podero.request_boost(ev)
    assert podero.vehicle_json(ev.id)["boost_state"] == "ongoing"
    podero.unplug(ev.id)
    body = podero.vehicle_json(ev.id)
    assert (body["boost_state"], body["last_boost_end_reason"]) == ("unavailable", "unplugged")
    assert (body["is_plugged_in"], body["mode"]) == (False, "READY")


def test_smart_optimisation_does_not_hold_charging(sim: Simulator, user: PoderoUser) -> None:
    ev = sim.podero.add_vehicle(user.id, is_smart_optimization_active=True)
    sim.podero.plug_in(ev.id)
    assert sim.podero.vehicle_json(ev.id)["is_charging"] is True


def test_consumption_windows_slide(sim: Simulator, user: PoderoUser) -> None:
    podero = sim.podero
    ev = podero.add_vehicle(
        user.id, battery_capacity_kwh=100.0, battery_level=0.0, expected_max_charge_power=1000
    )
    podero.plug_in(ev.id)
    sim.clock.advance(2 * 3600)
    podero.unplug(ev.id)
    sim.clock.advance(86_400 - 3600)  # the first charging hour left the day window
    body = podero.vehicle_json(ev.id)
    assert body["consumption_last_day_kwh"] == "1.00"
    assert body["consumption_last_week_kwh"] == "2.00"
    sim.clock.advance(31 * 86_400)
    assert podero.vehicle_json(ev.id)["consumption_last_month_kwh"] == "0.00"
    assert ev.consumption == []


def test_offline_devices_are_unavailable(sim: Simulator, user: PoderoUser) -> None:
    podero = sim.podero
    wallbox = podero.add_wallbox(user.id)
    ev = podero.add_vehicle(user.id)
    podero.set_online(wallbox.id, False)
    body = podero.wallbox_json(wallbox.id)
    assert (body["mode"], body["connection"], body["is_ocpp_connected"]) == (
        "UNAVAILABLE",
        "offline",
        False,
    )
    assert (body["connection_status"], body["monitoring_status"]) == ("warning", "warning")
    podero.set_authenticated(ev.id, False)
    podero.set_actions(ev.id, ["reauthenticate"])
    body = podero.vehicle_json(ev.id)
    assert (body["mode"], body["connection"], body["connection_status"]) == (
        "UNAVAILABLE",
        "offline",
        "error",
    )
    assert (body["lifecycle_state"], body["action_needed"]) == ("error", True)
    (action,) = body["actions"]
    assert action["code"] == "reauthenticate"
    assert action["resolution_link"]["url"].startswith("/api/partners/v2.0/actions/")
    assert "secret=" in action["resolution_link"]["url"]
