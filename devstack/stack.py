"""The development stack: the cloud simulator and Home Assistant with the integration.

``Stack(StackOptions(config_dir=...)).start()`` brings both up, onboards Home Assistant
(or logs in to an onboarded one) and adds the demo accounts; ``stop()`` ends Home
Assistant (SIGTERM, then SIGKILL after ``stop_timeout``) and then the simulator. The
public methods are synchronous and safe to call from a thread that runs an event loop of
its own (Playwright's sync API does): the asynchronous work runs on a private loop in a
helper thread.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
import json
import os
from pathlib import Path
import re
import signal
import socket
import sys
import threading
import time
from types import TracebackType
from typing import Any, Self
import urllib.parse
import urllib.request

import aiohttp

from .accounts import DEMO_ACCOUNTS, DEMO_LOGIN, DemoAccount, HomeAssistantLogin
from .homeassistant import DOMAIN, HomeAssistantApi, entry_problem
from .processes import ManagedProcess, StackError

REPO_ROOT = Path(__file__).resolve().parent.parent
INTEGRATION_SOURCE = REPO_ROOT / "custom_components" / "ev_charger_cloud"
# Home Assistant's HTTP settings in <config>/.storage/http: the version of that file and
# the values its schema fills in when they are left out (Home Assistant 2026.10).
HTTP_STORAGE_VERSION = (2, 2)
HTTP_DEFAULTS: dict[str, Any] = {
    "cors_allowed_origins": ["https://cast.home-assistant.io"],
    "login_attempts_threshold": -1,
    "ip_ban_enabled": True,
    "ssl_profile": "modern",
    "use_x_frame_options": True,
}
HASS_LOG = "devstack-hass.log"
SIMULATOR_LOG = "devstack-simulator.log"
_LISTENING = re.compile(r"simulator listening on (http://\S+)")
# Home Assistant's config entries; it writes the file about a second after a change.
CONFIG_ENTRIES_STORAGE = Path(".storage") / "core.config_entries"
_WEBHOOK_ID = re.compile(r"/api/webhook/([^/?#\s`]+)")


@dataclass(frozen=True, slots=True, kw_only=True)
class StackOptions:
    """Where and how to run the stack; port 0 picks a free port."""

    config_dir: Path
    ha_port: int = 8123
    simulator_port: int = 8124
    # Where Home Assistant listens; the simulator always stays on 127.0.0.1.
    host: str = "127.0.0.1"
    add_accounts: bool = True
    accounts: Sequence[DemoAccount] = DEMO_ACCOUNTS
    login: HomeAssistantLogin = DEMO_LOGIN
    startup_timeout: float = 300.0
    stop_timeout: float = 20.0
    progress: Callable[[str], None] | None = field(default=None, compare=False)


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def ensure_port_free(host: str, port: int, what: str) -> None:
    """Fail early and clearly instead of a server that cannot bind."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as err:
            raise StackError(f"port {port} for {what} is in use ({err}); choose another") from err


def link_integration(config_dir: Path) -> Path:
    """Point ``<config>/custom_components/ev_charger_cloud`` at the repo's integration.

    A relative symlink; an existing symlink is replaced, anything else is left alone.
    """
    custom = config_dir / "custom_components"
    custom.mkdir(parents=True, exist_ok=True)
    link = custom / INTEGRATION_SOURCE.name
    target = Path(os.path.relpath(INTEGRATION_SOURCE, custom))
    if link.is_symlink():
        if link.resolve() == INTEGRATION_SOURCE:
            return link
        link.unlink()
    elif link.exists():
        raise StackError(f"{link} exists and is not a symlink; move it away first")
    link.symlink_to(target, target_is_directory=True)
    return link


def seed_onboarding(config_dir: Path) -> bool:
    """Mark onboarding's core_config step done in a configuration that never ran.

    Finishing that step makes Home Assistant start config flows for met, radio_browser,
    google_translate and shopping_list. Their libraries are not installed (errors in
    the log) and met and radio_browser would reach out to the internet. The step only
    marks itself done (the frontend sets location and units through other calls), so
    skipping it loses nothing. Returns True when the file was written.
    """
    storage = config_dir / ".storage"
    onboarding = storage / "onboarding"
    if onboarding.exists() or (storage / "auth").exists():
        return False
    storage.mkdir(parents=True, exist_ok=True)
    onboarding.write_text(
        json.dumps(
            {
                "version": 4,
                "minor_version": 1,
                "key": "onboarding",
                "data": {"done": ["core_config"]},
            },
            indent=2,
        )
        + "\n"
    )
    return True


