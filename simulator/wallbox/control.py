"""Control API of the Wallbox simulator (mounted under `/_sim/wallbox`, no auth)."""

from dataclasses import fields
from typing import Any

from aiohttp import web

from simulator.control import (
    add_fault_routes,
    add_reset_routes,
    add_settings_routes,
    control_errors_middleware,
    only,
)
from simulator.jsonbody import opt_bool, opt_float, opt_int, opt_str, read_object, req_str

from .cloud import SimulatedWallbox
from .model import Car
from .routes import charger_id_of

_CHARGER_FIELDS = {
    "id": opt_int,
    "name": opt_str,
    "part_number": opt_str,
    "phases": opt_int,
    "max_available_current": opt_int,
    "max_charging_current": opt_int,
    "locked": opt_bool,
    "eco_smart": opt_bool,
    "power_boost": opt_bool,
    "reports_soc": opt_bool,
    "firmware": opt_str,
    "latest_firmware": opt_str,
    "energy_price": opt_float,
    "icp_max_current": opt_int,
    "home_sharing": opt_bool,
    "status_shape": opt_str,
    "list_shape": opt_str,
}


def _charger_id(request: web.Request) -> int:
    return charger_id_of(request, "charger ids are integers")


class _WallboxControl:
    def __init__(self, cloud: SimulatedWallbox) -> None:
        self.cloud = cloud

    async def list_accounts(self, request: web.Request) -> web.Response:
        return web.json_response([account.to_json() for account in self.cloud.accounts])

    async def add_account(self, request: web.Request) -> web.Response:
        body = await read_object(request)
        only(body, {"email", "password", "user_id"})
        account = self.cloud.add_account(
            req_str(body, "email"), req_str(body, "password"), opt_int(body, "user_id")
        )
        return web.json_response(account.to_json())

    async def add_charger(self, request: web.Request) -> web.Response:
        body = await read_object(request, allow_empty=True)
        only(body, set(_CHARGER_FIELDS))
        options: dict[str, Any] = {}
        for key, read in _CHARGER_FIELDS.items():
            value = read(body, key)
            if value is not None:
                options[key] = value
        charger = self.cloud.add_charger(request.match_info["email"], **options)
        return web.json_response(self.cloud.state_json(charger.id))

    async def get_charger(self, request: web.Request) -> web.Response:
        return web.json_response(self.cloud.state_json(_charger_id(request)))

    async def get_status(self, request: web.Request) -> web.Response:
        """The status JSON without auth or rate limits, for looking around."""
        return web.json_response(self.cloud.status_json(_charger_id(request)))

    async def update_charger(self, request: web.Request) -> web.Response:
        charger_id = _charger_id(request)
        body = await read_object(request)
        only(body, {"solar_power_kw", "force_status", "status_shape", "list_shape"})
        solar = opt_float(body, "solar_power_kw")
        if solar is not None:
            self.cloud.set_solar(charger_id, solar)
        shape = opt_str(body, "status_shape")
        if shape is not None:
            self.cloud.set_status_shape(charger_id, shape)
        in_list = opt_str(body, "list_shape")
        if in_list is not None:
            self.cloud.set_list_shape(charger_id, in_list)
        if "force_status" in body:
            self.cloud.force_status(charger_id, opt_int(body, "force_status"))
        return web.json_response(self.cloud.state_json(charger_id))

    async def plug(self, request: web.Request) -> web.Response:
        charger_id = _charger_id(request)
        body = await read_object(request, allow_empty=True)
        car_fields = {f.name for f in fields(Car)}
        only(body, car_fields)
        values = {key: opt_float(body, key) for key in car_fields}
        car = Car(**{key: value for key, value in values.items() if value is not None})
        self.cloud.plug_in(charger_id, car)
        return web.json_response(self.cloud.state_json(charger_id))

    async def unplug(self, request: web.Request) -> web.Response:
        charger_id = _charger_id(request)
        self.cloud.unplug(charger_id)
        return web.json_response(self.cloud.state_json(charger_id))


def build_control_app(cloud: SimulatedWallbox) -> web.Application:
    """Routes for tests and developers to shape the simulated cloud."""
    app = web.Application(middlewares=[control_errors_middleware])
    control = _WallboxControl(cloud)
    charger = "/chargers/{charger_id}"
    app.router.add_get("/accounts", control.list_accounts)
    app.router.add_post("/accounts", control.add_account)
    app.router.add_post("/accounts/{email}/chargers", control.add_charger)
    app.router.add_get(charger, control.get_charger)
    app.router.add_post(charger, control.update_charger)
    app.router.add_get(charger + "/status", control.get_status)
    app.router.add_post(charger + "/plug", control.plug)
    app.router.add_post(charger + "/unplug", control.unplug)
    add_settings_routes(app, cloud.settings)
    add_fault_routes(app, cloud.faults)
    add_reset_routes(app, reset_rate_limits=cloud.reset_rate_limits)
    return app
