"""The budgeted strategy on its own: which devices a poll reads, and when the next poll is due.

A stand-in cloud logs the reads and a stand-in clock moves by hand, so each
test states what is read at which second (Wallbox's plan: one device a
regular poll, at most one regular poll a minute, one read a minute refilled,
a burst of three at first).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from custom_components.ev_charger_cloud.api import ChargerStatus, Device, RateLimitedError
from custom_components.ev_charger_cloud.coordinator.budgeted import BudgetedPolling

from .stand_in_cloud import Clock, StandInCloud, charger, take_calls


class Shown:
    """What the coordinator shows: the last poll's answer, or a command's answer since."""

    def __init__(self) -> None:
        self.data: dict[str, Device] | None = None

    def __call__(self) -> dict[str, Device] | None:
        return self.data


def budgeted(
    cloud: StandInCloud, clock: Clock, shown: Shown, known: list[str], found: list[list[str]]
) -> BudgetedPolling:
    return BudgetedPolling(
        cloud, known_ids=known, on_discovered=found.append, shown=shown, clock=clock
    )


async def polled_once(
    cloud: StandInCloud, clock: Clock, shown: Shown, known: list[str]
) -> BudgetedPolling:
    """A strategy of the known devices after its first poll, its calls forgotten."""
    strategy = budgeted(cloud, clock, shown, known, [])
    shown.data = await strategy.poll()
    take_calls(cloud)
    return strategy


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def shown() -> Shown:
    return Shown()


@pytest.fixture
def cloud() -> StandInCloud:
    return StandInCloud(devices={cid: charger(cid) for cid in ("1", "2", "3", "4")})


async def test_start_reads_the_burst_then_probes_for_the_rest(
    cloud: StandInCloud, clock: Clock, shown: Shown
) -> None:
    """Known devices need no listing; the fourth is read by a probe five seconds later."""
    strategy = budgeted(cloud, clock, shown, ["1", "2", "3", "4"], [])

    shown.data = await strategy.poll()
    assert take_calls(cloud) == ["read 1", "read 2", "read 3"]
    assert sorted(shown.data) == ["1", "2", "3"]
    assert strategy.next_interval(shown.data) == timedelta(seconds=5)

    clock.now += 5
    shown.data = await strategy.poll()
    assert take_calls(cloud) == ["read 4"]
    assert sorted(shown.data) == ["1", "2", "3", "4"]
    assert strategy.read_burst == 4  # the probe got through: the bucket is larger
    assert strategy.next_interval(shown.data) == timedelta(seconds=90)


async def test_regular_polls_read_the_busy_device_first(
    cloud: StandInCloud, clock: Clock, shown: Shown
) -> None:
    """Once all are read, a regular poll reads one device: a charging one before idle ones."""
    cloud.devices = {"1": charger("1"), "2": charger("2", ChargerStatus.CHARGING)}
    strategy = budgeted(cloud, clock, shown, ["1", "2"], [])
    shown.data = await strategy.poll()
    assert take_calls(cloud) == ["read 1", "read 2"]  # nothing known yet: in listed order

    for _ in range(3):
        clock.now += 90
        shown.data = await strategy.poll()
        assert take_calls(cloud) == ["read 2"]

    clock.now += 30  # not a regular poll (closer than a minute): nothing is urgent
    shown.data = await strategy.poll()
    assert take_calls(cloud) == []


async def test_without_known_devices_the_account_is_listed_first(
    cloud: StandInCloud, clock: Clock, shown: Shown
) -> None:
    """The listing takes a read of the budget, and names the devices found."""
    found: list[list[str]] = []
    strategy = budgeted(cloud, clock, shown, [], found)

    shown.data = await strategy.poll()

    assert take_calls(cloud) == ["discover", "read 1", "read 2"]
    assert found == [["1", "2", "3", "4"]]
    assert strategy.device_ids == ["1", "2", "3", "4"]


async def test_a_command_is_confirmed_by_the_next_poll_within_the_budget(
    cloud: StandInCloud, clock: Clock, shown: Shown
) -> None:
    """The commanded device is read first, once the budget has a read for it."""
    cloud.devices = {"1": charger("1"), "2": charger("2")}
    strategy = await polled_once(cloud, clock, shown, ["1", "2"])

    strategy.note_answer("2")
    strategy.read_again("2")
    assert strategy.followup_wanted
    # Two reads spent of three: one is left, so the follow-up waits only the minimum.
    assert strategy.followup_delay() == 5.0

    clock.now += 5
    shown.data = await strategy.poll()
    assert take_calls(cloud) == ["read 2"]
    assert not strategy.followup_wanted


async def test_a_read_older_than_a_commands_answer_keeps_the_answer(
    cloud: StandInCloud, clock: Clock, shown: Shown
) -> None:
    """A command answered while its device was being read: the answer stays, read it again."""
    strategy = await polled_once(cloud, clock, shown, ["1"])
    answer = charger("1", ChargerStatus.PAUSED)

    def command_answered() -> None:
        strategy.note_answer("1")
        assert shown.data is not None
        shown.data = {**shown.data, "1": answer}

    cloud.during_read = command_answered
    clock.now += 90
    data = await strategy.poll()

    assert take_calls(cloud) == ["read 1"]
    assert data["1"] is answer


async def test_a_device_not_found_is_looked_up_then_dropped(
    cloud: StandInCloud, clock: Clock, shown: Shown
) -> None:
    """One 404 keeps the reading and lists the account at the next poll; a second drops it."""
    cloud.devices = {"1": charger("1")}
    strategy = await polled_once(cloud, clock, shown, ["1"])

    cloud.not_found.add("1")
    clock.now += 90
    shown.data = await strategy.poll()
    assert take_calls(cloud) == ["read 1"]
    assert "1" in shown.data

    clock.now += 90
    shown.data = await strategy.poll()
    # Still listed: read again at once, and gone from the data at the second 404.
    assert take_calls(cloud) == ["discover", "read 1"]
    assert shown.data == {}


async def test_after_a_failed_poll_every_device_is_read_again(
    cloud: StandInCloud, clock: Clock, shown: Shown
) -> None:
    """A refusal empties the budget; the next polls read all devices as it refills."""
    cloud.devices = {"1": charger("1"), "2": charger("2")}
    strategy = await polled_once(cloud, clock, shown, ["1", "2"])

    cloud.refuse = True
    clock.now += 90
    with pytest.raises(RateLimitedError):
        await strategy.poll()
    assert take_calls(cloud) == ["read 1"]

    cloud.refuse = False
    clock.now += 90
    shown.data = await strategy.poll()
    # A read and a half refilled: the refused device first, the other half a minute later.
    assert take_calls(cloud) == ["read 1"]
    assert strategy.next_interval(shown.data) == timedelta(seconds=30)
    clock.now += 30
    shown.data = await strategy.poll()
    assert take_calls(cloud) == ["read 2"]
