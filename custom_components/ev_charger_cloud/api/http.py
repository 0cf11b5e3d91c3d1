"""The HTTP plumbing every vendor client shares: timeouts, JSON and error mapping."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
import json
import logging
from typing import Any

import aiohttp

from .errors import CloudConnectionError, RateLimitedError, UnexpectedResponseError

_LOGGER = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 15.0


@dataclass(frozen=True, slots=True)
class Response:
    """What a client needs of an answer: its status, headers and parsed body."""

    status: int
    headers: Mapping[str, str]
    body: Any

    @property
    def retry_after(self) -> float | None:
        """The Retry-After header in seconds, when it is a number."""
        value = self.headers.get("Retry-After")
        try:
            return max(0.0, float(value)) if value is not None else None
        except ValueError:
            return None


def basic_auth_header(user: str, password: str) -> str:
    """The value of an HTTP Basic ``Authorization`` header.

    Latin-1, as aiohttp's BasicAuth did before it was deprecated.
    """
    return aiohttp.encode_basic_auth(user, password, encoding="latin1")


class JsonHttp:
    """Sends requests with a timeout and turns transport failures into typed errors.

    Status codes that mean something specific to a cloud are left to the
    client; only the ones with one meaning everywhere are handled here.
    """

    def __init__(self, session: aiohttp.ClientSession, *, timeout: float | None = None) -> None:
        """Use the caller's session (Home Assistant's shared one in practice)."""
        self._session = session
        self._timeout = DEFAULT_TIMEOUT if timeout is None else timeout

    async def request(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        json_body: Any = None,
    ) -> Response:
        """Send one request; raise on transport errors, 429 and 5xx."""
        _LOGGER.debug("%s %s", method, url)
        try:
            async with asyncio.timeout(self._timeout):
                async with self._session.request(
                    method, url, headers=headers, json=json_body
                ) as resp:
                    text = await resp.text()
                    status, resp_headers = resp.status, dict(resp.headers)
        except TimeoutError as err:
            raise CloudConnectionError(f"Timeout after {self._timeout:g} s") from err
        except aiohttp.ClientError as err:
            raise CloudConnectionError(f"Cannot connect: {err}") from err

        response = Response(status, resp_headers, _parse_json(text, status))
        if status == 429:
            raise RateLimitedError("Too many requests", response.retry_after)
        if status >= 500:
            raise CloudConnectionError(f"Server error {status}")
        return response


def _parse_json(text: str, status: int) -> Any:
    """Parse a body; a broken body on a success is a payload error."""
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError as err:
        if 200 <= status < 300:
            raise UnexpectedResponseError("The answer is not JSON") from err
        return None
