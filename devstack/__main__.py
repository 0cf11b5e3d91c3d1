"""`python -m devstack`: Home Assistant with the integration on the simulator, until Ctrl-C."""

from __future__ import annotations

import argparse
from pathlib import Path
import signal
import sys
import time
from types import FrameType

from .accounts import DEMO_ACCOUNTS, DEMO_LOGIN
from .processes import StackError
from .stack import HASS_LOG, REPO_ROOT, SIMULATOR_LOG, Stack, StackOptions

_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m devstack",
        description="Start the cloud simulator (demo accounts) and Home Assistant with the "
        "integration, onboard Home Assistant, add the demo accounts and keep both running "
        "until Ctrl-C. A second run reuses the configuration.",
    )
    parser.add_argument(
        "--config",
        type=Path,
        default=REPO_ROOT / "config",
        help="Home Assistant configuration directory (default: the repo's config/)",
    )
    parser.add_argument(
        "--port", type=int, default=8123, help="Home Assistant's port (default 8123; 0: free)"
    )
    parser.add_argument(
        "--simulator-port",
        type=int,
        default=8124,
        help="the simulator's port (default 8124; 0: free)",
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address Home Assistant listens on (default 127.0.0.1; 0.0.0.0 for all)",
    )
    parser.add_argument("--no-accounts", action="store_true", help="do not add the demo accounts")
    parser.add_argument(
        "--timeout", type=float, default=300.0, help="seconds allowed for starting up"
    )
    return parser.parse_args(argv)


def _stop_on_signal(signum: int, frame: FrameType | None) -> None:
    """Ctrl-C, SIGTERM and SIGHUP end the stack."""
    raise KeyboardInterrupt


def _ignore_signals() -> None:
    """A second Ctrl-C must not cut the shutdown short (it is bounded anyway)."""
    for signum in _STOP_SIGNALS:
        signal.signal(signum, signal.SIG_IGN)


def _say(message: str) -> None:
    print(f"[devstack] {message}", flush=True)


def _push_summary(stack: Stack) -> str:
    """Where the simulator posts notifications, and how to have it send meter values."""
    lines = []
    for account in DEMO_ACCOUNTS:
        url = stack.push_urls.get(account.label)
        if url is None or account.push_control is None:
            continue
        lines.append(f"  Push ({account.label}): the simulator posts to {url}\n")
        lines.append(
            f"    meter values now: curl -X POST {stack.simulator_url}"
            f"{account.push_control}/meters\n"
        )
    return "".join(lines)


def _problems_summary(stack: Stack) -> str:
    """The entries that did not load: the stack runs on, Home Assistant shows them."""
    return "".join(f"  Not loaded:      {problem}\n" for problem in stack.entry_problems)


def main(argv: list[str] | None = None) -> int:
    """Run the stack in the foreground; the exit code tells whether it came up."""
    args = _parse_args(argv)
    # Also SIGINT: a shell without job control starts background commands with it ignored.
    for signum in _STOP_SIGNALS:
        signal.signal(signum, _stop_on_signal)
    stack = Stack(
        StackOptions(
            config_dir=args.config,
            ha_port=args.port,
            simulator_port=args.simulator_port,
            host=args.host,
            add_accounts=not args.no_accounts,
            startup_timeout=args.timeout,
            progress=_say,
        )
    )
    try:
        stack.start()
        accounts = ", ".join(account.label for account in DEMO_ACCOUNTS)
        print(
            "\n"
            f"  Home Assistant:  {stack.ha_url}\n"
            f"  Login:           {DEMO_LOGIN.username} / {DEMO_LOGIN.password}\n"
            f"  Dashboard:       {stack.ha_url}/ev-chargers\n"
            f"  Simulator:       {stack.simulator_url} (control API under /_sim)\n"
            f"  Demo accounts:   {accounts}\n"
            f"{_push_summary(stack)}"
            f"{_problems_summary(stack)}"
            f"  Logs:            {stack.config_dir / HASS_LOG}, "
            f"{stack.config_dir / SIMULATOR_LOG}\n"
            "\n  Press Ctrl-C to stop.\n",
            flush=True,
        )
        while True:
            for process in (stack.hass, stack.simulator):
                if process is not None:
                    process.check_alive()
            time.sleep(1)
    except KeyboardInterrupt:
        _say("stopping")
        _ignore_signals()
        stack.stop()
        return 0
    except StackError as err:
        _say(f"error: {err}")
        _ignore_signals()
        stack.stop()
        return 1


if __name__ == "__main__":
    sys.exit(main())
