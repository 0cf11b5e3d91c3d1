"""Thor's API commands `POST /charges/start` and `/charges/stop`, recorded per account.

A start is refused beyond `start_limit` starts per connector in `start_window` seconds;
a box that is offline takes the command (200) but never carries it out.
"""

from collections import deque
from typing import Any

from .charges import ThorCharges
from .errors import (
    ALREADY_IN_TRANSACTION,
    BAD_REQUEST,
    CHARGEBOX_NOT_ACTIVE,
    CHARGEBOX_NOT_FREE,
    NOT_IN_TRANSACTION,
    TOO_MANY_REQUESTS,
    WRONG_TRANSACTION,
    ThorError,
)
from .model import ThorAccount
from .push import rejected_stop_payload, start_payload


class ThorCommands(ThorCharges):
    """What the API's start and stop commands do, and their record."""

    def _record(self, account: ThorAccount, kind: str, body: Any, status: int, answer: Any) -> None:
        account.commands.append(
            {"kind": kind, "body": body, "status": status, "answer": answer, "at": self.clock.now()}
        )

    def start_charge(self, account: ThorAccount, body: Any) -> dict[str, Any]:
        """`POST /charges/start`: 200 `{"id_tag"}`; every call is recorded on the account."""
        try:
            answer = self._start(account, body)
        except ThorError as exc:
            self._record(account, "start", body, exc.status, exc.body)
            raise
        self._record(account, "start", body, 200, answer)
        return answer

    def _start(self, account: ThorAccount, body: Any) -> dict[str, Any]:
        box_id, number = _command_target(body)
        box = self.account_box(account, box_id)
        self._connector_of(box, number)
        self._count_start(box.id, number)
        if not box.active:
            raise ThorError(403, CHARGEBOX_NOT_ACTIVE)
        if not box.free:
            raise ThorError(402, CHARGEBOX_NOT_FREE)
        if (box.id, number) in self._running:
            raise ThorError(400, ALREADY_IN_TRANSACTION)
        id_tag = self._next_tag("API")
        if box.connected:
            self._begin(box, number, id_tag, "api", None)
        else:
            # The command is "sent" (200) but the box never answers: no charge begins.
            self.push.send(
                account, "start", start_payload(box.id, number, id_tag, 0, "api", accepted=False)
            )
        return {"id_tag": id_tag}

    def _count_start(self, box_id: str, connector: int) -> None:
        """429 TooManyRequests beyond `start_limit` starts in `start_window` seconds."""
        now = self.clock.now()
        window = self.settings.start_window
        starts = self._starts.setdefault((box_id, connector), deque())
        while starts and starts[0] <= now - window:
            starts.popleft()
        if len(starts) >= self.settings.start_limit:
            raise ThorError(429, TOO_MANY_REQUESTS, retry_after=starts[0] + window - now)
        starts.append(now)

    def stop_charge(self, account: ThorAccount, body: Any) -> None:
        """`POST /charges/stop`: 200 with an empty body; every call is recorded."""
        try:
            self._stop(account, body)
        except ThorError as exc:
            self._record(account, "stop", body, exc.status, exc.body)
            raise
        self._record(account, "stop", body, 200, None)

    def _stop(self, account: ThorAccount, body: Any) -> None:
        box_id, number = _command_target(body)
        id_tag = body.get("id_tag")
        if not isinstance(id_tag, str) or not id_tag:
            raise ThorError(400, BAD_REQUEST)
        transaction = body.get("transaction")
        box = self.account_box(account, box_id)
        self._connector_of(box, number)
        charge = self._running.get((box.id, number))
        if charge is None:
            raise ThorError(400, NOT_IN_TRANSACTION)
        if transaction is not None and str(transaction) != str(charge.id):
            raise ThorError(400, WRONG_TRANSACTION)
        if id_tag != charge.id_tag:
            raise ThorError(400, WRONG_TRANSACTION)
        if not box.connected:
            # Sent, but the offline box cannot carry it out: the charge stays running.
            self.push.send(account, "stop", rejected_stop_payload(box.id, number, id_tag))
            return
        self._finish(box, charge)


def _command_target(body: Any) -> tuple[str, Any]:
    """`chargebox` (string) and `connector` of a start/stop body; 400 when missing."""
    if not isinstance(body, dict):
        raise ThorError(400, BAD_REQUEST)
    box_id = body.get("chargebox")
    if not isinstance(box_id, str) or not box_id or body.get("connector") is None:
        raise ThorError(400, BAD_REQUEST)
    return box_id, body["connector"]
