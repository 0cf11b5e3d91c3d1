"""A Thor entry for any simulated account: served on 127.0.0.1 and set up in Home Assistant.

For tests whose account differs from thor_entry_fixtures' (another box, the demo
account, no charges at all); and the states of an entry's entities.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
import contextlib

from homeassistant.const import CONF_API_KEY
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ev_charger_cloud.api.thor.cloud import account_id
from custom_components.ev_charger_cloud.const import (
    CONF_ACCOUNT_BOX,
    CONF_API_URL,
    CONF_DEVICE_IDS,
    CONF_PROVIDER,
    DOMAIN,
)
from simulator import Simulator
from simulator.testing import SimulatorServer
from tests.thor_entry_fixtures import THOR_PATH

from .conftest import state_of


@contextlib.asynccontextmanager
async def thor_account_entry(
    hass: HomeAssistant, sim: Simulator, api_key: str, boxes: Sequence[str]
) -> AsyncIterator[MockConfigEntry]:
    """The entry of the account ``api_key`` with ``boxes``, set up; the server runs inside."""
    async with SimulatorServer(sim) as server:
        entry = MockConfigEntry(
            domain=DOMAIN,
            title=f"Thor ({len(boxes)} chargeboxes)",
            unique_id=f"thor_{account_id(min(boxes))}",
            data={
                CONF_PROVIDER: "thor",
                CONF_API_KEY: api_key,
                CONF_API_URL: f"{server.base_url}{THOR_PATH}",
                CONF_DEVICE_IDS: list(boxes),
                CONF_ACCOUNT_BOX: min(boxes),
            },
        )
        entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        yield entry


def entity_states(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, str]:
    """The state of every enabled entity of the entry."""
    registry = er.async_get(hass)
    return {
        entity.entity_id: state_of(hass, entity.entity_id)
        for entity in er.async_entries_for_config_entry(registry, entry.entry_id)
        if not entity.disabled
    }
