"""Podero's API writes: PUT a device, boost and cancel it, PUT the charging config.

Every body is validated in full first (422 listing every problem), then applied.
"""

from collections.abc import Mapping
from typing import Any

from . import validation
from .answers import boost_state, min_band_w, mode_reasons, validation_error
from .errors import PoderoError, raise_invalid
from .model import BoostConflict, PoderoDevice, PoderoUser, PoderoVehicle, PoderoWallbox
from .physics import BOOST_END_CANCELLED, is_full, power_w
from .state import PoderoState

_CHARGE_POLICY_FIELDS = {"minimum_charge_limit", "charge_deadline_at", "is_charge_policy_enabled"}


class PoderoCommands(PoderoState):
    """What the API's writes do to devices and users."""

    def update_device(self, device: PoderoDevice, body: Mapping[str, Any]) -> None:
        """PUT a device: validate every field, then apply all (422 on any problem)."""
        self._sync()
        validators = (
            validation.VEHICLE_FIELDS
            if isinstance(device, PoderoVehicle)
            else validation.DEVICE_FIELDS
        )
        changes, errors = validation.validate(body, validators)
        raise_invalid(errors)
        now = self.clock.now()
        for key, value in changes.items():
            setattr(device, key, value)
            if key in _CHARGE_POLICY_FIELDS:
                device.charge_policy_updated_at = now
        device.updated_at = now

    def _pair(self, device: PoderoDevice) -> tuple[PoderoVehicle | None, PoderoWallbox | None]:
        if isinstance(device, PoderoWallbox):
            return self._vehicle_in(device), device
        assert isinstance(device, PoderoVehicle)
        return device, self._wallbox_of(device)

    def request_boost(self, device: PoderoDevice) -> None:
        """POST boost: 409 with `{"state", "reason"}` when it cannot start."""
        self._sync()
        ev, wallbox = self._pair(device)
        state = boost_state(device, self._plugged(device))
        now = self.clock.now()

        def refuse(reason: BoostConflict) -> PoderoError:
            return PoderoError(409, reason.value, {"state": state, "reason": reason.value})

        if self.settings.boost_internal_error:
            raise refuse(BoostConflict.INTERNAL_ERROR)
        if ev is None or not ev.plugged_in:
            if isinstance(device, PoderoVehicle):
                raise refuse(BoostConflict.NO_ACTIVE_SESSION)
            # A wallbox without a car arms the boost for the next session.
            device.boost_for_next_session = True
            device.updated_at = now
            return
        if is_full(ev):
            raise refuse(BoostConflict.FULLY_CHARGED)
        if power_w(ev, wallbox, now) > 0:
            raise refuse(BoostConflict.ALREADY_CHARGING)
        if device.boost is None:
            device.start_boost(now)
        device.updated_at = now

    def cancel_boost(self, device: PoderoDevice) -> None:
        """DELETE boost: a wallbox's live boost ends; an EV's keeps going until unplugged."""
        self._sync()
        now = self.clock.now()
        if isinstance(device, PoderoWallbox):
            device.end_boost(now, BOOST_END_CANCELLED)
        device.boost_for_next_session = False
        device.updated_at = now

    def update_charging_config(self, user: PoderoUser, body: Mapping[str, Any]) -> None:
        """PUT charging-config; the thresholds also land on the user's wallboxes.

        422 when the mode is not available or the start threshold is below `min_band_w`.
        """
        wallboxes, vehicles = self._devices_of(user)
        changes, errors = validation.validate(body, validation.CHARGING_CONFIG_FIELDS)
        mode = changes.get("mode")
        reasons = [] if mode is None else mode_reasons(user, wallboxes, vehicles)[mode]
        if reasons:
            message = f"Mode {mode} is not available: {', '.join(reasons)}"
            errors.append(validation_error(["body", "mode"], message, "mode_unavailable"))
        band = min_band_w(wallboxes)
        start = changes.get("hems_min_export_to_start_w")
        if start is not None and start < band:
            message = f"Input should be at least min_band_w ({band})"
            errors.append(
                validation_error(["body", "hems_min_export_to_start_w"], message, "below_min_band")
            )
        raise_invalid(errors)
        for key, value in changes.items():
            if key == "mode":
                user.charging_mode = value
            else:
                setattr(user, key, value)
                for wallbox in wallboxes:
                    setattr(wallbox, key, value)
