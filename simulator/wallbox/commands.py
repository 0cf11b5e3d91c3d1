"""Wallbox's API writes: lock, current, remote actions, Eco-Smart, price and config.

`update_config` validates every key of a `chargers/config` body first, then applies all.
"""

from collections.abc import Mapping
from typing import Any

from simulator.jsonbody import BodyError, opt_bool, opt_float, opt_int

from .errors import WallboxError, check_icp
from .model import CURRENCIES, RESTART_SECONDS, EcoSmart, EcoSmartMode, Status, WallboxCharger
from .physics import flow_at
from .state import WallboxState

ACTION_RESUME = 1
ACTION_PAUSE = 2
ACTION_RESTART = 3
ACTION_FACTORY_RESET = 4
ACTION_SOFTWARE_UPDATE = 5
ACTION_RESUME_SCHEDULE = 9

# States in which the real cloud lets a user pause (anything with a live session).
_PAUSABLE = {
    Status.CHARGING,
    Status.DISCHARGING,
    Status.WAITING_FOR_CAR_DEMAND,
    Status.WAITING_ECO_SMART,
}
_CONFIG_KEYS = {
    "energy_price",
    "energyCost",
    "currency_id",
    "max_charging_current",
    "icp_max_current",
    "home_sharing",
}


class WallboxCommands(WallboxState):
    """What the API's writes do to a charger."""

    def set_locked(self, charger_id: int, locked: bool) -> WallboxCharger:
        charger = self.charger(charger_id)
        charger.locked = locked
        return charger

    def set_max_charging_current(self, charger_id: int, amps: int) -> WallboxCharger:
        charger = self.charger(charger_id)
        if not charger.min_charging_current <= amps <= charger.max_available_current:
            raise WallboxError(
                400,
                f"maxChargingCurrent must be within "
                f"{charger.min_charging_current}..{charger.max_available_current}",
            )
        charger.max_charging_current = amps
        return charger

    def remote_action(self, charger_id: int, action: int) -> None:
        charger = self.charger(charger_id)
        now = self.clock.now()
        if action == ACTION_RESUME:
            if not charger.paused:
                raise WallboxError(409, "Charger is not paused")
            charger.paused = False
        elif action == ACTION_PAUSE:
            if charger.locked:
                raise WallboxError(403, "Charger is locked")
            if flow_at(charger, now).status not in _PAUSABLE:
                raise WallboxError(409, "Charger is not charging")
            charger.paused = True
        elif action == ACTION_RESUME_SCHEDULE:
            charger.paused = False
        elif action == ACTION_RESTART:
            charger.restart_until = now + RESTART_SECONDS
        elif action == ACTION_FACTORY_RESET:
            raise WallboxError(403, "Factory reset is not allowed")
        elif action == ACTION_SOFTWARE_UPDATE:
            if not charger.update_available:
                raise WallboxError(409, "No software update available")
            charger.firmware = charger.latest_firmware
            charger.software_updated_at = now
        else:
            raise WallboxError(400, f"Unknown action {action}")

    def set_eco_smart(
        self, charger_id: int, enabled: bool, mode: int, percentage: int | None = None
    ) -> WallboxCharger:
        charger = self.charger(charger_id)
        if charger.eco_smart is None:
            raise WallboxError(404, "Eco-Smart is not available on this charger")
        if mode not in (EcoSmartMode.ECO, EcoSmartMode.FULL_GREEN):
            raise WallboxError(400, "mode must be 0 or 1")
        if percentage is not None and not 0 <= percentage <= 100:
            raise WallboxError(400, "percentage must be within 0..100")
        charger.eco_smart = EcoSmart(
            enabled=enabled,
            mode=EcoSmartMode(mode),
            percentage=charger.eco_smart.percentage if percentage is None else percentage,
        )
        return charger

    def set_energy_price(
        self, charger_id: int, price: float, currency_id: int | None = None
    ) -> WallboxCharger:
        charger = self.charger(charger_id)
        if currency_id is not None and currency_id not in CURRENCIES:
            raise WallboxError(400, f"Unknown currency_id {currency_id}")
        charger.energy_price = price
        if currency_id is not None:
            charger.currency_id = currency_id
        return charger

    def set_icp_max_current(self, charger_id: int, amps: int) -> WallboxCharger:
        """Negative: the limit with power boost off (the cloud does not tie it to home_sharing)."""
        check_icp(amps)
        charger = self.charger(charger_id)
        charger.icp_max_current = amps
        return charger

    def update_config(self, charger_id: int, changes: Mapping[str, Any]) -> WallboxCharger:
        """Apply a `chargers/config` body: validate every key first, then apply all."""
        charger = self.charger(charger_id)
        unknown = set(changes) - _CONFIG_KEYS
        if unknown or not changes:
            raise WallboxError(400, f"Unsupported config keys: {sorted(unknown)}")
        try:
            price = opt_float(changes, "energy_price")
            if price is None:
                price = opt_float(changes, "energyCost")
            currency_id = opt_int(changes, "currency_id")
            max_current = opt_int(changes, "max_charging_current")
            icp = opt_int(changes, "icp_max_current")
            home_sharing = opt_bool(changes, "home_sharing")
        except BodyError as exc:
            raise WallboxError(400, str(exc)) from exc
        if currency_id is not None and currency_id not in CURRENCIES:
            raise WallboxError(400, f"Unknown currency_id {currency_id}")
        if icp is not None:
            check_icp(icp)
        if max_current is not None and not (
            charger.min_charging_current <= max_current <= charger.max_available_current
        ):
            raise WallboxError(400, "max_charging_current out of range")
        if price is not None:
            self.set_energy_price(charger_id, price, currency_id)
        elif currency_id is not None:
            charger.currency_id = currency_id
        if max_current is not None:
            charger.max_charging_current = max_current
        if icp is not None:
            charger.icp_max_current = icp
        if home_sharing is not None:
            charger.home_sharing = home_sharing
        return charger
