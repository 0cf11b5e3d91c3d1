"""The config flow for Podero: add an organisation's user, re-authenticate, reconfigure.

Every flow talks to the in-process simulator over HTTP; errors come from injected
faults, wrong credentials or an unreachable server, never from a mocked client.
"""

from __future__ import annotations

from collections.abc import Callable
import logging
import time
from typing import Any
from unittest.mock import AsyncMock

from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import CONF_CLIENT_ID, CONF_CLIENT_SECRET
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResult, FlowResultType
import probatio
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ev_charger_cloud.const import (
    CONF_ADVANCED,
    CONF_API_URL,
    CONF_DEVICE_IDS,
    CONF_ORG_ID,
    CONF_PROVIDER,
    CONF_TOKENS,
    CONF_USER_ID,
    DOMAIN,
)
from simulator.faults import Fault
from tests.conftest import RunningSimulator
from tests.flow_helpers import (
    assert_form_shown_again,
    assert_translated,
    closed_port_url,
    paths_since,
    schema_fields,
    server_field,
    server_section,
    start,
    submit,
    suggested,
    with_server,
)
from tests.podero_helpers import CLIENT_ID, CLIENT_SECRET, EMAIL, ORG_ID, USER_ID

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
UNIQUE_ID = f"podero_{ORG_ID}_{USER_ID}"


def podero_url(simulator: RunningSimulator) -> str:
    return f"{simulator.url}/podero"


@pytest.fixture
def podero_org(simulator: RunningSimulator) -> RunningSimulator:
    """An organisation with one user, who has a wallbox and a vehicle."""
    cloud = simulator.sim.podero
    cloud.add_org(CLIENT_ID, CLIENT_SECRET, org_id=ORG_ID)
    cloud.add_user(ORG_ID, EMAIL, first_name="Jane", last_name="Driver", user_id=USER_ID)
    cloud.add_wallbox(USER_ID)
    cloud.add_vehicle(USER_ID)
    return simulator


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


async def open_podero_form(hass: HomeAssistant) -> FlowResult:
    """Start a user flow and pick Podero from the menu."""
    result = await start(hass, {"source": SOURCE_USER})
    assert result["type"] is FlowResultType.MENU
    assert "podero" in result["menu_options"]
    result = await submit(hass, result, {"next_step_id": "podero"})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "podero"
    return result


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


