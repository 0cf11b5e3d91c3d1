"""The read-all strategy on its own: one listing of the whole account per poll.

A stand-in cloud logs the reads and a stand-in clock moves by hand (Podero's
plan: a poll every five minutes, at most one read per 30 seconds, a poll a
minute while a boost is about to start, for ten minutes at most).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from custom_components.ev_charger_cloud.api import BoostState, ChargerStatus, Device
from custom_components.ev_charger_cloud.coordinator.read_all import ReadAllPolling

from .stand_in_cloud import Clock, ReadAllCloud, charger, take_calls


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def cloud() -> ReadAllCloud:
    return ReadAllCloud(devices={"1": charger("1"), "2": charger("2")})


class Account:
    """The strategy with what the coordinator shows and the device lists it reported."""

    def __init__(self, cloud: ReadAllCloud, clock: Clock) -> None:
        self.data: dict[str, Device] | None = None
        self.found: list[list[str]] = []
        self.strategy = ReadAllPolling(
            cloud,
            known_ids=["1", "2"],
            on_discovered=self.found.append,
            shown=lambda: self.data,
            clock=clock,
        )

    async def poll(self) -> dict[str, Device]:
        self.data = await self.strategy.poll()
        return self.data


async def test_each_poll_is_one_read_of_the_account_spaced_apart(
    cloud: ReadAllCloud, clock: Clock
) -> None:
    """A poll closer than the minimum spacing shows what it has, without a read."""
    account = Account(cloud, clock)

    assert sorted(await account.poll()) == ["1", "2"]
    assert take_calls(cloud) == ["read all"]
    assert account.strategy.next_interval(account.data or {}) == timedelta(minutes=5)

    clock.now += 29
    before = account.data
    assert await account.poll() == before
    assert take_calls(cloud) == []

    clock.now += 1
    await account.poll()
    assert take_calls(cloud) == ["read all"]


async def test_the_read_is_the_discovery(cloud: ReadAllCloud, clock: Clock) -> None:
    """The device list is reported when it changes; a device no longer listed drops out."""
    account = Account(cloud, clock)
    await account.poll()
    assert account.found == []  # as known before

    del cloud.devices["1"]
    cloud.devices["3"] = charger("3")
    clock.now += 300
    assert sorted(await account.poll()) == ["2", "3"]
    assert account.found == [["2", "3"]]
    assert account.strategy.device_ids == ["2", "3"]


async def test_polls_come_faster_while_a_device_settles_for_a_bounded_time(
    cloud: ReadAllCloud, clock: Clock
) -> None:
    """A boost about to start: a poll a minute, for ten minutes at most."""
    cloud.devices["1"] = charger("1", boost_state=BoostState.REQUESTED)
    account = Account(cloud, clock)

    data = await account.poll()
    assert account.strategy.next_interval(data) == timedelta(minutes=1)
    clock.now += 599
    assert account.strategy.next_interval(data) == timedelta(minutes=1)
    clock.now += 1
    assert account.strategy.next_interval(data) == timedelta(minutes=5)

    cloud.devices["1"] = charger("1")
    clock.now += 60
    assert account.strategy.next_interval(await account.poll()) == timedelta(minutes=5)


async def test_a_command_is_confirmed_by_the_next_read_within_the_spacing(
    cloud: ReadAllCloud, clock: Clock
) -> None:
    """The follow-up waits for the minimum spacing; its read serves the command."""
    account = Account(cloud, clock)
    await account.poll()
    take_calls(cloud)

    clock.now += 10
    account.strategy.note_answer("1")
    account.strategy.read_again("1")
    assert account.strategy.followup_delay() == 20.0
    clock.now += 20
    await account.poll()
    assert take_calls(cloud) == ["read all"]
    assert not account.strategy.followup_wanted


async def test_a_read_older_than_a_commands_answer_keeps_the_answer(
    cloud: ReadAllCloud, clock: Clock
) -> None:
    """A command answered while the read was under way: its answer stays, read again."""
    account = Account(cloud, clock)
    await account.poll()
    answer = charger("1", ChargerStatus.PAUSED)

    def command_answered() -> None:
        account.strategy.note_answer("1")
        assert account.data is not None
        account.data = {**account.data, "1": answer}

    cloud.during_read = command_answered
    clock.now += 300
    data = await account.poll()

    assert data["1"] is answer
    assert account.strategy.followup_wanted
    assert account.strategy.followup_delay() == 30.0
