"""The HTTP plumbing every vendor client shares: timeouts, JSON and error mapping."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
import json
import logging
import re
from typing import Any

import aiohttp
from yarl import URL

from .errors import (
    CloudConnectionError,
    RateLimitedError,
    RedirectRefusedError,
    WrongServerError,
)

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


@dataclass(frozen=True, slots=True)
class RawAnswer:
    """An answer before its body is read as JSON: status, headers and text."""

    status: int
    headers: Mapping[str, str]
    text: str


# How a client reads an answer's text (given its status) into the body of its Response.
type BodyReader = Callable[[str, int], Any]


class JsonHttp:
    """Sends requests with a timeout and turns transport failures into typed errors.

    Status codes that mean something specific to a cloud are left to the
    client; only the ones with one meaning everywhere (429 and 5xx) are
    handled here, unless the client maps those too.

    Redirects are followed only within the origin (scheme, host and port) of the
    request's URL, at most ``MAX_REDIRECTS`` of them: every request carries a
    credential (Basic auth, a bearer token, Thor's ``X-Api-Key``, which aiohttp
    would pass on to any host), and it must reach no server but the one the user
    configured. Anything else is a RedirectRefusedError.
    """

    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        timeout: float | None = None,
        read_body: BodyReader | None = None,
        shared_status_errors: bool = True,
    ) -> None:
        """Use the caller's session (Home Assistant's shared one in practice).

        For a cloud of its own ways: ``read_body`` replaces the JSON reading of
        answers (``_parse_json``), and ``shared_status_errors=False`` leaves 429
        and 5xx to the client, as every other status.
        """
        self._session = session
        self._timeout = DEFAULT_TIMEOUT if timeout is None else timeout
        self._read_body = read_body or _parse_json
        self._status_errors = shared_status_errors

    async def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        json_body: Any = None,
    ) -> Response:
        """Send one request; raise on transport errors, 429 and 5xx (see __init__).

        A 429 or a 503 carries the answer's Retry-After (clamped) in its error.
        """
        target = _request_url(url, params)  # before the log: a URL with credentials is refused
        _LOGGER.debug("%s %s", method, loggable_url(url))
        answer = await self._exchange(method, target, headers, json_body)
        response = Response(
            answer.status, answer.headers, self._read_body(answer.text, answer.status)
        )
        if not self._status_errors:
            return response
        if answer.status == 429:
            raise RateLimitedError("Too many requests", response.retry_after)
        if answer.status >= 500:
            raise server_error(response)
        return response

    async def _exchange(
        self, method: str, target: URL, headers: Mapping[str, str] | None, json_body: Any
    ) -> RawAnswer:
        """Send one request (following same-origin redirects) and read the answer's text.

        Bytes that are not text in the answer's charset are replaced, so any body
        can be read; a transport failure or timeout is CloudConnectionError.
        """
        origin = _origin(target)
        try:
            async with asyncio.timeout(self._timeout):
                for _hop in range(MAX_REDIRECTS + 1):
                    async with self._session.request(
                        method, target, headers=headers, json=json_body, allow_redirects=False
                    ) as resp:
                        if resp.status not in _REDIRECTS:
                            text = await resp.text(errors="replace")
                            return RawAnswer(resp.status, dict(resp.headers), text)
                        status, location = resp.status, resp.headers.get("Location")
                    method, json_body, target = _redirected(
                        status, method, json_body, target, location, origin
                    )
                    _LOGGER.debug("Redirected (HTTP %s) to %s", status, loggable_url(str(target)))
        except TimeoutError as err:
            raise CloudConnectionError(f"Timeout after {self._timeout:g} s") from err
        except aiohttp.ClientError as err:
            raise CloudConnectionError(f"Cannot connect: {err}") from err
        raise RedirectRefusedError(f"More than {MAX_REDIRECTS} redirects; not followed")


# How many redirects within the configured origin a request may take.
MAX_REDIRECTS = 3
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_READS = frozenset({"GET", "HEAD"})


def _request_url(url: str, params: Mapping[str, str] | None) -> URL:
    """The URL to send to; one with credentials in it or without a host is refused.

    (aiohttp would refuse credentials in a URL next to an Authorization header
    with a bare ValueError, and send none of its own requests anywhere else.)
    """
    try:
        target = URL(url)
        usable = target.absolute and target.scheme in ("http", "https") and bool(target.host)
    except (TypeError, ValueError):
        usable = False
    if not usable or target.user is not None or target.password is not None:
        raise WrongServerError("The server URL is not a usable http(s) address")
    return target.extend_query(params) if params else target


def _origin(url: URL) -> tuple[str, str | None, int | None]:
    """Scheme, host and port (the scheme's default when none is given)."""
    return url.scheme, url.host, url.port


def _redirected(
    status: int,
    method: str,
    body: Any,
    current: URL,
    location: str | None,
    origin: tuple[str, str | None, int | None],
) -> tuple[str, Any, URL]:
    """The method, body and URL a redirect leads to, when it may be followed.

    307 and 308 repeat the request as it was; 303 asks for the result with a
    GET (a HEAD stays a HEAD); 301 and 302 are followed for reads only, since
    a client would turn a write into a read (RFC 9110 §15.4). The Location's
    URL is never logged: its query may hold anything.
    """
    try:
        target = current.join(URL(location or ""))
        same_origin = bool(location) and _origin(target) == origin
    except (TypeError, ValueError):
        same_origin = False
    if not same_origin or target.user is not None or target.password is not None:
        _LOGGER.debug("A redirect (HTTP %s) to another origin was not followed", status)
        raise RedirectRefusedError(
            f"The server redirected (HTTP {status}) to another address; not followed, "
            "so that the credentials stay with the configured server"
        )
    if status in (307, 308):
        return method, body, target
    if status == 303:
        return ("HEAD" if method == "HEAD" else "GET"), None, target
    if method.upper() in _READS:
        return method, None, target
    raise RedirectRefusedError(
        f"The server redirected a {method} with HTTP {status}; not followed, as it would "
        "change the request"
    )


def server_error(response: Response, name: str | None = None) -> CloudConnectionError:
    """The error of a 5xx answer; a 503's Retry-After (clamped) travels with it."""
    retry_after = response.retry_after if response.status == 503 else None
    detail = f": {name}" if name else ""
    return CloudConnectionError(f"Server error {response.status}{detail}", retry_after=retry_after)


def _parse_json(text: str, status: int) -> Any:
    """Parse a body; a success that is not JSON is WrongServerError.

    No cloud's API answers a success with anything but JSON (or nothing): an HTML
    page means something else answered, such as a web site or a proxy.

    Also a body nested too deep for the decoder (RecursionError): it is no answer
    any client could read, and must not escape as an untyped error.
    """
    if not text:
        return None
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as err:
        if 200 <= status < 300:
            raise WrongServerError(
                "The answer is not JSON (the server URL may not lead to the cloud's API)"
            ) from err
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
