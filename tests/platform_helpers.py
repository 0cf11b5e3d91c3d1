"""Helpers of the platform and entity tests: services, registry checks, Wallbox entries."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

from homeassistant.const import ATTR_ENTITY_ID, EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from simulator.requestlog import RequestLog
from simulator.wallbox.cloud import SimulatedWallbox
from simulator.wallbox.model import WallboxCharger

from .conftest import EMAIL, PASSWORD, RunningSimulator

# Takes the snapshots of the loaded platform's entities (demo_accounts' ``snapshot_demo``).
type SnapshotDemo = Callable[[], Awaitable[None]]


@dataclass(frozen=True)
class WallboxHome:
    """conftest's Wallbox account set up: the simulated cloud, its request log, the chargers."""

    cloud: SimulatedWallbox
    log: RequestLog
    garage: int
    office: int


async def call_service(
    hass: HomeAssistant, domain: str, service: str, entity_id: str, **data: Any
) -> None:
    """Call the service on the entity, wait for it, then let what it started run."""
    await hass.services.async_call(
        domain, service, {ATTR_ENTITY_ID: entity_id, **data}, blocking=True
    )
    await hass.async_block_till_done()


async def set_up_one_charger(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    config_entry: MockConfigEntry,
    **charger: Any,
) -> WallboxCharger:
    """Set up conftest's Wallbox entry for an account of one charger "Garage" (made so)."""
    cloud = simulator.sim.wallbox
    cloud.add_account(EMAIL, PASSWORD, user_id=4242)
    added = cloud.add_charger(EMAIL, name="Garage", **charger)
    config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    return added


def assert_enabled_and_categories(
    hass: HomeAssistant, expected: Iterable[tuple[str, bool, bool]]
) -> None:
    """Each (entity id, enabled by default, diagnostic) is registered as the tuple says."""
    registry = er.async_get(hass)
    for entity_id, enabled, diagnostic in expected:
        entity = registry.async_get(entity_id)
        assert entity is not None, entity_id
        assert (entity.disabled_by is None) is enabled, entity_id
        category = EntityCategory.DIAGNOSTIC if diagnostic else None
        assert entity.entity_category is category, entity_id