def podero_entry(simulator: RunningSimulator, **data: Any) -> MockConfigEntry:
    """An existing entry of the simulated organisation's user."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="Jane Driver",
        unique_id=data.pop("unique_id", UNIQUE_ID),
        data={
            CONF_PROVIDER: "podero",
            CONF_CLIENT_ID: CLIENT_ID,
            CONF_CLIENT_SECRET: CLIENT_SECRET,
            CONF_ORG_ID: ORG_ID,
            CONF_USER_ID: USER_ID,
            CONF_API_URL: podero_url(simulator),
            CONF_DEVICE_IDS: device_ids(simulator, USER_ID),
        }
        | data,
    )


# --- the credentials form ------------------------------------------------------------


async def test_podero_form_fields(hass: HomeAssistant, podero_org: RunningSimulator) -> None:
    """Client id, secret and organisation are required; the server URL waits collapsed."""
    result = await open_podero_form(hass)
    assert result["errors"] == {}
    fields = schema_fields(result)
    assert list(fields) == [CONF_CLIENT_ID, CONF_CLIENT_SECRET, CONF_ORG_ID, CONF_ADVANCED]
    for key in (CONF_CLIENT_ID, CONF_CLIENT_SECRET, CONF_ORG_ID):
        assert isinstance(fields[key], probatio.Required)
        assert fields[key].default is probatio.UNDEFINED
        assert suggested(fields[key]) is None
    selectors = {
        key: result["data_schema"].schema[fields[key]].config
        for key in (CONF_CLIENT_ID, CONF_CLIENT_SECRET, CONF_ORG_ID)
    }
    assert selectors[CONF_CLIENT_ID]["type"] == "text"
    assert selectors[CONF_CLIENT_SECRET]["type"] == "password"
    assert selectors[CONF_ORG_ID]["type"] == "text"
    assert server_section(result).options == {"collapsed": True}
    assert suggested(server_field(result)) is None
    assert len(podero_org.sim.requests) == 0


@pytest.mark.parametrize(
    "org_id", ["not-a-uuid", "", "9d0f3a52-1c4e-4b9a-8f27", f"{ORG_ID}0", "org 42"]
)
async def test_org_id_must_be_a_uuid(
    hass: HomeAssistant, podero_org: RunningSimulator, org_id: str
) -> None:
    """A malformed organisation id is refused on its field before any request."""
    result = await open_podero_form(hass)
    result = await submit(hass, result, podero_input(podero_org, org_id=org_id))
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "podero"
    assert result["errors"] == {CONF_ORG_ID: "invalid_org_id"}
    fields = schema_fields(result)
    # What was typed comes back, except the secret.
    assert suggested(fields[CONF_CLIENT_ID]) == CLIENT_ID
    assert suggested(fields[CONF_ORG_ID]) == org_id
    assert suggested(fields[CONF_CLIENT_SECRET]) is None
    assert suggested(server_field(result)) == podero_url(podero_org)
    assert len(podero_org.sim.requests) == 0


# --- adding a user -------------------------------------------------------------------


async def test_one_user_creates_the_entry_at_once(
    hass: HomeAssistant, podero_org: RunningSimulator, mock_setup_entry: AsyncMock
) -> None:
    """An organisation with one user needs no choice: its entry is created straight away."""
    result = await open_podero_form(hass)
    result = await submit(hass, result, podero_input(podero_org))

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Jane Driver"
    entry = result["result"]
    assert entry.unique_id == UNIQUE_ID
    data = dict(result["data"])
    tokens = data.pop(CONF_TOKENS)
    assert data == {
        CONF_PROVIDER: "podero",
        CONF_CLIENT_ID: CLIENT_ID,
        CONF_CLIENT_SECRET: CLIENT_SECRET,
        CONF_ORG_ID: ORG_ID,
        CONF_USER_ID: USER_ID,
        CONF_API_URL: podero_url(podero_org),
        CONF_DEVICE_IDS: device_ids(podero_org, USER_ID),
    }
    assert len(data[CONF_DEVICE_IDS]) == 2
    assert_fresh_token(podero_org, tokens)
    # One token for the whole flow: the user list and the validation share it.
    assert paths_since(podero_org, 0) == [
        ("POST", TOKEN, 200),
        ("GET", USERS, 200),
        *validation(),
    ]
    assert hass.config_entries.async_entries(DOMAIN) == [entry]
    await hass.async_block_till_done()
    assert len(mock_setup_entry.mock_calls) == 1


async def test_identity_is_trimmed_and_made_canonical_but_not_the_secret(
    hass: HomeAssistant, podero_org: RunningSimulator, mock_setup_entry: AsyncMock
) -> None:
    """Spaces around the client id, org id and URL go; the org id is stored lower case."""
    spaced_secret = "  spaces are part of it "
    podero_org.sim.podero.org(ORG_ID).client_secret = spaced_secret
    result = await open_podero_form(hass)
    result = await submit(
        hass,
        result,
        with_server(
            f" {podero_url(podero_org)} ",
            client_id=f"  {CLIENT_ID}\t",
            client_secret=spaced_secret,
            org_id=f" {ORG_ID.upper()} ",
        ),
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_CLIENT_ID] == CLIENT_ID
    assert result["data"][CONF_CLIENT_SECRET] == spaced_secret
    assert result["data"][CONF_ORG_ID] == ORG_ID
    assert result["data"][CONF_API_URL] == podero_url(podero_org)
    assert result["result"].unique_id == UNIQUE_ID


async def test_several_users_are_offered_to_choose(
    hass: HomeAssistant, podero_org: RunningSimulator, mock_setup_entry: AsyncMock
) -> None:
    """Several users: a list by name (or email) with their devices; one entry per pick."""
    add_users(podero_org)
    result = await open_podero_form(hass)
    result = await submit(hass, result, podero_input(podero_org))
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "podero_user"
    assert result["errors"] == {}
    assert list(schema_fields(result)) == [CONF_USER_ID]
    selector = result["data_schema"].schema[schema_fields(result)[CONF_USER_ID]]
    assert selector.config["options"] == [
        {"value": USER_ID, "label": "Jane Driver (1 wallbox, 1 vehicle)"},
        {"value": SECOND_USER_ID, "label": "fleet@example.com (0 wallboxes, 2 vehicles)"},
        {"value": THIRD_USER_ID, "label": "Max Mustermann (0 wallboxes, 0 vehicles)"},
    ]
    # The token and the list so far; nothing about any user yet.
    assert paths_since(podero_org, 0) == [("POST", TOKEN, 200), ("GET", USERS, 200)]

    result = await submit(hass, result, {CONF_USER_ID: SECOND_USER_ID})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "fleet@example.com"
    assert result["result"].unique_id == f"podero_{ORG_ID}_{SECOND_USER_ID}"
    assert result["data"][CONF_USER_ID] == SECOND_USER_ID
    assert result["data"][CONF_DEVICE_IDS] == device_ids(podero_org, SECOND_USER_ID)
    assert_fresh_token(podero_org, result["data"][CONF_TOKENS])
    # Still one token request and one user list in the whole flow.
    assert paths_since(podero_org, 2) == validation(SECOND_USER_ID)


async def test_user_list_leaves_out_users_already_added(
    hass: HomeAssistant, podero_org: RunningSimulator, mock_setup_entry: AsyncMock
) -> None:
    """Users with an entry are not offered again; with all of them added the flow aborts."""
    add_users(podero_org)
    podero_entry(podero_org).add_to_hass(hass)
    podero_entry(podero_org, unique_id=f"podero_{ORG_ID}_{THIRD_USER_ID}").add_to_hass(hass)
    result = await open_podero_form(hass)
    result = await submit(hass, result, podero_input(podero_org))
    assert result["step_id"] == "podero_user"
    selector = result["data_schema"].schema[schema_fields(result)[CONF_USER_ID]]
    assert [option["value"] for option in selector.config["options"]] == [SECOND_USER_ID]

    podero_entry(podero_org, unique_id=f"podero_{ORG_ID}_{SECOND_USER_ID}").add_to_hass(hass)
    result = await open_podero_form(hass)
    result = await submit(hass, result, podero_input(podero_org))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_same_user_twice_aborts(
    hass: HomeAssistant, podero_org: RunningSimulator, mock_setup_entry: AsyncMock
) -> None:
    """The only user of an organisation added again: abort before reading their devices."""
    result = await open_podero_form(hass)
    result = await submit(hass, result, podero_input(podero_org))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    entry = result["result"]
    stored = dict(entry.data)
    seen = len(podero_org.sim.requests)

    result = await open_podero_form(hass)
    result = await submit(hass, result, podero_input(podero_org, org_id=ORG_ID.upper()))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert hass.config_entries.async_entries(DOMAIN) == [entry]
    assert dict(entry.data) == stored
    assert paths_since(podero_org, seen) == [("POST", TOKEN, 200), ("GET", USERS, 200)]


async def test_no_users(
    hass: HomeAssistant, simulator: RunningSimulator, mock_setup_entry: AsyncMock
) -> None:
    """An organisation without users has nothing to add; once it has one, it works."""
    cloud = simulator.sim.podero
    cloud.add_org(CLIENT_ID, CLIENT_SECRET, org_id=ORG_ID)
    result = await open_podero_form(hass)
    result = await submit(hass, result, podero_input(simulator))
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "podero"
    assert result["errors"] == {"base": "no_users"}

    cloud.add_user(ORG_ID, EMAIL, user_id=USER_ID)
    result = await submit(hass, result, podero_input(simulator))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == EMAIL
    assert result["data"][CONF_DEVICE_IDS] == []


def _wrong_secret(simulator: RunningSimulator) -> dict[str, str]:
    return {CONF_CLIENT_SECRET: "not the secret"}


def _unknown_client(simulator: RunningSimulator) -> dict[str, str]:
    return {CONF_CLIENT_ID: "nobody"}


def _other_org(simulator: RunningSimulator) -> dict[str, str]:
    simulator.sim.podero.add_org(OTHER_CLIENT_ID, OTHER_CLIENT_SECRET, org_id=OTHER_ORG_ID)
    return {CONF_ORG_ID: OTHER_ORG_ID}


def _unknown_org(simulator: RunningSimulator) -> dict[str, str]:
    return {CONF_ORG_ID: "00000000-0000-4000-8000-000000000000"}


def _fault(**fault: Any) -> Callable[[RunningSimulator], dict[str, str]]:
    def add(simulator: RunningSimulator) -> dict[str, str]:
        simulator.sim.podero.faults.add(Fault(times=1, **fault))
        return {}

    return add


def _unreachable(simulator: RunningSimulator) -> dict[str, str]:
    return {CONF_API_URL: closed_port_url("/podero")}


@pytest.mark.parametrize(
    ("break_first_try", "error"),
    [
        (_wrong_secret, "invalid_auth_podero"),
        (_unknown_client, "invalid_auth_podero"),
        (_other_org, "org_not_found"),
        (_unknown_org, "org_not_found"),
        (_fault(status=404, path="/users"), "org_not_found"),
        (_fault(status=429, path="/oauth2/token/"), "rate_limited"),
        (_fault(status=429, path="/users"), "rate_limited"),
        (_fault(status=503), "cannot_connect"),
        (_fault(status=500, path="/users"), "cannot_connect"),
        (_unreachable, "cannot_connect"),
        # A web page where Podero's JSON should be: not its API at that URL.
        (_fault(malformed=True, path="/oauth2/token/"), "wrong_server"),
        (_fault(malformed=True, path="/users"), "wrong_server"),
        (_fault(malformed=True, body='{"users": []}', path="/users"), "unknown"),
        (_fault(status=418, path="/users"), "unknown"),
    ],
    ids=[
        "wrong_secret",
        "unknown_client",
        "org_of_other_credentials",
        "unknown_org",
        "404_on_users",
        "429_on_token",
        "429_on_users",
        "server_error",
        "500_on_users",
        "closed_port",
        "html_on_token",
        "html_on_users",
        "users_of_unknown_shape",
        "unexpected_status",
    ],
)
async def test_error_then_recover(
    hass: HomeAssistant,
    podero_org: RunningSimulator,
    mock_setup_entry: AsyncMock,
    caplog: pytest.LogCaptureFixture,
    break_first_try: Callable[[RunningSimulator], dict[str, str]],
    error: str,
) -> None:
    """A failure shows the form again with the error and what was typed; a retry works."""
    result = await open_podero_form(hass)
    first_try = podero_input(podero_org, **break_first_try(podero_org))
    with caplog.at_level(logging.ERROR, logger="custom_components.ev_charger_cloud"):
        result = await submit(hass, result, first_try)

    assert set(first_try) == {CONF_CLIENT_ID, CONF_CLIENT_SECRET, CONF_ORG_ID, CONF_ADVANCED}
    assert_form_shown_again(result, "podero", error, first_try, secrets=(CONF_CLIENT_SECRET,))
    assert hass.config_entries.async_entries(DOMAIN) == []
    logged = "Unexpected answer while listing the users" in caplog.text
    assert logged is (error == "unknown")

    seen = len(podero_org.sim.requests)
    result = await submit(hass, result, podero_input(podero_org))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == UNIQUE_ID
    assert_fresh_token(podero_org, result["data"][CONF_TOKENS])
    assert paths_since(podero_org, seen) == [
        ("POST", TOKEN, 200),
        ("GET", USERS, 200),
        *validation(),
    ]


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (Fault(status=429, path="/wallboxes"), "rate_limited"),
        (Fault(status=503, path="/electric-vehicles"), "cannot_connect"),
        (Fault(status=404, path=f"/users/{USER_ID}", method="GET"), "org_not_found"),
        (Fault(malformed=True, path="/wallboxes"), "wrong_server"),
        (Fault(status=418, path="/wallboxes"), "unknown"),
    ],
    ids=["429", "server_error", "user_gone", "malformed", "unexpected_status"],
)
async def test_validation_error_with_one_user(
    hass: HomeAssistant,
    podero_org: RunningSimulator,
    mock_setup_entry: AsyncMock,
    fault: Fault,
    error: str,
) -> None:
    """With one user the validation's error shows on the credentials form."""
    podero_org.sim.podero.faults.add(Fault(**(fault.to_json() | {"times": 1})))
    result = await open_podero_form(hass)
    result = await submit(hass, result, podero_input(podero_org))
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "podero"
    assert result["errors"] == {"base": error}
    assert suggested(schema_fields(result)[CONF_CLIENT_SECRET]) is None

    result = await submit(hass, result, podero_input(podero_org))
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_validation_error_after_choosing_a_user(
    hass: HomeAssistant, podero_org: RunningSimulator, mock_setup_entry: AsyncMock
) -> None:
    """An error after the choice shows on the choice; the retry reuses the token."""
    add_users(podero_org)
    result = await open_podero_form(hass)
    result = await submit(hass, result, podero_input(podero_org))
    assert result["step_id"] == "podero_user"
    podero_org.sim.podero.faults.add(Fault(status=503, path="/wallboxes", times=1))
    result = await submit(hass, result, {CONF_USER_ID: THIRD_USER_ID})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "podero_user"
    assert result["errors"] == {"base": "cannot_connect"}
    assert suggested(schema_fields(result)[CONF_USER_ID]) == THIRD_USER_ID

    result = await submit(hass, result, {CONF_USER_ID: THIRD_USER_ID})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Max Mustermann"
    # One token and one user list for the whole flow, failed validation included.
    third = f"{USERS}/{THIRD_USER_ID}"
    assert paths_since(podero_org, 0) == [
        ("POST", TOKEN, 200),
        ("GET", USERS, 200),
        ("GET", third, 200),
        ("GET", f"{third}/wallboxes", 503),
        *validation(THIRD_USER_ID),
    ]


