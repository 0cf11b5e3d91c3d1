"""Quick values become one command; what a command changed shows at once, consistently."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import ATTR_ENTITY_ID, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.ev_charger_cloud.command_merge import LatestValueWins
from simulator.faults import Fault
from tests.conftest import RunningSimulator, advance, state_of

CURRENT = "number.garage_maximum_charging_current"
POWER = "sensor.garage_charging_power"


async def set_current(hass: HomeAssistant, value: float) -> None:
    await hass.services.async_call(
        "number", "set_value", {ATTR_ENTITY_ID: CURRENT, "value": value}, blocking=True
    )


async def tick(hass: HomeAssistant, freezer: FrozenDateTimeFactory, delta: timedelta) -> None:
    """Move time on while service calls wait (async_block_till_done would wait for them)."""
    freezer.tick(delta)
    async_fire_time_changed(hass)
    for _ in range(20):
        await asyncio.sleep(0)


async def test_twenty_quick_values_become_one_write_of_the_last(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulator: RunningSimulator,
    wallbox_account: list[int],
) -> None:
    """A slider or an automation sending 20 values at once: one PUT, for the last value."""
    log = simulator.sim.requests
    log.clear()
    values = [6 + index % 20 for index in range(19)] + [13]
    await asyncio.gather(*(set_current(hass, value) for value in values))
    await hass.async_block_till_done()
    assert log.count(method="PUT") == 1
    assert log.count(status=429) == 0
    assert simulator.sim.wallbox.charger(wallbox_account[0]).max_charging_current == 13
    assert state_of(hass, CURRENT) == "13"


@pytest.mark.merge_window
async def test_values_50_ms_apart_become_one_write_a_second_after_the_last(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
    wallbox_account: list[int],
) -> None:
    """A slider dragged for a second: the value shows at once, one PUT follows the last."""
    log = simulator.sim.requests
    log.clear()
    calls = []
    for value in range(6, 26):
        calls.append(asyncio.create_task(set_current(hass, value)))
        await tick(hass, freezer, timedelta(milliseconds=50))
        assert state_of(hass, CURRENT) == str(value)
    assert log.count(method="PUT") == 0
    await tick(hass, freezer, timedelta(seconds=1))
    await asyncio.gather(*calls)
    assert log.count(method="PUT") == 1
    assert simulator.sim.wallbox.charger(wallbox_account[0]).max_charging_current == 25
    assert state_of(hass, CURRENT) == "25"


async def test_values_asked_during_a_write_wait_and_only_the_latest_follows() -> None:
    """One write at a time; of the values asked meanwhile only the latest is sent."""
    sender: LatestValueWins[int] = LatestValueWins()
    sent: list[int] = []
    release = asyncio.Event()

    async def write(value: int) -> None:
        sent.append(value)
        if value == 1:
            await release.wait()

    first = asyncio.create_task(sender.send(1, write))
    for _ in range(10):
        await asyncio.sleep(0)
    assert sent == [1]  # the first write runs; the later values wait
    later = [asyncio.create_task(sender.send(value, write)) for value in (2, 3, 4)]
    for _ in range(10):
        await asyncio.sleep(0)
    release.set()
    results = await asyncio.gather(first, *later)
    assert sent == [1, 4]
    assert results == [True, False, False, True]


async def test_a_failed_write_reaches_the_caller_and_the_reading_returns(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulator: RunningSimulator,
) -> None:
    """The value asked for is shown while sent; refused, the error shows and so does 16 A."""
    simulator.sim.wallbox.faults.add(Fault(status=500, method="PUT"))
    with pytest.raises(HomeAssistantError):
        await set_current(hass, 10)
    assert state_of(hass, CURRENT) == "16"


async def test_unlock_shows_charging_without_a_stale_zero_power(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Locked, the power is 0; unlocked, "charging" comes with an unknown power until read."""
    await hass.services.async_call(
        "lock", "lock", {ATTR_ENTITY_ID: "lock.garage_lock"}, blocking=True
    )
    assert state_of(hass, POWER) == "0.0"
    await hass.services.async_call(
        "lock", "unlock", {ATTR_ENTITY_ID: "lock.garage_lock"}, blocking=True
    )
    assert state_of(hass, "sensor.garage_status") == "charging"
    assert state_of(hass, POWER) == STATE_UNKNOWN
    await advance(hass, freezer, timedelta(seconds=70))  # the confirming read
    assert state_of(hass, POWER) == "3.68"


async def test_a_lower_current_does_not_leave_the_old_power_shown(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """16 A to 13 A while charging: 3.68 kW is no longer true; the read shows the new power."""
    assert state_of(hass, POWER) == "3.68"
    await set_current(hass, 13)
    assert state_of(hass, CURRENT) == "13"
    assert state_of(hass, POWER) == STATE_UNKNOWN
    await advance(hass, freezer, timedelta(seconds=70))
    assert state_of(hass, POWER) == "2.99"
