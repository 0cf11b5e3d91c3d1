"""Wallbox commands against the simulated cloud on 127.0.0.1, and what their answers show."""

from __future__ import annotations

from dataclasses import replace
from datetime import time as time_of_day
from typing import Any

import pytest

from custom_components.ev_charger_cloud.api.base import ChargerCloudClient
from custom_components.ev_charger_cloud.api.errors import (
    CommandNotSupportedError,
    CommandRejectedError,
    NotPermittedError,
)
from custom_components.ev_charger_cloud.api.models import (
    Account,
    Charger,
    ChargerStatus,
    DeviceRef,
    EcoSmartMode,
    Feature,
    Provider,
    Target,
)
from custom_components.ev_charger_cloud.api.wallbox.cloud import WallboxCloud
from simulator import Simulator
from simulator.faults import Fault
from simulator.wallbox.model import EcoSmartMode as SimEcoSmartMode, Status
from tests.api.wallbox.helpers import ACTION_PATH, connector_of, count


async def test_pause_and_resume(client: WallboxCloud, sim: Simulator, charging_id: int) -> None:
    """Pause and resume change the charger; the answer does not tell the new state."""
    assert await client.async_set_charging(Target(str(charging_id), "1"), False) is None
    assert sim.wallbox.charger(charging_id).paused is True
    assert sim.wallbox.status_id(charging_id) == Status.PAUSED

    assert await client.async_set_charging(Target(str(charging_id), "1"), True) is None
    assert sim.wallbox.charger(charging_id).paused is False
    assert sim.wallbox.status_id(charging_id) == Status.CHARGING
    assert count(sim, ACTION_PATH, method="POST", status=200) == 2


async def test_pause_locked_charger_is_not_permitted(
    client: WallboxCloud, sim: Simulator, charging_id: int
) -> None:
    """The cloud answers 403 to pausing a locked charger."""
    sim.wallbox.set_locked(charging_id, True)

    with pytest.raises(NotPermittedError):
        await client.async_set_charging(Target(str(charging_id), "1"), False)

    assert sim.wallbox.charger(charging_id).paused is False
    assert count(sim, ACTION_PATH, status=403) == 1


async def test_resume_when_not_paused_is_rejected(
    client: WallboxCloud, sim: Simulator, charging_id: int
) -> None:
    """409 on resume of a charger that is not paused carries the cloud's reason."""
    with pytest.raises(CommandRejectedError, match="not paused"):
        await client.async_set_charging(Target(str(charging_id), "1"), True)


async def test_pause_without_a_session_is_rejected(
    client: WallboxCloud, sim: Simulator, idle_id: int
) -> None:
    """Nothing to pause without a car: 409."""
    with pytest.raises(CommandRejectedError, match="not charging"):
        await client.async_set_charging(Target(str(idle_id), "1"), False)


async def test_lock_and_unlock(client: WallboxCloud, sim: Simulator, charging_id: int) -> None:
    """Lock and unlock answer with the lock and the status the cloud reports."""
    before = await client.async_get_device(str(charging_id))

    locked = await client.async_set_locked(Target(str(charging_id)), True)

    # Locked, the charging stops: 0 W, not the power of the last reading.
    assert locked == replace(before, locked=True).with_connector(
        "1",
        status=ChargerStatus.LOCKED_CAR_CONNECTED,
        status_code=Status.LOCKED_CAR_CONNECTED,
        charging_power=0.0,
    )
    assert sim.wallbox.charger(charging_id).locked is True

    unlocked = await client.async_set_locked(Target(str(charging_id)), False)

    # Charging again: the power is unknown until a read (confirmed=False asks for one).
    assert unlocked == replace(before, confirmed=False).with_connector("1", charging_power=None)
    assert sim.wallbox.charger(charging_id).locked is False
    assert count(sim, "/v2/charger/", method="PUT", status=200) == 2


async def test_lock_before_any_reading_returns_none(
    client: WallboxCloud, sim: Simulator, idle_id: int
) -> None:
    """Without a reading to patch, the caller has to read the charger again."""
    assert await client.async_set_locked(Target(str(idle_id)), True) is None
    assert sim.wallbox.charger(idle_id).locked is True
    assert sim.wallbox.status_id(idle_id) == Status.LOCKED


