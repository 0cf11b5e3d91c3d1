"""The simulated Podero cloud: organisations, tokens, users, wallboxes, EVs and their rules.

Every Python method here is what the HTTP routes call, so tests can drive the same
behaviour without HTTP. Refusals are raised as `PoderoError` with the HTTP status and
body the simulated cloud answers.
"""

from collections.abc import Mapping
from dataclasses import fields
import secrets
from typing import Any

from simulator.clock import Clock
from simulator.errors import CloudError
from simulator.faults import FaultList
from simulator.ratelimit import RateLimiter

from . import validation
from .answers import (
    boost_state,
    charging_config_json,
    detail_json,
    iso,
    min_band_w,
    mode_reasons,
    user_json,
    validation_error,
    vehicle_json,
    wallbox_json,
)
from .model import (
    Boost,
    BoostConflict,
    PoderoDevice,
    PoderoOrg,
    PoderoSettings,
    PoderoUser,
    PoderoVehicle,
    PoderoWallbox,
    stable_uuid,
)
from .physics import (
    BOOST_END_CANCELLED,
    BOOST_END_UNPLUGGED,
    advance,
    is_full,
    power_w,
)

NOT_FOUND = "Not found."
FORBIDDEN = "You do not have permission to perform this action."

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

_CHARGE_POLICY_FIELDS = {"minimum_charge_limit", "charge_deadline_at", "is_charge_policy_enabled"}


class PoderoError(CloudError):
    """A refusal; `body` is what the API answers (default `{"detail": title}`)."""

    def __init__(self, status: int, title: str, body: Any = None) -> None:
        super().__init__(status, title)
        self.body = detail_json(title) if body is None else body


class PoderoValidationError(PoderoError):
    """422 with pydantic-style `{"detail": [{"loc", "msg", "type"}, ...]}`."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(422, errors[0]["msg"], {"detail": errors})


class PoderoRateLimited(PoderoError):
    """429, with the seconds until the organisation's bucket has a token again."""

    def __init__(self, retry_after: float) -> None:
        seconds = max(1, round(retry_after))
        super().__init__(429, f"Request was throttled. Expected available in {seconds} seconds.")
        self.retry_after = retry_after


class PoderoAuthError(PoderoError):
    """Failures of `oauth2/token/`, answered with OAuth's `{"error": code}`."""

    def __init__(self, status: int, code: str) -> None:
        super().__init__(status, code, {"error": code})


def _bad_body(errors: list[dict[str, Any]]) -> None:
    if errors:
        raise PoderoValidationError(errors)


