"""The Podero client's commands over HTTP, each checked on the simulated device."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta, timezone
from typing import Any

import pytest

from custom_components.ev_charger_cloud.api.podero.client import (
    ELECTRIC_VEHICLE,
    WALLBOX,
    PoderoClient,
)
from custom_components.ev_charger_cloud.api.podero.models import (
    PoderoBoostState,
    PoderoChargingMode,
    PoderoMode,
)
from simulator import Simulator
from simulator.podero.model import PoderoVehicle as SimVehicle, PoderoWallbox as SimWallbox
from tests.podero_helpers import USER_ID, USER_PATH, Sent, count

pytest_plugins = ["tests.podero_fixtures"]


def pause_end(device: SimWallbox | SimVehicle) -> float | None:
    """The simulated device's end of pause (epoch s), read afresh."""
    return device.pause_power_until


@pytest.fixture
def car(podero_sim: Simulator) -> SimVehicle:
    """An EV, not plugged in."""
    return podero_sim.podero.add_vehicle(USER_ID, battery_level=30.0)


async def test_pause_and_resume_a_wallbox(
    podero_sim: Simulator, podero_client: PoderoClient, podero_sent: list[Sent], garage: SimWallbox
) -> None:
    """PUT pause_power_until (UTC ISO-8601), then null; the answer is the updated wallbox."""
    until = datetime.fromtimestamp(podero_sim.clock.now(), UTC).replace(microsecond=0)
    until += timedelta(hours=2)
    local = until.astimezone(timezone(timedelta(hours=1)))

    paused = await podero_client.async_pause(WALLBOX, garage.id, local)

    request = podero_sent[-1]
    assert (request.method, request.url.split("/v2.0")[1]) == (
        "PUT",
        f"{USER_PATH}/wallboxes/{garage.id}",
    )
    assert request.json() == {"pause_power_until": until.strftime("%Y-%m-%dT%H:%M:%SZ")}
    assert pause_end(garage) == until.timestamp()
    assert paused.pause_power_until == until
    assert paused.is_pause_power_active is True
    assert paused.is_charging is False
    assert paused.mode is PoderoMode.PLUGGED_IN

    resumed = await podero_client.async_resume(WALLBOX, garage.id)

    assert podero_sent[-1].json() == {"pause_power_until": None}
    assert pause_end(garage) is None
    assert resumed.is_pause_power_active is False
    assert resumed.is_charging is True


async def test_pause_a_vehicle(
    podero_sim: Simulator, podero_client: PoderoClient, car: SimVehicle
) -> None:
    """Vehicles pause the same way; the answer is the updated vehicle."""
    until = datetime.fromtimestamp(podero_sim.clock.now() + 600, UTC).replace(microsecond=0)
    paused = await podero_client.async_pause(ELECTRIC_VEHICLE, car.id, until)
    assert pause_end(car) == until.timestamp()
    assert paused.pause_power_until == until
    resumed = await podero_client.async_resume(ELECTRIC_VEHICLE, car.id)
    assert pause_end(car) is None
    assert resumed.pause_power_until is None


async def test_pause_needs_an_aware_datetime(
    podero_sim: Simulator, podero_client: PoderoClient, car: SimVehicle
) -> None:
    """A naive end of pause is a programming error, caught before sending."""
    with pytest.raises(ValueError, match="time zone"):
        await podero_client.async_pause(ELECTRIC_VEHICLE, car.id, datetime(2030, 1, 1))
    assert count(podero_sim, car.id) == 0


@pytest.mark.parametrize("active", [True, False])
async def test_smart_optimization(
    podero_client: PoderoClient,
    podero_sent: list[Sent],
    garage: SimWallbox,
    car: SimVehicle,
    active: bool,
) -> None:
    """PUT is_smart_optimization_active on both kinds."""
    garage.is_smart_optimization_active = car.is_smart_optimization_active = not active
    wallbox = await podero_client.async_set_smart_optimization(WALLBOX, garage.id, active)
    assert podero_sent[-1].json() == {"is_smart_optimization_active": active}
    vehicle = await podero_client.async_set_smart_optimization(ELECTRIC_VEHICLE, car.id, active)
    assert garage.is_smart_optimization_active is car.is_smart_optimization_active is active
    assert wallbox.is_smart_optimization_active is vehicle.is_smart_optimization_active is active


