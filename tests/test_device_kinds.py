"""Device kinds no Wallbox has: a charger with two connectors, and a vehicle.

A stand-in client serves them, so the entity layer is shown to fit the next clouds.
"""

from __future__ import annotations

from collections.abc import Iterator
import dataclasses
from datetime import timedelta
from typing import Any, ClassVar
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.switch import DOMAIN as SWITCH_DOMAIN
from homeassistant.const import ATTR_ENTITY_ID, SERVICE_TURN_OFF
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ev_charger_cloud import async_remove_config_entry_device
from custom_components.ev_charger_cloud.api import (
    Account,
    Charger,
    ChargerCloudClient,
    ChargerStatus,
    Connector,
    Device,
    DeviceKind,
    DeviceRef,
    Feature,
    PollPlan,
    Provider,
    Target,
    Vehicle,
)
from custom_components.ev_charger_cloud.const import CONF_PROVIDER, DOMAIN
from custom_components.ev_charger_cloud.entity import EVChargerCloudEntityDescription
from custom_components.ev_charger_cloud.providers import PROVIDERS

from .conftest import advance, state_of

SESSION = frozenset({Feature.CHARGING_POWER, Feature.SESSION_ENERGY, Feature.PAUSE_RESUME})

HUB = Charger(
    device_id="hub",
    name="Hub",
    manufacturer="Acme",
    features=frozenset({Feature.LOCK}),
    locked=False,
    connectors=(
        Connector(
            connector_id="1",
            status=ChargerStatus.CHARGING,
            charging_power=7400.0,
            session_energy=1.5,
            features=SESSION,
        ),
        Connector(connector_id="2", status=ChargerStatus.READY, features=SESSION),
    ),
)
CAR = Vehicle(
    device_id="car",
    name="Car",
    manufacturer="Acme",
    features=frozenset({Feature.BATTERY_LEVEL, Feature.DRIVING_RANGE}),
    battery_level=80.0,
    driving_range=312.0,
)


class FakeClient(ChargerCloudClient):
    """An account with a two-connector charger and a vehicle, answering from memory."""

    provider: ClassVar[Provider] = Provider.WALLBOX
    poll_plan: ClassVar[PollPlan] = PollPlan(
        interval=timedelta(seconds=30),
        min_spacing=timedelta(0),
        devices_per_poll=None,
        rediscover_every=timedelta(hours=1),
    )

    def __init__(self) -> None:
        self.devices: dict[str, Device] = {HUB.device_id: HUB, CAR.device_id: CAR}
        self.commands: list[tuple[Target, bool]] = []

    async def async_authenticate(self) -> Account:
        return Account(unique_id="fake", title="fake")

    async def async_discover(self) -> list[DeviceRef]:
        return [
            DeviceRef(device_id=d.device_id, name=d.name, kind=d.kind)
            for d in self.devices.values()
        ]

    async def async_get_device(self, device_id: str) -> Device:
        return self.devices[device_id]

    def diagnostics(self) -> dict[str, Any]:
        return {}

    async def async_set_charging(self, target: Target, enabled: bool) -> Device | None:
        self.commands.append((target, enabled))
        status = ChargerStatus.CHARGING if enabled else ChargerStatus.PAUSED
        assert target.connector_id is not None
        return HUB.with_connector(target.connector_id, status=status)


@pytest.fixture
def fake_client() -> Iterator[FakeClient]:
    """The stand-in client, built for every Wallbox entry while the test runs."""
    client = FakeClient()
    spec = dataclasses.replace(PROVIDERS[Provider.WALLBOX], build_client=lambda *_: client)
    with patch.dict(PROVIDERS, {Provider.WALLBOX: spec}):
        yield client


@pytest.fixture
async def fake_entry(hass: HomeAssistant, fake_client: FakeClient) -> MockConfigEntry:
    """An entry set up against the stand-in client."""
    entry = MockConfigEntry(domain=DOMAIN, title="fake", data={CONF_PROVIDER: "wallbox"})
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


async def test_connectors_of_a_charger_get_a_device_each(
    hass: HomeAssistant,
    fake_entry: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
) -> None:
    """Each connector is a child device of its charger, with its own session entities."""
    hub = device_registry.async_get_device_by_identifier(
        (DOMAIN, "wallbox_hub"), fake_entry.entry_id
    )
    assert hub is not None
    assert hub.name == "Hub"
    children = dr.async_entries_for_parent_device(device_registry, hub.id)
    assert sorted((c.name, sorted(c.identifiers)) for c in children) == [
        ("Connector 1", [(DOMAIN, "wallbox_hub_1")]),
        ("Connector 2", [(DOMAIN, "wallbox_hub_2")]),
    ]

    unique_ids = {
        e.unique_id for e in er.async_entries_for_config_entry(entity_registry, fake_entry.entry_id)
    }
    assert {
        "wallbox_hub_lock",
        "wallbox_hub_1_charging_power",
        "wallbox_hub_2_charging_power",
        "wallbox_hub_1_total_energy",
        "wallbox_hub_2_charging",
    } <= unique_ids
    assert "wallbox_hub_charging_power" not in unique_ids

    assert state_of(hass, "lock.hub_lock") == "unlocked"
    assert state_of(hass, "sensor.hub_connector_1_charging_power") == "7.4"
    assert state_of(hass, "sensor.hub_connector_1_total_energy") == "1.5"
    assert state_of(hass, "switch.hub_connector_1_charging") == "on"
    assert state_of(hass, "switch.hub_connector_2_charging") == "off"


