"""Home Assistant core's own `wallbox` integration, pointed at the simulator.

Core talks to the cloud through the synchronous library `wallbox==0.9.0` (requests, run
in executor threads). Its class `wallbox.Wallbox` keeps the cloud's addresses in the
attributes `baseUrl` and `authUrl`; a subclass that sets both to the simulator's Wallbox
base URL is patched in where core imports the class. Core makes one config entry per
charger ("station"), with the account's username and password in each.

Benchmark-only dependency: requirements_benchmark.txt.
"""

from __future__ import annotations

from collections.abc import Iterator
import contextlib
from typing import Any
from unittest.mock import patch

from homeassistant.const import CONF_PASSWORD, CONF_USERNAME
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry
import wallbox

CORE_DOMAIN = "wallbox"
# Core's config entry key of the charger's serial number (homeassistant.components.wallbox.const).
CONF_STATION = "station"
# Where core's modules import the library's class from.
_IMPORTED_AT = (
    "homeassistant.components.wallbox.Wallbox",
    "homeassistant.components.wallbox.config_flow.Wallbox",
)


def simulated_wallbox_class(wallbox_url: str) -> type[wallbox.Wallbox]:
    """A `wallbox.Wallbox` that sends sign-in, refresh and data calls to the simulator."""
    base = wallbox_url.rstrip("/") + "/"

    class SimulatedWallbox(wallbox.Wallbox):  # type: ignore[misc]
        """The library's client with the simulator's address for both of its URLs."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.baseUrl = base
            self.authUrl = base

    return SimulatedWallbox


@contextlib.contextmanager
def core_pointed_at(wallbox_url: str) -> Iterator[None]:
    """While open, core's wallbox integration talks to the simulator at `wallbox_url`."""
    cls = simulated_wallbox_class(wallbox_url)
    with contextlib.ExitStack() as stack:
        for target in _IMPORTED_AT:
            stack.enter_context(patch(target, cls))
        yield


def core_entry(station: int, username: str, password: str) -> MockConfigEntry:
    """Core's config entry of one charger, as its config flow would create it.

    Without stored tokens: core signs in on setup.
    """
    return MockConfigEntry(
        domain=CORE_DOMAIN,
        title="Wallbox Portal",
        unique_id=str(station),
        data={CONF_STATION: str(station), CONF_USERNAME: username, CONF_PASSWORD: password},
    )


async def async_setup_core(
    hass: HomeAssistant, stations: list[int], username: str, password: str
) -> list[MockConfigEntry]:
    """Add and set up core's entries of the stations (one per charger), in order.

    Call inside `core_pointed_at`.
    """
    entries = []
    for station in stations:
        entry = core_entry(station, username, password)
        entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(entry.entry_id), f"core entry {station}"
        await hass.async_block_till_done(wait_background_tasks=True)
        entries.append(entry)
    return entries
