"""An aiohttp session that records every request it sends, for the client tests of each cloud.

Each cloud's tests keep their own ``Sent`` record (with the accessors they need);
this module only wires aiohttp's tracing to a list of them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from types import SimpleNamespace
from typing import Protocol

import aiohttp


class SentRequest(Protocol):
    """What a test's record of one sent request must offer: the body's chunks."""

    chunks: list[bytes]


@asynccontextmanager
async def traced_session[S: SentRequest](
    sent: list[S], record: Callable[[str, str, dict[str, str]], S]
) -> AsyncIterator[aiohttp.ClientSession]:
    """A plain session that appends ``record(method, url, headers)`` and the body to ``sent``."""

    async def on_headers_sent(
        _session: aiohttp.ClientSession,
        _context: SimpleNamespace,
        params: aiohttp.TraceRequestHeadersSentParams,
    ) -> None:
        sent.append(record(params.method, str(params.url), dict(params.headers)))

    async def on_chunk_sent(
        _session: aiohttp.ClientSession,
        _context: SimpleNamespace,
        params: aiohttp.TraceRequestChunkSentParams,
    ) -> None:
        sent[-1].chunks.append(params.chunk)

    trace = aiohttp.TraceConfig()
    trace.on_request_headers_sent.append(on_headers_sent)
    trace.on_request_chunk_sent.append(on_chunk_sent)
    async with aiohttp.ClientSession(trace_configs=[trace]) as session:
        yield session
