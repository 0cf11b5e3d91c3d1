"""Podero readings in the neutral model: a value only counts (as a feature) once it is known."""

from __future__ import annotations

import pytest

from custom_components.ev_charger_cloud.api import Charger, Feature, Health, Vehicle
from custom_components.ev_charger_cloud.api.podero.mapping import to_device
from custom_components.ev_charger_cloud.api.podero.models import (
    PoderoConnection,
    PoderoHealth,
    PoderoVehicle,
    PoderoWallbox,
)

READINGS = {
    Feature.TOTAL_ENERGY,
    Feature.ENERGY_HISTORY,
    Feature.CHARGE_TIME_REMAINING,
    Feature.PLUGGED_IN,
    Feature.CHARGING_STATE,
}


def test_bare_wallbox_reports_only_power_and_health() -> None:
    """Nothing known: the connector keeps power and pause; the charger only its health."""
    charger = to_device(PoderoWallbox(id="w1"))

    assert isinstance(charger, Charger)
    assert charger.features == {Feature.CLOUD_HEALTH, Feature.BOOST}
    assert charger.online is None
    assert charger.connection_status is Health.UNKNOWN
    (connector,) = charger.connectors
    assert connector.features == {Feature.CHARGING_POWER, Feature.PAUSE_RESUME}
    assert connector.total_energy is None


def test_wallbox_readings() -> None:
    """Wh become kWh; any one energy window is enough for the history."""
    charger = to_device(
        PoderoWallbox(
            id="w1",
            connection=PoderoConnection.NEVER_CONNECTED,
            monitoring_status=PoderoHealth.WARNING,
            total_energy_delivered_wh=12_345.0,
            consumption_last_month_kwh=80.5,
            charge_time_remaining=600,
            is_plugged_in=True,
            is_charging=False,
            charge_power_max_w=7400.0,
            phases=1,
        )
    )

    assert isinstance(charger, Charger)
    assert charger.online is False
    assert charger.monitoring_status is Health.WARNING
    assert (charger.max_charging_power, charger.phases) == (7400.0, 1)
    (connector,) = charger.connectors
    assert connector.features >= READINGS
    assert connector.total_energy == pytest.approx(12.345)
    assert (connector.energy_last_day, connector.energy_last_month) == (None, 80.5)
    assert connector.charge_time_remaining == 600.0
    assert (connector.plugged_in, connector.charging) == (True, False)


@pytest.mark.parametrize(
    ("connection", "online"),
    [
        (PoderoConnection.ONLINE, True),
        (PoderoConnection.OFFLINE, False),
        (PoderoConnection.UNKNOWN, None),
    ],
)
def test_wallbox_connection(connection: PoderoConnection, online: bool | None) -> None:
    charger = to_device(PoderoWallbox(id="w1", connection=connection))

    assert isinstance(charger, Charger)
    assert charger.online is online
    assert (Feature.CONNECTIVITY in charger.features) is (online is not None)


def test_vehicle_time_and_energy() -> None:
    vehicle = to_device(
        PoderoVehicle(id="v1", consumption_last_day_kwh=3.5, charge_time_remaining=1200)
    )

    assert isinstance(vehicle, Vehicle)
    assert vehicle.features >= {Feature.ENERGY_HISTORY, Feature.CHARGE_TIME_REMAINING}
    assert (vehicle.energy_last_day, vehicle.charge_time_remaining) == (3.5, 1200.0)
    assert to_device(PoderoVehicle(id="v2")).features == frozenset()
