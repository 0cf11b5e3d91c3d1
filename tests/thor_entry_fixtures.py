"""Fixtures of the Thor entity and control tests: an account with two chargeboxes, set up.

The simulator (our stand-in for thor.tools) serves HTTP on 127.0.0.1. The account
has a one-connector box "Garage" charging a car (started with an RFID card) and a
two-connector box "Parking A" whose connector 1 charges (started from the Thor app)
while connector 2 is free.

The test modules import its constants before pytest loads it as a plugin, so its
asserts are left as they are: PYTEST_DONT_REWRITE.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

from aiohttp import web
from aiohttp.test_utils import TestClient
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import CONF_API_KEY
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.ev_charger_cloud.api.thor.cloud import account_id
from custom_components.ev_charger_cloud.const import (
    CONF_ACCOUNT_BOX,
    CONF_API_URL,
    CONF_DEVICE_IDS,
    CONF_PROVIDER,
    CONF_WEBHOOK_ID,
    DOMAIN,
)
from simulator import Simulator
from simulator.testing import SimulatorServer

API_KEY = "thor-key-5f3c9a1e7b2d4c68"
THOR_PATH = "/thor/latest/integration"
GARAGE_ID = "CB-GARAGE"
PARKING_ID = "CB-PARKING-A"
GARAGE_TAG = "RFID-GARAGE-01"
PARKING_TAG = "APP-PARKING-01"
# Finished charges of past days (the lifetime totals), in Wh.
GARAGE_HISTORY_WH = 8_000
PARKING_HISTORY_WH = 4_500
DAY = 86_400.0
# Both cars draw less than their connectors allow.
GARAGE_CAR_W = 11_000
PARKING_CAR_W = 7_400
UNIQUE_ID = f"thor_{account_id(GARAGE_ID)}"


def add_thor_account(sim: Simulator, api_key: str = API_KEY) -> None:
    """The account: Garage (one 22 kW connector) charging, Parking A (two of 11 kW) half busy.

    Garage and connector 1 of Parking A each had one charge before (2 and 5 days ago).
    """
    cloud = sim.thor
    cloud.add_account(api_key, "Thor test customer")
    cloud.add_chargebox(
        api_key,
        id=GARAGE_ID,
        alias="Garage",
        power=22_000,
        max_amperage=32,
        power_type="AC_3_PHASE",
    )
    cloud.add_chargebox(
        api_key,
        id=PARKING_ID,
        alias="Parking A",
        connectors=2,
        power=11_000,
        max_amperage=16,
        reservable=True,
        public=True,
    )
    now = cloud.clock.now()
    cloud.add_finished_charge(
        GARAGE_ID, 1, now - 2 * DAY, now - 2 * DAY + 3600, GARAGE_HISTORY_WH, id_tag=GARAGE_TAG
    )
    cloud.add_finished_charge(
        PARKING_ID, 1, now - 5 * DAY, now - 5 * DAY + 3600, PARKING_HISTORY_WH, id_tag=PARKING_TAG
    )
    cloud.plug_in(GARAGE_ID, 1, max_power_w=GARAGE_CAR_W)
    cloud.start_local(GARAGE_ID, 1, GARAGE_TAG)
    cloud.plug_in(PARKING_ID, 1, max_power_w=PARKING_CAR_W)
    cloud.start_local(PARKING_ID, 1, PARKING_TAG, mode="remote")


@pytest.fixture
def thor_entry_sim() -> Simulator:
    """The simulated Thor cloud with the account of the module's docstring."""
    sim = Simulator()
    add_thor_account(sim)
    return sim


@pytest.fixture
async def thor_entry_url(thor_entry_sim: Simulator, socket_enabled: None) -> AsyncIterator[str]:
    """The simulator on a free port; the base URL the integration takes for Thor."""
    async with SimulatorServer(thor_entry_sim) as server:
        yield f"{server.base_url}{THOR_PATH}"


def thor_entry_data(thor_entry_url: str, api_key: str = API_KEY) -> dict[str, object]:
    """What a Thor entry of the account keeps, as the config flow stores it."""
    return {
        CONF_PROVIDER: "thor",
        CONF_API_KEY: api_key,
        CONF_API_URL: thor_entry_url,
        CONF_DEVICE_IDS: [GARAGE_ID, PARKING_ID],
        CONF_ACCOUNT_BOX: GARAGE_ID,
    }


@pytest.fixture
async def thor_entry(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, thor_entry_url: str
) -> MockConfigEntry:
    """The account's entry, set up against the simulator."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Thor (2 chargeboxes)",
        unique_id=UNIQUE_ID,
        data=thor_entry_data(thor_entry_url),
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


@dataclass
class ThorWebhook:
    """The entry's webhook as Thor reaches it: posted to directly, or by the simulator."""

    hass: HomeAssistant
    client: TestClient[web.Request, web.Application]
    path: str

    @property
    def url(self) -> str:
        return str(self.client.make_url(self.path))

    async def post(self, raw: bytes) -> int:
        """POST these exact bytes, as Thor would; the HTTP status."""
        response = await self.client.post(
            self.path, data=raw, headers={"Content-Type": "application/json"}
        )
        await self.hass.async_block_till_done()
        return response.status

    def connect(self, sim: Simulator, api_key: str = API_KEY) -> None:
        """Have the simulated Thor post every kind of notification here."""
        sim.thor.set_push_urls(api_key, dict.fromkeys(("start", "stop", "meters"), self.url))

    async def delivered(self, sim: Simulator) -> None:
        """Wait until what the simulator sent has arrived and is shown."""
        await sim.thor.push.drain()
        await self.hass.async_block_till_done()


@pytest.fixture
async def thor_webhook(
    hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator, thor_entry: MockConfigEntry
) -> ThorWebhook:
    """The set-up entry's webhook."""
    client = await hass_client_no_auth()
    return ThorWebhook(hass, client, f"/api/webhook/{thor_entry.data[CONF_WEBHOOK_ID]}")
