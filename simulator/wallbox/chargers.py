"""Wallbox chargers as the control API sets them up, and the car and sun around them."""

from .errors import WallboxError, check_icp, to_list_shape, to_status_shape
from .model import (
    DEFAULT_FIRMWARE,
    DEFAULT_PART_NUMBER,
    DEFAULT_STATUS_SHAPE,
    Car,
    EcoSmart,
    ListShape,
    Session,
    WallboxCharger,
)
from .state import WallboxState


class WallboxChargers(WallboxState):
    """New chargers and what happens to them outside the API."""

    def add_charger(
        self,
        email: str,
        *,
        id: int | None = None,  # mirrors the control API field
        name: str | None = None,
        part_number: str = DEFAULT_PART_NUMBER,
        phases: int = 1,
        max_available_current: int = 32,
        max_charging_current: int = 16,
        locked: bool = False,
        eco_smart: bool = False,
        power_boost: bool = False,
        reports_soc: bool = False,
        firmware: str = DEFAULT_FIRMWARE,
        latest_firmware: str | None = None,
        energy_price: float = 0.24,
        icp_max_current: int | None = None,
        home_sharing: bool | None = None,
        status_shape: str = DEFAULT_STATUS_SHAPE,
        list_shape: str = ListShape.LIVE,
    ) -> WallboxCharger:
        """A charger of the account; power boost gives a 40 A limit unless one is given."""
        account = self.account(email)
        charger_id = self._next_charger_id if id is None else id
        if charger_id in self._chargers:
            raise WallboxError(409, f"charger {charger_id} already exists")
        if phases not in (1, 3):
            raise WallboxError(400, "phases must be 1 or 3")
        if max_available_current < 1:
            raise WallboxError(400, "max_available_current must be positive")
        if icp_max_current:  # 0: no power boost limit configured
            check_icp(icp_max_current)
        shape = to_status_shape(status_shape)
        in_list = to_list_shape(list_shape)
        self._next_charger_id = max(self._next_charger_id, charger_id + 1)
        now = self.clock.now()
        charger = WallboxCharger(
            id=charger_id,
            owner_email=account.email,
            name="",
            part_number=part_number,
            phases=phases,
            max_available_current=max_available_current,
            max_charging_current=max_charging_current,
            locked=locked,
            eco_smart=EcoSmart() if eco_smart else None,
            power_boost=power_boost,
            icp_max_current=(40 if power_boost else 0)
            if icp_max_current is None
            else icp_max_current,
            home_sharing=power_boost if home_sharing is None else home_sharing,
            energy_price=energy_price,
            currency_id=1,
            firmware=firmware,
            latest_firmware=firmware if latest_firmware is None else latest_firmware,
            reports_soc=reports_soc,
            updated_at=now,
            software_updated_at=now,
            status_shape=shape,
            list_shape=in_list,
        )
        charger.name = name or f"{charger.charger_type} SN {charger_id}"
        if not charger.min_charging_current <= max_charging_current <= max_available_current:
            raise WallboxError(400, "max_charging_current out of range")
        self._chargers[charger_id] = charger
        account.charger_ids.append(charger_id)
        return charger

    def plug_in(self, charger_id: int, car: Car | None = None) -> WallboxCharger:
        """Connect a car: a new session starts with zeroed counters."""
        charger = self.charger(charger_id)
        if charger.car is not None:
            raise WallboxError(409, "a car is already plugged in")
        charger.car = car if car is not None else Car()
        charger.session = Session(finished=False)
        charger.total_sessions += 1
        return charger

    def unplug(self, charger_id: int) -> WallboxCharger:
        """Disconnect the car: the session ends but its counters stay readable."""
        charger = self.charger(charger_id)
        if charger.car is None:
            raise WallboxError(409, "no car is plugged in")
        charger.car = None
        charger.paused = False
        charger.session.finished = True
        return charger

    def set_solar(self, charger_id: int, kw: float) -> WallboxCharger:
        if kw < 0:
            raise WallboxError(400, "solar power must not be negative")
        charger = self.charger(charger_id)
        charger.solar_power_kw = kw
        return charger

    def set_status_shape(self, charger_id: int, shape: str) -> WallboxCharger:
        """Answer like the real answers of another year (see StatusShape)."""
        charger = self.charger(charger_id)
        charger.status_shape = to_status_shape(shape)
        return charger

    def set_list_shape(self, charger_id: int, shape: str) -> WallboxCharger:
        """Show the charger in the account's list with other fields (see ListShape)."""
        charger = self.charger(charger_id)
        charger.list_shape = to_list_shape(shape)
        return charger

    def force_status(self, charger_id: int, code: int | None) -> WallboxCharger:
        """Show a fixed status (e.g. 14 error, 166 updating) until cleared with None."""
        charger = self.charger(charger_id)
        charger.forced_status = code
        return charger
