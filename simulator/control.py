"""Building blocks of every cloud's control API (`/_sim/<name>`): errors, settings, faults."""

from collections.abc import Callable
from dataclasses import asdict, fields
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler

from .errors import CloudError
from .faults import Fault, FaultList
from .jsonbody import BodyError, opt_bool, opt_float, opt_str, read_object


@web.middleware
async def control_errors_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """`{"error": ...}` with the cloud's status, or 400 for bad bodies and values."""
    try:
        return await handler(request)
    except CloudError as exc:
        return web.json_response({"error": exc.title}, status=exc.status)
    except (BodyError, ValueError) as exc:
        return web.json_response({"error": str(exc)}, status=400)


def only(body: dict[str, Any], allowed: set[str]) -> None:
    """Refuse (400) a body with keys outside `allowed`."""
    unknown = set(body) - allowed
    if unknown:
        raise BodyError(f"unknown fields: {sorted(unknown)}")


def apply_settings(settings: Any, body: dict[str, Any]) -> None:
    """Set dataclass fields from a body: booleans stay booleans, numbers must be ≥ 0.

    A text field takes one of the values its field's ``choices`` metadata lists.
    Everything is validated before anything changes.
    """
    only(body, {f.name for f in fields(settings)})
    choices = {f.name: f.metadata.get("choices") for f in fields(settings)}
    changes: dict[str, Any] = {}
    for key in body:
        if isinstance(getattr(settings, key), str):
            text = opt_str(body, key)
            if text not in (choices[key] or ()):
                raise BodyError(f"{key} must be one of {list(choices[key] or ())}")
            changes[key] = text
        elif isinstance(getattr(settings, key), bool):
            flag = opt_bool(body, key)
            if flag is None:
                raise BodyError(f"{key} must be a boolean")
            changes[key] = flag
        else:
            value = opt_float(body, key)
            if value is None or value < 0:
                raise BodyError(f"{key} must be a non-negative number")
            changes[key] = value
    for key, value in changes.items():
        setattr(settings, key, value)


def add_settings_routes(app: web.Application, settings: Any) -> None:
    """`GET`/`POST /settings` on a settings dataclass."""

    async def get_settings(request: web.Request) -> web.Response:
        return web.json_response(asdict(settings))

    async def update_settings(request: web.Request) -> web.Response:
        apply_settings(settings, await read_object(request))
        return web.json_response(asdict(settings))

    app.router.add_get("/settings", get_settings)
    app.router.add_post("/settings", update_settings)


def add_fault_routes(app: web.Application, faults: FaultList) -> None:
    """`GET`/`POST`/`DELETE /faults` on a cloud's fault list."""

    async def list_faults(request: web.Request) -> web.Response:
        return web.json_response(faults.to_json())

    async def add_fault(request: web.Request) -> web.Response:
        fault = faults.add(Fault.from_json(await read_object(request)))
        return web.json_response(fault.to_json())

    async def clear_faults(request: web.Request) -> web.Response:
        faults.clear()
        return web.json_response([])

    app.router.add_get("/faults", list_faults)
    app.router.add_post("/faults", add_fault)
    app.router.add_delete("/faults", clear_faults)


def add_reset_routes(
    app: web.Application,
    *,
    reset_rate_limits: Callable[[], None],
    reset: Callable[[], None] | None = None,
) -> None:
    """`DELETE /ratelimits` refills every bucket; `POST /reset` (when given) forgets everything."""

    async def clear_limits(request: web.Request) -> web.Response:
        reset_rate_limits()
        return web.json_response({})

    app.router.add_delete("/ratelimits", clear_limits)
    if reset is None:
        return

    async def reset_all(request: web.Request) -> web.Response:
        reset()
        return web.json_response({})

    app.router.add_post("/reset", reset_all)
