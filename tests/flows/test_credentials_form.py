"""The first steps: the menu of clouds and each cloud's credentials form.

What each form asks for, what it shows back, and how typed identity fields are
trimmed (never a secret), before and after a sign-in against the simulator.
"""

from __future__ import annotations

from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import (
    CONF_API_KEY,
    CONF_CLIENT_ID,
    CONF_CLIENT_SECRET,
    CONF_EMAIL,
    CONF_PASSWORD,
)
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import probatio
import pytest

from custom_components.ev_charger_cloud.const import CONF_ADVANCED, CONF_API_URL, CONF_ORG_ID
from tests.conftest import EMAIL, RunningSimulator
from tests.flow_helpers import (
    open_credentials_form,
    schema_fields,
    server_field,
    server_section,
    start,
    submit,
    suggested,
    with_server,
)
from tests.flows.podero_forms import (
    PODERO_UNIQUE_ID,
    podero_input,
    podero_url,
)
from tests.podero_helpers import CLIENT_ID, ORG_ID


async def test_user_step_is_a_menu_of_the_clouds(
    hass: HomeAssistant, simulator: RunningSimulator
) -> None:
    """The first step asks which cloud the account lives in, without any request."""
    result = await start(hass, {"source": SOURCE_USER})
    assert result["type"] is FlowResultType.MENU
    assert result["step_id"] == "user"
    assert list(result["menu_options"]) == ["wallbox", "podero", "thor"]
    assert len(simulator.sim.requests) == 0


# Each cloud's credentials fields in the order shown, with the type of their text box.
FORM_FIELDS = {
    "wallbox": [(CONF_EMAIL, "email"), (CONF_PASSWORD, "password")],
    "podero": [(CONF_CLIENT_ID, "text"), (CONF_CLIENT_SECRET, "password"), (CONF_ORG_ID, "text")],
    "thor": [(CONF_API_KEY, "password")],
}


@pytest.mark.parametrize("cloud", list(FORM_FIELDS))
async def test_credentials_form_fields(
    hass: HomeAssistant, simulator: RunningSimulator, cloud: str
) -> None:
    """The cloud's fields are required and empty, secrets masked; the server URL waits.

    It waits in a collapsed section, optional and empty; showing the form costs no
    request to the cloud.
    """
    result = await open_credentials_form(hass, cloud)
    assert result["errors"] == {}
    fields = schema_fields(result)
    assert list(fields) == [key for key, _ in FORM_FIELDS[cloud]] + [CONF_ADVANCED]
    for key, text_type in FORM_FIELDS[cloud]:
        assert isinstance(fields[key], probatio.Required)
        # Nothing is pre-filled on a fresh form.
        assert fields[key].default is probatio.UNDEFINED
        assert suggested(fields[key]) is None
        assert result["data_schema"].schema[fields[key]].config["type"] == text_type
    assert server_section(result).options == {"collapsed": True}
    assert isinstance(server_field(result), probatio.Optional)
    assert suggested(server_field(result)) is None
    assert len(simulator.sim.requests) == 0


@pytest.mark.parametrize(
    "org_id", ["not-a-uuid", "", "9d0f3a52-1c4e-4b9a-8f27", f"{ORG_ID}0", "org 42"]
)
async def test_org_id_must_be_a_uuid(
    hass: HomeAssistant, podero_org: RunningSimulator, org_id: str
) -> None:
    """A malformed organisation id is refused on its field before any request."""
    result = await open_credentials_form(hass, "podero")
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


async def test_email_and_url_are_trimmed_but_not_the_password(
    hass: HomeAssistant, simulator: RunningSimulator
) -> None:
    """Stray spaces around the email and URL go; a password is taken exactly as typed."""
    spaced_password = "  spaces are part of it  "
    simulator.sim.wallbox.add_account(EMAIL, spaced_password, user_id=4242)
    result = await open_credentials_form(hass, "wallbox")
    result = await submit(
        hass,
        result,
        with_server(f" {simulator.wallbox_url}  ", email=f"  {EMAIL}\t", password=spaced_password),
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == EMAIL
    assert result["data"][CONF_EMAIL] == EMAIL
    assert result["data"][CONF_PASSWORD] == spaced_password
    assert result["data"][CONF_API_URL] == simulator.wallbox_url
    assert simulator.sim.requests.count(path_contains="users/signin", status=200) == 1


async def test_identity_is_trimmed_and_made_canonical_but_not_the_secret(
    hass: HomeAssistant, podero_org: RunningSimulator
) -> None:
    """Spaces around the client id, org id and URL go; the org id is stored lower case."""
    spaced_secret = "  spaces are part of it "
    podero_org.sim.podero.org(ORG_ID).client_secret = spaced_secret
    result = await open_credentials_form(hass, "podero")
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
    assert result["result"].unique_id == PODERO_UNIQUE_ID