async def test_command_addresses_the_connector(
    hass: HomeAssistant, fake_entry: MockConfigEntry, fake_client: FakeClient
) -> None:
    """The switch of connector 1 pauses connector 1, and shows the answer."""
    await hass.services.async_call(
        SWITCH_DOMAIN,
        SERVICE_TURN_OFF,
        {ATTR_ENTITY_ID: "switch.hub_connector_1_charging"},
        blocking=True,
    )

    assert fake_client.commands == [(Target("hub", "1"), False)]
    assert state_of(hass, "switch.hub_connector_1_charging") == "off"


async def test_vehicle_gets_its_own_device_and_entities(
    hass: HomeAssistant,
    fake_entry: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """A vehicle is a device of its own with the readings it reports."""
    assert CAR.kind is DeviceKind.VEHICLE
    car = device_registry.async_get_device_by_identifier(
        (DOMAIN, "wallbox_car"), fake_entry.entry_id
    )
    assert car is not None
    assert (car.name, car.manufacturer) == ("Car", "Acme")

    assert state_of(hass, "sensor.car_battery_level") == "80.0"
    assert state_of(hass, "sensor.car_driving_range") == "312.0"
    # Nothing of a charger: no session, no lock.
    assert hass.states.get("sensor.car_charging_power") is None
    assert hass.states.get("lock.car_lock") is None

    # A device still in the account cannot be removed by hand.
    assert not await async_remove_config_entry_device(hass, fake_entry, car)


async def test_chargers_and_vehicles_are_registered_before_their_entities(
    hass: HomeAssistant, fake_client: FakeClient, device_registry: dr.DeviceRegistry
) -> None:
    """When the platforms set up, the charger and the car are in the registry already."""
    entry = MockConfigEntry(domain=DOMAIN, title="fake", data={CONF_PROVIDER: "wallbox"})
    entry.add_to_hass(hass)
    forward = hass.config_entries.async_forward_entry_setups
    registered_first: list[list[tuple[str | None, bool]]] = []

    async def look_then_forward(*args: Any) -> None:
        registered_first.append(
            sorted(
                (device.name, isinstance(device, dr.DeviceEntry))
                for device in dr.async_entries_for_config_entry(device_registry, entry.entry_id)
            )
        )
        await forward(*args)

    with patch.object(hass.config_entries, "async_forward_entry_setups", look_then_forward):
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()

    assert registered_first == [[("Car", True), ("Hub", True)]]


async def test_a_charger_found_later_gets_its_connector_devices(
    hass: HomeAssistant,
    fake_entry: MockConfigEntry,
    fake_client: FakeClient,
    device_registry: dr.DeviceRegistry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A second hub shows at the hourly discovery, with a child device per connector."""
    fake_client.devices["hub2"] = dataclasses.replace(HUB, device_id="hub2", name="Hub 2")

    await advance(hass, freezer, timedelta(hours=1))

    hub2 = device_registry.async_get_device_by_identifier(
        (DOMAIN, "wallbox_hub2"), fake_entry.entry_id
    )
    assert hub2 is not None
    children = dr.async_entries_for_parent_device(device_registry, hub2.id)
    assert sorted((c.name, sorted(c.identifiers)) for c in children) == [
        ("Connector 1", [(DOMAIN, "wallbox_hub2_1")]),
        ("Connector 2", [(DOMAIN, "wallbox_hub2_2")]),
    ]
    assert state_of(hass, "sensor.hub_2_connector_2_charging_power") is not None


def test_charger_finds_and_changes_one_connector() -> None:
    """Connectors are looked up by id; a change to one leaves the other as it was."""
    assert HUB.connector("2") is HUB.connectors[1]
    assert HUB.connector("3") is None
    paused = HUB.with_connector("1", status=ChargerStatus.PAUSED)
    assert paused.connectors[0].status is ChargerStatus.PAUSED
    assert paused.connectors[1] is HUB.connectors[1]
    assert (paused.connectors[0].charging_enabled, paused.connectors[0].can_pause_or_resume) == (
        False,
        True,
    )


def test_descriptions_apply_by_feature_or_by_their_own_test() -> None:
    """By default a description needs its feature; supported_fn decides instead when given."""
    by_feature = EVChargerCloudEntityDescription[Vehicle](key="a", feature=Feature.BATTERY_LEVEL)
    by_test = EVChargerCloudEntityDescription[Vehicle](
        key="b", supported_fn=lambda vehicle: vehicle.battery_capacity is not None
    )
    without_either = EVChargerCloudEntityDescription[Vehicle](key="c")

    assert by_feature.supports(CAR)
    assert not by_feature.supports(dataclasses.replace(CAR, features=frozenset()))
    assert not by_test.supports(CAR)
    assert by_test.supports(dataclasses.replace(CAR, battery_capacity=75.0))
    assert not without_either.supports(CAR)
    assert by_feature.available_fn(CAR)