def seed_http_config(config_dir: Path, host: str, port: int) -> None:
    """Make Home Assistant listen on ``host``:``port`` from its next start on.

    Since 2026.10 Home Assistant keeps its HTTP settings in ``.storage/http``: it takes
    an ``http:`` section of configuration.yaml only once, as a *pending* change that
    the user must confirm in the UI within 5 minutes (or it restarts with the previous
    settings), and ignores it afterwards. So the address goes straight into the
    confirmed (``stable``) settings, before each start; the other settings stored
    there are kept. ``host`` "" or "0.0.0.0"/"::" listens on all addresses.
    """
    storage = config_dir / ".storage"
    path = storage / "http"
    stable: dict[str, Any] = dict(HTTP_DEFAULTS)
    if path.exists():
        try:
            stored = json.loads(path.read_text())
        except (OSError, json.JSONDecodeError) as err:
            raise StackError(f"cannot read {path} ({err}); delete it to start over") from err
        if (stored.get("version"), stored.get("minor_version")) == HTTP_STORAGE_VERSION:
            stable = dict(stored["data"]["stable"])
    stable.pop("server_host", None)
    if host not in ("", "0.0.0.0", "::"):
        stable["server_host"] = [host]
    stable["server_port"] = port
    stable.setdefault("created_at", datetime.now(UTC).isoformat())
    stable.update(error=None, error_message=None)
    major, minor = HTTP_STORAGE_VERSION
    storage.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(
            {
                "version": major,
                "minor_version": minor,
                "key": "http",
                "data": {"stable": stable, "pending": None, "yaml_migration_done": True},
            },
            indent=2,
        )
        + "\n"
    )
    path.chmod(0o600)  # as Home Assistant keeps it


def stored_entry_id(config_dir: Path, account: DemoAccount) -> str | None:
    """The id of ``account``'s config entry as Home Assistant stored it; None if not (yet).

    The entry is the integration's one for the account's provider whose data hold the
    account's credentials. The REST API does not show an entry's data, so the file it is
    in tells which entry is the demo account's.
    """
    try:
        stored = json.loads((config_dir / CONFIG_ENTRIES_STORAGE).read_text())
        entries = stored["data"]["entries"]
    except (OSError, ValueError, KeyError, TypeError):
        return None  # not written yet
    for entry in entries:
        data = entry.get("data") or {}
        if (
            entry.get("domain") == DOMAIN
            and data.get("provider") == account.provider
            and all(data.get(key) == value for key, value in account.credentials.items())
        ):
            return str(entry["entry_id"])
    return None


def repoint_stored_entries(config_dir: Path, simulator_url: str) -> list[str]:
    """Point the entries that used an earlier simulator at this one; return their titles.

    An entry keeps the server URL it was added with; a simulator on another port
    (``--simulator-port 0``) would leave it unable to connect. Only URLs on this
    machine whose path starts with the entry's provider (the simulator's prefix) are
    changed, before Home Assistant starts (it writes the file itself while it runs).
    """
    path = config_dir / CONFIG_ENTRIES_STORAGE
    try:
        stored = json.loads(path.read_text())
        entries = stored["data"]["entries"]
    except (OSError, ValueError, KeyError, TypeError):
        return []
    new = urllib.parse.urlsplit(simulator_url)
    changed: list[str] = []
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("domain") != DOMAIN:
            continue
        data = entry.get("data")
        if not isinstance(data, dict):
            continue
        url = data.get("api_url")
        old = urllib.parse.urlsplit(url) if isinstance(url, str) else None
        if (
            old is None
            or old.hostname not in ("127.0.0.1", "localhost")
            or not old.path.startswith(f"/{data.get('provider')}")
            or (old.scheme, old.netloc) == (new.scheme, new.netloc)
        ):
            continue
        data["api_url"] = urllib.parse.urlunsplit(
            old._replace(scheme=new.scheme, netloc=new.netloc)
        )
        changed.append(str(entry.get("title")))
    if changed:
        path.write_text(json.dumps(stored, indent=2) + "\n")
    return changed


def _bin(name: str) -> Path:
    """A console script of the running interpreter's environment."""
    return Path(sys.executable).parent / name


def _run_async[T](coroutine: Coroutine[Any, Any, T]) -> T:
    """Run ``coroutine`` on a fresh event loop in a helper thread and wait for it."""
    outcome: list[T] = []
    failure: list[BaseException] = []

    def worker() -> None:
        try:
            outcome.append(asyncio.run(coroutine))
        except BaseException as err:
            failure.append(err)

    thread = threading.Thread(target=worker, name="devstack-async", daemon=True)
    thread.start()
    while thread.is_alive():
        # A timed join lets Ctrl-C reach the main thread.
        thread.join(0.2)
    if failure:
        raise failure[0]
    return outcome[0]


