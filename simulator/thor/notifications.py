"""Thor notifications: the push URLs and shape of an account, meter pushes, unlocks, replays."""

from collections.abc import Mapping

from .charges import ThorCharges
from .errors import ThorError
from .model import ThorAccount
from .physics import power_w
from .push import PUSH_KINDS, PushShapeError, meters_payload, shape_of, unlock_payload


class ThorNotifications(ThorCharges):
    """Notifications the control API asks for (the charges send their own)."""

    def set_push_urls(self, api_key: str, urls: Mapping[str, str | None]) -> ThorAccount:
        """Notification URLs per kind (`start`, `stop`, `meters`); None removes one."""
        account = self.account(api_key)
        unknown = set(urls) - set(PUSH_KINDS)
        if unknown:
            raise ThorError(400, f"unknown notification kinds: {sorted(unknown)}")
        for kind, url in urls.items():
            if url is None:
                account.push.urls.pop(kind, None)
            else:
                account.push.urls[kind] = url
        return account

    def push_meters(
        self, api_key: str, box_id: str | None = None, connector: int | None = None
    ) -> int:
        """Send a meter-values notification for each (matching) running charge."""
        account = self.account(api_key)
        now = self.clock.now()
        sent = 0
        for charge in self.running_charges(api_key):
            if (box_id is not None and charge.chargebox != box_id) or (
                connector is not None and charge.connector != connector
            ):
                continue
            box = self._boxes[charge.chargebox]
            plug = box.connectors[charge.connector - 1]
            payload = meters_payload(
                box.id,
                charge.connector,
                charge.id_tag,
                int(plug.meter_wh),
                int(power_w(box, plug, charge)),
                int(charge.energy_wh),
                now - charge.started_at,
            )
            self.push.send(account, "meters", payload)
            sent += 1
        return sent

    def set_push_shape(self, api_key: str, **changes: str) -> ThorAccount:
        """How the account's notifications are written (`PushShape`: the documented variants)."""
        account = self.account(api_key)
        try:
            account.push.shape = shape_of(changes, account.push.shape)
        except PushShapeError as exc:
            raise ThorError(400, str(exc)) from None
        return account

    def push_unlock(self, box_id: str, connector: int) -> int:
        """A `msg: "stop"` unlock notification of a connector (not the end of a charge)."""
        box = self.chargebox(box_id)
        self._connector_of(box, connector)
        account = self._accounts[box.api_key]
        last = [c for c in self._finished if (c.chargebox, c.connector) == (box.id, connector)]
        energy = int(last[-1].energy_wh) if last else 0
        before = len(account.push.deliveries)
        self.push.send(account, "stop", unlock_payload(box.id, connector, energy))
        return len(account.push.deliveries) - before

    def replay_push(self, api_key: str, index: int) -> int:
        """Post a kept notification again, its text unchanged (see ThorPusher.resend)."""
        account = self.account(api_key)
        try:
            return 0 if self.push.resend(account, index) is None else 1
        except IndexError:
            raise ThorError(404, "no such notification") from None
