"""HTTP routes of the simulated Podero cloud (mounted under `/podero`).

The paths below the prefix are those of app.podero.com: `oauth2/token/` and the
Partner API under `api/partners/v2.0`.
"""

import json
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Middleware

from simulator.errors import cloud_errors_middleware
from simulator.faults import fault_middleware
from simulator.httpauth import basic_credentials, bearer_token
from simulator.requestlog import set_account

from .answers import detail_json, org_json, token_json, user_json, validation_error
from .cloud import SimulatedPodero
from .errors import (
    FORBIDDEN,
    NOT_FOUND,
    PoderoAuthError,
    PoderoError,
    PoderoValidationError,
)
from .model import PoderoDevice, PoderoOrg, PoderoUser

API = "/api/partners/v2.0"
CANNOT_PARSE = "Cannot parse request body"


def error_response(status: int, title: str) -> web.Response:
    """JSON error in the API's format (`{"detail": ...}`), also used for injected faults."""
    return web.json_response(detail_json(title), status=status)


_errors_middleware = cloud_errors_middleware(
    PoderoError, lambda exc: web.json_response(exc.body, status=exc.status)
)


async def _json_object(request: web.Request) -> dict[str, Any]:
    """The body as an object: 400 when it is not JSON, 422 when not an object."""
    try:
        data = json.loads(await request.read())
    except ValueError:
        raise PoderoError(400, CANNOT_PARSE) from None
    if not isinstance(data, dict):
        raise PoderoValidationError(
            [validation_error(["body"], "Input should be a valid dictionary", "dict_type")]
        )
    return data


class _PoderoApi:
    def __init__(self, cloud: SimulatedPodero) -> None:
        self.cloud = cloud

    async def token(self, request: web.Request) -> web.Response:
        """`POST oauth2/token/`: HTTP Basic client credentials, JSON body."""
        credentials = basic_credentials(request)
        if credentials is None:
            raise PoderoAuthError(401, "invalid_client")
        known = self.cloud.find_client(credentials[0])
        set_account(request, None if known is None else known.id)
        org = self.cloud.authenticate_client(*credentials)
        try:
            body = json.loads(await request.read())
        except ValueError:
            body = None
        if not isinstance(body, dict) or body.get("grant_type") != "client_credentials":
            raise PoderoAuthError(400, "unsupported_grant_type")
        token, lifetime = self.cloud.issue_token(org)
        return web.json_response(token_json(token, lifetime))

    def _org(self, request: web.Request) -> PoderoOrg:
        """Authenticate, attribute the request, check the path's org, spend budget."""
        org = self.cloud.authenticate(bearer_token(request))
        set_account(request, org.id)
        if request.match_info["org_id"] != org.id:
            raise PoderoError(403, FORBIDDEN)
        self.cloud.acquire(org.id)
        return org

    def _user(self, request: web.Request) -> PoderoUser:
        return self.cloud.org_user(self._org(request), request.match_info["user_id"])

    def _device(self, request: web.Request) -> PoderoDevice:
        user = self._user(request)
        device_id = request.match_info["device_id"]
        if request.match_info["kind"] == "wallboxes":
            return self.cloud.user_wallbox(user, device_id)
        return self.cloud.user_vehicle(user, device_id)

    async def get_org(self, request: web.Request) -> web.Response:
        return web.json_response(org_json(self._org(request)))

    async def list_users(self, request: web.Request) -> web.Response:
        return web.json_response(self.cloud.users_json(self._org(request).id))

    async def get_user(self, request: web.Request) -> web.Response:
        return web.json_response(user_json(self._user(request)))

    async def list_devices(self, request: web.Request) -> web.Response:
        user = self._user(request)
        if request.match_info["kind"] == "wallboxes":
            return web.json_response(self.cloud.wallboxes_json(user.id))
        return web.json_response(self.cloud.vehicles_json(user.id))

    async def get_device(self, request: web.Request) -> web.Response:
        return web.json_response(self.cloud.device_json(self._device(request).id))

    async def put_device(self, request: web.Request) -> web.Response:
        device = self._device(request)
        self.cloud.update_device(device, await _json_object(request))
        return web.json_response(self.cloud.device_json(device.id))

    async def post_boost(self, request: web.Request) -> web.Response:
        self.cloud.request_boost(self._device(request))
        return web.Response(status=204)

    async def delete_boost(self, request: web.Request) -> web.Response:
        self.cloud.cancel_boost(self._device(request))
        return web.Response(status=204)

    async def get_charging_config(self, request: web.Request) -> web.Response:
        return web.json_response(self.cloud.charging_config_json(self._user(request).id))

    async def put_charging_config(self, request: web.Request) -> web.Response:
        user = self._user(request)
        self.cloud.update_charging_config(user, await _json_object(request))
        return web.json_response(self.cloud.charging_config_json(user.id))

    async def not_found(self, request: web.Request) -> web.Response:
        raise PoderoError(404, NOT_FOUND)


def build_api_app(cloud: SimulatedPodero) -> web.Application:
    """The cloud's public API; faults come first so they pre-empt auth and limits."""
    middlewares: list[Middleware] = [
        fault_middleware(cloud.faults, error_response),
        _errors_middleware,
    ]
    app = web.Application(middlewares=middlewares)
    api = _PoderoApi(cloud)
    org = API + "/org/{org_id}"
    user = org + "/users/{user_id}"
    kind = user + "/{kind:wallboxes|electric-vehicles}"
    device = kind + "/{device_id}"
    app.router.add_post("/oauth2/token/", api.token)
    app.router.add_get(org, api.get_org)
    app.router.add_get(org + "/users", api.list_users)
    app.router.add_get(user, api.get_user)
    app.router.add_get(kind, api.list_devices)
    app.router.add_get(device, api.get_device)
    app.router.add_put(device, api.put_device)
    app.router.add_post(device + "/boost", api.post_boost)
    app.router.add_delete(device + "/boost", api.delete_boost)
    app.router.add_get(user + "/charging-config", api.get_charging_config)
    app.router.add_put(user + "/charging-config", api.put_charging_config)
    # Everything else under the prefix, including wrong methods, is a JSON 404.
    app.router.add_route("*", "/{tail:.*}", api.not_found)
    return app
