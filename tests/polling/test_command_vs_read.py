"""A command answered while a read is under way: the older read must not undo it."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
import dataclasses
from unittest.mock import patch

from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ev_charger_cloud.api import ChargerStatus, Device, Provider, Target
from custom_components.ev_charger_cloud.const import CONF_PROVIDER, DOMAIN
from custom_components.ev_charger_cloud.providers import PROVIDERS
from tests.test_device_kinds import HUB, FakeClient


class SlowClient(FakeClient):
    """Reads wait for ``gate`` while it is set."""

    gate: asyncio.Event | None = None

    async def async_get_device(self, device_id: str) -> Device:
        if self.gate is not None:
            await self.gate.wait()
        return await super().async_get_device(device_id)


@pytest.fixture
def slow_client() -> Iterator[SlowClient]:
    client = SlowClient()
    spec = dataclasses.replace(PROVIDERS[Provider.WALLBOX], build_client=lambda *_: client)
    with patch.dict(PROVIDERS, {Provider.WALLBOX: spec}):
        yield client


async def test_a_read_that_started_before_a_command_keeps_its_answer(
    hass: HomeAssistant, slow_client: SlowClient
) -> None:
    """The pause answered mid-read stays shown; the device is read again afterwards."""
    entry = MockConfigEntry(domain=DOMAIN, title="fake", data={CONF_PROVIDER: "wallbox"})
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    coordinator = entry.runtime_data.coordinator
    connector = HUB.connectors[0].connector_id

    slow_client.gate = asyncio.Event()
    refresh = asyncio.create_task(coordinator.async_refresh())
    for _ in range(5):
        await asyncio.sleep(0)
    paused = HUB.with_connector(connector, status=ChargerStatus.PAUSED)
    coordinator.async_command_done(Target(HUB.device_id, connector), paused)
    slow_client.gate.set()
    await refresh

    assert coordinator.data[HUB.device_id] == paused
    # The car's reading (no command) was taken as read.
    assert coordinator.data["car"] == slow_client.devices["car"]
    await coordinator.async_shutdown()
