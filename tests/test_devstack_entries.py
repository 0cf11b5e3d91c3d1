"""scripts/develop keeps running when a stored entry cannot be set up.

E.g. an account added by hand that a fresh simulator does not know: the entry goes to
a setup error (and re-authentication) in Home Assistant, and the stack reports it
instead of shutting everything down. A small stand-in for Home Assistant's REST API
answers the entry list here. And entries added on a simulator of an earlier run follow
it to its new port.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
import json
from pathlib import Path
import time
from typing import Any

import aiohttp
from aiohttp import web
import pytest

from devstack.homeassistant import HomeAssistantApi, entry_problem
from devstack.processes import StackError
from devstack.stack import CONFIG_ENTRIES_STORAGE, repoint_stored_entries

LOADED = {"title": "demo@example.com", "state": "loaded", "reason": None, "disabled_by": None}
UNKNOWN_ACCOUNT = {
    "title": "ghost@example.com",
    "state": "setup_error",
    "reason": "The cloud refused the stored credentials. Sign in again from the integration page",
    "disabled_by": None,
}
RETRYING = {"title": "Thor", "state": "setup_retry", "reason": "Cannot connect"}
DISABLED = {"title": "Old", "state": "not_loaded", "reason": None, "disabled_by": "user"}


class FakeHomeAssistant:
    """Answers the entry list with the next of ``answers`` (the last one stays)."""

    def __init__(self, *answers: list[dict[str, Any]]) -> None:
        self.answers = list(answers)
        self.asked = 0

    async def entries(self, request: web.Request) -> web.Response:
        assert request.headers["Authorization"] == "Bearer token"
        answer = self.answers[min(self.asked, len(self.answers) - 1)]
        self.asked += 1
        return web.json_response(answer)


@pytest.fixture
async def serve(socket_enabled: None) -> AsyncIterator[Any]:
    """Start a fake Home Assistant; yields a function returning an API client of it."""
    runners: list[web.AppRunner] = []
    sessions: list[aiohttp.ClientSession] = []

    async def start(fake: FakeHomeAssistant) -> HomeAssistantApi:
        app = web.Application()
        app.router.add_get("/api/config/config_entries/entry", fake.entries)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        runners.append(runner)
        port = runner.addresses[0][1]
        session = aiohttp.ClientSession()
        sessions.append(session)
        api = HomeAssistantApi(session, f"http://127.0.0.1:{port}", lambda: None)
        api.access_token = "token"
        return api

    yield start
    for session in sessions:
        await session.close()
    for runner in runners:
        await runner.cleanup()


async def test_a_failed_entry_does_not_stop_the_wait(serve: Any) -> None:
    """Entries still being set up are waited for; a failed one is returned, not raised."""
    fake = FakeHomeAssistant(
        [LOADED, {**UNKNOWN_ACCOUNT, "state": "setup_in_progress"}],
        [LOADED, UNKNOWN_ACCOUNT, RETRYING, DISABLED],
    )
    api = await serve(fake)
    entries = await api.wait_entries_settled(time.monotonic() + 30)
    assert fake.asked == 2
    assert [problem for entry in entries if (problem := entry_problem(entry))] == [
        "ghost@example.com: could not be set up (The cloud refused the stored credentials. "
        "Sign in again from the integration page)",
        "Thor: failed to set up, Home Assistant retries (Cannot connect)",
    ]


async def test_an_entry_that_never_settles_times_out(serve: Any) -> None:
    """Only an entry stuck in its setup ends the start (the deadline), as before."""
    api = await serve(FakeHomeAssistant([{**LOADED, "state": "setup_in_progress"}]))
    with pytest.raises(StackError, match="timed out"):
        await api.wait_entries_settled(time.monotonic() + 0.5)


def test_stored_entries_follow_a_simulator_on_another_port(tmp_path: Path) -> None:
    """A second run on another simulator port moves the simulator's entries, only those."""

    def entry(title: str, provider: str, url: str, domain: str = "ev_charger_cloud") -> Any:
        return {"domain": domain, "title": title, "data": {"provider": provider, "api_url": url}}

    path = tmp_path / CONFIG_ENTRIES_STORAGE
    path.parent.mkdir()
    path.write_text(
        json.dumps(
            {
                "version": 1,
                "data": {
                    "entries": [
                        entry("wallbox", "wallbox", "http://127.0.0.1:40001/wallbox"),
                        entry("thor", "thor", "http://localhost:40001/thor/latest/integration"),
                        entry("real cloud", "podero", "https://api.podero.com"),
                        entry("elsewhere", "wallbox", "http://127.0.0.1:40001/other"),
                        entry("other domain", "wallbox", "http://127.0.0.1:40001/wallbox", "x"),
                        {"domain": "ev_charger_cloud", "title": "no data"},
                    ]
                },
            }
        )
    )
    assert repoint_stored_entries(tmp_path, "http://127.0.0.1:40002") == ["wallbox", "thor"]
    urls = [
        entry.get("data", {}).get("api_url")
        for entry in json.loads(path.read_text())["data"]["entries"]
    ]
    assert urls == [
        "http://127.0.0.1:40002/wallbox",
        "http://127.0.0.1:40002/thor/latest/integration",
        "https://api.podero.com",
        "http://127.0.0.1:40001/other",
        "http://127.0.0.1:40001/wallbox",
        None,
    ]
    # Already there: nothing to do.
    assert repoint_stored_entries(tmp_path, "http://127.0.0.1:40002") == []
    assert repoint_stored_entries(tmp_path / "nothing", "http://127.0.0.1:40002") == []