# --- re-authentication ---------------------------------------------------------------


async def test_reauth(
    hass: HomeAssistant, podero_org: RunningSimulator, mock_setup_entry: AsyncMock
) -> None:
    """A rotated secret: the old one is refused, the new one updates the entry."""
    old_token = {"access_token": "revoked", "expires_at": time.time() + 3600}
    entry = podero_entry(podero_org, tokens=old_token)
    entry.add_to_hass(hass)
    podero_org.sim.podero.org(ORG_ID).client_secret = NEW_SECRET

    result = await entry.start_reauth_flow(hass)
    assert_translated(result)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reauth_confirm"
    assert result["description_placeholders"]["account"] == "Jane Driver"
    assert list(schema_fields(result)) == [CONF_CLIENT_SECRET]
    assert suggested(schema_fields(result)[CONF_CLIENT_SECRET]) is None

    result = await submit(hass, result, {CONF_CLIENT_SECRET: CLIENT_SECRET})
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "invalid_client_secret"}
    assert entry.data[CONF_CLIENT_SECRET] == CLIENT_SECRET

    result = await submit(hass, result, {CONF_CLIENT_SECRET: NEW_SECRET})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    data = dict(entry.data)
    tokens = data.pop(CONF_TOKENS)
    assert data == {
        CONF_PROVIDER: "podero",
        CONF_CLIENT_ID: CLIENT_ID,
        CONF_CLIENT_SECRET: NEW_SECRET,
        CONF_ORG_ID: ORG_ID,
        CONF_USER_ID: USER_ID,
        CONF_API_URL: podero_url(podero_org),
        CONF_DEVICE_IDS: device_ids(podero_org, USER_ID),
    }
    assert_fresh_token(podero_org, tokens)
    assert entry.unique_id == UNIQUE_ID
    assert entry.title == "Jane Driver"
    # The stored token vouched for nothing: two token requests, no user list.
    assert paths_since(podero_org, 0) == [
        ("POST", TOKEN, 401),
        ("POST", TOKEN, 200),
        *validation(),
    ]
    await hass.async_block_till_done()
    assert len(mock_setup_entry.mock_calls) == 1


