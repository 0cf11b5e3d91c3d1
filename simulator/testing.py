"""Helpers for tests: run the simulator on a local port and talk to its clouds."""

from types import TracebackType
from typing import Any, Self

import aiohttp
from aiohttp import web

from .app import Simulator, create_app


class SimulatorServer:
    """The app on a real socket (port 0 = any free port), as an async context manager."""

    def __init__(self, sim: Simulator, host: str = "127.0.0.1", port: int = 0) -> None:
        self.sim = sim
        self.host = host
        self.port = port
        self._runner: web.AppRunner | None = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def wallbox_url(self) -> str:
        """What the integration uses as the Wallbox base URL."""
        return f"{self.base_url}/wallbox"

    @property
    def podero_url(self) -> str:
        """What the integration uses as the Podero host (`/oauth2/token/`, `/api/...`)."""
        return f"{self.base_url}/podero"

    async def start(self) -> None:
        # No access log: the simulator keeps its own request log, and aiohttp's access
        # log reads the local UTC offset, which frozen time in tests does not have.
        runner = web.AppRunner(create_app(self.sim), access_log=None)
        await runner.setup()
        await web.TCPSite(runner, self.host, self.port).start()
        self.port = runner.addresses[0][1]
        self._runner = runner

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()


class WallboxTestClient:
    """Bare-bones client of the simulated Wallbox API that remembers its token."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        wallbox_url: str,
        email: str = "",
        password: str = "",
    ) -> None:
        self.session = session
        self.base = wallbox_url
        self.email = email
        self.password = password
        self.token: str | None = None

    async def sign_in(
        self, email: str | None = None, password: str | None = None
    ) -> aiohttp.ClientResponse:
        """Sign in (with the client's own credentials unless given) and keep the token."""
        response = await self.session.get(
            f"{self.base}/users/signin",
            headers={
                "Authorization": aiohttp.encode_basic_auth(
                    self.email if email is None else email,
                    self.password if password is None else password,
                    encoding="latin1",
                ),
                "Partner": "wallbox",
            },
        )
        if response.status == 200:
            self.token = (await response.json())["data"]["attributes"]["token"]
        return response

    async def refresh(self, refresh_token: str) -> aiohttp.ClientResponse:
        return await self.session.get(
            f"{self.base}/users/refresh-token",
            headers={"Authorization": f"Bearer {refresh_token}", "Partner": "wallbox"},
        )

    async def request(
        self, method: str, path: str, json: Any = None, token: str | None = None
    ) -> aiohttp.ClientResponse:
        headers = {"Authorization": f"Bearer {token or self.token}"}
        return await self.session.request(method, f"{self.base}{path}", json=json, headers=headers)

    async def get_json(self, path: str) -> Any:
        """GET that must succeed; returns the decoded body."""
        response = await self.request("GET", path)
        if response.status != 200:
            raise AssertionError(f"GET {path}: {response.status} {await response.text()}")
        return await response.json()


class PoderoTestClient:
    """Bare-bones client of the simulated Podero API that remembers its token."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        podero_url: str,
        client_id: str = "",
        client_secret: str = "",
    ) -> None:
        self.session = session
        self.base = podero_url
        self.client_id = client_id
        self.client_secret = client_secret
        self.token: str | None = None

    async def get_token(
        self, client_id: str | None = None, client_secret: str | None = None, body: Any = None
    ) -> aiohttp.ClientResponse:
        """Client-credentials grant (own credentials unless given); keeps the token."""
        response = await self.session.post(
            f"{self.base}/oauth2/token/",
            headers={
                "Authorization": aiohttp.encode_basic_auth(
                    self.client_id if client_id is None else client_id,
                    self.client_secret if client_secret is None else client_secret,
                )
            },
            json={"grant_type": "client_credentials"} if body is None else body,
        )
        if response.status == 200:
            self.token = (await response.json())["access_token"]
        return response

    async def request(
        self, method: str, path: str, json: Any = None, token: str | None = None
    ) -> aiohttp.ClientResponse:
        """A call below `/api/partners/v2.0`."""
        headers = {"Authorization": f"Bearer {token or self.token}"}
        return await self.session.request(
            method, f"{self.base}/api/partners/v2.0{path}", json=json, headers=headers
        )

    async def get_json(self, path: str) -> Any:
        """GET that must succeed; returns the decoded body."""
        response = await self.request("GET", path)
        if response.status != 200:
            raise AssertionError(f"GET {path}: {response.status} {await response.text()}")
        return await response.json()
