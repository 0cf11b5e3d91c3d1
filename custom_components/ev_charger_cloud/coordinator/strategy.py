"""What every polling strategy shares: the account's device list and the commands' answers.

A strategy decides what a poll reads and when the next one is due; the
coordinator runs it. Strategies know nothing of Home Assistant: they are
given the client, a clock (monotonic seconds) and a view of the data the
coordinator shows now, which a command's answer may change while a read is
under way.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping
from datetime import timedelta
import math
import time
from typing import NotRequired, TypedDict, Unpack

from custom_components.ev_charger_cloud.api import ChargerCloudClient, Device

# Give the cloud a moment to apply a command before reading the result.
FOLLOWUP_MIN_DELAY = 5.0

type Clock = Callable[[], float]
# The data the coordinator shows at the moment of the call (None before the first poll).
type ShownData = Callable[[], Mapping[str, Device] | None]


def monotonic() -> float:
    """``time.monotonic``, looked up at each call so that a frozen test clock moves it too."""
    return time.monotonic()


class StrategyOptions(TypedDict):
    """What a strategy is given besides the client."""

    known_ids: Iterable[str]  # the device ids found before (none: discover first)
    on_discovered: Callable[[list[str]], None]  # called with the new list when it changes
    shown: ShownData
    clock: NotRequired[Clock]  # monotonic seconds (default: time.monotonic)


class PollingStrategy(ABC):
    """One kind of polling: what a poll reads, and when the next one is due."""

    def __init__(self, client: ChargerCloudClient, **options: Unpack[StrategyOptions]) -> None:
        """Start from the device ids found before, if any."""
        self.client = client
        self.plan = client.poll_plan
        self._device_ids: list[str] = list(options["known_ids"])
        self._on_discovered = options["on_discovered"]
        self._shown = options["shown"]
        self._clock = options.get("clock", monotonic)
        # Devices a command touched, to read first (in order).
        self._priority: list[str] = []
        # Commands answered so far, and per device the number and time of its last
        # answer: a read that started before it is older than the answer.
        self._answers = 0
        self._answered: dict[str, tuple[int, float]] = {}
        self._started = False
        self.last_poll = -math.inf

    @property
    def device_ids(self) -> list[str]:
        """The devices of the account as last discovered."""
        return list(self._device_ids)

    @property
    def read_burst(self) -> int:
        """How many reads the cloud is known to take at once (the plan's, unless learned)."""
        return max(1, self.plan.burst)

    @property
    def followup_wanted(self) -> bool:
        """Whether a device a command touched still waits for its confirming read."""
        return bool(self._priority)

    @abstractmethod
    async def poll(self) -> dict[str, Device]:
        """Read what this poll should; the answer is the data to show."""

    @abstractmethod
    def next_interval(self, data: Mapping[str, Device]) -> timedelta:
        """When to poll again after a poll that answered ``data``."""

    @abstractmethod
    def followup_delay(self) -> float:
        """Seconds until the read that confirms a command may go."""

    def note_answer(self, device_id: str) -> None:
        """A command on the device was answered: reads that started before it are older."""
        self._answers += 1
        self._answered[device_id] = (self._answers, self._clock())

    def read_again(self, device_id: str) -> None:
        """Read the device as soon as the strategy allows (a command touched it)."""
        if device_id not in self._priority:
            self._priority.append(device_id)

    def _answered_since(self, answers: int, devices: Iterable[str]) -> list[str]:
        """Devices a command was answered for after the first ``answers`` (a read then is older)."""
        shown = self._shown()
        return [
            cid
            for cid in devices
            if self._answered.get(cid, (0, 0.0))[0] > answers and shown is not None and cid in shown
        ]

    def _shown_device(self, device_id: str) -> Device:
        """The reading shown now (a command's answer newer than a read)."""
        shown = self._shown()
        assert shown is not None  # only called for devices _answered_since found shown
        return shown[device_id]
