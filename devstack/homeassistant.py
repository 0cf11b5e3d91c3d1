"""Home Assistant's REST and websocket APIs, as far as bringing up the stack needs them.

Onboarding, login, config flows and the service descriptions: the same requests the
frontend sends, so a stack set up here looks to Home Assistant like one a person set up.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
import json
import time
from typing import Any

import aiohttp

from .accounts import DemoAccount, HomeAssistantLogin
from .processes import StackError

DOMAIN = "ev_charger_cloud"
# Entry states of a config entry that do not change without a person doing something.
FAILED_ENTRY_STATES = frozenset({"setup_error", "migration_error", "failed_unload"})
# States after a setup attempt: loaded, failed, or waiting to retry by itself.
SETTLED_ENTRY_STATES = frozenset({"loaded", "setup_retry", *FAILED_ENTRY_STATES})
POLL_INTERVAL = 0.25
# The config flow's server URL field; it sits in a form section (type "expandable").
SERVER_FIELD = "api_url"


class HomeAssistantApi:
    """One Home Assistant instance, reached on ``base_url`` (no trailing slash)."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: str,
        check_alive: Callable[[], None],
    ) -> None:
        """``check_alive`` raises when the Home Assistant process has exited."""
        self._session = session
        self.base_url = base_url.rstrip("/")
        # Home Assistant accepts a URL on 127.0.0.1/localhost as an IndieAuth client id.
        self.client_id = f"{self.base_url}/"
        self._check_alive = check_alive
        self.access_token: str | None = None

    async def _request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        form: Mapping[str, str] | None = None,
        auth: bool = True,
        ok: tuple[int, ...] = (200,),
    ) -> tuple[int, Any]:
        """Send one request; return the status and the decoded JSON body (None if empty)."""
        headers = {}
        if auth:
            if self.access_token is None:
                raise StackError(f"{method} {path} needs a token; sign in first")
            headers["Authorization"] = f"Bearer {self.access_token}"
        async with self._session.request(
            method,
            self.base_url + path,
            json=json_body,
            data=form,
            headers=headers,
            timeout=aiohttp.ClientTimeout(total=60),
        ) as response:
            text = await response.text()
            if response.status not in ok:
                raise StackError(f"{method} {path}: HTTP {response.status}: {text[:500]}")
            try:
                body = json.loads(text) if text else None
            except json.JSONDecodeError:
                body = text
            return response.status, body

    async def _sleep_until(self, deadline: float, what: str) -> None:
        self._check_alive()
        if time.monotonic() >= deadline:
            raise StackError(f"timed out waiting for {what}")
        await asyncio.sleep(POLL_INTERVAL)

    async def wait_until_up(self, deadline: float) -> None:
        """Wait until the HTTP server answers.

        It starts once the frontend (and so onboarding) is set up, before the other
        integrations. ``/auth/providers`` answers 400 until the owner exists.
        """
        while True:
            try:
                status, _ = await self._request(
                    "GET", "/auth/providers", auth=False, ok=(200, 400, 404, 502, 503)
                )
            except (aiohttp.ClientError, TimeoutError):
                status = 0
            if status in (200, 400):
                return
            await self._sleep_until(deadline, f"Home Assistant to answer on {self.base_url}")

    async def onboarding_steps(self) -> dict[str, bool] | None:
        """Which onboarding steps are done; None once onboarding is complete.

        Home Assistant stops serving ``/api/onboarding`` after the last step.
        """
        status, body = await self._request("GET", "/api/onboarding", auth=False, ok=(200, 404))
        if status == 404:
            return None
        return {str(step["step"]): bool(step["done"]) for step in body}

    async def sign_in(self, login: HomeAssistantLogin) -> bool:
        """Create the owner (onboarding) or log in; finish open onboarding steps.

        Returns True when this call created the owner account.
        """
        steps = await self.onboarding_steps()
        created = steps is not None and not steps.get("user", False)
        if created:
            _, body = await self._request(
                "POST",
                "/api/onboarding/users",
                auth=False,
                json_body={
                    "name": login.name,
                    "username": login.username,
                    "password": login.password,
                    "client_id": self.client_id,
                    "language": login.language,
                },
            )
            code = str(body["auth_code"])
        else:
            code = await self._login_flow(login)
        await self._exchange_code(code)
        if steps is not None:
            await self._finish_onboarding(steps)
        return created

    async def _login_flow(self, login: HomeAssistantLogin) -> str:
        """What the login page does: the Home Assistant auth provider's login flow."""
        _, flow = await self._request(
            "POST",
            "/auth/login_flow",
            auth=False,
            json_body={
                "client_id": self.client_id,
                "handler": ["homeassistant", None],
                "redirect_uri": self.client_id,
            },
        )
        _, result = await self._request(
            "POST",
            f"/auth/login_flow/{flow['flow_id']}",
            auth=False,
            json_body={
                "client_id": self.client_id,
                "username": login.username,
                "password": login.password,
            },
        )
        if result.get("type") != "create_entry":
            raise StackError(
                f"Home Assistant refused the login {login.username!r} "
                f"({result.get('errors')}); this configuration was onboarded with another "
                "owner: use another --config directory or add that user"
            )
        return str(result["result"])

    async def _exchange_code(self, code: str) -> None:
        _, tokens = await self._request(
            "POST",
            "/auth/token",
            auth=False,
            form={
                "grant_type": "authorization_code",
                "code": code,
                "client_id": self.client_id,
            },
        )
        self.access_token = str(tokens["access_token"])

    async def _finish_onboarding(self, steps: Mapping[str, bool]) -> None:
        """The steps after the user one; each answers 403 when it was done meanwhile."""
        bodies: dict[str, dict[str, str]] = {
            "core_config": {},
            "analytics": {},
            "integration": {
                "client_id": self.client_id,
                "redirect_uri": f"{self.client_id}?auth_callback=1",
            },
        }
        for step, body in bodies.items():
            if not steps.get(step, False):
                await self._request(
                    "POST", f"/api/onboarding/{step}", json_body=body, ok=(200, 403)
                )

    async def wait_running(self, deadline: float) -> None:
        """Wait until Home Assistant has set up everything and runs."""
        while True:
            _, config = await self._request("GET", "/api/config")
            if config.get("state") == "RUNNING":
                return
            await self._sleep_until(deadline, "Home Assistant to finish starting")

    async def websocket(self, *commands: Mapping[str, Any]) -> list[Any]:
        """Send commands over one authenticated websocket; return their results."""
        results: list[Any] = []
        async with self._session.ws_connect(
            f"{self.base_url}/api/websocket", timeout=aiohttp.ClientWSTimeout(ws_close=10)
        ) as ws:
            greeting = await ws.receive_json(timeout=30)
            if greeting.get("type") != "auth_required":
                raise StackError(f"unexpected websocket greeting: {greeting}")
            await ws.send_json({"type": "auth", "access_token": self.access_token})
            answer = await ws.receive_json(timeout=30)
            if answer.get("type") != "auth_ok":
                raise StackError(f"websocket authentication failed: {answer}")
            for number, command in enumerate(commands, start=1):
                await ws.send_json({"id": number, **command})
                reply = await ws.receive_json(timeout=30)
                if not reply.get("success"):
                    raise StackError(f"websocket {command.get('type')} failed: {reply}")
                results.append(reply.get("result"))
        return results

    async def config_entries(self, domain: str = DOMAIN) -> list[dict[str, Any]]:
        """The config entries of ``domain``."""
        _, entries = await self._request("GET", f"/api/config/config_entries/entry?domain={domain}")
        return list(entries)

    async def add_account(self, account: DemoAccount, simulator_url: str) -> str:
        """Add a demo account through the config flow; return what happened.

        The server URL goes into the form section that holds it, as the frontend sends
        it; a form that follows (a step id in ``account.follow_up``) gets the account's
        answers for it. Returns "added", or "already set up" when the flow aborts because
        the account has an entry.
        """
        flow_path = "/api/config/config_entries/flow"
        _, step = await self._request("POST", flow_path, json_body={"handler": DOMAIN})
        flow_id = step["flow_id"]
        try:
            if step.get("type") == "menu":
                _, step = await self._request(
                    "POST", f"{flow_path}/{flow_id}", json_body={"next_step_id": account.provider}
                )
            section = server_section(step) if step.get("type") == "form" else None
            if section is None:
                raise StackError(f"unexpected config flow step for {account.label}: {step}")
            _, step = await self._request(
                "POST",
                f"{flow_path}/{flow_id}",
                json_body={
                    **account.credentials,
                    section: {SERVER_FIELD: account.api_url(simulator_url)},
                },
            )
            # Forms after the credentials (e.g. which user): each answered at most once.
            answered: set[str] = set()
            while step.get("type") == "form" and not step.get("errors"):
                step_id = str(step.get("step_id"))
                answer = account.follow_up.get(step_id)
                if answer is None or step_id in answered:
                    break
                if not offers(step, answer):
                    # E.g. the user to add is no longer offered: it has its entry.
                    await self._request("DELETE", f"{flow_path}/{flow_id}", ok=(200, 404))
                    return "already set up"
                answered.add(step_id)
                _, step = await self._request(
                    "POST", f"{flow_path}/{flow_id}", json_body=dict(answer)
                )
        except BaseException:
            await self._request("DELETE", f"{flow_path}/{flow_id}", ok=(200, 404))
            raise
        if step.get("type") == "create_entry":
            return "added"
        if step.get("type") == "abort" and step.get("reason") == "already_configured":
            return "already set up"
        await self._request("DELETE", f"{flow_path}/{flow_id}", ok=(200, 404))
        raise StackError(f"could not add {account.label}: {step}")

    async def webhook_url(self, entry_id: str) -> str:
        """The notification URL that an entry's options show (Thor's "push" step).

        The options flow is opened as the frontend does and closed again unanswered.
        """
        flow_path = "/api/config/config_entries/options/flow"
        _, step = await self._request("POST", flow_path, json_body={"handler": entry_id})
        try:
            placeholders = step.get("description_placeholders") or {}
            url = placeholders.get("webhook_url")
            # "push_not_public": the same URL, with a warning that Thor cannot reach it.
            if step.get("step_id") not in ("push", "push_not_public") or not isinstance(url, str):
                raise StackError(f"the options of entry {entry_id} show no push URL: {step}")
            return url
        finally:
            if step.get("type") == "form":
                await self._request("DELETE", f"{flow_path}/{step['flow_id']}", ok=(200, 404))

    async def wait_entries_settled(
        self, deadline: float, domain: str = DOMAIN
    ) -> list[dict[str, Any]]:
        """Wait until Home Assistant has tried to set up every entry of ``domain``; return them.

        An entry that could not be set up (e.g. its account is unknown to a fresh
        simulator) does not stop the wait: Home Assistant keeps running and shows the
        entry's problem (a setup error, a re-authentication) to the user, and the caller
        reports it. Disabled entries are not set up at all.
        """
        while True:
            entries = await self.config_entries(domain)
            if all(
                entry.get("state") in SETTLED_ENTRY_STATES or entry.get("disabled_by")
                for entry in entries
            ):
                return entries
            await self._sleep_until(deadline, f"the {domain} entries to be set up")

    async def check_service_descriptions(self) -> None:
        """Ask for what the frontend loads first; it waits forever when this fails.

        Describing the services imports every base entity component (conversation,
        tts, camera...), so it fails when their libraries are missing.
        """
        try:
            await self.websocket({"type": "get_services"})
        except StackError as err:
            raise StackError(
                f"{err}\nHome Assistant cannot describe its services, so the frontend would "
                "hang at 'Loading data': a library is missing (see the Home Assistant log); "
                "run scripts/setup dev"
            ) from err


