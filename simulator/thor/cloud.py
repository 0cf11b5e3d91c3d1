"""The simulated Thor cloud: accounts (API keys), chargeboxes, charges, reservations.

Every Python method of `SimulatedThor` is what the HTTP routes call, so tests can
drive the same behaviour without HTTP. Refusals are raised as `ThorError` with the
HTTP status and the message name the API answers (`{"message": "<Name>"}`).

The class is put together from one mixin per concern, each on `ThorState` (state.py):
keys.py (accounts, keys, limits), boxes.py, charges.py, commands.py (the API's
start/stop), reservations.py, reads.py (the API's reads) and notifications.py.
"""

from .boxes import ThorBoxes
from .commands import ThorCommands
from .errors import ThorError
from .keys import ThorKeys
from .notifications import ThorNotifications
from .reads import ThorReads

__all__ = ["SimulatedThor", "ThorError"]


class SimulatedThor(ThorKeys, ThorBoxes, ThorCommands, ThorReads, ThorNotifications):
    """State and behaviour of the Thor cloud, shared by its API and control routes."""
