"""The Podero form filled in, its organisation's users, its entry and token, for the flow tests."""

from __future__ import annotations

from collections.abc import Mapping
import time
from typing import Any

from homeassistant.const import CONF_CLIENT_ID, CONF_CLIENT_SECRET
from homeassistant.data_entry_flow import FlowResult
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ev_charger_cloud.const import (
    CONF_API_URL,
    CONF_DEVICE_IDS,
    CONF_ORG_ID,
    CONF_PROVIDER,
    CONF_TOKENS,
    CONF_USER_ID,
    DOMAIN,
)
from tests.conftest import RunningSimulator
from tests.flow_helpers import FirstForm, paths_since, with_server
from tests.podero_helpers import CLIENT_ID, CLIENT_SECRET, ORG_ID, USER_ID

API = "/podero/api/partners/v2.0"
TOKEN = "/podero/oauth2/token/"
USERS = f"{API}/org/{ORG_ID}/users"
USER = f"{USERS}/{USER_ID}"
OTHER_CLIENT_ID = "partner-client-8"
OTHER_CLIENT_SECRET = "another organisation's secret"
OTHER_ORG_ID = "0b7c9e41-2d3f-4a5b-8c6d-7e8f9a0b1c22"
NEW_SECRET = "a freshly rotated secret"
SECOND_USER_ID = "6c4f3e21-8b70-4f5c-0d2e-3a9b8c7d6e51"
THIRD_USER_ID = "7d5a4f32-9c81-4a6d-1e3f-4b0c9d8e7f62"
PODERO_UNIQUE_ID = f"podero_{ORG_ID}_{USER_ID}"


def podero_url(simulator: RunningSimulator) -> str:
    return f"{simulator.url}/podero"


def device_ids(simulator: RunningSimulator, user_id: str) -> list[str]:
    """The user's wallboxes, then vehicles, as the entry lists them."""
    user = simulator.sim.podero.user(user_id)
    return [*user.wallbox_ids, *user.vehicle_ids]


def add_users(simulator: RunningSimulator) -> None:
    """Two more users: one with only an email and two vehicles, one with nothing."""
    cloud = simulator.sim.podero
    cloud.add_user(ORG_ID, "fleet@example.com", user_id=SECOND_USER_ID)
    cloud.add_vehicle(SECOND_USER_ID)
    cloud.add_vehicle(SECOND_USER_ID)
    cloud.add_user(ORG_ID, "max@example.com", "Max", "Mustermann", user_id=THIRD_USER_ID)


def podero_input(simulator: RunningSimulator, **overrides: Any) -> dict[str, Any]:
    """The podero form filled in for the simulated organisation (URL in the section)."""
    filled: dict[str, Any] = {
        CONF_CLIENT_ID: CLIENT_ID,
        CONF_CLIENT_SECRET: CLIENT_SECRET,
        CONF_ORG_ID: ORG_ID,
        CONF_API_URL: podero_url(simulator),
    } | overrides
    return with_server(filled.pop(CONF_API_URL), **filled)


def assert_fresh_token(simulator: RunningSimulator, tokens: Any) -> None:
    """A token the cloud issued just now to the organisation, stored as the entry keeps it."""
    assert isinstance(tokens, dict)
    assert set(tokens) == {"access_token", "expires_at"}
    org = simulator.sim.podero.org(ORG_ID)
    assert tokens["access_token"] in org.tokens
    lifetime = simulator.sim.podero.settings.token_lifetime
    assert tokens["expires_at"] == pytest.approx(time.time() + lifetime, abs=5)


def validation(user_id: str = USER_ID) -> list[tuple[str, str, int]]:
    """The requests validating a user's entry: the user, their wallboxes and vehicles."""
    user = f"{USERS}/{user_id}"
    return [
        ("GET", user, 200),
        ("GET", f"{user}/wallboxes", 200),
        ("GET", f"{user}/electric-vehicles", 200),
    ]


def podero_entry_data(simulator: RunningSimulator, **changed: Any) -> dict[str, Any]:
    """What an entry of the simulated organisation's user keeps (but its token)."""
    return {
        CONF_PROVIDER: "podero",
        CONF_CLIENT_ID: CLIENT_ID,
        CONF_CLIENT_SECRET: CLIENT_SECRET,
        CONF_ORG_ID: ORG_ID,
        CONF_USER_ID: USER_ID,
        CONF_API_URL: podero_url(simulator),
        CONF_DEVICE_IDS: device_ids(simulator, USER_ID),
    } | changed


def assert_podero_entry_data(
    simulator: RunningSimulator, data: Mapping[str, Any], **changed: Any
) -> None:
    """The entry keeps the user's credentials, server and devices, and a token issued now."""
    kept = dict(data)
    assert_fresh_token(simulator, kept.pop(CONF_TOKENS))
    assert kept == podero_entry_data(simulator, **changed)


def podero_entry(simulator: RunningSimulator, **data: Any) -> MockConfigEntry:
    """An existing entry of the simulated organisation's user."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="Jane Driver",
        unique_id=data.pop("unique_id", PODERO_UNIQUE_ID),
        data=podero_entry_data(simulator, **data),
    )


def _podero_added(simulator: RunningSimulator, result: FlowResult, seen: int, _: Any) -> None:
    """The user's entry; one token, one user list and the validation of the user."""
    assert result["result"].unique_id == PODERO_UNIQUE_ID
    assert_fresh_token(simulator, result["data"][CONF_TOKENS])
    assert paths_since(simulator, seen) == [
        ("POST", TOKEN, 200),
        ("GET", USERS, 200),
        *validation(),
    ]


PODERO_FORM = FirstForm(
    cloud="podero",
    account_fixture="podero_org",
    typed=podero_input,
    fields=(CONF_CLIENT_ID, CONF_CLIENT_SECRET, CONF_ORG_ID),
    secrets=(CONF_CLIENT_SECRET,),
    prefix="/podero",
    faults=lambda sim: sim.podero.faults,
    doing="listing the users of an organisation",
    assert_added=_podero_added,
)
