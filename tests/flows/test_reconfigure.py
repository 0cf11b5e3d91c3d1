"""Reconfiguration: new credentials or another server for the same account.

The form shows the account's identity and server (never the secret); a cleared
server URL returns the entry to the real cloud; another account aborts.
"""

from __future__ import annotations

from unittest.mock import AsyncMock

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

from custom_components.ev_charger_cloud.const import (
    CONF_ADVANCED,
    CONF_API_URL,
    CONF_ORG_ID,
)
from tests.conftest import EMAIL, PASSWORD, RunningSimulator
from tests.flow_helpers import (
    assert_kept_from_another_account,
    assert_not_set_up,
    assert_set_up_once,
    closed_port_url,
    open_entry_form,
    paths_since,
    schema_fields,
    server_field,
    server_section,
    submit,
    suggested,
    with_server,
)
from tests.flows.podero_forms import (
    NEW_SECRET,
    OTHER_CLIENT_ID,
    OTHER_CLIENT_SECRET,
    OTHER_ORG_ID,
    PODERO_UNIQUE_ID,
    TOKEN,
    USER,
    assert_podero_entry_data,
    podero_entry,
    podero_url,
)
from tests.flows.thor_forms import (
    NEW_KEY,
    OTHER_KEY,
    add_other_account,
    renew_key,
    thor_entry,
    thor_entry_url,
    thor_input,
)
from tests.flows.wallbox_forms import (
    NEW_PASSWORD,
    OTHER_EMAIL,
    OTHER_PASSWORD,
    assert_wallbox_entry_data,
    credentials,
    grant_tokens,
    wallbox_entry,
)
from tests.podero_helpers import CLIENT_ID, CLIENT_SECRET, ORG_ID
from tests.thor_entry_fixtures import THOR_PATH, UNIQUE_ID as THOR_UNIQUE_ID, thor_entry_data

# No entry is set up for real: the flows are tested, not the setup.
pytestmark = pytest.mark.usefixtures("mock_setup_entry")


async def test_reconfigure_server_and_password(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    wallbox_account: list[int],
    mock_setup_entry: AsyncMock,
) -> None:
    """Move the entry to another server and password of the same account."""
    old_url = closed_port_url()
    entry = wallbox_entry(
        simulator,
        api_url=old_url,
        tokens=grant_tokens(simulator, EMAIL, PASSWORD),
    )
    entry.add_to_hass(hass)
    simulator.sim.wallbox.account(EMAIL).password = NEW_PASSWORD

    result = await open_entry_form(hass, entry, "reconfigure")
    # The form says where the credentials went so far: another server than the cloud's.
    assert result["description_placeholders"] == {"account": EMAIL, "server": old_url}
    fields = schema_fields(result)
    assert set(fields) == {CONF_EMAIL, CONF_PASSWORD, CONF_ADVANCED}
    assert fields[CONF_EMAIL].default() == EMAIL
    # A server other than the real cloud is shown open, so it is not changed unawares.
    assert server_section(result).options == {"collapsed": False}
    assert suggested(server_field(result)) == old_url

    # The old server is gone.
    result = await submit(hass, result, with_server(old_url, email=EMAIL, password=NEW_PASSWORD))
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    assert result["errors"] == {"base": "cannot_connect"}

    # The new server, still with the old password.
    result = await submit(hass, result, credentials(simulator))
    assert result["errors"] == {"base": "invalid_auth_wallbox"}
    assert entry.data[CONF_API_URL] == old_url

    result = await submit(hass, result, credentials(simulator, password=NEW_PASSWORD))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert_wallbox_entry_data(simulator, entry.data, wallbox_account, password=NEW_PASSWORD)
    assert entry.unique_id == "wallbox_4242"
    assert simulator.sim.requests.count(path_contains="users/signin", status=200) == 1
    assert simulator.sim.requests.count(path_contains="refresh-token") == 0
    await assert_set_up_once(hass, mock_setup_entry)


