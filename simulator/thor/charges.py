"""Thor charges at the box: cars plugged in, local starts and stops, the finished history.

Every charge begins in `_begin` and ends in `_finish`, which send the start and stop
notifications; the API's own start/stop commands (commands.py) end up there too.
"""

from .errors import ALREADY_IN_TRANSACTION, NOT_IN_TRANSACTION, ThorError
from .model import START_MODES, ThorCar, ThorCharge, ThorChargebox, ThorConnector
from .physics import advance, power_w
from .push import start_payload, stop_payload
from .state import ThorState


class ThorCharges(ThorState):
    """Running and finished charges and the physical world around them."""

    def plug_in(
        self,
        box_id: str,
        connector: int,
        max_power_w: int = 11_000,
        full_after_wh: int | None = None,
    ) -> ThorConnector:
        """A car arrives; a running charge on the connector starts drawing power."""
        box = self.chargebox(box_id)
        plug = self._connector_of(box, connector)
        if plug.car is not None:
            raise ThorError(409, "a car is already plugged into this connector")
        if max_power_w <= 0 or (full_after_wh is not None and full_after_wh < 0):
            raise ThorError(400, "max_power_w must be positive and full_after_wh not negative")
        plug.car = ThorCar(max_power_w, full_after_wh)
        return plug

    def unplug(self, box_id: str, connector: int) -> ThorConnector:
        """The car leaves; a running charge on the connector ends (like EVDisconnected)."""
        box = self.chargebox(box_id)
        plug = self._connector_of(box, connector)
        if plug.car is None:
            raise ThorError(409, "no car is plugged into this connector")
        charge = self._running.get((box.id, connector))
        if charge is not None:
            self._finish(box, charge)
        plug.car = None
        return plug

    def power_w(self, box_id: str, connector: int) -> float:
        box = self.chargebox(box_id)
        plug = self._connector_of(box, connector)
        return power_w(box, plug, self._running.get((box.id, connector)))

    def running_charge(self, box_id: str, connector: int) -> ThorCharge | None:
        self.chargebox(box_id)
        return self._running.get((box_id, connector))

    def _new_charge(
        self,
        box: ThorChargebox,
        connector: int,
        id_tag: str,
        mode: str,
        user: str | None,
        started_at: float,
        **finished: float,
    ) -> ThorCharge:
        """A charge with the next transaction id; a user new to the account is added."""
        if user is not None and user not in self._accounts[box.api_key].users:
            self.add_user(box.api_key, user)
        self._transaction_counter += 1
        return ThorCharge(
            id=self._transaction_counter,
            api_key=box.api_key,
            chargebox=box.id,
            connector=connector,
            id_tag=id_tag,
            mode=mode,
            started_at=started_at,
            integrated_at=finished.pop("integrated_at", started_at),
            user=user,
            free=box.free,
            **finished,
        )

    def _begin(
        self, box: ThorChargebox, connector: int, id_tag: str, mode: str, user: str | None
    ) -> ThorCharge:
        charge = self._new_charge(box, connector, id_tag, mode, user, self.clock.now())
        self._running[(box.id, connector)] = charge
        self.push.send(
            self._accounts[box.api_key],
            "start",
            start_payload(box.id, connector, id_tag, charge.id, mode, accepted=True),
        )
        return charge

    def _finish(self, box: ThorChargebox, charge: ThorCharge) -> ThorCharge:
        now = self.clock.now()
        advance(box, box.connectors[charge.connector - 1], charge, now)
        del self._running[(box.id, charge.connector)]
        charge.finished_at = now
        charge.price = _price(box, charge.energy_wh)
        self._finished.append(charge)
        self.push.send(
            self._accounts[box.api_key],
            "stop",
            stop_payload(
                box.id,
                charge.connector,
                charge.id_tag,
                charge.id,
                int(charge.energy_wh),
                now - charge.started_at,
            ),
        )
        return charge

    def start_local(
        self,
        box_id: str,
        connector: int,
        id_tag: str,
        user: str | None = None,
        mode: str = "local",
    ) -> ThorCharge:
        """A charge started at the box (RFID, `local`) or from the Thor app (`remote`)."""
        box = self.chargebox(box_id)
        self._connector_of(box, connector)
        if mode not in START_MODES - {"api"}:
            raise ThorError(400, "mode must be local or remote")
        if (box.id, connector) in self._running:
            raise ThorError(409, ALREADY_IN_TRANSACTION)
        if not box.connected:
            raise ThorError(409, "the chargebox is offline")
        return self._begin(box, connector, id_tag, mode, user)

    def stop_local(self, box_id: str, connector: int) -> ThorCharge:
        """The driver ends the charge at the box."""
        box = self.chargebox(box_id)
        self._connector_of(box, connector)
        charge = self._running.get((box.id, connector))
        if charge is None:
            raise ThorError(409, NOT_IN_TRANSACTION)
        return self._finish(box, charge)

    def add_finished_charge(
        self,
        box_id: str,
        connector: int,
        started_at: float,
        finished_at: float,
        energy_wh: float,
        id_tag: str | None = None,
        user: str | None = None,
        mode: str = "local",
        price: float | None = None,
    ) -> ThorCharge:
        """History: a charge that ended before (its energy also counts on the meter)."""
        box = self.chargebox(box_id)
        plug = self._connector_of(box, connector)
        if not started_at <= finished_at <= self.clock.now() or energy_wh < 0:
            raise ThorError(400, "need started_at <= finished_at <= now and energy_wh >= 0")
        if mode not in START_MODES:
            raise ThorError(400, f"mode must be one of {sorted(START_MODES)}")
        charge = self._new_charge(
            box,
            connector,
            id_tag or self._next_tag("RFID"),
            mode,
            user,
            started_at,
            integrated_at=finished_at,
            energy_wh=float(energy_wh),
            finished_at=finished_at,
            price=_price(box, energy_wh) if price is None else float(price),
        )
        plug.meter_wh += energy_wh
        self._finished.append(charge)
        self._finished.sort(key=lambda item: item.finished_at or 0.0)
        return charge

    def finished_charges(self, api_key: str) -> list[ThorCharge]:
        return [charge for charge in self._finished if charge.api_key == api_key]

    def running_charges(self, api_key: str) -> list[ThorCharge]:
        account = self.account(api_key)
        self._sync_account(account)
        return sorted(
            (c for c in self._running.values() if c.api_key == api_key),
            key=lambda charge: charge.started_at,
        )


def _price(box: ThorChargebox, energy_wh: float) -> float:
    """What a charge of `energy_wh` costs at the box's price per kWh."""
    return round(energy_wh / 1000 * box.price_per_kwh, 2)
