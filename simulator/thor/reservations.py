"""Thor reservations: made from the Thor app (control API), listed by `GET /reservations`."""

from typing import Any

from .errors import ThorError
from .model import ThorAccount, ThorReservation
from .state import ThorState


class ThorReservations(ThorState):
    """Reservations of connectors and the shapes their list is answered in."""

    def add_reservation(
        self,
        box_id: str,
        connector: int,
        expiry_at: float,
        id_tag: str | None = None,
        user: str | None = None,
        client: str = "thor-app",
    ) -> ThorReservation:
        box = self.chargebox(box_id)
        self._connector_of(box, connector)
        now = self.clock.now()
        if expiry_at <= now:
            raise ThorError(400, "expiry must be in the future")
        if any(r.active(now) for r in self._reservations_of(box.id, connector)):
            raise ThorError(409, "the connector is already reserved")
        reservation = ThorReservation(
            chargebox=box.id,
            connector=connector,
            id_tag=id_tag or self._next_tag("RES"),
            accepted_at=now,
            expiry_at=expiry_at,
            user=user,
            client=client,
            payment_method="free" if box.free else "stripe",
        )
        self._reservations.append(reservation)
        return reservation

    def _reservations_of(self, box_id: str, connector: int | None = None) -> list[ThorReservation]:
        return [
            r
            for r in self._reservations
            if r.chargebox == box_id and (connector is None or r.connector == connector)
        ]

    def reservations_json(self, account: ThorAccount, box_id: str | None = None) -> Any:
        """`GET /reservations`, in the shape `settings.reservations_shape` selects.

        `object` is the page's example: one bare reservation without `status` (the
        first one, `{}` when there is none).
        """
        now = self.clock.now()
        shape = self.settings.reservations_shape
        items = [
            r.to_json(now, status=shape != "object")
            for r in self._reservations
            if self._boxes[r.chargebox].api_key == account.api_key
            and (box_id is None or r.chargebox == box_id)
        ]
        if shape == "list":
            return items
        if shape == "object":
            return items[0] if items else {}
        return {"count": len(items), "items": items}
