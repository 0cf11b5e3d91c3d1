"""The simulated Podero cloud: organisations, tokens, users, wallboxes, EVs and their rules.

Every Python method of `SimulatedPodero` is what the HTTP routes call, so tests can
drive the same behaviour without HTTP. Refusals are raised as `PoderoError`
(errors.py) with the HTTP status and body the simulated cloud answers.

The class is put together from one mixin per concern, each on `PoderoState`
(state.py): tokens.py (organisations, tokens, limits), devices.py (users and their
devices), reads.py (the API's reads), world.py (the physical world) and commands.py
(the API's writes).
"""

from .commands import PoderoCommands
from .devices import PoderoDevices
from .errors import (
    FORBIDDEN,
    NOT_FOUND,
    PoderoAuthError,
    PoderoError,
    PoderoRateLimited,
    PoderoValidationError,
)
from .reads import PoderoReads
from .tokens import PoderoTokens
from .world import PoderoWorld

__all__ = [
    "FORBIDDEN",
    "NOT_FOUND",
    "PoderoAuthError",
    "PoderoError",
    "PoderoRateLimited",
    "PoderoValidationError",
    "SimulatedPodero",
]


class SimulatedPodero(PoderoTokens, PoderoDevices, PoderoReads, PoderoWorld, PoderoCommands):
    """State and behaviour of the Podero cloud, shared by its API and control routes."""