def entry_problem(entry: Mapping[str, Any]) -> str | None:
    """Why an entry (as the REST API lists it) is not loaded; None when it is (or disabled)."""
    state = entry.get("state")
    if state == "loaded" or entry.get("disabled_by"):
        return None
    reason = entry.get("reason")
    what = {
        "setup_error": "could not be set up",
        "setup_retry": "failed to set up, Home Assistant retries",
        "migration_error": "could not be migrated",
        "failed_unload": "could not be unloaded",
    }.get(str(state), str(state))
    return f"{entry.get('title')}: {what}" + (f" ({reason})" if reason else "")


def server_section(step: Mapping[str, Any]) -> str | None:
    """The name of the form section that holds the server URL field, if the form has one.

    The REST API lists a section as a field of type "expandable" with its own ``schema``.
    """
    for field in step.get("data_schema") or []:
        if field.get("type") != "expandable":
            continue
        if any(inner.get("name") == SERVER_FIELD for inner in field.get("schema") or []):
            return str(field["name"])
    return None


def offers(step: Mapping[str, Any], answer: Mapping[str, str]) -> bool:
    """Whether a form's select fields offer the values of ``answer``.

    The REST API lists a select field's choices under ``selector.select.options``, as
    ``{"value", "label"}`` objects or plain strings; other fields accept any value here.
    """
    for field in step.get("data_schema") or []:
        name = field.get("name")
        if name not in answer:
            continue
        select = (field.get("selector") or {}).get("select")
        if not isinstance(select, Mapping):
            continue
        values = {
            option.get("value") if isinstance(option, Mapping) else option
            for option in select.get("options") or []
        }
        if answer[name] not in values:
            return False
    return True