async def test_reauth_rate_limited_then_recover(
    hass: HomeAssistant, podero_org: RunningSimulator, mock_setup_entry: AsyncMock
) -> None:
    """An error keeps the entry untouched until the secret is accepted."""
    entry = podero_entry(podero_org)
    entry.add_to_hass(hass)
    podero_org.sim.podero.faults.add(Fault(status=429, path="/oauth2/token/", times=1))
    result = await entry.start_reauth_flow(hass)
    result = await submit(hass, result, {CONF_CLIENT_SECRET: CLIENT_SECRET})
    assert result["errors"] == {"base": "rate_limited"}
    assert CONF_TOKENS not in entry.data
    result = await submit(hass, result, {CONF_CLIENT_SECRET: CLIENT_SECRET})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert_fresh_token(podero_org, entry.data[CONF_TOKENS])


async def test_reauth_with_credentials_of_another_organisation_aborts(
    hass: HomeAssistant, podero_org: RunningSimulator, mock_setup_entry: AsyncMock
) -> None:
    """The client now belongs to another organisation: the entry's user is not theirs."""
    entry = podero_entry(podero_org, client_id=OTHER_CLIENT_ID)
    entry.add_to_hass(hass)
    podero_org.sim.podero.add_org(OTHER_CLIENT_ID, OTHER_CLIENT_SECRET, org_id=OTHER_ORG_ID)
    before = dict(entry.data)

    result = await entry.start_reauth_flow(hass)
    result = await submit(hass, result, {CONF_CLIENT_SECRET: OTHER_CLIENT_SECRET})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
    assert dict(entry.data) == before
    assert entry.unique_id == UNIQUE_ID
    assert paths_since(podero_org, 0) == [("POST", TOKEN, 200), ("GET", USER, 403)]
    await hass.async_block_till_done()
    mock_setup_entry.assert_not_called()


