"""Each cloud's account, credentials form and first request, for tests run with every cloud.

The ``cloud`` fixture gives each cloud in turn (Wallbox, Podero, Thor) with its
account added to the simulator. Test modules import its helpers before pytest loads it
as a plugin (for the fixture), so it is not rewritten: PYTEST_DONT_REWRITE.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from homeassistant.config_entries import SOURCE_REAUTH, SOURCE_USER, ConfigEntry
from homeassistant.const import (
    CONF_API_KEY,
    CONF_CLIENT_ID,
    CONF_CLIENT_SECRET,
    CONF_EMAIL,
    CONF_PASSWORD,
)
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResult, FlowResultType
import pytest

from custom_components.ev_charger_cloud.const import CONF_ORG_ID, DOMAIN
from simulator import Simulator
from simulator.faults import FaultList

from .conftest import EMAIL, PASSWORD, RunningSimulator
from .flow_helpers import start, submit, with_server
from .podero_helpers import CLIENT_ID, CLIENT_SECRET, ORG_ID, USER_ID
from .thor_entry_fixtures import API_KEY, THOR_PATH, add_thor_account


@dataclass(frozen=True, slots=True)
class Cloud:
    """What differs per cloud: its account, its form, its first request, its secrets."""

    name: str
    add_account: Callable[[Simulator], None]
    form: Callable[[str], dict[str, Any]]
    prefix: str
    # The first request of a sign-in, which carries the credential itself.
    first_path: str
    faults: Callable[[Simulator], FaultList]
    secrets: Callable[[Simulator], set[str]]
    # The secret's field: all re-authentication asks for.
    secret_field: str


def _wallbox_account(sim: Simulator) -> None:
    sim.wallbox.add_account(EMAIL, PASSWORD, user_id=4242)
    sim.wallbox.add_charger(EMAIL, name="Garage")


def _podero_account(sim: Simulator) -> None:
    sim.podero.add_org(CLIENT_ID, CLIENT_SECRET, org_id=ORG_ID)
    sim.podero.add_user(ORG_ID, "jane@example.com", "Jane", "Driver", user_id=USER_ID)
    sim.podero.add_wallbox(USER_ID)


def _wallbox_secrets(sim: Simulator) -> set[str]:
    account = sim.wallbox.account(EMAIL)
    return {PASSWORD, *account.access_tokens, *account.refresh_tokens}


def _podero_secrets(sim: Simulator) -> set[str]:
    return {CLIENT_SECRET, *sim.podero.org(ORG_ID).tokens}


CLOUDS = [
    Cloud(
        name="wallbox",
        add_account=_wallbox_account,
        form=lambda url: with_server(url, **{CONF_EMAIL: EMAIL, CONF_PASSWORD: PASSWORD}),
        prefix="/wallbox",
        first_path="/wallbox/users/signin",
        faults=lambda sim: sim.wallbox.faults,
        secrets=_wallbox_secrets,
        secret_field=CONF_PASSWORD,
    ),
    Cloud(
        name="podero",
        add_account=_podero_account,
        form=lambda url: with_server(
            url,
            **{CONF_CLIENT_ID: CLIENT_ID, CONF_CLIENT_SECRET: CLIENT_SECRET, CONF_ORG_ID: ORG_ID},
        ),
        prefix="/podero",
        first_path="/podero/oauth2/token/",
        faults=lambda sim: sim.podero.faults,
        secrets=_podero_secrets,
        secret_field=CONF_CLIENT_SECRET,
    ),
    Cloud(
        name="thor",
        add_account=add_thor_account,
        form=lambda url: with_server(url, **{CONF_API_KEY: API_KEY}),
        prefix=THOR_PATH,
        first_path=f"{THOR_PATH}/chargeboxes",
        faults=lambda sim: sim.thor.faults,
        secrets=lambda sim: {API_KEY},
        secret_field=CONF_API_KEY,
    ),
]


@pytest.fixture(params=CLOUDS, ids=[cloud.name for cloud in CLOUDS])
def cloud(request: pytest.FixtureRequest, simulator: RunningSimulator) -> Cloud:
    """Each cloud in turn, with its account in the simulator."""
    chosen: Cloud = request.param
    chosen.add_account(simulator.sim)
    return chosen


async def open_form(hass: HomeAssistant, cloud: Cloud) -> FlowResult:
    """The cloud's credentials form, picked from the menu."""
    result = await start(hass, {"source": SOURCE_USER})
    return await submit(hass, result, {"next_step_id": cloud.name})


async def add_entry(hass: HomeAssistant, simulator: RunningSimulator, cloud: Cloud) -> ConfigEntry:
    """The cloud's entry, added through the config flow (set up unless that is mocked)."""
    result = await open_form(hass, cloud)
    result = await submit(hass, result, cloud.form(simulator.url + cloud.prefix))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    entry: ConfigEntry = result["result"]
    return entry


async def start_on_entry(hass: HomeAssistant, entry: ConfigEntry, source: str) -> FlowResult:
    """A re-authentication (given the entry's data) or reconfiguration flow of ``entry``."""
    return await hass.config_entries.flow.async_init(
        DOMAIN,
        context={"source": source, "entry_id": entry.entry_id},
        data=dict(entry.data) if source == SOURCE_REAUTH else None,
    )
