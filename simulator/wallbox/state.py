"""What the simulated Wallbox cloud holds, and the lookups every part of it shares.

`WallboxState` keeps the accounts and chargers; the parts of `SimulatedWallbox`
(tokens, chargers, reads, commands) are mixins on top of it. Every lookup of a
charger brings it up to the clock first.
"""

from simulator.clock import Clock
from simulator.cloudstate import CloudState

from .errors import WallboxError
from .model import WallboxAccount, WallboxCharger, WallboxSettings
from .physics import advance

FIRST_CHARGER_ID = 100001
FIRST_USER_ID = 200001
FIRST_GROUP_ID = 300001


class WallboxState(CloudState[WallboxSettings]):
    """The cloud's state and the lookups of accounts and chargers."""

    name = "wallbox"

    def __init__(self, clock: Clock) -> None:
        super().__init__(clock, WallboxSettings)
        self._accounts: dict[str, WallboxAccount] = {}
        self._chargers: dict[int, WallboxCharger] = {}
        self._next_charger_id = FIRST_CHARGER_ID
        self._next_user_id = FIRST_USER_ID
        self._next_group_id = FIRST_GROUP_ID

    def account(self, email: str) -> WallboxAccount:
        try:
            return self._accounts[email.lower()]
        except KeyError:
            raise WallboxError(404, f"no account {email}") from None

    @property
    def accounts(self) -> list[WallboxAccount]:
        return list(self._accounts.values())

    def find_account(self, email: str) -> WallboxAccount | None:
        return self._accounts.get(email.lower())

    def charger(self, charger_id: int) -> WallboxCharger:
        """The charger with its state brought up to the current clock time."""
        try:
            charger = self._chargers[charger_id]
        except KeyError:
            raise WallboxError(404, f"no charger {charger_id}") from None
        advance(charger, self.clock.now())
        return charger

    def owned_charger(self, account: WallboxAccount, charger_id: int) -> WallboxCharger:
        """Like `charger`, but 404 when the charger belongs to another account."""
        if charger_id not in account.charger_ids:
            raise WallboxError(404, "Charger not found")
        return self.charger(charger_id)

    def chargers_of(self, email: str) -> list[WallboxCharger]:
        return [self.charger(charger_id) for charger_id in self.account(email).charger_ids]

    def _owner(self, charger: WallboxCharger) -> WallboxAccount:
        return self.account(charger.owner_email)
