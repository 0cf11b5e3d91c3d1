"""The JSON documents of the Thor API (boxes, charge lists, history windows) and control views.

`finished_json` serves the history: a window of whole UTC days, `to` included, at most
`settings.finished_max_days` long.
"""

from datetime import UTC, datetime
from typing import Any

from .charges import ThorCharges
from .errors import BAD_REQUEST, ThorError
from .model import ThorAccount, ThorCharge, ThorChargebox
from .physics import power_w
from .reservations import ThorReservations


def _day_start(text: str | None) -> float:
    """Epoch seconds of 00:00 UTC of a `YYYYMMDD` query value, else 400."""
    if text is None or len(text) != 8 or not text.isdigit():
        raise ThorError(400, BAD_REQUEST)
    try:
        day = datetime.strptime(text, "%Y%m%d").replace(tzinfo=UTC)
    except ValueError:
        raise ThorError(400, BAD_REQUEST) from None
    return day.timestamp()


class ThorReads(ThorCharges, ThorReservations):
    """What the API's reads answer, and the control API's views of boxes and accounts."""

    def chargeboxes_json(
        self,
        account: ThorAccount,
        *,
        only_active: bool = True,
        bounds: tuple[float, float, float, float] | None = None,
        connector_type: str | None = None,
    ) -> list[dict[str, Any]]:
        """`GET /chargeboxes`: `bounds` is (ne lat, ne lng, sw lat, sw lng)."""
        now = self.clock.now()
        items = []
        for box_id in account.box_ids:
            box = self._boxes[box_id]
            if only_active and not box.active:
                continue
            if bounds is not None and not _inside(box, bounds):
                continue
            if connector_type is not None and all(c.type != connector_type for c in box.connectors):
                continue
            items.append(box.to_json(now, self._secrets))
        return items

    def chargebox_json(self, box_id: str) -> dict[str, Any]:
        """`GET /chargeboxes/{id}`: the list shape plus occupied/reserved connectors."""
        box = self.chargebox(box_id)
        now = self.clock.now()
        occupied = [n for n in range(1, len(box.connectors) + 1) if (box.id, n) in self._running]
        reserved = sorted({r.connector for r in self._reservations_of(box.id) if r.active(now)})
        return box.to_json(now, self._secrets) | {
            "occupied_connectors": occupied,
            "reserved_connectors": reserved,
        }

    @property
    def _secrets(self) -> bool:
        """Whether connectors carry their Nayax `terminal_id` and `token` (else null)."""
        return self.settings.connector_secrets == "string"

    def _charges_json(self, account: ThorAccount, charges: list[ThorCharge]) -> dict[str, Any]:
        users = {
            charge.user: account.users.get(charge.user, {"id": charge.user})
            for charge in charges
            if charge.user is not None
        }
        return {
            "count": len(charges),
            "items": [charge.to_json() for charge in charges],
            "users": users,
        }

    def running_json(self, account: ThorAccount, box_id: str | None = None) -> dict[str, Any]:
        """`GET /charges/running[?chargebox=]` (an unknown box: an empty list)."""
        charges = [
            c
            for c in self.running_charges(account.api_key)
            if box_id is None or c.chargebox == box_id
        ]
        return self._charges_json(account, charges)

    def finished_json(
        self,
        account: ThorAccount,
        date_from: str | None,
        date_to: str | None,
        box_id: str | None = None,
    ) -> dict[str, Any]:
        """`GET /charges/finished?from=&to=`: both `YYYYMMDD` (UTC days, `to` included)."""
        start = _day_start(date_from)
        end = _day_start(date_to) + 86_400
        if start >= end:
            raise ThorError(400, BAD_REQUEST)
        longest = self.settings.finished_max_days
        if longest and (end - start) / 86_400 > longest:
            raise ThorError(400, BAD_REQUEST)
        charges = [
            c
            for c in self.finished_charges(account.api_key)
            if (box_id is None or c.chargebox == box_id)
            and c.finished_at is not None
            and start <= c.finished_at < end
        ]
        return self._charges_json(account, charges)

    def state_json(self, box_id: str) -> dict[str, Any]:
        """Internal state of a box for the control API (not an API shape)."""
        box = self.chargebox(box_id)
        connectors = []
        for number, plug in enumerate(box.connectors, 1):
            charge = self._running.get((box.id, number))
            connectors.append(
                {
                    "number": number,
                    **plug.to_json(),
                    "car": None
                    if plug.car is None
                    else {
                        "max_power_w": plug.car.max_power_w,
                        "full_after_wh": plug.car.full_after_wh,
                    },
                    "power_w": power_w(box, plug, charge),
                    "meter_wh": plug.meter_wh,
                    "charge": None
                    if charge is None
                    else charge.to_json() | {"id_tag": charge.id_tag},
                }
            )
        return {
            "id": box.id,
            "api_key": box.api_key,
            "alias": box.alias,
            "active": box.active,
            "connected": box.connected,
            "public": box.public,
            "reservable": box.reservable,
            "free": box.free,
            "price_per_kwh": box.price_per_kwh,
            "connectors": connectors,
        }

    def account_json(self, api_key: str) -> dict[str, Any]:
        account = self.account(api_key)
        return account.to_json() | {
            "running": len(self.running_charges(api_key)),
            "finished": len(self.finished_charges(api_key)),
        }


def _inside(box: ThorChargebox, bounds: tuple[float, float, float, float]) -> bool:
    ne_lat, ne_lng, sw_lat, sw_lng = bounds
    if not sw_lat <= box.latitude <= ne_lat:
        return False
    if sw_lng <= ne_lng:
        return sw_lng <= box.longitude <= ne_lng
    return box.longitude >= sw_lng or box.longitude <= ne_lng  # across the antimeridian