class SimulatedPodero:
    """State and behaviour of the Podero cloud, shared by its API and control routes."""

    name = "podero"

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.settings = PoderoSettings()
        self.faults = FaultList()
        self.rate_limiter = RateLimiter()
        self._orgs: dict[str, PoderoOrg] = {}
        self._users: dict[str, PoderoUser] = {}
        self._wallboxes: dict[str, PoderoWallbox] = {}
        self._vehicles: dict[str, PoderoVehicle] = {}
        self._counter = 0

    def reset(self) -> None:
        """Forget everything (organisations, devices, tokens, faults, limits, settings)."""
        self._orgs.clear()
        self._users.clear()
        self._wallboxes.clear()
        self._vehicles.clear()
        self._counter = 0
        self.faults.clear()
        self.rate_limiter.reset()
        defaults = PoderoSettings()
        for setting in fields(PoderoSettings):
            setattr(self.settings, setting.name, getattr(defaults, setting.name))

    def _new_id(self, kind: str) -> str:
        self._counter += 1
        return stable_uuid(kind, self._counter)

    # --- organisations and tokens ------------------------------------------------

    def add_org(
        self,
        client_id: str,
        client_secret: str,
        org_id: str | None = None,
        name: str | None = None,
    ) -> PoderoOrg:
        org_id = org_id or self._new_id("org")
        if org_id in self._orgs:
            raise PoderoError(409, f"organisation {org_id} already exists")
        if any(org.client_id == client_id for org in self._orgs.values()):
            raise PoderoError(409, f"client {client_id} already exists")
        org = PoderoOrg(org_id, client_id, client_secret, name or f"Partner {client_id}")
        self._orgs[org_id] = org
        return org

    @property
    def orgs(self) -> list[PoderoOrg]:
        return list(self._orgs.values())

    def org(self, org_id: str) -> PoderoOrg:
        try:
            return self._orgs[org_id]
        except KeyError:
            raise PoderoError(404, NOT_FOUND) from None

    def find_client(self, client_id: str) -> PoderoOrg | None:
        return next((o for o in self._orgs.values() if o.client_id == client_id), None)

    def authenticate_client(self, client_id: str, client_secret: str) -> PoderoOrg:
        """The organisation of these client credentials, else 401 `invalid_client`."""
        org = self.find_client(client_id)
        if org is None or not secrets.compare_digest(
            org.client_secret.encode(), client_secret.encode()
        ):
            raise PoderoAuthError(401, "invalid_client")
        return org

    def issue_token(self, org: PoderoOrg) -> tuple[str, float]:
        """Client-credentials grant: a new access token and its lifetime in seconds.

        Earlier tokens stay valid until they expire.
        """
        now = self.clock.now()
        for token in [t for t, expiry in org.tokens.items() if expiry <= now]:
            del org.tokens[token]
        token = secrets.token_urlsafe(30)
        lifetime = self.settings.token_lifetime
        org.tokens[token] = now + lifetime
        return token, lifetime

    def authenticate(self, token: str | None) -> PoderoOrg:
        """The organisation owning a valid access token, else 401."""
        if token is not None:
            now = self.clock.now()
            for org in self._orgs.values():
                expiry = org.tokens.get(token)
                if expiry is not None:
                    if expiry > now:
                        return org
                    del org.tokens[token]
                    break
        raise PoderoError(401, "Unauthorized")

    def revoke_tokens(self, org_id: str) -> None:
        """Invalidate every token of an organisation (forces a new token request)."""
        self.org(org_id).tokens.clear()

    def acquire(self, org_id: str) -> None:
        """Spend one request of the organisation's budget or raise PoderoRateLimited."""
        wait = self.rate_limiter.try_acquire(
            org_id, self.clock.now(), self.settings.requests_per_minute, self.settings.burst
        )
        if wait is not None:
            raise PoderoRateLimited(wait)

    def reset_rate_limits(self) -> None:
        self.rate_limiter.reset()

    # --- users -----------------------------------------------------------------

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

    def user(self, user_id: str) -> PoderoUser:
        try:
            return self._users[user_id]
        except KeyError:
            raise PoderoError(404, NOT_FOUND) from None

    def org_user(self, org: PoderoOrg, user_id: str) -> PoderoUser:
        """A user of this organisation, else 404."""
        if user_id not in org.user_ids:
            raise PoderoError(404, NOT_FOUND)
        return self.user(user_id)

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

    # --- devices: creation and lookup ---------------------------------------------

    def _device_options(
        self, allowed: frozenset[str], overrides: Mapping[str, Any]
    ) -> dict[str, Any]:
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
        return options

    def add_wallbox(self, user_id: str, **overrides: Any) -> PoderoWallbox:
        user = self.user(user_id)
        options = self._device_options(WALLBOX_FIELDS, overrides)
        now = self.clock.now()
        options.setdefault("id", self._new_id("wallbox"))
        options.setdefault("manufacturer", "Wallbox")
        options.setdefault("model", "Pulsar Plus")
        options.setdefault("year", 2023)
        options.setdefault("hems_min_export_to_start_w", user.hems_min_export_to_start_w)
        options.setdefault(
            "hems_max_import_before_stopping_w", user.hems_max_import_before_stopping_w
        )
        wallbox = PoderoWallbox(user_id=user.id, created_at=now, updated_at=now, **options)
        if wallbox.phases not in (1, 3) or wallbox.charge_power_max_w <= 0:
            raise PoderoError(400, "phases must be 1 or 3 and charge_power_max_w positive")
        self._wallboxes[wallbox.id] = wallbox
        user.wallbox_ids.append(wallbox.id)
        return wallbox

    def add_vehicle(self, user_id: str, **overrides: Any) -> PoderoVehicle:
        user = self.user(user_id)
        options = self._device_options(VEHICLE_FIELDS, overrides)
        now = self.clock.now()
        options.setdefault("id", self._new_id("vehicle"))
        options.setdefault("manufacturer", "Volkswagen")
        options.setdefault("model", "ID.4")
        options.setdefault("year", 2022)
        vehicle = PoderoVehicle(
            user_id=user.id, created_at=now, updated_at=now, integrated_at=now, **options
        )
        if vehicle.battery_capacity_kwh <= 0 or not 0 <= vehicle.battery_level <= 100:
            raise PoderoError(400, "battery_capacity_kwh > 0 and battery_level 0..100 needed")
        self._vehicles[vehicle.id] = vehicle
        user.vehicle_ids.append(vehicle.id)
        return vehicle

    def _sync(self) -> None:
        """Bring every EV (and the wallbox it is plugged into) up to the clock."""
        now = self.clock.now()
        for ev in self._vehicles.values():
            advance(ev, self._wallbox_of(ev), now, self.settings.boost_start_delay)

    def _wallbox_of(self, ev: PoderoVehicle) -> PoderoWallbox | None:
        return None if ev.wallbox_id is None else self._wallboxes[ev.wallbox_id]

    def _vehicle_in(self, wallbox: PoderoWallbox) -> PoderoVehicle | None:
        return None if wallbox.vehicle_id is None else self._vehicles[wallbox.vehicle_id]

    def wallbox(self, wallbox_id: str) -> PoderoWallbox:
        """The wallbox with its state brought up to the clock."""
        try:
            wallbox = self._wallboxes[wallbox_id]
        except KeyError:
            raise PoderoError(404, NOT_FOUND) from None
        self._sync()
        return wallbox

    def vehicle(self, vehicle_id: str) -> PoderoVehicle:
        """The EV with its state brought up to the clock."""
        try:
            vehicle = self._vehicles[vehicle_id]
        except KeyError:
            raise PoderoError(404, NOT_FOUND) from None
        self._sync()
        return vehicle

    def device(self, device_id: str) -> PoderoDevice:
        if device_id in self._wallboxes:
            return self.wallbox(device_id)
        return self.vehicle(device_id)

    def user_wallbox(self, user: PoderoUser, wallbox_id: str) -> PoderoWallbox:
        if wallbox_id not in user.wallbox_ids:
            raise PoderoError(404, NOT_FOUND)
        return self.wallbox(wallbox_id)

    def user_vehicle(self, user: PoderoUser, vehicle_id: str) -> PoderoVehicle:
        if vehicle_id not in user.vehicle_ids:
            raise PoderoError(404, NOT_FOUND)
        return self.vehicle(vehicle_id)

    # --- JSON documents ------------------------------------------------------------

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

    def _devices_of(self, user: PoderoUser) -> tuple[list[PoderoWallbox], list[PoderoVehicle]]:
        return (
            [self._wallboxes[i] for i in user.wallbox_ids],
            [self._vehicles[i] for i in user.vehicle_ids],
        )

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

    def _plugged(self, device: PoderoDevice) -> bool:
        if isinstance(device, PoderoWallbox):
            return device.vehicle_id is not None
        return isinstance(device, PoderoVehicle) and device.plugged_in

    # --- the physical world (control only) ----------------------------------------

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
                self._start_boost(device, now)
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

    # --- operations of the public API ---------------------------------------------

    def update_device(self, device: PoderoDevice, body: Mapping[str, Any]) -> None:
        """PUT a device: validate every field, then apply all (422 on any problem)."""
        self._sync()
        validators = (
            validation.VEHICLE_FIELDS
            if isinstance(device, PoderoVehicle)
            else validation.DEVICE_FIELDS
        )
        changes, errors = validation.validate(body, validators)
        _bad_body(errors)
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
            self._start_boost(device, now)
        device.updated_at = now

    def _start_boost(self, device: PoderoDevice, now: float) -> None:
        device.boost = Boost(requested_at=now)
        device.last_boost_triggered_at = now

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
        _bad_body(errors)
        for key, value in changes.items():
            if key == "mode":
                user.charging_mode = value
            else:
                setattr(user, key, value)
                for wallbox in wallboxes:
                    setattr(wallbox, key, value)
