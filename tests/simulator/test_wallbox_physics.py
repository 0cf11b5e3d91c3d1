"""Energy accounting and status over simulated time (Python API)."""

import pytest

from simulator import Simulator
from simulator.testing import WallboxTestClient
from simulator.wallbox.model import Car, EcoSmartMode, WallboxAccount, WallboxCharger


async def test_charging_accumulates_energy(
    sim: Simulator, charger: WallboxCharger, signed_in: WallboxTestClient
) -> None:
    sim.wallbox.plug_in(charger.id, Car(battery_kwh=60, soc_percent=20))
    status = await signed_in.get_json(f"/chargers/status/{charger.id}")
    assert status["status_id"] == 194
    assert status["charging_power"] == 3.68  # 16 A x 230 V x 1 phase
    assert status["finished"] is False

    sim.clock.advance(3600)
    await signed_in.sign_in()  # the token lived 15 minutes
    status = await signed_in.get_json(f"/chargers/status/{charger.id}")
    assert status["added_energy"] == pytest.approx(3.68, abs=0.01)
    assert status["added_grid_energy"] == pytest.approx(3.68, abs=0.01)
    assert status["added_green_energy"] == 0
    assert status["charging_time"] == pytest.approx(3600, abs=2)
    assert status["added_range"] == 22
    assert status["cost"] == pytest.approx(3.68 * 0.24, abs=0.01)
    assert charger.car is not None
    assert charger.car.soc_percent == pytest.approx(20 + 3.68 / 60 * 100, abs=0.1)


def test_three_phases_and_car_limit(account: WallboxAccount, sim: Simulator) -> None:
    charger = sim.wallbox.add_charger(account.email, phases=3, max_charging_current=32)
    sim.wallbox.plug_in(charger.id, Car(max_power_kw=11.0))
    assert sim.wallbox.charging_power_kw(charger.id) == 11.0
    sim.wallbox.set_max_charging_current(charger.id, 10)
    assert sim.wallbox.charging_power_kw(charger.id) == pytest.approx(6.9)


def test_stops_at_target_and_session_survives_unplug(
    sim: Simulator, charger: WallboxCharger
) -> None:
    sim.wallbox.plug_in(charger.id, Car(battery_kwh=10, soc_percent=90, target_soc=100))
    sim.clock.advance(3 * 3600)  # 1 kWh needed, 3.68 kW available
    assert sim.wallbox.status_id(charger.id) == 181
    status = sim.wallbox.status_json(charger.id)
    assert status["added_energy"] == pytest.approx(1.0, abs=0.001)
    assert status["charging_time"] == pytest.approx(3600 / 3.68, abs=2)
    sim.wallbox.unplug(charger.id)
    status = sim.wallbox.status_json(charger.id)
    assert status["status_id"] == 161
    assert status["finished"] is True
    assert status["added_energy"] == pytest.approx(1.0, abs=0.001)
    sim.wallbox.plug_in(charger.id)
    assert sim.wallbox.status_json(charger.id)["added_energy"] == 0


def test_eco_smart_full_green_waits_without_sun(account: WallboxAccount, sim: Simulator) -> None:
    charger = sim.wallbox.add_charger(account.email, eco_smart=True)
    sim.wallbox.set_eco_smart(charger.id, True, EcoSmartMode.FULL_GREEN)
    sim.wallbox.plug_in(charger.id)
    assert sim.wallbox.status_id(charger.id) == 189
    sim.wallbox.set_solar(charger.id, 1.0)  # below 6 A x 230 V
    sim.clock.advance(600)
    assert sim.wallbox.status_id(charger.id) == 189
    assert sim.wallbox.status_json(charger.id)["added_energy"] == 0
    sim.wallbox.set_solar(charger.id, 2.0)
    assert sim.wallbox.status_id(charger.id) == 194
    assert sim.wallbox.charging_power_kw(charger.id) == 2.0
    sim.clock.advance(3600)
    status = sim.wallbox.status_json(charger.id)
    assert status["added_green_energy"] == pytest.approx(2.0, abs=0.01)
    assert status["added_grid_energy"] == pytest.approx(0, abs=0.001)


def test_eco_mode_counts_solar_as_green(account: WallboxAccount, sim: Simulator) -> None:
    charger = sim.wallbox.add_charger(account.email, eco_smart=True)
    sim.wallbox.set_eco_smart(charger.id, True, EcoSmartMode.ECO)
    sim.wallbox.set_solar(charger.id, 1.0)
    sim.wallbox.plug_in(charger.id)
    sim.clock.advance(3600)
    status = sim.wallbox.status_json(charger.id)
    assert status["charging_power"] == 3.68
    assert status["added_green_energy"] == pytest.approx(1.0, abs=0.01)
    assert status["added_grid_energy"] == pytest.approx(2.68, abs=0.01)


def test_restart_disconnects_for_90_seconds(sim: Simulator, charger: WallboxCharger) -> None:
    sim.wallbox.plug_in(charger.id)
    sim.wallbox.remote_action(charger.id, 3)
    assert sim.wallbox.status_id(charger.id) == 163
    sim.clock.advance(89)
    assert sim.wallbox.status_id(charger.id) == 163
    sim.clock.advance(3600 - 89)
    assert sim.wallbox.status_id(charger.id) == 194
    # Only the 3600 - 90 s after the restart delivered energy.
    expected = 3.68 * (3600 - 90) / 3600
    assert sim.wallbox.status_json(charger.id)["added_energy"] == pytest.approx(expected, abs=0.01)


def test_forced_status(sim: Simulator, charger: WallboxCharger) -> None:
    sim.wallbox.plug_in(charger.id)
    sim.wallbox.force_status(charger.id, 14)
    assert sim.wallbox.status_id(charger.id) == 14
    assert sim.wallbox.charging_power_kw(charger.id) == 0
    sim.wallbox.force_status(charger.id, None)
    assert sim.wallbox.status_id(charger.id) == 194


def test_quasar_discharges_with_negative_current(account: WallboxAccount, sim: Simulator) -> None:
    quasar = sim.wallbox.add_charger(account.email, part_number="QSX1-0-2-4-9-002-A")
    sim.wallbox.set_max_charging_current(quasar.id, -10)
    sim.wallbox.plug_in(quasar.id, Car(soc_percent=50))
    assert sim.wallbox.status_id(quasar.id) == 196
    sim.clock.advance(3600)
    status = sim.wallbox.status_json(quasar.id)
    assert status["added_discharged_energy"] == pytest.approx(2.3, abs=0.01)
    assert status["added_energy"] == 0
