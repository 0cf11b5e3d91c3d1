"""The HTTP plumbing every vendor client shares: timeouts, JSON and error mapping."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
import json
import logging
import re
from typing import Any

import aiohttp

from .errors import CloudConnectionError, RateLimitedError, UnexpectedResponseError

_LOGGER = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 15.0

# The longest wait a Retry-After may impose (seconds). A cloud asking for more (or
# for "inf", or a date years ahead) is polled again after an hour: a typo or a
# misbehaving proxy must not stop the integration for days, and an hour is far
# longer than any documented limit window of the supported clouds.
MAX_RETRY_AFTER = 3600.0

# delta-seconds (RFC 9110 §10.2.3), leniently: fractions, exponents and "inf" too;
# never a sign of minus nor "nan", which are no wait at all.
_DELTA_SECONDS = re.compile(r"\+?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|inf(?:inity)?", re.I)


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """The seconds a Retry-After header asks to wait, at most ``MAX_RETRY_AFTER``.

    Both forms of RFC 9110 are understood: delta-seconds (here also fractional,
    with an exponent, or ``inf``) and an HTTP-date, counted from ``now`` (an
    aware datetime). Larger waits are clamped. No value (None) for a missing,
    empty, negative, NaN or unreadable header and for a date that is not in the
    future, so the caller falls back to its own back-off.
    """
    if value is None:
        return None
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    text = value.strip()
    if not text:
        return None
    if _DELTA_SECONDS.fullmatch(text):
        seconds = float(text)
    else:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        if when.tzinfo is None:  # asctime form or "-0000": the date is in UTC
            when = when.replace(tzinfo=UTC)
        seconds = (when - now).total_seconds()
        if seconds <= 0:
            return None
    return min(seconds, MAX_RETRY_AFTER)


@dataclass(frozen=True, slots=True)
class Response:
    """What a client needs of an answer: its status, headers and parsed body."""

    status: int
    headers: Mapping[str, str]
    body: Any

    @property
    def retry_after(self) -> float | None:
        """The Retry-After header in seconds from now, clamped (see parse_retry_after)."""
        return parse_retry_after(self.headers.get("Retry-After"), datetime.now(UTC))


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
        """Send one request; raise on transport errors, 429 and 5xx.

        A 429 or a 503 carries the answer's Retry-After (clamped) in its error.
        """
        _LOGGER.debug("%s %s", method, loggable_url(url))
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
            raise server_error(response)
        return response


def server_error(response: Response, name: str | None = None) -> CloudConnectionError:
    """The error of a 5xx answer; a 503's Retry-After (clamped) travels with it."""
    retry_after = response.retry_after if response.status == 503 else None
    detail = f": {name}" if name else ""
    return CloudConnectionError(f"Server error {response.status}{detail}", retry_after=retry_after)


def _parse_json(text: str, status: int) -> Any:
    """Parse a body; a broken body on a success is a payload error.

    Also a body nested too deep for the decoder (RecursionError): it is no answer
    any client could read, and must not escape as an untyped error.
    """
    if not text:
        return None
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as err:
        if 200 <= status < 300:
            raise UnexpectedResponseError("The answer is not JSON") from err
        return None


# Path segments that are ids: anything with a digit (charger serials, UUIDs), except
# API versions, and whatever follows a collection addressed by name (Thor's boxes).
_VERSION = re.compile(r"v\d+(\.\d+)*")
_NAMED_COLLECTIONS = frozenset({"chargeboxes"})


def loggable_url(url: str) -> str:
    """The URL without its query and with every id in its path replaced by "*".

    Charger ids are serial numbers and Podero paths name the organisation and
    user: none of that goes into a log.
    """
    path = url.split("?", 1)[0].split("#", 1)[0]
    scheme, sep, rest = path.partition("://")
    host, _, tail = rest.partition("/")
    segments = tail.split("/")
    shown = []
    for index, segment in enumerate(segments):
        after_collection = index > 0 and segments[index - 1] in _NAMED_COLLECTIONS
        is_id = any(c.isdigit() for c in segment) and not _VERSION.fullmatch(segment)
        shown.append("*" if segment and (is_id or after_collection) else segment)
    return f"{scheme}{sep}{host}/" + "/".join(shown)