async def test_reauth_when_the_user_left_the_organisation(
    hass: HomeAssistant, podero_org: RunningSimulator, mock_setup_entry: AsyncMock
) -> None:
    """The user is gone (404): shown as an error, the entry stays as it was."""
    entry = podero_entry(podero_org, user_id=SECOND_USER_ID)
    entry.add_to_hass(hass)
    result = await entry.start_reauth_flow(hass)
    result = await submit(hass, result, {CONF_CLIENT_SECRET: CLIENT_SECRET})
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "org_not_found"}
    assert CONF_TOKENS not in entry.data


# --- reconfiguration -----------------------------------------------------------------


async def test_reconfigure_server_and_credentials(
    hass: HomeAssistant, podero_org: RunningSimulator, mock_setup_entry: AsyncMock
) -> None:
    """Move the entry to another server and app of the same organisation."""
    old_url = closed_port_url("/podero")
    entry = podero_entry(podero_org, api_url=old_url)
    entry.add_to_hass(hass)
    org = podero_org.sim.podero.org(ORG_ID)
    org.client_id, org.client_secret = OTHER_CLIENT_ID, NEW_SECRET

    result = await entry.start_reconfigure_flow(hass)
    assert_translated(result)
    assert result["step_id"] == "reconfigure"
    assert result["description_placeholders"] == {
        "account": "Jane Driver",
        "server": old_url,
    }
    fields = schema_fields(result)
    assert list(fields) == [CONF_CLIENT_ID, CONF_CLIENT_SECRET, CONF_ORG_ID, CONF_ADVANCED]
    assert fields[CONF_CLIENT_ID].default() == CLIENT_ID
    assert fields[CONF_ORG_ID].default() == ORG_ID
    # The secret is never shown back.
    assert fields[CONF_CLIENT_SECRET].default is probatio.UNDEFINED
    assert suggested(fields[CONF_CLIENT_SECRET]) is None
    assert server_section(result).options == {"collapsed": False}
    assert suggested(server_field(result)) == old_url

    new = {CONF_CLIENT_ID: OTHER_CLIENT_ID, CONF_CLIENT_SECRET: NEW_SECRET, CONF_ORG_ID: ORG_ID}
    result = await submit(hass, result, with_server(old_url, **new))
    assert result["errors"] == {"base": "cannot_connect"}

    result = await submit(
        hass, result, with_server(podero_url(podero_org), **new) | {CONF_ORG_ID: "not a uuid"}
    )
    assert result["errors"] == {CONF_ORG_ID: "invalid_org_id"}

    result = await submit(
        hass, result, with_server(podero_url(podero_org), **new | {CONF_CLIENT_SECRET: "old"})
    )
    assert result["errors"] == {"base": "invalid_auth_podero"}
    assert entry.data[CONF_API_URL] == old_url

    result = await submit(hass, result, with_server(podero_url(podero_org), **new))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    data = dict(entry.data)
    tokens = data.pop(CONF_TOKENS)
    assert data == {
        CONF_PROVIDER: "podero",
        CONF_CLIENT_ID: OTHER_CLIENT_ID,
        CONF_CLIENT_SECRET: NEW_SECRET,
        CONF_ORG_ID: ORG_ID,
        CONF_USER_ID: USER_ID,
        CONF_API_URL: podero_url(podero_org),
        CONF_DEVICE_IDS: device_ids(podero_org, USER_ID),
    }
    assert_fresh_token(podero_org, tokens)
    assert entry.unique_id == UNIQUE_ID
    assert podero_org.sim.requests.count(provider="podero", path_contains="/users") == 3
    await hass.async_block_till_done()
    assert len(mock_setup_entry.mock_calls) == 1


