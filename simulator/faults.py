"""Injected failures (errors, delays, garbage bodies) for any simulated cloud."""

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from .jsonbody import BodyError, opt_bool, opt_float, opt_int, opt_str

# Claims to be JSON but is an HTML error page, like a misbehaving proxy would send.
MALFORMED_BODY = "<html><body><h1>502 Bad Gateway</h1></body></html>"

ErrorResponder = Callable[[int, str], web.Response]


@dataclass(slots=True)
class Fault:
    """One injected failure.

    `status` answers with that HTTP status and the provider's error body;
    `malformed` answers 200 (or `status`) with `body` or a non-JSON body;
    `delay` sleeps first (real time, so clients' timeouts trigger);
    a delay-only fault then lets the request through.
    `headers` are added to the injected answer (e.g. `{"Retry-After": "120"}`);
    they need a `status` or `malformed`, as a request let through is not changed.
    `times` counts matching requests left (None: until cleared).
    """

    status: int | None = None
    delay: float = 0.0
    malformed: bool = False
    times: int | None = None
    path: str | None = None
    method: str | None = None
    body: str | None = None
    headers: dict[str, str] | None = None

    def __post_init__(self) -> None:
        if self.status is not None and not 100 <= self.status <= 599:
            raise ValueError(f"invalid HTTP status {self.status}")
        if self.delay < 0:
            raise ValueError("delay must not be negative")
        if self.times is not None and self.times < 1:
            raise ValueError("times must be at least 1 (or null for unlimited)")
        if self.headers is not None:
            _check_headers(self.headers)
            if self.status is None and not self.malformed:
                raise ValueError("headers need a status or malformed")

    def matches(self, method: str, path: str) -> bool:
        return (self.method is None or self.method.upper() == method.upper()) and (
            self.path is None or self.path in path
        )

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Fault:
        """Build from a control-API body; raises BodyError on bad input."""
        unknown = set(data) - set(cls.__dataclass_fields__)
        if unknown:
            raise BodyError(f"unknown fault fields: {sorted(unknown)}")
        try:
            return cls(
                status=opt_int(data, "status"),
                delay=opt_float(data, "delay") or 0.0,
                malformed=opt_bool(data, "malformed") or False,
                times=opt_int(data, "times"),
                path=opt_str(data, "path"),
                method=opt_str(data, "method"),
                body=opt_str(data, "body"),
                headers=_opt_headers(data, "headers"),
            )
        except ValueError as exc:
            raise BodyError(str(exc)) from exc


def _check_headers(headers: Mapping[str, str]) -> None:
    """Names and values are strings; no line breaks (they would split the answer)."""
    for name, value in headers.items():
        if not isinstance(name, str) or not isinstance(value, str):
            raise ValueError("header names and values must be strings")
        if not name or any(ch in name for ch in ":\r\n") or any(ch in value for ch in "\r\n"):
            raise ValueError(f"invalid header {name!r}")


def _opt_headers(data: Mapping[str, Any], key: str) -> dict[str, str] | None:
    """An object of header names to string values, or None if absent/null."""
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise BodyError(f"{key} must be an object of strings")
    return dict(value)


class FaultList:
    """Active faults of one provider; the first matching fault wins."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []

    def add(self, fault: Fault) -> Fault:
        self._faults.append(fault)
        return fault

    def clear(self) -> None:
        self._faults.clear()

    def __len__(self) -> int:
        return len(self._faults)

    def to_json(self) -> list[dict[str, Any]]:
        return [fault.to_json() for fault in self._faults]

    def take(self, method: str, path: str) -> Fault | None:
        """The fault to apply to this request, using up one of its `times`."""
        for fault in self._faults:
            if fault.matches(method, path):
                if fault.times is not None:
                    fault.times -= 1
                    if fault.times == 0:
                        self._faults.remove(fault)
                return fault
        return None


def fault_middleware(faults: FaultList, error_response: ErrorResponder) -> Middleware:
    """Provider-app middleware applying faults before any auth or rate limiting."""

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        fault = faults.take(request.method, request.path)
        if fault is None:
            return await handler(request)
        if fault.delay:
            await asyncio.sleep(fault.delay)
        if fault.malformed:
            response = web.Response(
                status=fault.status or 200,
                text=MALFORMED_BODY if fault.body is None else fault.body,
                content_type="application/json",
            )
        elif fault.status is not None:
            response = error_response(fault.status, "Injected fault")
        else:
            return await handler(request)
        if fault.headers:
            response.headers.update(fault.headers)
        return response

    return middleware