class Stack:
    """The simulator and Home Assistant for one configuration directory."""

    def __init__(self, options: StackOptions) -> None:
        """Nothing runs until ``start()``."""
        self.options = options
        self.config_dir = options.config_dir.resolve()
        self.simulator: ManagedProcess | None = None
        self.hass: ManagedProcess | None = None
        self.simulator_url = ""
        self.ha_url = ""
        self.access_token: str | None = None
        self.entry_titles: list[str] = []  # the entries that loaded
        # Entries that did not load (e.g. an account a fresh simulator does not know):
        # the stack keeps running, Home Assistant shows them to the user.
        self.entry_problems: list[str] = []
        # Where the simulator posts each pushing demo account's notifications, by label.
        self.push_urls: dict[str, str] = {}
        self.onboarded_now = False
        self._started_at = time.monotonic()

    def _progress(self, message: str) -> None:
        if self.options.progress is not None:
            elapsed = time.monotonic() - self._started_at
            self.options.progress(f"[{elapsed:5.1f}s] {message}")

    def __enter__(self) -> Self:
        """Start the stack; stop it again if starting fails."""
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Stop both processes."""
        self.stop()

    def start(self) -> Self:
        """Bring the stack up; on any failure stop what was started and re-raise."""
        self._started_at = time.monotonic()
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        return self

    def _start(self) -> None:
        options = self.options
        config = self.config_dir
        if not (config / "configuration.yaml").is_file():
            raise StackError(f"{config / 'configuration.yaml'} is missing")
        link_integration(config)
        if seed_onboarding(config):
            self._progress("new configuration: onboarding will run")

        ha_port = options.ha_port or free_port()
        connect_host = "127.0.0.1" if options.host in ("0.0.0.0", "::", "") else options.host
        if ":" in connect_host:
            connect_host = f"[{connect_host}]"
        ensure_port_free(options.host, ha_port, "Home Assistant")
        if options.simulator_port:
            ensure_port_free("127.0.0.1", options.simulator_port, "the simulator")
        seed_http_config(config, options.host, ha_port)

        self.simulator = ManagedProcess(
            "simulator",
            [
                sys.executable,
                "-m",
                "simulator",
                "--host",
                "127.0.0.1",
                "--port",
                str(options.simulator_port),
                "--demo",
            ],
            config / SIMULATOR_LOG,
            cwd=REPO_ROOT,
        )
        if options.simulator_port:
            self.simulator_url = f"http://127.0.0.1:{options.simulator_port}"
        else:
            # A port of its choosing: the stored entries learn it before Home Assistant starts.
            self.simulator_url = self._wait_simulator_url(time.monotonic() + 60)
        if moved := repoint_stored_entries(config, self.simulator_url):
            self._progress(f"now on the simulator at {self.simulator_url}: {', '.join(moved)}")
        hass_bin = _bin("hass")
        hass_argv = (
            [str(hass_bin)] if hass_bin.exists() else [sys.executable, "-m", "homeassistant"]
        )
        self.hass = ManagedProcess(
            "Home Assistant",
            [*hass_argv, "--config", str(config), "--skip-pip", "--log-no-color"],
            config / HASS_LOG,
            cwd=config,
        )
        self.ha_url = f"http://{connect_host}:{ha_port}"
        self._progress(
            f"started the simulator (pid {self.simulator.pid}) "
            f"and Home Assistant (pid {self.hass.pid})"
        )
        self.simulator_url = self._wait_simulator_url(time.monotonic() + 60)
        self._progress(f"simulator listening on {self.simulator_url}")
        _run_async(self._set_up_home_assistant())

    def _wait_simulator_url(self, deadline: float) -> str:
        assert self.simulator is not None
        while True:
            if match := _LISTENING.search(self.simulator.output()):
                return match.group(1)
            self.simulator.check_alive()
            if time.monotonic() > deadline:
                raise StackError(f"the simulator did not start; see {self.simulator.log_path}")
            time.sleep(0.1)

    def _check_hass(self) -> None:
        if self.hass is not None:
            self.hass.check_alive()

    async def _set_up_home_assistant(self) -> None:
        options = self.options
        deadline = self._started_at + options.startup_timeout
        async with aiohttp.ClientSession() as session:
            api = HomeAssistantApi(session, self.ha_url, self._check_hass)
            await api.wait_until_up(deadline)
            self._progress(f"Home Assistant answers on {self.ha_url}")
            self.onboarded_now = await api.sign_in(options.login)
            self.access_token = api.access_token
            self._progress(
                f"onboarded, owner {options.login.username!r} created"
                if self.onboarded_now
                else f"logged in as {options.login.username!r}"
            )
            await api.wait_running(deadline)
            self._progress("Home Assistant is running")
            if options.add_accounts:
                for account in options.accounts:
                    outcome = await api.add_account(account, self.simulator_url)
                    self._progress(f"demo account {account.label}: {outcome}")
            if await api.config_entries():
                entries = await api.wait_entries_settled(deadline)
                self.entry_titles = [
                    str(entry.get("title")) for entry in entries if entry.get("state") == "loaded"
                ]
                self.entry_problems = [
                    problem for entry in entries if (problem := entry_problem(entry)) is not None
                ]
                self._progress(f"loaded: {', '.join(self.entry_titles) or 'none'}")
                for problem in self.entry_problems:
                    self._progress(
                        f"not loaded: {problem}; see Settings > Devices & services "
                        f"and {self.config_dir / HASS_LOG}"
                    )
            for account in options.accounts:
                # An account added now, or one an earlier run added (--no-accounts).
                if account.push_control is not None and (
                    options.add_accounts or stored_entry_id(self.config_dir, account)
                ):
                    try:
                        url = await self._wire_push(api, account, deadline)
                    except StackError as err:
                        self._check_hass()  # a Home Assistant that died does stop the stack
                        problem = f"{account.label}: notifications not wired ({err})"
                        self.entry_problems.append(problem)
                        self._progress(problem)
                        continue
                    self._progress(f"{account.label} notifications go to {url}")
            await api.check_service_descriptions()

    def wire_push(self, account: DemoAccount, timeout: float = 30.0) -> str:
        """Have the simulator post ``account``'s notifications to its entry's webhook.

        For an entry added after ``start()`` (the browser test adds it through the UI);
        returns the webhook's URL.
        """

        async def wire() -> str:
            async with aiohttp.ClientSession() as session:
                api = HomeAssistantApi(session, self.ha_url, self._check_hass)
                api.access_token = self.access_token
                return await self._wire_push(api, account, time.monotonic() + timeout)

        return _run_async(wire())

    async def _wire_push(self, api: HomeAssistantApi, account: DemoAccount, deadline: float) -> str:
        """Find the account's entry, read its webhook URL in its options, tell the simulator.

        Home Assistant may show an external URL in the options; the simulator runs on
        this machine and gets the same webhook on the address the stack reaches.
        """
        if account.push_control is None:
            raise StackError(f"{account.label} sends no notifications")
        while (entry_id := stored_entry_id(self.config_dir, account)) is None:
            self._check_hass()
            if time.monotonic() > deadline:
                raise StackError(f"no config entry of {account.label} in {CONFIG_ENTRIES_STORAGE}")
            await asyncio.sleep(0.2)
        shown = await api.webhook_url(entry_id)
        match = _WEBHOOK_ID.search(shown)
        if match is None:
            raise StackError(f"the options of {account.label} show no webhook URL: {shown!r}")
        url = f"{self.ha_url}/api/webhook/{match.group(1)}"
        state = await asyncio.to_thread(self.simulator_json, account.push_control, {"url": url})
        urls = state.get("urls") if isinstance(state, dict) else None
        if not isinstance(urls, dict) or set(urls.values()) != {url}:
            raise StackError(f"the simulator did not take the push URL of {account.label}: {state}")
        self.push_urls[account.label] = url
        return url

    def stop(self) -> None:
        """Stop Home Assistant first (it saves its storage), then the simulator."""
        for attribute in ("hass", "simulator"):
            process: ManagedProcess | None = getattr(self, attribute)
            if process is None:
                continue
            # The simulator keeps everything in memory: SIGTERM's default action is fine.
            code = process.stop(self.options.stop_timeout)
            how = f"by {signal.Signals(-code).name}" if code < 0 else f"with exit code {code}"
            self._progress(f"{process.name} stopped {how}")
            setattr(self, attribute, None)

    def simulator_json(self, path: str, body: Any = None) -> Any:
        """GET (or POST ``body`` to) the simulator, e.g. ``/_sim/wallbox/chargers/100001``."""
        return _http_json(self.simulator_url + path, body)

    def ha_json(self, path: str, body: Any = None) -> Any:
        """GET (or POST ``body`` to) Home Assistant's REST API with the stack's token."""
        return _http_json(self.ha_url + path, body, token=self.access_token)


def _http_json(url: str, body: Any = None, *, token: str | None = None) -> Any:
    """A small synchronous JSON request (no event loop involved)."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(
        url,
        data=None if body is None else json.dumps(body).encode(),
        headers=headers,
        method="GET" if body is None else "POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        raw = response.read()
    return json.loads(raw) if raw else None
