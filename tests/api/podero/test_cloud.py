"""Podero in the neutral model, read from the simulated cloud over HTTP: values, units, features."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import aiohttp
import pytest

from custom_components.ev_charger_cloud.api import (
    Account,
    AccountSettings,
    BoostState,
    Charger,
    ChargerStatus,
    Connector,
    DeviceGoneError,
    DeviceKind,
    DeviceRef,
    Feature,
    Health,
    PoderoClient,
    PoderoCloud,
    PoderoToken,
    PollPlan,
    Provider,
    Vehicle,
)
from custom_components.ev_charger_cloud.api.podero.models import PoderoVehicle
from simulator import Simulator
from simulator.podero.model import (
    HOME_LATITUDE,
    HOME_LONGITUDE,
    PoderoVehicle as SimVehicle,
    PoderoWallbox as SimWallbox,
)
from tests.podero_helpers import ACCOUNT, CLIENT_ID, CLIENT_SECRET, ORG_ID, USER_ID, Sent

pytest_plugins = ["tests.podero_fixtures"]

VEHICLE_FEATURES = frozenset(
    {
        Feature.BATTERY_LEVEL,
        Feature.DRIVING_RANGE,
        Feature.CHARGING_POWER,
        Feature.PLUGGED_IN,
        Feature.CHARGING_STATE,
        Feature.CHARGE_LIMIT,
        Feature.CHARGE_DEADLINE,
        Feature.BATTERY_CAPACITY,
        Feature.ENERGY_HISTORY,
        Feature.SMART_OPTIMIZATION,
        Feature.CHARGE_POLICY,
        Feature.PAUSE_RESUME,
        Feature.BOOST,
        Feature.LOCATION,
    }
)


@pytest.fixture
def garage(podero_sim: Simulator) -> SimWallbox:
    """A wallbox named "Garage" (Podero's comment); here without a car of its own (see id4)."""
    return podero_sim.podero.add_wallbox(USER_ID, name="Garage", firmware_version="1.8.2")


@pytest.fixture
def id4(podero_sim: Simulator, garage: SimWallbox) -> SimVehicle:
    """A half-full ID.4 plugged into the garage."""
    vehicle = podero_sim.podero.add_vehicle(USER_ID, battery_level=50.0)
    podero_sim.podero.plug_in(vehicle.id, garage.id)
    return vehicle


@pytest.fixture
def model3(podero_sim: Simulator) -> SimVehicle:
    """A Model 3 away from home, not plugged in."""
    return podero_sim.podero.add_vehicle(
        USER_ID,
        manufacturer="Tesla",
        model="Model 3",
        battery_capacity_kwh=57.5,
        battery_level=68.0,
        range_per_percent=4.9,
        latitude=47.0707,
        longitude=15.4395,
    )


async def test_poll_reads_both_lists_and_the_charging_config(
    podero_cloud: PoderoCloud,
    podero_sent: list[Sent],
    id4: SimVehicle,
    model3: SimVehicle,
) -> None:
    """One read of the account is three GETs, whatever the device count; a stored token is used."""
    devices = await podero_cloud.async_read_all()

    assert [(r.method, r.url.split("/v2.0")[1]) for r in podero_sent] == [
        ("GET", f"/org/{ORG_ID}/users/{USER_ID}/wallboxes"),
        ("GET", f"/org/{ORG_ID}/users/{USER_ID}/electric-vehicles"),
        ("GET", f"/org/{ORG_ID}/users/{USER_ID}/charging-config"),
    ]
    assert [type(d) for d in devices] == [Charger, Vehicle, Vehicle, AccountSettings]


async def test_charging_wallbox(
    podero_cloud: PoderoCloud, garage: SimWallbox, id4: SimVehicle
) -> None:
    """A wallbox is a charger with one connector: status, power in W, pause and resume."""
    charger, *_ = await podero_cloud.async_read_all()

    assert charger == Charger(
        device_id=garage.id,
        name="Garage",
        manufacturer="Wallbox",
        model="Pulsar Plus",
        firmware_version="1.8.2",
        features=frozenset(
            {
                Feature.CLOUD_HEALTH,
                Feature.CONNECTIVITY,
                Feature.MAX_CHARGING_POWER,
                Feature.PHASES,
                Feature.SMART_OPTIMIZATION,
                Feature.BOOST,
            }
        ),
        online=True,
        connection_status=Health.OK,
        monitoring_status=Health.OK,
        steering_status=Health.OK,
        max_charging_power=11000.0,
        phases=3,
        smart_optimization=False,
        connectors=(
            Connector(
                connector_id="1",
                status=ChargerStatus.CHARGING,
                charging_power=11000.0,
                # The simulator's meter starts at 0 Wh; nothing charged in the last month.
                total_energy=0.0,
                energy_last_day=0.0,
                energy_last_week=0.0,
                energy_last_month=0.0,
                # 38.5 kWh to 100 % at 11 kW.
                charge_time_remaining=12600.0,
                plugged_in=True,
                charging=True,
                features=frozenset(
                    {
                        Feature.CHARGING_POWER,
                        Feature.PAUSE_RESUME,
                        Feature.TOTAL_ENERGY,
                        Feature.ENERGY_HISTORY,
                        Feature.CHARGE_TIME_REMAINING,
                        Feature.PLUGGED_IN,
                        Feature.CHARGING_STATE,
                    }
                ),
            ),
        ),
    )
    assert charger.kind is DeviceKind.CHARGER
    connector = charger.connectors[0]
    assert connector.charging_enabled
    assert connector.can_pause_or_resume


async def test_plugged_in_vehicle(
    podero_cloud: PoderoCloud, garage: SimWallbox, id4: SimVehicle
) -> None:
    """The EV charging in the garage: %, km, W, kWh and its charge target."""
    _charger, vehicle, _account = await podero_cloud.async_read_all()

    assert vehicle == Vehicle(
        device_id=id4.id,
        name="Volkswagen ID.4",
        manufacturer="Volkswagen",
        model="ID.4",
        features=VEHICLE_FEATURES | {Feature.CHARGE_TIME_REMAINING},
        battery_level=50.0,
        driving_range=225.0,
        charging_power=11000.0,
        plugged_in=True,
        charging=True,
        fully_charged=False,
        minimum_charge_limit=100.0,
        charge_deadline=time(6, 0),
        charge_policy_enabled=False,
        smart_optimization=False,
        paused=False,
        boost_state=BoostState.AVAILABLE,
        battery_capacity=77.0,
        charge_time_remaining=12600.0,
        energy_last_day=0.0,
        energy_last_week=0.0,
        energy_last_month=0.0,
        # Plugged in at home: where the wallbox is.
        latitude=HOME_LATITUDE,
        longitude=HOME_LONGITUDE,
    )
    assert vehicle.kind is DeviceKind.VEHICLE


async def test_vehicle_away_from_home(
    podero_cloud: PoderoCloud, garage: SimWallbox, model3: SimVehicle
) -> None:
    """An EV elsewhere, unplugged: no power, and the wallbox waits for a car."""
    charger, vehicle, _account = await podero_cloud.async_read_all()

    assert isinstance(vehicle, Vehicle)
    assert (vehicle.name, vehicle.manufacturer, vehicle.model) == (
        "Tesla Model 3",
        "Tesla",
        "Model 3",
    )
    assert (vehicle.battery_level, vehicle.driving_range, vehicle.battery_capacity) == (
        68.0,
        333.0,
        57.5,
    )
    assert (vehicle.plugged_in, vehicle.charging, vehicle.charging_power) == (False, False, 0.0)
    assert vehicle.features == VEHICLE_FEATURES
    assert isinstance(charger, Charger)
    connector = charger.connectors[0]
    assert (connector.status, connector.charging_power) == (ChargerStatus.READY, 0.0)
    assert not connector.can_pause_or_resume


async def test_vehicle_reports_only_known_values(
    podero_sim: Simulator, podero_cloud: PoderoCloud, model3: SimVehicle
) -> None:
    """A capacity of 0 means unknown: no feature for it, and None."""
    podero_sim.podero.vehicle(model3.id).battery_capacity_kwh = 0.0

    vehicle, _account = await podero_cloud.async_read_all()

    assert isinstance(vehicle, Vehicle)
    assert vehicle.battery_capacity is None
    assert vehicle.features == VEHICLE_FEATURES - {Feature.BATTERY_CAPACITY}


async def test_offline_wallbox_is_disconnected(
    podero_sim: Simulator, podero_cloud: PoderoCloud, garage: SimWallbox
) -> None:
    """Podero's UNAVAILABLE (offline or upstream access lost) is DISCONNECTED."""
    podero_sim.podero.set_online(garage.id, False)
    charger, _account = await podero_cloud.async_read_all()
    assert isinstance(charger, Charger)
    assert charger.connectors[0].status is ChargerStatus.DISCONNECTED


async def test_account_is_named_after_the_user(
    podero_sim: Simulator, podero_cloud: PoderoCloud, podero_sent: list[Sent]
) -> None:
    """The user's name (one GET of the user), unique per organisation and user."""
    account = await podero_cloud.async_authenticate()

    assert account == Account(unique_id=f"{ORG_ID}_{USER_ID}", title="Jane Driver")
    assert [r.url.split("/v2.0")[1] for r in podero_sent] == [f"/org/{ORG_ID}/users/{USER_ID}"]
    assert podero_cloud.provider is Provider.PODERO


async def test_account_without_names_is_titled_by_email(
    podero_sim: Simulator,
    podero_session: aiohttp.ClientSession,
    podero_url: str,
    podero_stored_token: PoderoToken,
) -> None:
    """A user with no names shows their e-mail."""
    user = podero_sim.podero.add_user(ORG_ID, "fleet@example.com")
    raw = PoderoClient(
        podero_session,
        CLIENT_ID,
        CLIENT_SECRET,
        ORG_ID,
        user_id=user.id,
        base_url=podero_url,
        token=podero_stored_token,
    )
    client = PoderoCloud(raw)
    assert client.podero is raw
    assert await client.async_authenticate() == Account(
        unique_id=f"{ORG_ID}_{user.id}", title="fleet@example.com"
    )


async def test_cloud_needs_a_client_of_one_user(podero_session: aiohttp.ClientSession) -> None:
    """An organisation-wide client is refused: the account is one user's."""
    org_wide = PoderoClient(podero_session, CLIENT_ID, CLIENT_SECRET, ORG_ID)
    with pytest.raises(ValueError, match="narrowed to one user"):
        PoderoCloud(org_wide)


async def test_discovery_lists_wallboxes_then_vehicles(
    podero_sim: Simulator, podero_cloud: PoderoCloud, id4: SimVehicle, garage: SimWallbox
) -> None:
    """Both lists; a wallbox without a comment is named by make and model."""
    bare = podero_sim.podero.add_wallbox(USER_ID)

    assert await podero_cloud.async_discover() == [
        DeviceRef(device_id=garage.id, name="Garage", kind=DeviceKind.CHARGER),
        DeviceRef(device_id=bare.id, name="Wallbox Pulsar Plus", kind=DeviceKind.CHARGER),
        DeviceRef(device_id=id4.id, name="Volkswagen ID.4", kind=DeviceKind.VEHICLE),
    ]


async def test_one_device_by_its_kind(
    podero_sim: Simulator,
    podero_cloud: PoderoCloud,
    podero_sent: list[Sent],
    garage: SimWallbox,
    id4: SimVehicle,
) -> None:
    """A device is read at its kind's path; an id not in the last lists makes them read again."""
    charger = await podero_cloud.async_get_device(garage.id)  # not listed yet: lists first
    assert isinstance(charger, Charger)
    assert [r.url.rsplit("/", 1)[1] for r in podero_sent] == [
        "wallboxes",
        "electric-vehicles",
        garage.id,
    ]
    vehicle = await podero_cloud.async_get_device(id4.id)
    assert isinstance(vehicle, Vehicle)
    assert podero_sent[-1].url.endswith(f"/electric-vehicles/{id4.id}")
    assert len(podero_sent) == 4

    with pytest.raises(DeviceGoneError):
        await podero_cloud.async_get_device("no-such-device")
    assert len(podero_sent) == 6

    podero_sim.podero.user(USER_ID).vehicle_ids.remove(id4.id)
    with pytest.raises(DeviceGoneError):
        await podero_cloud.async_get_device(id4.id)


async def test_diagnostics_leave_personal_data_out(
    podero_cloud: PoderoCloud, garage: SimWallbox, id4: SimVehicle
) -> None:
    """Podero's last answers as plain data, without owner, comment, location or links."""
    await podero_cloud.async_read_all()

    diagnostics = podero_cloud.diagnostics()

    wallbox = diagnostics["devices"][garage.id]
    vehicle = diagnostics["devices"][id4.id]
    assert (wallbox["type"], wallbox["mode"], wallbox["charge_rate_w"]) == (
        "PoderoWallbox",
        "CHARGING",
        11000.0,
    )
    assert vehicle["charge_deadline_at"] == "06:00:00"
    assert isinstance(vehicle["created_at"], str)
    text = repr(diagnostics)
    for personal in ("'owner'", "'comment'", "Garage", "'latitude'", "jane.driver", "secret="):
        assert personal not in text, personal


async def test_soft_deleted_devices_are_left_out(
    podero_cloud: PoderoCloud,
    podero_stored_token: PoderoToken,
    garage: SimWallbox,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A device with ``deleted_at`` set is gone, although Podero still lists it."""
    deleted = PoderoVehicle(id="old-car", deleted_at=datetime(2026, 1, 1, tzinfo=UTC))

    async def vehicles() -> list[PoderoVehicle]:
        return [deleted]

    monkeypatch.setattr(podero_cloud.podero, "async_get_vehicles", vehicles)
    assert [d.device_id for d in await podero_cloud.async_read_all()] == [garage.id, ACCOUNT]
    assert podero_cloud.token == podero_stored_token  # still the stored one


def test_poll_plan_reads_the_whole_account() -> None:
    """Both lists and the configuration every 5 min, every minute while a boost settles."""
    assert PoderoCloud.poll_plan == PollPlan(
        interval=timedelta(minutes=5),
        min_spacing=timedelta(seconds=30),
        devices_per_poll=None,
        rediscover_every=timedelta(minutes=5),
        read_all=True,
        settle_interval=timedelta(minutes=1),
        settle_for=timedelta(minutes=10),
    )