@pytest.mark.parametrize(("asked", "sent_amps"), [(20, 20), (19.6, 20), (6.4, 6)])
async def test_set_max_charging_current(
    client: WallboxCloud, sim: Simulator, charging_id: int, asked: float, sent_amps: int
) -> None:
    """The current is sent in whole amps and the answer shows it."""
    before = await client.async_get_device(str(charging_id))

    charger = await client.async_set_max_charging_current(Target(str(charging_id)), asked)

    if sent_amps < before.max_charging_current:
        # A lower limit while charging: the power is unknown until the next read.
        before = replace(before, confirmed=False).with_connector("1", charging_power=None)
    assert charger == replace(before, max_charging_current=float(sent_amps))
    assert sim.wallbox.charger(charging_id).max_charging_current == sent_amps
    assert sim.wallbox.charging_power_kw(charging_id) == pytest.approx(sent_amps * 0.23)


async def test_max_charging_current_out_of_range(
    client: WallboxCloud, sim: Simulator, charging_id: int
) -> None:
    """400 from the cloud is a rejected command with its reason; nothing changes."""
    with pytest.raises(CommandRejectedError, match=r"6\.\.32"):
        await client.async_set_max_charging_current(Target(str(charging_id)), 40)

    assert sim.wallbox.charger(charging_id).max_charging_current == 16


async def test_set_energy_price(client: WallboxCloud, sim: Simulator, charging_id: int) -> None:
    """The price is rounded to three decimals and read back from the config answer."""
    before = await client.async_get_device(str(charging_id))

    charger = await client.async_set_energy_price(Target(str(charging_id)), 0.31249)

    assert charger == replace(before, energy_price=0.312)
    assert sim.wallbox.charger(charging_id).energy_price == 0.312


async def test_set_icp_max_current(client: WallboxCloud, sim: Simulator, charging_id: int) -> None:
    """The power-boost limit in whole amps, read back from the config answer."""
    before = await client.async_get_device(str(charging_id))

    charger = await client.async_set_icp_max_current(Target(str(charging_id)), 25.2)

    assert charger == replace(before, icp_max_current=25.0)
    assert sim.wallbox.charger(charging_id).icp_max_current == 25


async def test_icp_max_current_out_of_range(
    client: WallboxCloud, sim: Simulator, charging_id: int
) -> None:
    """The cloud accepts 1..255 A."""
    with pytest.raises(CommandRejectedError, match="icp_max_current"):
        await client.async_set_icp_max_current(Target(str(charging_id)), 300)

    assert sim.wallbox.charger(charging_id).icp_max_current == 40


@pytest.mark.parametrize(
    ("start", "mode", "enabled", "sim_mode"),
    [
        (False, EcoSmartMode.FULL_SOLAR, True, SimEcoSmartMode.FULL_GREEN),
        (False, EcoSmartMode.ECO_MODE, True, SimEcoSmartMode.ECO),
        (True, EcoSmartMode.OFF, False, SimEcoSmartMode.ECO),
    ],
)
async def test_set_eco_smart(
    client: WallboxCloud,
    sim: Simulator,
    charging_id: int,
    start: bool,
    mode: EcoSmartMode,
    enabled: bool,
    sim_mode: SimEcoSmartMode,
) -> None:
    """The mode is taken as set on a 2xx, the cloud has it and a new reading agrees."""
    eco = sim.wallbox.charger(charging_id).eco_smart
    assert eco is not None
    eco.enabled = start
    eco.mode = SimEcoSmartMode.FULL_GREEN if start else SimEcoSmartMode.ECO
    before = await client.async_get_device(str(charging_id))

    charger = await client.async_set_eco_smart(Target(str(charging_id)), mode)

    # Shown at once but marked for a confirming read: Wallbox answers with a status only.
    assert charger == replace(before, eco_smart=mode, confirmed=False)
    eco = sim.wallbox.charger(charging_id).eco_smart
    assert eco is not None
    assert (eco.enabled, eco.mode) == (enabled, sim_mode)
    assert (await client.async_get_device(str(charging_id))).eco_smart is mode


async def test_set_eco_smart_before_any_reading_returns_none(
    client: WallboxCloud, sim: Simulator, charging_id: int
) -> None:
    """Accepted, but there is no reading to patch."""
    assert (
        await client.async_set_eco_smart(Target(str(charging_id)), EcoSmartMode.FULL_SOLAR) is None
    )
    eco = sim.wallbox.charger(charging_id).eco_smart
    assert eco is not None
    assert eco.enabled is True