async def test_reconfigure_keeps_the_server_url_left_as_shown(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    wallbox_account: list[int],
) -> None:
    """The section comes pre-filled with the stored URL; sent back unchanged, it stays."""
    entry = wallbox_entry(simulator)
    entry.add_to_hass(hass)
    simulator.sim.wallbox.account(EMAIL).password = NEW_PASSWORD

    result = await entry.start_reconfigure_flow(hass)
    assert suggested(server_field(result)) == simulator.wallbox_url
    result = await submit(
        hass,
        result,
        with_server(suggested(server_field(result)), email=f" {EMAIL} ", password=NEW_PASSWORD),
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data[CONF_API_URL] == simulator.wallbox_url
    assert entry.data[CONF_EMAIL] == EMAIL
    assert entry.data[CONF_PASSWORD] == NEW_PASSWORD


@pytest.mark.parametrize("api_url", [None, ""], ids=["omitted", "emptied"])
async def test_wallbox_reconfigure_clearing_the_server_url_drops_it(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    wallbox_account: list[int],
    default_cloud: None,
    api_url: str | None,
) -> None:
    """An emptied URL field, omitted or sent as "", returns the entry to the real cloud."""
    entry = wallbox_entry(simulator, api_url=closed_port_url())
    entry.add_to_hass(hass)
    result = await entry.start_reconfigure_flow(hass)
    result = await submit(hass, result, with_server(api_url, email=EMAIL, password=PASSWORD))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert CONF_API_URL not in entry.data
    # The sign-in reached the built-in cloud URL, not the stale stored server.
    assert simulator.sim.requests.count(path_contains="users/signin", status=200) == 1


async def test_reconfigure_to_another_account_aborts(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    wallbox_account: list[int],
    mock_setup_entry: AsyncMock,
) -> None:
    """Credentials of a different account must not take over the entry."""
    simulator.sim.wallbox.add_account(OTHER_EMAIL, OTHER_PASSWORD, user_id=7)
    entry = wallbox_entry(simulator)
    entry.add_to_hass(hass)
    before = dict(entry.data)

    result = await entry.start_reconfigure_flow(hass)
    result = await submit(
        hass, result, credentials(simulator, email=OTHER_EMAIL, password=OTHER_PASSWORD)
    )
    assert_kept_from_another_account(result, entry, before, "wallbox_4242")
    assert entry.title == EMAIL
    assert simulator.sim.requests.count(account=OTHER_EMAIL, status=200) == 2
    await assert_not_set_up(hass, mock_setup_entry)


async def test_reconfigure_server_and_credentials(
    hass: HomeAssistant, podero_org: RunningSimulator, mock_setup_entry: AsyncMock
) -> None:
    """Move the entry to another server and app of the same organisation."""
    old_url = closed_port_url("/podero")
    entry = podero_entry(podero_org, api_url=old_url)
    entry.add_to_hass(hass)
    org = podero_org.sim.podero.org(ORG_ID)
    org.client_id, org.client_secret = OTHER_CLIENT_ID, NEW_SECRET

    result = await open_entry_form(hass, entry, "reconfigure")
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
    assert_podero_entry_data(
        podero_org, entry.data, client_id=OTHER_CLIENT_ID, client_secret=NEW_SECRET
    )
    assert entry.unique_id == PODERO_UNIQUE_ID
    assert podero_org.sim.requests.count(provider="podero", path_contains="/users") == 3
    await assert_set_up_once(hass, mock_setup_entry)


async def test_podero_reconfigure_clearing_the_server_url_drops_it(
    hass: HomeAssistant,
    podero_org: RunningSimulator,
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


@pytest.mark.parametrize(
    ("org_id", "requests"),
    [
        # Another organisation id means another user: abort without asking the cloud.
        (OTHER_ORG_ID, []),
        # Another organisation's app, the same org id typed: the cloud refuses (403).
        (ORG_ID, [("POST", TOKEN, 200), ("GET", USER, 403)]),
    ],
    ids=["other_org_id", "credentials_of_another_org"],
)
async def test_reconfigure_to_another_organisation_aborts(
    hass: HomeAssistant,
    podero_org: RunningSimulator,
    mock_setup_entry: AsyncMock,
    org_id: str,
    requests: list[tuple[str, str, int]],
) -> None:
    """Another organisation's credentials are another account's: nothing changes."""
    entry = podero_entry(podero_org)
    entry.add_to_hass(hass)
    podero_org.sim.podero.add_org(OTHER_CLIENT_ID, OTHER_CLIENT_SECRET, org_id=OTHER_ORG_ID)
    before = dict(entry.data)
    result = await entry.start_reconfigure_flow(hass)
    other_app = {CONF_CLIENT_ID: OTHER_CLIENT_ID, CONF_CLIENT_SECRET: OTHER_CLIENT_SECRET}
    result = await submit(
        hass, result, with_server(podero_url(podero_org), **other_app, org_id=org_id)
    )
    assert_kept_from_another_account(result, entry, before, PODERO_UNIQUE_ID)
    assert paths_since(podero_org, 0) == requests
    await assert_not_set_up(hass, mock_setup_entry)


async def test_reconfigure_key_and_server(
    hass: HomeAssistant, thor_account: RunningSimulator
) -> None:
    """The form shows the server but not the key; a renewed key of the account is taken."""
    entry = thor_entry(thor_account)
    entry.add_to_hass(hass)
    renew_key(thor_account)

    result = await open_entry_form(hass, entry, "reconfigure")
    assert result["description_placeholders"]["account"] == "Thor (2 chargeboxes)"
    fields = schema_fields(result)
    assert list(fields) == [CONF_API_KEY, CONF_ADVANCED]
    key = fields[CONF_API_KEY]
    assert isinstance(key, probatio.Required)
    assert suggested(key) is None
    assert key.default is probatio.UNDEFINED
    # The entry points at another server: the section opens by itself.
    assert suggested(server_field(result)) == thor_entry_url(thor_account)
    assert server_section(result).options == {"collapsed": False}

    result = await submit(hass, result, thor_input(thor_account))
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "invalid_api_key"}
    assert suggested(schema_fields(result)[CONF_API_KEY]) is None

    result = await submit(hass, result, thor_input(thor_account, api_key=NEW_KEY))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert dict(entry.data) == thor_entry_data(thor_entry_url(thor_account), NEW_KEY)
    assert entry.unique_id == THOR_UNIQUE_ID


async def test_reconfigure_unreachable_server_then_back(
    hass: HomeAssistant, thor_account: RunningSimulator
) -> None:
    """A server that cannot be reached is refused; the entry keeps its URL."""
    entry = thor_entry(thor_account)
    entry.add_to_hass(hass)
    result = await entry.start_reconfigure_flow(hass)
    result = await submit(
        hass, result, thor_input(thor_account, api_url=closed_port_url(THOR_PATH))
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "cannot_connect"}
    assert entry.data[CONF_API_URL] == thor_entry_url(thor_account)


async def test_reconfigure_with_another_accounts_key_aborts(
    hass: HomeAssistant, thor_account: RunningSimulator
) -> None:
    """Another customer's key is another account: nothing changes."""
    entry = thor_entry(thor_account)
    entry.add_to_hass(hass)
    add_other_account(thor_account)
    result = await entry.start_reconfigure_flow(hass)
    result = await submit(hass, result, thor_input(thor_account, api_key=OTHER_KEY))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
    assert dict(entry.data) == thor_entry_data(thor_entry_url(thor_account))
