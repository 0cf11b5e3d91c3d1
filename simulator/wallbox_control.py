"""Control API of the Wallbox simulator (mounted under `/_sim/wallbox`, no auth)."""

from dataclasses import fields
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler

from .faults import Fault
from .jsonbody import (
    BodyError,
    opt_bool,
    opt_float,
    opt_int,
    opt_str,
    read_object,
    req_str,
)
from .wallbox import WallboxCloud, WallboxError
from .wallbox_model import Car, WallboxSettings

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
}


@web.middleware
async def _errors_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except WallboxError as exc:
        return web.json_response({"error": exc.title}, status=exc.status)
    except (BodyError, ValueError) as exc:
        return web.json_response({"error": str(exc)}, status=400)


def _charger_id(request: web.Request) -> int:
    try:
        return int(request.match_info["charger_id"])
    except ValueError:
        raise WallboxError(404, "charger ids are integers") from None


def _only(body: dict[str, Any], allowed: set[str]) -> None:
    unknown = set(body) - allowed
    if unknown:
        raise BodyError(f"unknown fields: {sorted(unknown)}")


class _WallboxControl:
    def __init__(self, cloud: WallboxCloud) -> None:
        self.cloud = cloud

    async def list_accounts(self, request: web.Request) -> web.Response:
        return web.json_response([account.to_json() for account in self.cloud.accounts])

    async def add_account(self, request: web.Request) -> web.Response:
        body = await read_object(request)
        _only(body, {"email", "password", "user_id"})
        account = self.cloud.add_account(
            req_str(body, "email"), req_str(body, "password"), opt_int(body, "user_id")
        )
        return web.json_response(account.to_json())

    async def add_charger(self, request: web.Request) -> web.Response:
        body = await read_object(request, allow_empty=True)
        _only(body, set(_CHARGER_FIELDS))
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
        _only(body, {"solar_power_kw", "force_status"})
        solar = opt_float(body, "solar_power_kw")
        if solar is not None:
            self.cloud.set_solar(charger_id, solar)
        if "force_status" in body:
            self.cloud.force_status(charger_id, opt_int(body, "force_status"))
        return web.json_response(self.cloud.state_json(charger_id))

    async def plug(self, request: web.Request) -> web.Response:
        charger_id = _charger_id(request)
        body = await read_object(request, allow_empty=True)
        car_fields = {f.name for f in fields(Car)}
        _only(body, car_fields)
        values = {key: opt_float(body, key) for key in car_fields}
        car = Car(**{key: value for key, value in values.items() if value is not None})
        self.cloud.plug_in(charger_id, car)
        return web.json_response(self.cloud.state_json(charger_id))

    async def unplug(self, request: web.Request) -> web.Response:
        charger_id = _charger_id(request)
        self.cloud.unplug(charger_id)
        return web.json_response(self.cloud.state_json(charger_id))

    async def get_settings(self, request: web.Request) -> web.Response:
        return web.json_response(self.cloud.settings.to_json())

    async def update_settings(self, request: web.Request) -> web.Response:
        body = await read_object(request)
        settings = self.cloud.settings
        _only(body, {f.name for f in fields(WallboxSettings)})
        # Validate everything before changing anything.
        changes: dict[str, Any] = {}
        for key in body:
            if key == "send_retry_after":
                changes[key] = opt_bool(body, key)
            else:
                value = opt_float(body, key)
                if value is None or value < 0:
                    raise BodyError(f"{key} must be a non-negative number")
                changes[key] = value
        for key, value in changes.items():
            setattr(settings, key, value)
        return web.json_response(settings.to_json())

    async def list_faults(self, request: web.Request) -> web.Response:
        return web.json_response(self.cloud.faults.to_json())

    async def add_fault(self, request: web.Request) -> web.Response:
        fault = self.cloud.faults.add(Fault.from_json(await read_object(request)))
        return web.json_response(fault.to_json())

    async def clear_faults(self, request: web.Request) -> web.Response:
        self.cloud.faults.clear()
        return web.json_response([])

    async def reset_rate_limits(self, request: web.Request) -> web.Response:
        self.cloud.reset_rate_limits()
        return web.json_response({})


def build_control_app(cloud: WallboxCloud) -> web.Application:
    """Routes for tests and developers to shape the simulated cloud."""
    app = web.Application(middlewares=[_errors_middleware])
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
    app.router.add_get("/settings", control.get_settings)
    app.router.add_post("/settings", control.update_settings)
    app.router.add_get("/faults", control.list_faults)
    app.router.add_post("/faults", control.add_fault)
    app.router.add_delete("/faults", control.clear_faults)
    app.router.add_delete("/ratelimits", control.reset_rate_limits)
    return app
