"""The simulated Wallbox cloud: accounts, tokens, rate limits and charger operations.

Every Python method of `SimulatedWallbox` is what the HTTP routes call, so tests can
drive the same behaviour without HTTP. Errors are raised as `WallboxError`
(errors.py) with the HTTP status the real cloud would answer.

The class is put together from one mixin per concern, each on `WallboxState`
(state.py): tokens.py (accounts, tokens, limits), chargers.py (setup and the
physical world), reads.py (the API's reads) and commands.py (the API's writes).
"""

from .chargers import WallboxChargers
from .commands import WallboxCommands
from .errors import WallboxError, WallboxRateLimited
from .reads import WallboxReads
from .tokens import WallboxTokens

__all__ = ["SimulatedWallbox", "WallboxError", "WallboxRateLimited"]


class SimulatedWallbox(WallboxTokens, WallboxChargers, WallboxReads, WallboxCommands):
    """State and behaviour of the Wallbox cloud, shared by its API and control routes."""
