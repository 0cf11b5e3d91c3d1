"""`python -m simulator --port N [--host H] [--demo]`: serve the simulated clouds."""

import argparse
import asyncio
import contextlib

from aiohttp import web

from .app import Simulator, create_app


def _parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m simulator", description=__doc__)
    parser.add_argument("--port", type=int, required=True, help="0 picks a free port")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--demo", action="store_true", help="seed the demo account")
    return parser.parse_args(argv)


async def _serve(host: str, port: int, demo: bool) -> None:
    sim = Simulator()
    if demo:
        sim.seed_demo()
    runner = web.AppRunner(create_app(sim))
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    # With --port 0 the OS picks the port; report the real one.
    bound_port = runner.addresses[0][1] if runner.addresses else port
    print(f"simulator listening on http://{host}:{bound_port}", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()


def main(argv: list[str] | None = None) -> None:
    """Run until interrupted (Ctrl-C ends quietly)."""
    args = _parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args.host, args.port, args.demo))


if __name__ == "__main__":
    main()
