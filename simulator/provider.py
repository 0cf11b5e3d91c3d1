"""How a simulated cloud plugs into the app: two sub-applications under its name."""

from dataclasses import dataclass

from aiohttp import web


@dataclass(frozen=True, slots=True)
class ProviderApps:
    """`api` is mounted at `/<name>`, `control` at `/_sim/<name>`."""

    name: str
    api: web.Application
    control: web.Application
