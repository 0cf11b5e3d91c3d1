"""What the simulated Thor cloud holds, and the lookups every part of it shares.

`ThorState` keeps the accounts, boxes, charges and reservations; the parts of
`SimulatedThor` (keys, boxes, charges, commands, reservations, documents,
notifications) are mixins on top of it.
"""

from collections import deque
from typing import Any

from simulator.clock import Clock
from simulator.cloudstate import CloudState

from .errors import CHARGEBOX_NOT_FOUND, CONNECTOR_NOT_VALID, ThorError
from .model import (
    ThorAccount,
    ThorCharge,
    ThorChargebox,
    ThorConnector,
    ThorReservation,
    ThorSettings,
)
from .physics import advance
from .push import ThorPusher


class ThorState(CloudState[ThorSettings]):
    """The cloud's state, its reset and the lookups of accounts, boxes and connectors."""

    name = "thor"

    def __init__(self, clock: Clock) -> None:
        super().__init__(clock, ThorSettings)
        self.push = ThorPusher(self.settings, clock)
        self._accounts: dict[str, ThorAccount] = {}
        # Renewed keys: the new key -> the account's first key (its id here); old keys stop.
        self._renewed: dict[str, str] = {}
        self._revoked: set[str] = set()
        self._boxes: dict[str, ThorChargebox] = {}
        self._running: dict[tuple[str, int], ThorCharge] = {}
        self._finished: list[ThorCharge] = []
        self._reservations: list[ThorReservation] = []
        self._starts: dict[tuple[str, int], deque[float]] = {}
        self._box_counter = 0
        self._transaction_counter = 5000
        self._tag_counter = 0
        self._terminal_counter = 0

    def reset(self) -> None:
        """Forget everything (accounts, boxes, charges, faults, limits, settings)."""
        self._accounts.clear()
        self._renewed.clear()
        self._revoked.clear()
        self._boxes.clear()
        self._running.clear()
        self._finished.clear()
        self._reservations.clear()
        self._starts.clear()
        self._box_counter = 0
        self._transaction_counter = 5000
        self._tag_counter = 0
        self._terminal_counter = 0
        self.reset_shared()

    def account(self, api_key: str) -> ThorAccount:
        try:
            return self._accounts[api_key]
        except KeyError:
            raise ThorError(404, f"no account with API key {api_key}") from None

    def add_user(
        self, api_key: str, user_id: str, alias: str | None = None, email: str | None = None
    ) -> dict[str, Any]:
        """A driver of the account, listed in `users` of charge lists."""
        user = {"id": user_id, "alias": alias or user_id, "email": email}
        self.account(api_key).users[user_id] = user
        return user

    def _next_tag(self, prefix: str) -> str:
        """A new id tag (`API…`, `RFID…`, `RES…`): one counter for every kind."""
        self._tag_counter += 1
        return f"{prefix}{self._tag_counter:06d}"

    def chargebox(self, box_id: str) -> ThorChargebox:
        """The box with its running charges brought up to the clock."""
        try:
            box = self._boxes[box_id]
        except KeyError:
            raise ThorError(404, CHARGEBOX_NOT_FOUND) from None
        self._sync(box)
        return box

    def account_box(self, account: ThorAccount, box_id: str) -> ThorChargebox:
        """A box of this account, else 404 ChargeboxNotFound (also for others' boxes)."""
        box = self._boxes.get(box_id)
        if box is None or box.api_key != account.api_key:
            raise ThorError(404, CHARGEBOX_NOT_FOUND)
        self._sync(box)
        return box

    def _connector_of(self, box: ThorChargebox, number: Any) -> ThorConnector:
        connector = None
        if isinstance(number, int) and not isinstance(number, bool):
            connector = box.connector(number)
        if connector is None:
            raise ThorError(400, CONNECTOR_NOT_VALID)
        return connector

    def _sync(self, box: ThorChargebox) -> None:
        now = self.clock.now()
        for number, connector in enumerate(box.connectors, 1):
            charge = self._running.get((box.id, number))
            if charge is not None:
                advance(box, connector, charge, now)

    def _sync_account(self, account: ThorAccount) -> None:
        now = self.clock.now()
        for charge in self._running.values():
            if charge.api_key == account.api_key:
                box = self._boxes[charge.chargebox]
                advance(box, box.connectors[charge.connector - 1], charge, now)
