"""A server on another port of 127.0.0.1 that records everything it receives.

It stands for "another origin" a cloud might redirect to: whatever a client sends
there (headers, query, body) is kept, so a test can show that no credential
arrived. It answers every request 200 with an empty JSON object.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

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
    """What the recording server received (``url``: where it listens)."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.url = ""

    async def record(self, request: web.Request) -> web.Response:
        body = await request.read()
        self.received.append(Received(request.method, request.path_qs, dict(request.headers), body))
        return web.json_response({})


@asynccontextmanager
async def serve(app: web.Application) -> AsyncIterator[str]:
    """Serve ``app`` on a free port of 127.0.0.1; yields its base URL."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()


@asynccontextmanager
async def recording_server() -> AsyncIterator[Recorder]:
    """A server that answers and records every request, whatever its method and path."""
    recorder = Recorder()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", recorder.record)
    async with serve(app) as url:
        recorder.url = url
        yield recorder
