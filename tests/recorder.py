"""A server on another port of 127.0.0.1 that records everything it receives.

It stands for "another origin" a cloud might redirect to: whatever a client sends
there (headers, query, body) is kept, so a test can show that no credential
arrived. It answers every request 200 with an empty JSON object.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import TracebackType
from typing import Self

from aiohttp import web


@dataclass(frozen=True, slots=True)
class Received:
    """One request as the server saw it."""

    method: str
    path_qs: str
    headers: dict[str, str]
    body: bytes

    def text(self) -> str:
        """Everything of the request as one text, to look for a secret in."""
        lines = [f"{self.method} {self.path_qs}"]
        lines += [f"{name}: {value}" for name, value in self.headers.items()]
        return "\n".join(lines) + "\n" + self.body.decode(errors="replace")


class Recorder:
    """The recording server, as an async context manager (``url`` once started)."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def _record(self, request: web.Request) -> web.Response:
        body = await request.read()
        self.received.append(Received(request.method, request.path_qs, dict(request.headers), body))
        return web.json_response({})

    async def __aenter__(self) -> Self:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._record)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}"
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
