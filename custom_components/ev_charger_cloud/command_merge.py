"""Values asked for in quick succession (a slider, an automation) become few commands.

Clouds limit writes (Wallbox: about five a minute), so twenty quick values must
not become twenty writes, most of them refused and the last one lost. A value
waits ``MERGE_WINDOW``; a later value within it replaces it. One command per
setting runs at a time; values asked for meanwhile replace each other too, and
only the latest is sent once the running command is answered.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

# A value is sent once no other came for this long (seconds): a slider or an
# automation sending values within a second sends one command for the last one.
MERGE_WINDOW = 1.0
# Loop turns to wait when the window is 0, so values asked at the same moment still merge.
SETTLE_TURNS = 3


class LatestValueWins[V]:
    """Sends one value at a time; of the values that waited, only the latest."""

    def __init__(self) -> None:
        """Nothing asked for yet."""
        self._asked = 0
        self._lock = asyncio.Lock()

    async def send(self, value: V, command: Callable[[V], Awaitable[None]]) -> bool:
        """Send ``value`` unless a later value replaces it first; True if it was sent.

        Errors of the command reach the caller whose value it sent; a caller
        whose value was replaced returns at once (the later value is what counts).
        """
        self._asked += 1
        ticket = self._asked
        if MERGE_WINDOW > 0:
            await asyncio.sleep(MERGE_WINDOW)
        else:
            for _ in range(SETTLE_TURNS):
                await asyncio.sleep(0)
        async with self._lock:
            if ticket != self._asked:
                return False
            await command(value)
            return True
