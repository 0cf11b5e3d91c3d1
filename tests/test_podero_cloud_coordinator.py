"""A Podero account's coordinator: every poll reads all devices with the two lists.

The coordinator is built directly (the Podero config flow is not needed for this).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ev_charger_cloud.api import (
    Charger,
    ChargerStatus,
    PoderoCloud,
    Target,
)
from custom_components.ev_charger_cloud.const import CONF_API_URL, CONF_PROVIDER, DOMAIN
from custom_components.ev_charger_cloud.coordinator import ChargerCloudCoordinator
from simulator import Simulator
from tests.podero_helpers import ACCOUNT, ORG_ID, USER_ID

from .conftest import advance

pytest_plugins = ["tests.podero_fixtures"]

POLL = timedelta(minutes=5)


@dataclass
class Account:
    """The coordinator of the simulated user, the ids it reported, and the device ids."""

    coordinator: ChargerCloudCoordinator
    discovered: list[list[str]]
    wallbox: str
    vehicles: list[str] = field(default_factory=list)


def api_requests(sim: Simulator) -> list[tuple[str, str]]:
    """The Podero requests since the log was cleared: method and the path's last part."""
    return [
        (r.method, r.path.rstrip("/").rsplit("/", 1)[1])
        for r in sim.requests
        if r.provider == "podero"
    ]


@pytest.fixture
async def account(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    podero_sim: Simulator,
    podero_url: str,
    podero_cloud: PoderoCloud,
) -> AsyncIterator[Account]:
    """One wallbox charging an EV and one EV away, polled by a started coordinator."""
    cloud = podero_sim.podero
    wallbox = cloud.add_wallbox(USER_ID, name="Garage")
    vehicles = [cloud.add_vehicle(USER_ID).id, cloud.add_vehicle(USER_ID, model="ID.3").id]
    cloud.plug_in(vehicles[0], wallbox.id)
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Jane Driver",
        unique_id=f"{ORG_ID}_{USER_ID}",
        data={CONF_PROVIDER: "podero", CONF_API_URL: podero_url},
    )
    entry.add_to_hass(hass)
    discovered: list[list[str]] = []
    coordinator = ChargerCloudCoordinator(
        hass, entry, podero_cloud, on_discovered=discovered.append
    )
    await coordinator.async_refresh()
    unsubscribe = coordinator.async_add_listener(lambda: None)  # keeps the polls going
    podero_sim.requests.clear()
    yield Account(coordinator, discovered, wallbox.id, vehicles)
    unsubscribe()
    await coordinator.async_shutdown()


async def test_first_refresh_reads_every_device(account: Account) -> None:
    """All three devices and the account's settings at once; the ids are kept for the entry."""
    coordinator = account.coordinator
    assert coordinator.last_update_success
    assert list(coordinator.data) == [account.wallbox, *account.vehicles, ACCOUNT]
    assert account.discovered == [[account.wallbox, *account.vehicles, ACCOUNT]]
    assert coordinator.update_interval == POLL


async def test_a_poll_costs_three_requests(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, podero_sim: Simulator, account: Account
) -> None:
    """1 wallbox + 2 EVs: the two lists and the charging config per poll, no token request."""
    for polls in (1, 2, 3):
        await advance(hass, freezer, POLL)
        assert len(api_requests(podero_sim)) == 3 * polls
    assert set(api_requests(podero_sim)) == {
        ("GET", "wallboxes"),
        ("GET", "electric-vehicles"),
        ("GET", "charging-config"),
    }
    assert account.discovered == [[account.wallbox, *account.vehicles, ACCOUNT]]  # nothing new
    charger = account.coordinator.data[account.wallbox]
    assert isinstance(charger, Charger)
    assert charger.connectors[0].status is ChargerStatus.CHARGING


async def test_added_device_appears_and_removed_one_drops_out(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, podero_sim: Simulator, account: Account
) -> None:
    """The lists are the discovery: a new EV is there at the next poll, a gone one leaves."""
    coordinator = account.coordinator
    new = podero_sim.podero.add_vehicle(USER_ID, model="e-Golf").id

    await advance(hass, freezer, POLL)

    assert new in coordinator.data
    assert account.discovered[-1] == [account.wallbox, *account.vehicles, new, ACCOUNT]
    assert coordinator.device_ids == account.discovered[-1]

    podero_sim.podero.user(USER_ID).vehicle_ids.remove(account.vehicles[1])
    await advance(hass, freezer, POLL)

    assert account.vehicles[1] not in coordinator.data
    assert account.discovered[-1] == [account.wallbox, account.vehicles[0], new, ACCOUNT]
    assert len(account.discovered) == 3
    assert len(api_requests(podero_sim)) == 6


async def test_refreshes_keep_the_spacing(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, podero_sim: Simulator, account: Account
) -> None:
    """A refresh within 30 s of the last poll sends nothing; after that, one read of all."""
    await advance(hass, freezer, timedelta(seconds=20))
    await account.coordinator.async_refresh()
    assert api_requests(podero_sim) == []
    await advance(hass, freezer, timedelta(seconds=11))
    await account.coordinator.async_refresh()
    assert len(api_requests(podero_sim)) == 3


async def test_command_answer_is_shown_without_a_read(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, podero_sim: Simulator, account: Account
) -> None:
    """Podero answers a pause with the device: shown at once, no follow-up read."""
    coordinator = account.coordinator
    target = Target(account.wallbox, "1")
    result = await coordinator.client.async_set_charging(target, False)
    coordinator.async_command_done(target, result)

    charger = coordinator.data[account.wallbox]
    assert isinstance(charger, Charger)
    assert charger.connectors[0].status is ChargerStatus.PAUSED
    await advance(hass, freezer, timedelta(seconds=60))
    assert api_requests(podero_sim) == [("PUT", account.wallbox)]


async def test_follow_up_is_one_read_of_all(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, podero_sim: Simulator, account: Account
) -> None:
    """A command without an answer is followed by one read of all, 30 s after the poll."""
    coordinator = account.coordinator
    coordinator.async_command_done(Target(account.vehicles[0]), None)
    coordinator.async_command_done(Target(account.wallbox), None)  # one follow-up for both

    await advance(hass, freezer, timedelta(seconds=20))
    assert api_requests(podero_sim) == []
    await advance(hass, freezer, timedelta(seconds=11))
    assert len(api_requests(podero_sim)) == 3
    await advance(hass, freezer, timedelta(seconds=60))
    assert len(api_requests(podero_sim)) == 3  # nothing more until the regular poll