async def test_reconfigure_clearing_the_server_url_drops_it(
    hass: HomeAssistant,
    podero_org: RunningSimulator,
    mock_setup_entry: AsyncMock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An emptied URL field returns the entry to the real cloud (here: the simulator)."""
    monkeypatch.setattr(
        "custom_components.ev_charger_cloud.api.podero.client.DEFAULT_BASE_URL",
        podero_url(podero_org),
    )
    entry = podero_entry(podero_org, api_url=closed_port_url("/podero"))
    entry.add_to_hass(hass)
    result = await entry.start_reconfigure_flow(hass)
    result = await submit(
        hass,
        result,
        with_server(
            "", client_id=CLIENT_ID, client_secret=CLIENT_SECRET, org_id=f" {ORG_ID.upper()}"
        ),
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert CONF_API_URL not in entry.data
    assert entry.data[CONF_ORG_ID] == ORG_ID


async def test_reconfigure_to_another_organisation_aborts(
    hass: HomeAssistant, podero_org: RunningSimulator, mock_setup_entry: AsyncMock
) -> None:
    """Another organisation id means another user: abort without asking the cloud."""
    entry = podero_entry(podero_org)
    entry.add_to_hass(hass)
    podero_org.sim.podero.add_org(OTHER_CLIENT_ID, OTHER_CLIENT_SECRET, org_id=OTHER_ORG_ID)
    before = dict(entry.data)
    result = await entry.start_reconfigure_flow(hass)
    result = await submit(
        hass,
        result,
        with_server(
            podero_url(podero_org),
            client_id=OTHER_CLIENT_ID,
            client_secret=OTHER_CLIENT_SECRET,
            org_id=OTHER_ORG_ID,
        ),
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
    assert dict(entry.data) == before
    assert len(podero_org.sim.requests) == 0
    mock_setup_entry.assert_not_called()


async def test_reconfigure_with_credentials_of_another_organisation_aborts(
    hass: HomeAssistant, podero_org: RunningSimulator, mock_setup_entry: AsyncMock
) -> None:
    """Another organisation's app, same org id typed: the cloud refuses (403), wrong account."""
    entry = podero_entry(podero_org)
    entry.add_to_hass(hass)
    podero_org.sim.podero.add_org(OTHER_CLIENT_ID, OTHER_CLIENT_SECRET, org_id=OTHER_ORG_ID)
    before = dict(entry.data)
    result = await entry.start_reconfigure_flow(hass)
    result = await submit(
        hass,
        result,
        with_server(
            podero_url(podero_org),
            client_id=OTHER_CLIENT_ID,
            client_secret=OTHER_CLIENT_SECRET,
            org_id=ORG_ID,
        ),
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
    assert dict(entry.data) == before
    assert entry.unique_id == UNIQUE_ID
