"""The Podero client's reads over HTTP against the simulated cloud on 127.0.0.1."""

from __future__ import annotations

from datetime import time

import aiohttp
from freezegun.api import FrozenDateTimeFactory
import pytest

from custom_components.ev_charger_cloud.api.podero.client import (
    ELECTRIC_VEHICLE,
    WALLBOX,
    PoderoClient,
)
from custom_components.ev_charger_cloud.api.podero.models import (
    PoderoBoostState,
    PoderoChargingMode,
    PoderoConnection,
    PoderoHealth,
    PoderoMode,
    PoderoModeAvailability,
    PoderoRole,
    PoderoUser,
)
from simulator import Simulator
from tests.podero_helpers import (
    CLIENT_ID,
    CLIENT_SECRET,
    EMAIL,
    ORG_ID,
    USER_ID,
    USER_PATH,
    Sent,
    count,
)

pytest_plugins = ["tests.podero_fixtures"]


async def test_users_of_the_organisation(
    podero_sim: Simulator, podero_client: PoderoClient, podero_sent: list[Sent], podero_url: str
) -> None:
    """GET org/{org_id}/users, typed; device counts follow the user's devices."""
    other = podero_sim.podero.add_user(ORG_ID, "max@example.com", "Max", "Muster")
    podero_sim.podero.add_wallbox(USER_ID)
    podero_sim.podero.add_vehicle(USER_ID)
    podero_sim.podero.add_vehicle(USER_ID)

    users = await podero_client.async_get_users()

    assert podero_sent[-1].url == f"{podero_url}/api/partners/v2.0/org/{ORG_ID}/users"
    assert users == [
        PoderoUser(
            id=USER_ID,
            email=EMAIL,
            first_name="Jane",
            last_name="Driver",
            role=PoderoRole.USER,
            num_wallboxes=1,
            num_electric_vehicles=2,
        ),
        PoderoUser(
            id=other.id,
            email="max@example.com",
            first_name="Max",
            last_name="Muster",
            role=PoderoRole.USER,
            num_wallboxes=0,
            num_electric_vehicles=0,
        ),
    ]


async def test_users_need_no_user_id(
    podero_session: aiohttp.ClientSession, podero_url: str, podero_sim: Simulator
) -> None:
    """The config flow lists users before one is chosen; user calls then refuse to run."""
    client = PoderoClient(podero_session, CLIENT_ID, CLIENT_SECRET, ORG_ID, base_url=podero_url)
    assert [user.id for user in await client.async_get_users()] == [USER_ID]
    assert client.user_id is None
    with pytest.raises(ValueError, match="user_id"):
        await client.async_get_wallboxes()
    assert count(podero_sim, "/wallboxes") == 0


async def test_no_devices(podero_client: PoderoClient) -> None:
    """A user without devices has empty lists."""
    assert await podero_client.async_get_wallboxes() == []
    assert await podero_client.async_get_vehicles() == []


async def test_wallbox_charging_a_car(
    podero_sim: Simulator, podero_client: PoderoClient, freezer: FrozenDateTimeFactory
) -> None:
    """List and detail of a wallbox with a car charging, in W and Wh.

    Time stands still (``freezer``) so that the energy does not grow between the two reads.
    """
    cloud = podero_sim.podero
    wallbox = cloud.add_wallbox(USER_ID, charge_power_max_w=7400, phases=1, firmware_version="2.1")
    vehicle = cloud.add_vehicle(USER_ID, battery_level=40.0, expected_max_charge_power=11000)
    cloud.plug_in(vehicle.id, wallbox.id)
    podero_sim.clock.advance(3600)

    [listed] = await podero_client.async_get_wallboxes()
    detail = await podero_client.async_get_wallbox(wallbox.id)

    assert listed == detail
    assert detail.id == wallbox.id
    assert (detail.manufacturer, detail.model, detail.model_year) == (
        "Wallbox",
        "Pulsar Plus",
        2023,
    )
    assert detail.mode is PoderoMode.CHARGING
    assert detail.connection is PoderoConnection.ONLINE
    assert detail.connection_status is PoderoHealth.OK
    assert detail.is_plugged_in is True
    assert detail.is_charging is True
    assert detail.charge_rate_w == 7400.0  # W, capped by the wallbox
    assert detail.total_energy_delivered_wh == pytest.approx(7400.0, rel=0.01)  # Wh in 1 h
    assert detail.consumption_last_day_kwh == pytest.approx(7.4, abs=0.01)  # kWh, from text
    assert detail.charge_power_max_w == 7400.0
    assert (detail.phases, detail.firmware_version) == (1, "2.1")
    assert detail.owner is not None
    assert detail.owner.email == EMAIL
    assert detail.boost_state is None  # not in the wallbox's OpenAPI shape


async def test_vehicle_list_and_detail(
    podero_sim: Simulator, podero_client: PoderoClient, freezer: FrozenDateTimeFactory
) -> None:
    """An EV: battery in %, capacity in kWh (sent as text), the deadline a time of day.

    Time stands still: the two reads of the detail must not straddle a second.
    """
    cloud = podero_sim.podero
    vehicle = cloud.add_vehicle(
        USER_ID, battery_level=62.0, battery_capacity_kwh=58.0, charge_deadline_at="07:30:00"
    )
    cloud.plug_in(vehicle.id)

    [listed] = await podero_client.async_get_vehicles()
    detail = await podero_client.async_get_device(ELECTRIC_VEHICLE, vehicle.id)

    assert listed.id == detail.id == vehicle.id
    assert listed.battery_capacity_kwh == 58.0
    assert listed.battery_level == 62.0
    assert listed.charge_deadline_at == time(7, 30)
    assert listed.is_plugged_in is True
    assert listed.boost_state is PoderoBoostState.AVAILABLE
    assert (listed.mode, listed.connection) == (None, None)  # the list has no pills
    assert detail.mode is PoderoMode.CHARGING  # the detail has them
    assert detail.connection is PoderoConnection.ONLINE
    assert detail.actions == ()
    assert await podero_client.async_get_vehicle(vehicle.id) == detail


async def test_device_read_through_a_kind(
    podero_sim: Simulator, podero_client: PoderoClient, podero_sent: list[Sent]
) -> None:
    """async_get_device addresses the kind's path."""
    wallbox = podero_sim.podero.add_wallbox(USER_ID)
    assert (await podero_client.async_get_device(WALLBOX, wallbox.id)).id == wallbox.id
    assert podero_sent[-1].url.endswith(f"{USER_PATH}/wallboxes/{wallbox.id}")


async def test_charging_config(podero_sim: Simulator, podero_client: PoderoClient) -> None:
    """The user's mode, which modes are available and why not, band and thresholds in W."""
    cloud = podero_sim.podero
    cloud.add_wallbox(USER_ID, phases=1)
    cloud.add_vehicle(USER_ID)

    config = await podero_client.async_get_charging_config()

    assert config.mode is PoderoChargingMode.NONE
    assert config.available_modes[:2] == (
        PoderoModeAvailability(mode=PoderoChargingMode.NONE, available=True),
        PoderoModeAvailability(mode=PoderoChargingMode.SPOT, available=True),
    )
    assert config.available_modes[2].available is False
    assert "no_inverter" in config.available_modes[2].reasons
    assert config.is_available(PoderoChargingMode.SPOT)
    assert not config.is_available(PoderoChargingMode.HEMS_AND_SPOT)
    assert config.min_band_w == 1380.0  # W: 6 A on one phase
    assert config.hems_min_export_to_start_w == 2000.0
    assert config.hems_max_import_before_stopping_w == 4000.0
    assert config.solar_charging_status is not None
