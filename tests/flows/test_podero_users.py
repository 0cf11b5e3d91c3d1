"""Podero: the organisation's users, one entry per user, chosen after the credentials.

With one user the entry is added at once; with several a list is offered, leaving
out the users already added; validation errors show on the form that led to them.
"""

from __future__ import annotations

from homeassistant.const import CONF_CLIENT_SECRET
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest

from custom_components.ev_charger_cloud.const import CONF_DEVICE_IDS, CONF_TOKENS, CONF_USER_ID
from simulator.faults import Fault
from tests.conftest import RunningSimulator
from tests.flow_helpers import open_credentials_form, paths_since, schema_fields, submit, suggested
from tests.flows.podero_forms import (
    SECOND_USER_ID,
    THIRD_USER_ID,
    TOKEN,
    USERS,
    add_users,
    assert_fresh_token,
    device_ids,
    podero_entry,
    podero_input,
    validation,
)
from tests.podero_helpers import CLIENT_ID, CLIENT_SECRET, EMAIL as USER_EMAIL, ORG_ID, USER_ID

# No entry is set up for real: the flows are tested, not the setup.
pytestmark = pytest.mark.usefixtures("mock_setup_entry")


async def test_several_users_are_offered_to_choose(
    hass: HomeAssistant, podero_org: RunningSimulator
) -> None:
    """Several users: a list by name (or email) with their devices; one entry per pick."""
    add_users(podero_org)
    result = await open_credentials_form(hass, "podero")
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
    hass: HomeAssistant, podero_org: RunningSimulator
) -> None:
    """Users with an entry are not offered again; with all of them added the flow aborts."""
    add_users(podero_org)
    podero_entry(podero_org).add_to_hass(hass)
    podero_entry(podero_org, unique_id=f"podero_{ORG_ID}_{THIRD_USER_ID}").add_to_hass(hass)
    result = await open_credentials_form(hass, "podero")
    result = await submit(hass, result, podero_input(podero_org))
    assert result["step_id"] == "podero_user"
    selector = result["data_schema"].schema[schema_fields(result)[CONF_USER_ID]]
    assert [option["value"] for option in selector.config["options"]] == [SECOND_USER_ID]

    podero_entry(podero_org, unique_id=f"podero_{ORG_ID}_{SECOND_USER_ID}").add_to_hass(hass)
    result = await open_credentials_form(hass, "podero")
    result = await submit(hass, result, podero_input(podero_org))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_no_users(hass: HomeAssistant, simulator: RunningSimulator) -> None:
    """An organisation without users has nothing to add; once it has one, it works."""
    cloud = simulator.sim.podero
    cloud.add_org(CLIENT_ID, CLIENT_SECRET, org_id=ORG_ID)
    result = await open_credentials_form(hass, "podero")
    result = await submit(hass, result, podero_input(simulator))
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "podero"
    assert result["errors"] == {"base": "no_users"}

    cloud.add_user(ORG_ID, USER_EMAIL, user_id=USER_ID)
    result = await submit(hass, result, podero_input(simulator))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == USER_EMAIL
    assert result["data"][CONF_DEVICE_IDS] == []


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
    fault: Fault,
    error: str,
) -> None:
    """With one user the validation's error shows on the credentials form."""
    podero_org.sim.podero.faults.add(Fault(**(fault.to_json() | {"times": 1})))
    result = await open_credentials_form(hass, "podero")
    result = await submit(hass, result, podero_input(podero_org))
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "podero"
    assert result["errors"] == {"base": error}
    assert suggested(schema_fields(result)[CONF_CLIENT_SECRET]) is None

    result = await submit(hass, result, podero_input(podero_org))
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_validation_error_after_choosing_a_user(
    hass: HomeAssistant, podero_org: RunningSimulator
) -> None:
    """An error after the choice shows on the choice; the retry reuses the token."""
    add_users(podero_org)
    result = await open_credentials_form(hass, "podero")
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
