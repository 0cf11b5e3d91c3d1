"""Simulated wall clock shared by every provider of the simulator."""

import time


class Clock:
    """Real time plus an offset that tests push forward with `advance`.

    `time.time()` is looked up on every call so that freezegun, which patches the
    `time` module, also moves this clock.
    """

    def __init__(self) -> None:
        self._offset = 0.0

    def now(self) -> float:
        """Current simulated time in epoch seconds."""
        return time.time() + self._offset

    def advance(self, seconds: float) -> None:
        """Jump forward; negative values are refused because state is integrated lazily."""
        if seconds < 0:
            raise ValueError("the clock cannot go backwards")
        self._offset += seconds
