"""The shared transport follows redirects within the request's origin only.

A server on 127.0.0.1 answers redirects as told (``/go?status=…&to=…``) and
echoes what reaches ``/echo``; a second server on another port records whatever
would leak to another origin. Every client (Wallbox, Podero and Thor) sends
through this transport; test_credential_redirects shows it for each of them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
import json
import logging
from typing import Any

import aiohttp
from aiohttp import web
import pytest
from yarl import URL

from custom_components.ev_charger_cloud.api import RedirectRefusedError, WrongServerError
from custom_components.ev_charger_cloud.api.http import MAX_REDIRECTS, JsonHttp
from tests.recorder import Recorder, recording_server, serve

SECRET = "Bearer the-token-that-stays-home"
BODY = {"action": 1}


class Origin:
    """The configured server: redirects as asked, echoes ``/echo``, counts every request."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        self.url = ""

    async def go(self, request: web.Request) -> web.Response:
        self.paths.append(request.path_qs)
        headers = {"Location": request.query["to"]} if "to" in request.query else {}
        return web.Response(status=int(request.query["status"]), headers=headers)

    async def echo(self, request: web.Request) -> web.Response:
        self.paths.append(request.path_qs)
        body = await request.read()
        return web.json_response(
            {
                "method": request.method,
                "body": json.loads(body) if body else None,
                "authorization": request.headers.get("Authorization"),
            }
        )


@pytest.fixture
async def origin(socket_enabled: None) -> AsyncIterator[Origin]:
    server = Origin()
    app = web.Application()
    app.router.add_route("*", "/go", server.go)
    app.router.add_route("*", "/echo", server.echo)
    async with serve(app) as url:
        server.url = url
        yield server


@pytest.fixture
async def elsewhere(socket_enabled: None) -> AsyncIterator[Recorder]:
    async with recording_server() as recorder:
        yield recorder


@pytest.fixture
async def http() -> AsyncIterator[JsonHttp]:
    async with aiohttp.ClientSession() as session:
        yield JsonHttp(session, timeout=5)


def redirect(origin: Origin, status: int, to: str) -> str:
    return str(URL(f"{origin.url}/go").with_query(status=status, to=to))


@pytest.mark.parametrize(
    ("status", "method", "arrives_as", "body"),
    [
        (301, "GET", "GET", None),
        (302, "GET", "GET", None),
        # 303: the result is to be fetched; the body stays behind.
        (303, "POST", "GET", None),
        (303, "PUT", "GET", None),
        # 307 and 308 repeat the request as it was.
        (307, "POST", "POST", BODY),
        (308, "PUT", "PUT", BODY),
        (307, "DELETE", "DELETE", None),
    ],
)
async def test_same_origin_redirects_are_followed(
    http: JsonHttp,
    origin: Origin,
    status: int,
    method: str,
    arrives_as: str,
    body: Any,
) -> None:
    """Relative or absolute, the target on the same origin gets the request as RFC 9110 says."""
    for location in ("/echo", f"{origin.url}/echo"):
        sent = BODY if method != "DELETE" else None
        response = await http.request(
            method,
            redirect(origin, status, location),
            headers={"Authorization": SECRET},
            json_body=sent,
        )
        assert response.status == 200
        assert response.body == {"method": arrives_as, "body": body, "authorization": SECRET}


async def test_a_chain_of_redirects_is_bounded(http: JsonHttp, origin: Origin) -> None:
    """MAX_REDIRECTS hops are followed; one more is refused, no further request sent."""
    url = f"{origin.url}/echo"
    for _ in range(MAX_REDIRECTS):
        url = redirect(origin, 307, url)
    response = await http.request("GET", url)
    assert response.body["method"] == "GET"
    assert len(origin.paths) == MAX_REDIRECTS + 1

    origin.paths.clear()
    with pytest.raises(RedirectRefusedError, match="redirects"):
        await http.request("GET", redirect(origin, 307, url))
    assert len(origin.paths) == MAX_REDIRECTS + 1
    assert not any(path == "/echo" for path in origin.paths)


@pytest.mark.parametrize(("status", "method"), [(301, "POST"), (302, "POST"), (302, "PUT")])
async def test_a_moved_write_is_not_turned_into_a_read(
    http: JsonHttp, origin: Origin, status: int, method: str
) -> None:
    """A command redirected with 301/302 would arrive as a GET: refused instead."""
    with pytest.raises(RedirectRefusedError, match=method):
        await http.request(method, redirect(origin, status, "/echo"), json_body=BODY)
    assert "/echo" not in origin.paths


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
@pytest.mark.parametrize(
    "location",
    [
        "{elsewhere}/steal?token=query-secret",
        # Scheme-relative: same scheme, another port.
        "//{elsewhere_host}/steal?token=query-secret",
        # Same host and port under another name, or another scheme.
        "http://localhost:{origin_port}/echo?token=query-secret",
        "https://127.0.0.1:{origin_port}/echo?token=query-secret",
        # The same origin, but with credentials of its own in the URL.
        "http://user:pw@127.0.0.1:{origin_port}/echo?token=query-secret",
        # No URL at all.
        "http://[127.0.0.1:{origin_port}/echo?token=query-secret",
    ],
)
async def test_redirects_to_another_origin_are_refused(
    http: JsonHttp,
    origin: Origin,
    elsewhere: Recorder,
    caplog: pytest.LogCaptureFixture,
    status: int,
    location: str,
) -> None:
    """Nothing is sent there: a typed error, and the log names neither target nor query."""
    target = location.format(
        elsewhere=elsewhere.url,
        elsewhere_host=elsewhere.url.removeprefix("http://"),
        origin_port=origin.url.rsplit(":", 1)[1],
    )
    with (
        caplog.at_level(logging.DEBUG, "custom_components.ev_charger_cloud"),
        pytest.raises(RedirectRefusedError, match="another address") as caught,
    ):
        await http.request(
            "GET", redirect(origin, status, target), headers={"Authorization": SECRET}
        )
    assert elsewhere.received == []
    assert "/echo" not in origin.paths
    for text in (caplog.text, str(caught.value)):
        assert "query-secret" not in text
        assert "steal" not in text
        assert SECRET not in text


async def test_a_redirect_without_a_location_is_refused(http: JsonHttp, origin: Origin) -> None:
    with pytest.raises(RedirectRefusedError):
        await http.request("GET", f"{origin.url}/go?status=302")


@pytest.mark.parametrize(
    "url",
    [
        "http://user:pw@127.0.0.1:{port}/echo",
        "127.0.0.1:{port}/echo",
        "ftp://h/x",
        "http:///x",
        "http://[::1:{port}/echo",
    ],
)
async def test_an_unusable_url_is_refused_before_sending(
    http: JsonHttp, origin: Origin, url: str
) -> None:
    """Credentials in the URL, no scheme, no host: a typed error, never a bare ValueError."""
    with pytest.raises(WrongServerError):
        await http.request(
            "GET", url.format(port=origin.url.rsplit(":", 1)[1]), headers={"Authorization": SECRET}
        )
    assert origin.paths == []
