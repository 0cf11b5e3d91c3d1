"""Control API of the Podero simulator (mounted under `/_sim/podero`, no auth)."""

from typing import Any

from aiohttp import web

from simulator.control import (
    add_fault_routes,
    add_reset_routes,
    add_settings_routes,
    control_errors_middleware,
    only,
)
from simulator.jsonbody import BodyError, opt_bool, opt_float, opt_str, read_object, req_str

from .cloud import SimulatedPodero
from .devices import VEHICLE_FIELDS, WALLBOX_FIELDS

_DEVICE_UPDATES = {
    "online",
    "is_authenticated",
    "actions",
    "battery_level",
    "latitude",
    "longitude",
    "boost_for_next_session",
}


def _device_overrides(body: dict[str, Any], allowed: frozenset[str]) -> dict[str, Any]:
    """Creation fields as given (the cloud checks names, the dataclass the values)."""
    only(body, set(allowed) | {"name"})
    return {key: value for key, value in body.items() if value is not None}


class _PoderoControl:
    def __init__(self, cloud: SimulatedPodero) -> None:
        self.cloud = cloud

    async def list_orgs(self, request: web.Request) -> web.Response:
        return web.json_response([org.to_json() for org in self.cloud.orgs])

    async def add_org(self, request: web.Request) -> web.Response:
        body = await read_object(request)
        only(body, {"client_id", "client_secret", "id", "name"})
        org = self.cloud.add_org(
            req_str(body, "client_id"),
            req_str(body, "client_secret"),
            opt_str(body, "id"),
            opt_str(body, "name"),
        )
        return web.json_response(org.to_json())

    async def revoke_tokens(self, request: web.Request) -> web.Response:
        org_id = request.match_info["org_id"]
        self.cloud.revoke_tokens(org_id)
        return web.json_response(self.cloud.org(org_id).to_json())

    async def add_user(self, request: web.Request) -> web.Response:
        body = await read_object(request)
        only(body, {"email", "first_name", "last_name", "id"})
        user = self.cloud.add_user(
            request.match_info["org_id"],
            req_str(body, "email"),
            opt_str(body, "first_name") or "",
            opt_str(body, "last_name") or "",
            opt_str(body, "id"),
        )
        return web.json_response({"id": user.id, **self.cloud.charging_config_json(user.id)})

    async def update_user(self, request: web.Request) -> web.Response:
        """`{"has_inverter": bool, "inverter_export_data"?: bool}` (HEMS availability)."""
        user_id = request.match_info["user_id"]
        body = await read_object(request)
        only(body, {"has_inverter", "inverter_export_data"})
        present = opt_bool(body, "has_inverter")
        if present is None:
            raise BodyError("has_inverter is required")
        self.cloud.set_inverter(
            user_id, present=present, export_data=opt_bool(body, "inverter_export_data")
        )
        return web.json_response(self.cloud.charging_config_json(user_id))

    async def charging_config(self, request: web.Request) -> web.Response:
        return web.json_response(self.cloud.charging_config_json(request.match_info["user_id"]))

    async def add_wallbox(self, request: web.Request) -> web.Response:
        body = await read_object(request, allow_empty=True)
        wallbox = self.cloud.add_wallbox(
            request.match_info["user_id"], **_device_overrides(body, WALLBOX_FIELDS)
        )
        return web.json_response(self.cloud.state_json(wallbox.id))

    async def add_vehicle(self, request: web.Request) -> web.Response:
        body = await read_object(request, allow_empty=True)
        vehicle = self.cloud.add_vehicle(
            request.match_info["user_id"], **_device_overrides(body, VEHICLE_FIELDS)
        )
        return web.json_response(self.cloud.state_json(vehicle.id))

    async def get_device(self, request: web.Request) -> web.Response:
        return web.json_response(self.cloud.state_json(request.match_info["device_id"]))

    async def get_device_json(self, request: web.Request) -> web.Response:
        """What the API answers for the device, without auth or limits."""
        return web.json_response(self.cloud.device_json(request.match_info["device_id"]))

    async def update_device(self, request: web.Request) -> web.Response:
        device_id = request.match_info["device_id"]
        body = await read_object(request)
        only(body, _DEVICE_UPDATES)
        online = opt_bool(body, "online")
        authenticated = opt_bool(body, "is_authenticated")
        level = opt_float(body, "battery_level")
        latitude = opt_float(body, "latitude")
        longitude = opt_float(body, "longitude")
        next_session = opt_bool(body, "boost_for_next_session")
        actions = body.get("actions")
        if actions is not None and not isinstance(actions, list):
            raise BodyError("actions must be a list")
        if (latitude is None) != (longitude is None):
            raise BodyError("latitude and longitude go together")
        if level is not None and not 0 <= level <= 100:
            raise BodyError("battery_level must be within 0..100")
        self.cloud.device(device_id)  # 404 before any change
        if online is not None:
            self.cloud.set_online(device_id, online)
        if authenticated is not None:
            self.cloud.set_authenticated(device_id, authenticated)
        if actions is not None:
            self.cloud.set_actions(device_id, actions)
        if level is not None:
            self.cloud.set_battery(device_id, level)
        if latitude is not None and longitude is not None:
            self.cloud.set_location(device_id, latitude, longitude)
        if next_session is not None:
            self.cloud.set_boost_for_next_session(device_id, next_session)
        return web.json_response(self.cloud.state_json(device_id))

    async def plug(self, request: web.Request) -> web.Response:
        vehicle_id = request.match_info["device_id"]
        body = await read_object(request, allow_empty=True)
        only(body, {"wallbox_id"})
        self.cloud.plug_in(vehicle_id, opt_str(body, "wallbox_id"))
        return web.json_response(self.cloud.state_json(vehicle_id))

    async def unplug(self, request: web.Request) -> web.Response:
        vehicle_id = request.match_info["device_id"]
        self.cloud.unplug(vehicle_id)
        return web.json_response(self.cloud.state_json(vehicle_id))


def build_control_app(cloud: SimulatedPodero) -> web.Application:
    """Routes for tests and developers to shape the simulated Podero cloud."""
    app = web.Application(middlewares=[control_errors_middleware])
    control = _PoderoControl(cloud)
    user = "/users/{user_id}"
    device = "/devices/{device_id}"
    app.router.add_get("/orgs", control.list_orgs)
    app.router.add_post("/orgs", control.add_org)
    app.router.add_post("/orgs/{org_id}/users", control.add_user)
    app.router.add_post("/orgs/{org_id}/revoke-tokens", control.revoke_tokens)
    app.router.add_post(user, control.update_user)
    app.router.add_get(user + "/charging-config", control.charging_config)
    app.router.add_post(user + "/wallboxes", control.add_wallbox)
    app.router.add_post(user + "/vehicles", control.add_vehicle)
    app.router.add_get(device, control.get_device)
    app.router.add_post(device, control.update_device)
    app.router.add_get(device + "/json", control.get_device_json)
    app.router.add_post(device + "/plug", control.plug)
    app.router.add_post(device + "/unplug", control.unplug)
    add_settings_routes(app, cloud.settings)
    add_fault_routes(app, cloud.faults)
    add_reset_routes(app, reset_rate_limits=cloud.reset_rate_limits, reset=cloud.reset)
    return app
