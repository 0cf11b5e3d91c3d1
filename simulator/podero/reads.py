"""The JSON documents the Podero API reads answer, and the control API's view of a device."""

from typing import Any

from .answers import boost_state, charging_config_json, vehicle_json, wallbox_json
from .model import PoderoVehicle, PoderoWallbox
from .physics import power_w
from .state import PoderoState


class PoderoReads(PoderoState):
    """Wallboxes, EVs and charging configs as the API shows them."""

    def wallbox_json(self, wallbox_id: str) -> dict[str, Any]:
        wallbox = self.wallbox(wallbox_id)
        return wallbox_json(
            wallbox,
            self.user(wallbox.user_id),
            self._vehicle_in(wallbox),
            self.clock.now(),
            self.settings,
        )

    def vehicle_json(self, vehicle_id: str, *, detail: bool = True) -> dict[str, Any]:
        ev = self.vehicle(vehicle_id)
        return vehicle_json(
            ev,
            self.user(ev.user_id),
            self._wallbox_of(ev),
            self.clock.now(),
            self.settings,
            detail=detail,
        )

    def device_json(self, device_id: str) -> dict[str, Any]:
        """The API's JSON of a wallbox or EV (detail shape)."""
        if device_id in self._wallboxes:
            return self.wallbox_json(device_id)
        return self.vehicle_json(device_id)

    def wallboxes_json(self, user_id: str) -> list[dict[str, Any]]:
        return [self.wallbox_json(i) for i in self.user(user_id).wallbox_ids]

    def vehicles_json(self, user_id: str) -> list[dict[str, Any]]:
        return [self.vehicle_json(i, detail=False) for i in self.user(user_id).vehicle_ids]

    def charging_config_json(self, user_id: str) -> dict[str, Any]:
        user = self.user(user_id)
        self._sync()
        return charging_config_json(user, *self._devices_of(user))

    def state_json(self, device_id: str) -> dict[str, Any]:
        """Internal state of a device for the control API (not an API shape)."""
        device = self.device(device_id)
        now = self.clock.now()
        state: dict[str, Any] = {
            "kind": "wallbox" if isinstance(device, PoderoWallbox) else "vehicle",
            "id": device.id,
            "user_id": device.user_id,
            "online": device.online,
            "is_authenticated": device.is_authenticated,
            "pause_power_until": device.pause_power_until,
            "paused": device.paused(now),
            "is_smart_optimization_active": device.is_smart_optimization_active,
            "boost_state": boost_state(device, self._plugged(device)),
            "boost_for_next_session": device.boost_for_next_session,
            "actions": list(device.actions),
        }
        if isinstance(device, PoderoWallbox):
            ev = self._vehicle_in(device)
            state |= {
                "vehicle_id": device.vehicle_id,
                "charge_power_max_w": device.charge_power_max_w,
                "total_energy_wh": device.total_energy_wh,
                "power_w": 0.0 if ev is None else power_w(ev, device, now),
            }
        elif isinstance(device, PoderoVehicle):
            state |= {
                "wallbox_id": device.wallbox_id,
                "plugged_in": device.plugged_in,
                "battery_level": device.battery_level,
                "battery_capacity_kwh": device.battery_capacity_kwh,
                "charge_limit": device.charge_limit(),
                "power_w": power_w(device, self._wallbox_of(device), now),
                "latitude": device.latitude,
                "longitude": device.longitude,
            }
        return state
