"""Assembly of the simulator: a root app with one API and one control sub-app per cloud."""

from aiohttp import web

from .clock import Clock
from .jsonbody import BodyError, opt_float, read_object
from .podero.cloud import SimulatedPodero
from .podero.control import build_control_app as build_podero_control_app
from .podero.demo import seed_podero_demo
from .podero.routes import build_api_app as build_podero_api_app
from .provider import ProviderApps
from .requestlog import RequestLog, request_log_middleware
from .thor.cloud import SimulatedThor
from .thor.control import build_control_app as build_thor_control_app
from .thor.demo import seed_thor_demo
from .thor.routes import build_api_app as build_thor_api_app
from .wallbox.cloud import SimulatedWallbox
from .wallbox.control import build_control_app as build_wallbox_control_app
from .wallbox.demo import seed_wallbox_demo
from .wallbox.routes import build_api_app as build_wallbox_api_app


class Simulator:
    """Everything the simulated clouds share: the clock, the request log, each cloud."""

    def __init__(self, clock: Clock | None = None) -> None:
        self.clock = clock if clock is not None else Clock()
        self.requests = RequestLog()
        self.wallbox = SimulatedWallbox(self.clock)
        self.podero = SimulatedPodero(self.clock)
        self.thor = SimulatedThor(self.clock)

    def provider_apps(self) -> list[ProviderApps]:
        """Fresh sub-apps for every cloud; a new provider adds one entry here."""
        return [
            ProviderApps(
                name=self.wallbox.name,
                api=build_wallbox_api_app(self.wallbox),
                control=build_wallbox_control_app(self.wallbox),
            ),
            ProviderApps(
                name=self.podero.name,
                api=build_podero_api_app(self.podero),
                control=build_podero_control_app(self.podero),
            ),
            ProviderApps(
                name=self.thor.name,
                api=build_thor_api_app(self.thor),
                control=build_thor_control_app(self.thor),
            ),
        ]

    def seed_demo(self) -> None:
        seed_wallbox_demo(self.wallbox)
        seed_podero_demo(self.podero)
        seed_thor_demo(self.thor)


SIMULATOR_KEY = web.AppKey("simulator", Simulator)


async def _get_requests(request: web.Request) -> web.Response:
    log = request.app[SIMULATOR_KEY].requests
    query = request.query
    status = query.get("status")
    records = log.matching(
        provider=query.get("provider"),
        method=query.get("method"),
        path_contains=query.get("path_contains"),
        status=int(status) if status and status.isdigit() else None,
        account=query.get("account"),
    )
    return web.json_response([record.to_json() for record in records])


async def _clear_requests(request: web.Request) -> web.Response:
    request.app[SIMULATOR_KEY].requests.clear()
    return web.json_response([])


async def _get_clock(request: web.Request) -> web.Response:
    return web.json_response({"now": request.app[SIMULATOR_KEY].clock.now()})


async def _advance_clock(request: web.Request) -> web.Response:
    clock = request.app[SIMULATOR_KEY].clock
    try:
        seconds = opt_float(await read_object(request), "seconds")
        if seconds is None or seconds < 0:
            raise BodyError("seconds must be a non-negative number")
    except BodyError as exc:
        return web.json_response({"error": str(exc)}, status=400)
    clock.advance(seconds)
    return web.json_response({"now": clock.now()})


def create_app(sim: Simulator | None = None) -> web.Application:
    """The aiohttp app serving every simulated cloud and the `/_sim` control API."""
    sim = sim if sim is not None else Simulator()
    providers = sim.provider_apps()
    app = web.Application(
        # A client that gives up (e.g. on a delay fault) cancels its handler, so that
        # shutting the server down does not wait for sleeping handlers.
        handler_args={"handler_cancellation": True},
        middlewares=[
            request_log_middleware(sim.requests, sim.clock, frozenset(p.name for p in providers))
        ],
    )
    app[SIMULATOR_KEY] = sim
    app.router.add_get("/_sim/requests", _get_requests)
    app.router.add_delete("/_sim/requests", _clear_requests)
    app.router.add_get("/_sim/clock", _get_clock)
    app.router.add_post("/_sim/clock/advance", _advance_clock)
    for provider in providers:
        app.add_subapp(f"/{provider.name}", provider.api)
        app.add_subapp(f"/_sim/{provider.name}", provider.control)
    return app
