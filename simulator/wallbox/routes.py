"""HTTP routes of the simulated Wallbox cloud (mounted under `/wallbox`)."""

from typing import Any

from aiohttp import web
from aiohttp.typedefs import Middleware

from simulator.errors import cloud_errors_middleware
from simulator.faults import fault_middleware
from simulator.httpauth import basic_credentials, bearer_token
from simulator.jsonbody import opt_bool, opt_int, read_object
from simulator.requestlog import set_account

from .answers import error_json, token_json
from .cloud import SimulatedWallbox
from .errors import WallboxError
from .model import WallboxAccount, WallboxCharger


def error_response(status: int, title: str) -> web.Response:
    """JSON error in the cloud's format."""
    return web.json_response(error_json(status, title), status=status)


def _errors_middleware(cloud: SimulatedWallbox) -> Middleware:
    """Turn WallboxError and bad bodies into the cloud's `{"errors": [...]}` answers."""
    return cloud_errors_middleware(
        WallboxError,
        lambda exc: error_response(exc.status, exc.title),
        send_retry_after=lambda: cloud.settings.send_retry_after,
        render_bad_body=lambda message: error_response(400, message),
    )


def _bearer(request: web.Request) -> str:
    token = bearer_token(request)
    if token is None:
        raise WallboxError(401, "Missing bearer token")
    return token


def _basic_credentials(request: web.Request) -> tuple[str, str]:
    """Email and password of an HTTP Basic Authorization header."""
    credentials = basic_credentials(request)
    if credentials is None:
        raise WallboxError(401, "Missing credentials")
    return credentials


def _require_partner(request: web.Request) -> None:
    if request.headers.get("Partner", "").lower() != "wallbox":
        raise WallboxError(400, "Missing or unknown Partner header")


def charger_id_of(request: web.Request, not_a_number: str = "Charger not found") -> int:
    """The `{charger_id}` of the path; 404 with `not_a_number` when it is no integer."""
    try:
        return int(request.match_info["charger_id"])
    except ValueError:
        raise WallboxError(404, not_a_number) from None


class _WallboxApi:
    def __init__(self, cloud: SimulatedWallbox) -> None:
        self.cloud = cloud

    def _account(self, request: web.Request, *, write: bool) -> WallboxAccount:
        """Authenticate, attribute the request, then spend rate-limit budget."""
        account = self.cloud.authenticate(_bearer(request))
        set_account(request, account.email)
        self.cloud.acquire(account.email, write=write)
        return account

    def _charger(self, request: web.Request, *, write: bool) -> WallboxCharger:
        account = self._account(request, write=write)
        return self.cloud.owned_charger(account, charger_id_of(request))

    async def sign_in(self, request: web.Request) -> web.Response:
        _require_partner(request)
        email, password = _basic_credentials(request)
        # Failed attempts on an existing account are attributed to it too.
        known = self.cloud.find_account(email)
        set_account(request, None if known is None else known.email)
        grant = self.cloud.sign_in(email, password)
        return web.json_response(token_json(grant))

    async def refresh(self, request: web.Request) -> web.Response:
        _require_partner(request)
        grant = self.cloud.refresh(_bearer(request))
        set_account(request, grant.email)
        return web.json_response(token_json(grant))

    async def groups(self, request: web.Request) -> web.Response:
        account = self._account(request, write=False)
        return web.json_response(self.cloud.groups_json(account.email))

    async def status(self, request: web.Request) -> web.Response:
        charger = self._charger(request, write=False)
        return web.json_response(self.cloud.status_json(charger.id))

    async def get_charger(self, request: web.Request) -> web.Response:
        charger = self._charger(request, write=False)
        return web.json_response(self.cloud.charger_data_json(charger.id))

    async def put_charger(self, request: web.Request) -> web.Response:
        charger = self._charger(request, write=True)
        body = await read_object(request)
        unknown = set(body) - {"locked", "maxChargingCurrent"}
        if unknown or not body:
            raise WallboxError(400, f"Unsupported fields: {sorted(unknown)}")
        locked = opt_bool(body, "locked")
        current = opt_int(body, "maxChargingCurrent")
        if current is not None:
            self.cloud.set_max_charging_current(charger.id, current)
        if locked is not None:
            self.cloud.set_locked(charger.id, locked)
        return web.json_response(self.cloud.charger_data_json(charger.id))

    async def remote_action(self, request: web.Request) -> web.Response:
        charger = self._charger(request, write=True)
        body = await read_object(request)
        action = opt_int(body, "action")
        if action is None:
            raise WallboxError(400, "action is required")
        self.cloud.remote_action(charger.id, action)
        return web.json_response({"id": charger.id, "action": action, "status": "accepted"})

    async def eco_smart(self, request: web.Request) -> web.Response:
        charger = self._charger(request, write=True)
        if charger.eco_smart is None:
            raise WallboxError(404, "Eco-Smart is not available on this charger")
        body = await read_object(request)
        data = body.get("data")
        if not isinstance(data, dict) or data.get("type") != "eco_smart":
            raise WallboxError(400, 'Expected {"data": {"type": "eco_smart", ...}}')
        attributes: Any = data.get("attributes")
        if not isinstance(attributes, dict):
            raise WallboxError(400, "data.attributes must be an object")
        enabled = opt_bool(attributes, "enabled")
        mode = opt_int(attributes, "mode")
        if enabled is None or mode is None:
            raise WallboxError(400, "enabled and mode are required")
        percentage = opt_int(attributes, "percentage")
        self.cloud.set_eco_smart(charger.id, enabled, mode, percentage)
        return web.json_response(self.cloud.eco_smart_json(charger.id))

    async def config(self, request: web.Request) -> web.Response:
        charger = self._charger(request, write=True)
        body = await read_object(request)
        self.cloud.update_config(charger.id, body)
        return web.json_response(self.cloud.config_data_json(charger.id))

    async def not_found(self, request: web.Request) -> web.Response:
        raise WallboxError(404, "Not found")


def build_api_app(cloud: SimulatedWallbox) -> web.Application:
    """The cloud's public API; faults come first so they pre-empt auth and limits."""
    app = web.Application(
        middlewares=[
            fault_middleware(cloud.faults, error_response),
            _errors_middleware(cloud),
        ]
    )
    api = _WallboxApi(cloud)
    charger = "/{charger_id}"
    app.router.add_get("/users/signin", api.sign_in)
    app.router.add_get("/users/refresh-token", api.refresh)
    app.router.add_get("/v3/chargers/groups", api.groups)
    app.router.add_get("/chargers/status" + charger, api.status)
    app.router.add_get("/v2/charger" + charger, api.get_charger)
    app.router.add_put("/v2/charger" + charger, api.put_charger)
    app.router.add_post("/v3/chargers" + charger + "/remote-action", api.remote_action)
    app.router.add_put("/v4/chargers" + charger + "/eco-smart", api.eco_smart)
    app.router.add_post("/chargers/config" + charger, api.config)
    # Everything else under the prefix, including wrong methods, is a JSON 404.
    app.router.add_route("*", "/{tail:.*}", api.not_found)
    return app
