"""HTTP routes of the simulated Thor integration API (mounted under `/thor`).

The real `https://api.thor.tools/latest/integration/X` is `{sim}/thor/latest/integration/X`.
"""

import json
import math
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Middleware

from simulator.errors import cloud_errors_middleware
from simulator.faults import fault_middleware
from simulator.requestlog import set_account

from .cloud import SimulatedThor
from .errors import BAD_REQUEST, NOT_FOUND, ThorError, parse_bool
from .model import ThorAccount

PREFIX = "/latest/integration"
API_KEY_HEADER = "X-Api-Key"
_BOUNDS = ("cnelat", "cnelng", "cswlat", "cswlng")


def error_response(status: int, title: str) -> web.Response:
    """The API's error body `{"message": name}` (a guess), also for injected faults."""
    return web.json_response({"message": title}, status=status)


def _errors_middleware(cloud: SimulatedThor) -> Middleware:
    return cloud_errors_middleware(
        ThorError,
        lambda exc: error_response(exc.status, exc.title),
        send_retry_after=lambda: cloud.settings.send_retry_after,
    )


async def _json_or_none(request: web.Request) -> Any:
    """The decoded body, or None when it is not JSON (the cloud answers 400 then)."""
    try:
        return json.loads(await request.read())
    except ValueError:
        return None


def _bounds(request: web.Request) -> tuple[float, float, float, float] | None:
    """The bounding box: all four parameters or none, numbers, north-east above south-west."""
    given = [request.query.get(name) for name in _BOUNDS]
    if all(value is None for value in given):
        return None
    if any(value is None for value in given):
        raise ThorError(400, BAD_REQUEST)
    try:
        ne_lat, ne_lng, sw_lat, sw_lng = (float(value or "") for value in given)
    except ValueError:
        raise ThorError(400, BAD_REQUEST) from None
    values = (ne_lat, ne_lng, sw_lat, sw_lng)
    if (
        not all(math.isfinite(v) for v in values)
        or not -90 <= sw_lat <= ne_lat <= 90
        or not (-180 <= ne_lng <= 180 and -180 <= sw_lng <= 180)
    ):
        raise ThorError(400, BAD_REQUEST)
    return values


class _ThorApi:
    def __init__(self, cloud: SimulatedThor) -> None:
        self.cloud = cloud

    def _account(self, request: web.Request) -> ThorAccount:
        """Check the key and the account's switches, attribute the request, spend budget."""
        api_key = request.headers.get(API_KEY_HEADER)
        if self.cloud.find_account(api_key) is not None:
            set_account(request, api_key)
        account = self.cloud.authenticate(api_key, request.remote)
        self.cloud.acquire(account)
        return account

    async def list_chargeboxes(self, request: web.Request) -> web.Response:
        account = self._account(request)
        query = request.query
        boxes = self.cloud.chargeboxes_json(
            account,
            only_active=parse_bool(query.get("onlyactive"), default=True),
            bounds=_bounds(request),
            connector_type=query.get("type"),
        )
        return web.json_response(boxes)

    async def get_chargebox(self, request: web.Request) -> web.Response:
        account = self._account(request)
        box = self.cloud.account_box(account, request.match_info["chargebox_id"])
        return web.json_response(self.cloud.chargebox_json(box.id))

    async def running(self, request: web.Request) -> web.Response:
        account = self._account(request)
        return web.json_response(self.cloud.running_json(account, request.query.get("chargebox")))

    async def finished(self, request: web.Request) -> web.Response:
        account = self._account(request)
        query = request.query
        return web.json_response(
            self.cloud.finished_json(
                account, query.get("from"), query.get("to"), query.get("chargebox")
            )
        )

    async def start(self, request: web.Request) -> web.Response:
        account = self._account(request)
        answer = self.cloud.start_charge(account, await _json_or_none(request))
        return web.json_response(answer)

    async def stop(self, request: web.Request) -> web.Response:
        account = self._account(request)
        self.cloud.stop_charge(account, await _json_or_none(request))
        return web.Response(status=200)

    async def reservations(self, request: web.Request) -> web.Response:
        account = self._account(request)
        return web.json_response(
            self.cloud.reservations_json(account, request.query.get("chargebox"))
        )

    async def not_found(self, request: web.Request) -> web.Response:
        raise ThorError(404, NOT_FOUND)


def build_api_app(cloud: SimulatedThor) -> web.Application:
    """The integration API; faults come first so they pre-empt auth and limits."""
    app = web.Application(
        middlewares=[fault_middleware(cloud.faults, error_response), _errors_middleware(cloud)]
    )
    api = _ThorApi(cloud)
    app.router.add_get(PREFIX + "/chargeboxes", api.list_chargeboxes)
    app.router.add_get(PREFIX + "/chargeboxes/{chargebox_id}", api.get_chargebox)
    app.router.add_get(PREFIX + "/charges/running", api.running)
    app.router.add_get(PREFIX + "/charges/finished", api.finished)
    app.router.add_post(PREFIX + "/charges/start", api.start)
    app.router.add_post(PREFIX + "/charges/stop", api.stop)
    app.router.add_get(PREFIX + "/reservations", api.reservations)
    # Everything else under the prefix, including wrong methods, is a JSON 404.
    app.router.add_route("*", "/{tail:.*}", api.not_found)

    async def stop_pushes(_app: web.Application) -> None:
        await cloud.push.close()

    app.on_cleanup.append(stop_pushes)
    return app