async def test_resume_schedule(client: WallboxCloud, sim: Simulator, charging_id: int) -> None:
    """Action 9 lifts a manual pause and, unlike resume, is accepted when not paused."""
    await client.async_set_charging(Target(str(charging_id), "1"), False)

    assert await client.async_resume_schedule(Target(str(charging_id))) is None

    assert sim.wallbox.charger(charging_id).paused is False
    assert sim.wallbox.status_id(charging_id) == Status.CHARGING
    assert await client.async_resume_schedule(Target(str(charging_id))) is None
    assert count(sim, ACTION_PATH, status=200) == 3


async def test_restart(client: WallboxCloud, sim: Simulator, charging_id: int) -> None:
    """The charger goes offline for the restart and comes back."""
    assert await client.async_restart(Target(str(charging_id))) is None

    restart_until = sim.wallbox.charger(charging_id).restart_until
    assert restart_until == pytest.approx(sim.clock.now() + 90, abs=2)
    charger = await client.async_get_device(str(charging_id))
    assert connector_of(charger).status is ChargerStatus.DISCONNECTED
    sim.clock.advance(91)
    charger = await client.async_get_device(str(charging_id))
    assert connector_of(charger).status is ChargerStatus.CHARGING


@pytest.mark.parametrize(
    ("path", "method", "body", "command", "value"),
    [
        ("/v2/charger/", "PUT", '{"data": {}}', "async_set_locked", True),
        (
            "/v2/charger/",
            "PUT",
            '{"data": {"chargerData": {"status": "x"}}}',
            "async_set_max_charging_current",
            10,
        ),
        ("/chargers/config/", "POST", "{}", "async_set_energy_price", 0.3),
        ("/chargers/config/", "POST", "[0.3]", "async_set_energy_price", 0.3),
        ("/chargers/config/", "POST", '{"energy_price": "cheap"}', "async_set_icp_max_current", 20),
    ],
)
async def test_write_answer_of_another_shape(
    client: WallboxCloud,
    sim: Simulator,
    idle_id: int,
    path: str,
    method: str,
    body: str,
    command: str,
    value: Any,
) -> None:
    """A 2xx write answer without the fields the client reads back confirms nothing: None."""
    await client.async_get_device(str(idle_id))
    sim.wallbox.faults.add(Fault(malformed=True, body=body, path=path, method=method))

    assert await getattr(client, command)(Target(str(idle_id)), value) is None


# --- the base class -------------------------------------------------------------------


class _ReadOnlyClient(ChargerCloudClient):
    """A provider that can only read."""

    provider = Provider.WALLBOX

    async def async_authenticate(self) -> Account:
        return Account(unique_id="1", title="read only")

    async def async_discover(self) -> list[DeviceRef]:
        return []

    async def async_get_device(self, device_id: str) -> Charger:
        return Charger(device_id=device_id, name="x", manufacturer="y")

    def diagnostics(self) -> dict[str, Any]:
        return {}


@pytest.mark.parametrize(
    ("command", "args", "feature"),
    [
        ("async_set_charging", (True,), Feature.PAUSE_RESUME),
        ("async_set_locked", (True,), Feature.LOCK),
        ("async_set_max_charging_current", (16,), Feature.MAX_CHARGING_CURRENT),
        ("async_set_energy_price", (0.3,), Feature.ENERGY_PRICE),
        ("async_set_icp_max_current", (20,), Feature.ICP_MAX_CURRENT),
        ("async_set_eco_smart", (EcoSmartMode.OFF,), Feature.ECO_SMART),
        ("async_resume_schedule", (), Feature.RESUME_SCHEDULE),
        ("async_restart", (), Feature.RESTART),
        ("async_install_update", (), Feature.FIRMWARE),
        ("async_set_smart_optimization", (True,), Feature.SMART_OPTIMIZATION),
        ("async_set_charge_policy", (True,), Feature.CHARGE_POLICY),
        ("async_set_minimum_charge_limit", (80,), Feature.CHARGE_LIMIT),
        ("async_set_charge_deadline", (time_of_day(7, 0),), Feature.CHARGE_DEADLINE),
        ("async_boost", (), Feature.BOOST),
        ("async_cancel_boost", (), Feature.BOOST),
    ],
)
async def test_commands_a_provider_does_not_offer(
    command: str, args: tuple[Any, ...], feature: Feature
) -> None:
    """Commands not overridden raise CommandNotSupportedError naming the feature."""
    client = _ReadOnlyClient()

    with pytest.raises(CommandNotSupportedError) as caught:
        await getattr(client, command)(Target("1", "1"), *args)

    assert str(caught.value) == feature.value
    assert (await client.async_get_device("1")).device_id == "1"
