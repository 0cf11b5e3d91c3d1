"""The physical world around Podero's devices (control API only).

Plugging in and out, battery, location, the devices' connections, armed boosts and
the pending actions the API lists.
"""

from collections.abc import Mapping
import secrets
from typing import Any

from .answers import iso
from .errors import PoderoError
from .model import PoderoDevice, PoderoVehicle
from .physics import BOOST_END_UNPLUGGED
from .state import PoderoState


class PoderoWorld(PoderoState):
    """What happens to the devices outside the API."""

    def plug_in(self, vehicle_id: str, wallbox_id: str | None = None) -> PoderoVehicle:
        """Plug an EV in, into one of its user's wallboxes or (None) somewhere else."""
        ev = self.vehicle(vehicle_id)
        if ev.plugged_in:
            raise PoderoError(409, "the vehicle is already plugged in")
        wallbox = None
        if wallbox_id is not None:
            wallbox = self.wallbox(wallbox_id)
            if wallbox.user_id != ev.user_id:
                raise PoderoError(409, "the wallbox belongs to another user")
            if wallbox.vehicle_id is not None:
                raise PoderoError(409, "another vehicle is plugged into the wallbox")
            wallbox.vehicle_id = ev.id
            ev.latitude, ev.longitude = wallbox.latitude, wallbox.longitude
        now = self.clock.now()
        ev.plugged_in = True
        ev.wallbox_id = wallbox_id
        ev.battery_at_plug_in = round(ev.battery_level, 1)
        for device in (ev, wallbox):
            if device is not None and device.boost_for_next_session:
                device.boost_for_next_session = False
                device.start_boost(now)
        return ev

    def unplug(self, vehicle_id: str) -> PoderoVehicle:
        """Unplug an EV: boosts of the EV and its wallbox end."""
        ev = self.vehicle(vehicle_id)
        if not ev.plugged_in:
            raise PoderoError(409, "the vehicle is not plugged in")
        now = self.clock.now()
        wallbox = self._wallbox_of(ev)
        for device in (ev, wallbox):
            if device is not None:
                device.end_boost(now, BOOST_END_UNPLUGGED)
        if wallbox is not None:
            wallbox.vehicle_id = None
        ev.plugged_in = False
        ev.wallbox_id = None
        return ev

    def set_battery(self, vehicle_id: str, level: float) -> PoderoVehicle:
        if not 0 <= level <= 100:
            raise PoderoError(400, "battery_level must be within 0..100")
        ev = self.vehicle(vehicle_id)
        ev.battery_level = float(level)
        return ev

    def set_location(self, vehicle_id: str, latitude: float, longitude: float) -> PoderoVehicle:
        ev = self.vehicle(vehicle_id)
        ev.latitude, ev.longitude = latitude, longitude
        return ev

    def set_online(self, device_id: str, online: bool) -> PoderoDevice:
        """Connection to Podero (OCPP for wallboxes, the maker's cloud for EVs)."""
        device = self.device(device_id)
        device.online = online
        return device

    def set_boost_for_next_session(self, device_id: str, armed: bool) -> PoderoDevice:
        """Arm (or disarm) a boost that starts at the next plug-in."""
        device = self.device(device_id)
        device.boost_for_next_session = armed
        return device

    def set_authenticated(self, device_id: str, authenticated: bool) -> PoderoDevice:
        device = self.device(device_id)
        device.is_authenticated = authenticated
        return device

    def set_actions(self, device_id: str, actions: list[str | Mapping[str, Any]]) -> PoderoDevice:
        """Replace the pending actions: codes (`reauthenticate`, `information`) or objects."""
        device = self.device(device_id)
        built: list[dict[str, Any]] = []
        for action in actions:
            if isinstance(action, str):
                built.append(self._action(action))
            elif action.get("code") in ("reauthenticate", "information"):
                message = action.get("message")
                text = None if message is None else str(message)
                built.append(self._action(str(action["code"]), text))
            else:
                raise PoderoError(400, "actions are reauthenticate or information")
        device.actions = built
        return device

    def _action(self, code: str, message: str | None = None) -> dict[str, Any]:
        """An action as the API lists it; its link is relative and carries a secret."""
        secret = secrets.token_urlsafe(16)
        link = {
            "url": f"/api/partners/v2.0/actions/{self._new_id('action')}/start?secret={secret}",
            "required_parameters": ["success_url", "cancel_url"],
        }
        if code == "reauthenticate":
            return {"code": code, "resolution_link": link}
        if code == "information":
            link["required_parameters"] = []
            return {
                "code": code,
                "resolution_link": link,
                "metadata": {"message": message or "Information about your device"},
                "sent_at": iso(self.clock.now()),
            }
        raise PoderoError(400, f"unknown action code {code}")
