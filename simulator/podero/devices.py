"""Podero users and their wallboxes and EVs, as the control API sets them up."""

from collections.abc import Mapping
from dataclasses import fields
from typing import Any

from .answers import user_json
from .errors import PoderoError
from .model import PoderoOrg, PoderoUser, PoderoVehicle, PoderoWallbox
from .state import PoderoState, listed_or_404

# Fields the tests/control API may not set when creating a device (state, not settings).
_INTERNAL_FIELDS = {
    "user_id",
    "created_at",
    "updated_at",
    "integrated_at",
    "consumption",
    "boost",
    "vehicle_id",
    "wallbox_id",
    "plugged_in",
    "battery_at_plug_in",
    "last_boost_triggered_at",
    "last_boost_ended_at",
    "last_boost_end_reason",
    "charge_policy_updated_at",
}
WALLBOX_FIELDS = frozenset(f.name for f in fields(PoderoWallbox)) - _INTERNAL_FIELDS
VEHICLE_FIELDS = frozenset(f.name for f in fields(PoderoVehicle)) - _INTERNAL_FIELDS


class PoderoDevices(PoderoState):
    """Users of an organisation, their solar inverter and their devices."""

    def add_user(
        self,
        org_id: str,
        email: str,
        first_name: str = "",
        last_name: str = "",
        user_id: str | None = None,
    ) -> PoderoUser:
        org = self.org(org_id)
        user_id = user_id or self._new_id("user")
        if user_id in self._users:
            raise PoderoError(409, f"user {user_id} already exists")
        user = PoderoUser(user_id, org.id, email, first_name, last_name)
        self._users[user_id] = user
        org.user_ids.append(user_id)
        return user

    def org_user(self, org: PoderoOrg, user_id: str) -> PoderoUser:
        """A user of this organisation, else 404."""
        return self.user(listed_or_404(org.user_ids, user_id))

    def users_json(self, org_id: str) -> list[dict[str, Any]]:
        return [user_json(self.user(user_id)) for user_id in self.org(org_id).user_ids]

    def set_inverter(
        self, user_id: str, *, present: bool, export_data: bool | None = None
    ) -> PoderoUser:
        """Stand-in for a solar inverter (HEMS availability of the charging config)."""
        user = self.user(user_id)
        user.has_inverter = present
        user.inverter_export_data = present if export_data is None else export_data
        return user

    def _device_options(
        self, kind: str, overrides: Mapping[str, Any], defaults: Mapping[str, Any]
    ) -> dict[str, Any]:
        """The fields of a new wallbox or EV: checked, with a new id and the defaults."""
        allowed = WALLBOX_FIELDS if kind == "wallbox" else VEHICLE_FIELDS
        options = dict(overrides)
        if "name" in options:  # the API has no name: it shows up as `comment`
            options["comment"] = options.pop("name")
        unknown = set(options) - allowed
        if unknown:
            raise PoderoError(400, f"unknown device fields: {sorted(unknown)}")
        if options.get("id") is None:
            options.pop("id", None)
        elif options["id"] in self._wallboxes or options["id"] in self._vehicles:
            raise PoderoError(409, f"device {options['id']} already exists")
        # A new id is drawn even when one is given, so that later ids do not shift.
        options.setdefault("id", self._new_id(kind))
        return {**defaults, **options}

    def add_wallbox(self, user_id: str, **overrides: Any) -> PoderoWallbox:
        user = self.user(user_id)
        options = self._device_options(
            "wallbox",
            overrides,
            {
                "manufacturer": "Wallbox",
                "model": "Pulsar Plus",
                "year": 2023,
                "hems_min_export_to_start_w": user.hems_min_export_to_start_w,
                "hems_max_import_before_stopping_w": user.hems_max_import_before_stopping_w,
            },
        )
        now = self.clock.now()
        wallbox = PoderoWallbox(user_id=user.id, created_at=now, updated_at=now, **options)
        if wallbox.phases not in (1, 3) or wallbox.charge_power_max_w <= 0:
            raise PoderoError(400, "phases must be 1 or 3 and charge_power_max_w positive")
        self._wallboxes[wallbox.id] = wallbox
        user.wallbox_ids.append(wallbox.id)
        return wallbox

    def add_vehicle(self, user_id: str, **overrides: Any) -> PoderoVehicle:
        user = self.user(user_id)
        options = self._device_options(
            "vehicle", overrides, {"manufacturer": "Volkswagen", "model": "ID.4", "year": 2022}
        )
        now = self.clock.now()
        vehicle = PoderoVehicle(
            user_id=user.id, created_at=now, updated_at=now, integrated_at=now, **options
        )
        if vehicle.battery_capacity_kwh <= 0 or not 0 <= vehicle.battery_level <= 100:
            raise PoderoError(400, "battery_capacity_kwh > 0 and battery_level 0..100 needed")
        self._vehicles[vehicle.id] = vehicle
        user.vehicle_ids.append(vehicle.id)
        return vehicle