async def test_vehicle_charge_policy(
    podero_client: PoderoClient, podero_sent: list[Sent], car: SimVehicle
) -> None:
    """Only the changed fields are sent; the deadline as HH:MM."""
    updated = await podero_client.async_set_vehicle_charge_policy(
        car.id, minimum_charge_limit=70, charge_deadline_at=time(7, 15, 30)
    )
    assert podero_sent[-1].json() == {"minimum_charge_limit": 70, "charge_deadline_at": "07:15"}
    assert (car.minimum_charge_limit, car.charge_deadline_at) == (70, "07:15:00")
    assert (updated.minimum_charge_limit, updated.charge_deadline_at) == (70, time(7, 15))

    updated = await podero_client.async_set_vehicle_charge_policy(
        car.id, is_charge_policy_enabled=True
    )
    assert podero_sent[-1].json() == {"is_charge_policy_enabled": True}
    assert car.is_charge_policy_enabled is True
    assert updated.is_charge_policy_enabled is True
    assert updated.minimum_charge_limit == 70


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({}, "Nothing"),
        ({"minimum_charge_limit": 101}, "0-100"),
        ({"minimum_charge_limit": -1}, "0-100"),
    ],
)
async def test_vehicle_charge_policy_checks_values(
    podero_sim: Simulator,
    podero_client: PoderoClient,
    car: SimVehicle,
    changes: dict[str, Any],
    match: str,
) -> None:
    """Values the API cannot take are refused before sending."""
    with pytest.raises(ValueError, match=match):
        await podero_client.async_set_vehicle_charge_policy(car.id, **changes)
    assert count(podero_sim, car.id) == 0


async def test_boost_and_cancel_on_a_wallbox(
    podero_sim: Simulator, podero_client: PoderoClient, podero_sent: list[Sent], garage: SimWallbox
) -> None:
    """POST boost (204) on a paused wallbox starts one; DELETE (204) ends it."""
    until = datetime.fromtimestamp(podero_sim.clock.now() + 3600, UTC)
    await podero_client.async_pause(WALLBOX, garage.id, until)

    await podero_client.async_boost(WALLBOX, garage.id)

    assert (podero_sent[-1].method, podero_sent[-1].url.rsplit("/", 1)[1]) == ("POST", "boost")
    assert count(podero_sim, "/boost", method="POST", status=204) == 1
    assert garage.boost is not None

    await podero_client.async_cancel_boost(WALLBOX, garage.id)

    assert count(podero_sim, "/boost", method="DELETE", status=204) == 1
    assert garage.boost is None


async def test_boost_a_wallbox_without_a_car_arms_the_next_session(
    podero_sim: Simulator, podero_client: PoderoClient
) -> None:
    """Without a car the boost waits for the next session; cancel disarms it."""
    wallbox = podero_sim.podero.add_wallbox(USER_ID)
    await podero_client.async_boost(WALLBOX, wallbox.id)
    assert wallbox.boost_for_next_session is True
    await podero_client.async_cancel_boost(WALLBOX, wallbox.id)
    assert wallbox.boost_for_next_session is False


async def test_boost_a_vehicle(
    podero_sim: Simulator, podero_client: PoderoClient, car: SimVehicle
) -> None:
    """A plugged-in, paused vehicle boosts; the read shows it requested."""
    podero_sim.podero.plug_in(car.id)
    until = datetime.fromtimestamp(podero_sim.clock.now() + 3600, UTC)
    await podero_client.async_pause(ELECTRIC_VEHICLE, car.id, until)

    await podero_client.async_boost(ELECTRIC_VEHICLE, car.id)

    assert car.boost is not None
    vehicle = await podero_client.async_get_vehicle(car.id)
    assert vehicle.boost_state is PoderoBoostState.REQUESTED
    await podero_client.async_cancel_boost(ELECTRIC_VEHICLE, car.id)
    assert count(podero_sim, f"{car.id}/boost", method="DELETE", status=204) == 1


async def test_charging_mode(
    podero_sim: Simulator, podero_client: PoderoClient, podero_sent: list[Sent], car: SimVehicle
) -> None:
    """PUT charging-config {"mode": ...}; the answer is the updated configuration."""
    config = await podero_client.async_set_charging_mode(PoderoChargingMode.SPOT)

    assert podero_sent[-1].method == "PUT"
    assert podero_sent[-1].url.endswith(f"{USER_PATH}/charging-config")
    assert podero_sent[-1].json() == {"mode": "spot"}
    assert podero_sim.podero.user(USER_ID).charging_mode == "spot"
    assert config.mode is PoderoChargingMode.SPOT


async def test_unknown_charging_mode_is_not_sent(
    podero_sim: Simulator, podero_client: PoderoClient
) -> None:
    """`unknown` is a reading, not a choice."""
    with pytest.raises(ValueError, match="unknown"):
        await podero_client.async_set_charging_mode(PoderoChargingMode.UNKNOWN)
    assert count(podero_sim, "charging-config") == 0
