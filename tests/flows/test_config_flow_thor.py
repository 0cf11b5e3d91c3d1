"""The config flow for Thor: add an account by its API key, re-authenticate, reconfigure.

Every flow talks to the simulated Thor cloud over HTTP; errors come from the
account's dashboard switches, unknown keys, injected faults or an unreachable
server, never from a mocked client.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from unittest.mock import AsyncMock

from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import CONF_API_KEY
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResult, FlowResultType
import probatio
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ev_charger_cloud.api.thor.cloud import account_id
from custom_components.ev_charger_cloud.const import (
    CONF_ACCOUNT_BOX,
    CONF_ADVANCED,
    CONF_API_URL,
    CONF_CHARGERS,
    CONF_PROVIDER,
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
from tests.thor_entry_fixtures import (
    API_KEY,
    GARAGE_ID,
    PARKING_ID,
    THOR_PATH,
    UNIQUE_ID,
    add_thor_account,
    thor_entry_data,
)

NEW_KEY = "thor-key-renewed-0a9b8c7d"
OTHER_KEY = "thor-key-of-another-customer"
OTHER_BOX = "CB-OTHER"
CHARGEBOXES = f"{THOR_PATH}/chargeboxes"
SECRETS = (CONF_API_KEY,)


def thor_entry_url(simulator: RunningSimulator) -> str:
    return f"{simulator.url}{THOR_PATH}"


@pytest.fixture
def thor_account(simulator: RunningSimulator) -> RunningSimulator:
    """The account of thor_entry_fixtures: Garage and Parking A."""
    add_thor_account(simulator.sim)
    return simulator


def add_other_account(simulator: RunningSimulator) -> None:
    """Another Thor customer with a box of their own."""
    simulator.sim.thor.add_account(OTHER_KEY, "Another customer")
    simulator.sim.thor.add_chargebox(OTHER_KEY, id=OTHER_BOX, alias="Shop")


def renew_key(simulator: RunningSimulator) -> None:
    """The customer generates a new key on the dashboard: the old one stops working.

    The simulator keys an account by its API key, so the account is created again
    under the new key with the same chargeboxes.
    """
    simulator.sim.thor.reset()
    add_thor_account(simulator.sim, NEW_KEY)


def thor_input(simulator: RunningSimulator, **overrides: Any) -> dict[str, Any]:
    """The thor form filled in for the simulated account (URL in the section)."""
    filled: dict[str, Any] = {
        CONF_API_KEY: API_KEY,
        CONF_API_URL: thor_entry_url(simulator),
    } | overrides
    return with_server(filled.pop(CONF_API_URL), **filled)


async def open_thor_form(hass: HomeAssistant) -> FlowResult:
    """Start a user flow and pick Thor from the menu."""
    result = await start(hass, {"source": SOURCE_USER})
    assert result["type"] is FlowResultType.MENU
    assert "thor" in result["menu_options"]
    result = await submit(hass, result, {"next_step_id": "thor"})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "thor"
    return result


def thor_entry(simulator: RunningSimulator, **data: Any) -> MockConfigEntry:
    """An existing entry of the simulated account."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="Thor (2 chargeboxes)",
        unique_id=data.pop("unique_id", UNIQUE_ID),
        data=thor_entry_data(thor_entry_url(simulator)) | data,
    )


# --- the key form ----------------------------------------------------------------------


async def test_menu_offers_thor_with_the_key_form(
    hass: HomeAssistant, thor_account: RunningSimulator
) -> None:
    """One secret field, the server URL waits in the collapsed section; nothing is sent."""
    result = await open_thor_form(hass)
    assert result["errors"] == {}
    fields = schema_fields(result)
    assert list(fields) == [CONF_API_KEY, CONF_ADVANCED]
    key = fields[CONF_API_KEY]
    assert isinstance(key, probatio.Required)
    assert key.default is probatio.UNDEFINED
    assert suggested(key) is None
    schema = result["data_schema"]
    assert schema is not None
    assert schema.schema[key].config["type"] == "password"
    assert server_section(result).options == {"collapsed": True}
    assert suggested(server_field(result)) is None
    assert len(thor_account.sim.requests) == 0


async def test_good_key_creates_the_entry(
    hass: HomeAssistant, thor_account: RunningSimulator, mock_setup_entry: AsyncMock
) -> None:
    """The entry is titled by its box count and keeps the key, server, boxes and account box."""
    result = await open_thor_form(hass)
    result = await submit(
        hass, result, thor_input(thor_account, api_url=f"  {thor_entry_url(thor_account)} ")
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Thor (2 chargeboxes)"
    assert result["data"] == {
        CONF_PROVIDER: "thor",
        CONF_API_KEY: API_KEY,
        CONF_API_URL: thor_entry_url(thor_account),
        CONF_CHARGERS: [GARAGE_ID, PARKING_ID],
        CONF_ACCOUNT_BOX: GARAGE_ID,
    }
    (entry,) = hass.config_entries.async_entries(DOMAIN)
    assert entry.unique_id == UNIQUE_ID
    assert API_KEY not in entry.unique_id
    # Listing the boxes proves the key (every box, active or not).
    assert paths_since(thor_account, 0) == [
        ("GET", CHARGEBOXES, 200),
        ("GET", CHARGEBOXES, 200),
    ]
    await hass.async_block_till_done()
    assert len(mock_setup_entry.mock_calls) == 1


async def test_one_chargebox_and_no_chargebox(
    hass: HomeAssistant, simulator: RunningSimulator, mock_setup_entry: AsyncMock
) -> None:
    """ "1 chargebox" in the singular; an account without boxes is refused until it has one.

    A Thor account is known by its boxes (a renewed key is the same account): without
    one, every empty account would look like the same account.
    """
    cloud = simulator.sim.thor
    cloud.add_account(API_KEY)
    cloud.add_chargebox(API_KEY, id=GARAGE_ID, alias="Garage", active=False)
    result = await open_thor_form(hass)
    result = await submit(hass, result, thor_input(simulator))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    # An inactive box is still the account's.
    assert result["title"] == "Thor (1 chargebox)"
    assert result["data"][CONF_CHARGERS] == [GARAGE_ID]

    # Two empty accounts: each is told what to do, none is "already configured".
    cloud.add_account(OTHER_KEY)
    cloud.add_account(NEW_KEY)
    for key in (OTHER_KEY, NEW_KEY, OTHER_KEY):
        result = await open_thor_form(hass)
        typed = thor_input(simulator, api_key=key)
        result = await submit(hass, result, typed)
        assert_form_shown_again(result, "thor", "no_chargebox", typed, SECRETS)
    assert len(hass.config_entries.async_entries(DOMAIN)) == 1

    # Once a box is added in the dashboard, the same key adds the account.
    cloud.add_chargebox(OTHER_KEY, id=OTHER_BOX, alias="Shop")
    result = await submit(hass, result, thor_input(simulator, api_key=OTHER_KEY))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == f"thor_{account_id(OTHER_BOX)}"
    assert result["data"][CONF_ACCOUNT_BOX] == OTHER_BOX


@pytest.mark.parametrize("source", ["reauth", "reconfigure"])
async def test_a_key_without_chargeboxes_cannot_take_over_an_entry(
    hass: HomeAssistant, thor_account: RunningSimulator, mock_setup_entry: AsyncMock, source: str
) -> None:
    """A key listing no box proves no account: refused, the entry keeps its key and identity.

    Also when the entry's own boxes were all removed since: it cannot be told whether
    the key is still this account's, so the user adds a box (or keeps the old key).
    """
    entry = thor_entry(thor_account)
    entry.add_to_hass(hass)
    before = dict(entry.data)
    thor_account.sim.thor.add_account(OTHER_KEY, "An empty account")
    result = await (
        entry.start_reauth_flow(hass) if source == "reauth" else entry.start_reconfigure_flow(hass)
    )
    typed = (
        {CONF_API_KEY: OTHER_KEY}
        if source == "reauth"
        else thor_input(thor_account, api_key=OTHER_KEY)
    )
    result = await submit(hass, result, typed)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "no_chargebox"}
    assert dict(entry.data) == before
    assert entry.unique_id == UNIQUE_ID


async def test_empty_server_url_uses_the_real_cloud(
    hass: HomeAssistant,
    thor_account: RunningSimulator,
    mock_setup_entry: AsyncMock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without a URL the entry talks to api.thor.tools (here: the simulator) and keeps none."""
    monkeypatch.setattr(
        "custom_components.ev_charger_cloud.api.thor.client.DEFAULT_BASE_URL",
        thor_entry_url(thor_account),
    )
    result = await open_thor_form(hass)
    result = await submit(hass, result, with_server(None, api_key=API_KEY))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert CONF_API_URL not in result["data"]
    assert result["data"][CONF_CHARGERS] == [GARAGE_ID, PARKING_ID]


# --- errors ------------------------------------------------------------------------------


def _unknown_key(simulator: RunningSimulator) -> dict[str, Any]:
    return {CONF_API_KEY: "not-a-thor-key"}


def _rest_api_disabled(simulator: RunningSimulator) -> dict[str, Any]:
    simulator.sim.thor.set_rest_api_enabled(API_KEY, False)
    return {}


def _ip_not_allowed(simulator: RunningSimulator) -> dict[str, Any]:
    simulator.sim.thor.set_source_ip(API_KEY, "203.0.113.7")
    return {}


def _unreachable(simulator: RunningSimulator) -> dict[str, Any]:
    return {CONF_API_URL: closed_port_url(THOR_PATH)}


def _fault(**fault: Any) -> Callable[[RunningSimulator], dict[str, Any]]:
    def add(simulator: RunningSimulator) -> dict[str, Any]:
        simulator.sim.thor.faults.add(Fault(times=1, **fault))
        return {}

    return add


def _fix(simulator: RunningSimulator) -> None:
    """Whatever the dashboard switches said, the account works again."""
    simulator.sim.thor.set_rest_api_enabled(API_KEY, True)
    simulator.sim.thor.set_source_ip(API_KEY, None)


@pytest.mark.parametrize(
    ("break_first_try", "error"),
    [
        (_unknown_key, "invalid_api_key"),
        (_fault(status=401), "invalid_api_key"),
        (_rest_api_disabled, "rest_api_disabled"),
        (_ip_not_allowed, "ip_not_allowed"),
        (_unreachable, "cannot_connect"),
        (_fault(status=503), "cannot_connect"),
        (_fault(status=500), "cannot_connect"),
        (_fault(status=429), "rate_limited"),
        # A web page where Thor's JSON should be: not its API at that URL.
        (_fault(malformed=True), "wrong_server"),
        (_fault(malformed=True, body='{"chargeboxes": []}'), "unknown"),
        (_fault(status=418), "unknown"),
    ],
    ids=[
        "unknown_key",
        "401_from_a_gateway",
        "rest_api_disabled",
        "ip_not_allowed",
        "closed_port",
        "503",
        "500",
        "429",
        "html_page",
        "object_instead_of_list",
        "unexpected_status",
    ],
)
async def test_error_then_recover(
    hass: HomeAssistant,
    thor_account: RunningSimulator,
    mock_setup_entry: AsyncMock,
    break_first_try: Callable[[RunningSimulator], dict[str, Any]],
    error: str,
) -> None:
    """Each failure shows its error with what was typed (not the key); then it works."""
    result = await open_thor_form(hass)
    typed = thor_input(thor_account, **break_first_try(thor_account))
    result = await submit(hass, result, typed)
    assert_form_shown_again(result, "thor", error, typed, SECRETS)
    assert hass.config_entries.async_entries(DOMAIN) == []

    _fix(thor_account)
    result = await submit(hass, result, thor_input(thor_account))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_CHARGERS] == [GARAGE_ID, PARKING_ID]


async def test_timeout_is_cannot_connect(
    hass: HomeAssistant,
    thor_account: RunningSimulator,
    mock_setup_entry: AsyncMock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A cloud that does not answer in time is a connection error."""
    monkeypatch.setattr("custom_components.ev_charger_cloud.api.http.DEFAULT_TIMEOUT", 0.05)
    thor_account.sim.thor.faults.add(Fault(delay=2.0, times=1))
    result = await open_thor_form(hass)
    typed = thor_input(thor_account)
    result = await submit(hass, result, typed)
    assert_form_shown_again(result, "thor", "cannot_connect", typed, SECRETS)


@pytest.mark.parametrize("source", ["user", "reauth", "reconfigure"])
async def test_undocumented_403_is_an_unexpected_answer_on_every_form(
    hass: HomeAssistant, thor_account: RunningSimulator, mock_setup_entry: AsyncMock, source: str
) -> None:
    """A 403 with a message name Thor does not document is an unexpected answer.

    Not an organisation error, and on an entry's forms not "another account" either.
    """
    entry = thor_entry(thor_account)
    if source != "user":
        entry.add_to_hass(hass)
    before = dict(entry.data)
    thor_account.sim.thor.faults.add(
        Fault(status=403, malformed=True, body='{"message": "SomethingNew"}', times=1)
    )
    if source == "user":
        result = await open_thor_form(hass)
    elif source == "reauth":
        result = await entry.start_reauth_flow(hass)
    else:
        result = await entry.start_reconfigure_flow(hass)
    typed = {CONF_API_KEY: API_KEY} if source == "reauth" else thor_input(thor_account)
    result = await submit(hass, result, typed)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "unknown"}
    assert dict(entry.data) == before


async def test_unexpected_answer_is_logged_without_the_key(
    hass: HomeAssistant, thor_account: RunningSimulator, caplog: pytest.LogCaptureFixture
) -> None:
    """Only an unexpected answer is logged, and never with the key."""
    thor_account.sim.thor.faults.add(Fault(status=418, times=1))
    result = await open_thor_form(hass)
    result = await submit(hass, result, thor_input(thor_account))
    assert result["errors"] == {"base": "unknown"}
    assert "Unexpected answer while adding an account" in caplog.text
    assert API_KEY not in caplog.text


# --- one entry per account ------------------------------------------------------------------


async def test_same_key_again_aborts(
    hass: HomeAssistant, thor_account: RunningSimulator, mock_setup_entry: AsyncMock
) -> None:
    """The account is already set up: no second entry."""
    thor_entry(thor_account).add_to_hass(hass)
    result = await open_thor_form(hass)
    result = await submit(hass, result, thor_input(thor_account))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert len(hass.config_entries.async_entries(DOMAIN)) == 1


async def test_another_key_of_the_same_account_aborts(
    hass: HomeAssistant, thor_account: RunningSimulator, mock_setup_entry: AsyncMock
) -> None:
    """An entry known by a box the account no longer lists: the shared Garage gives it away."""
    entry = thor_entry(
        thor_account,
        unique_id=f"thor_{account_id('CB-0000')}",
        api_key="an-older-key",
        chargers=["CB-0000", GARAGE_ID],
        account_box="CB-0000",
    )
    entry.add_to_hass(hass)
    result = await open_thor_form(hass)
    result = await submit(hass, result, thor_input(thor_account))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert hass.config_entries.async_entries(DOMAIN) == [entry]
    assert entry.data[CONF_API_KEY] == "an-older-key"


async def test_another_account_is_added_beside(
    hass: HomeAssistant, thor_account: RunningSimulator, mock_setup_entry: AsyncMock
) -> None:
    """Another customer's key with other boxes makes a second entry."""
    thor_entry(thor_account).add_to_hass(hass)
    add_other_account(thor_account)
    result = await open_thor_form(hass)
    result = await submit(hass, result, thor_input(thor_account, api_key=OTHER_KEY))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Thor (1 chargebox)"
    unique_ids = {entry.unique_id for entry in hass.config_entries.async_entries(DOMAIN)}
    assert unique_ids == {UNIQUE_ID, f"thor_{account_id(OTHER_BOX)}"}


# --- re-authentication ------------------------------------------------------------------------


async def test_reauth_with_a_renewed_key(
    hass: HomeAssistant, thor_account: RunningSimulator, mock_setup_entry: AsyncMock
) -> None:
    """The old key is refused, the renewed one of the same account updates the entry."""
    entry = thor_entry(thor_account)
    entry.add_to_hass(hass)
    renew_key(thor_account)

    result = await entry.start_reauth_flow(hass)
    assert_translated(result)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reauth_confirm"
    assert result["description_placeholders"]["account"] == "Thor (2 chargeboxes)"
    assert list(schema_fields(result)) == [CONF_API_KEY]
    assert suggested(schema_fields(result)[CONF_API_KEY]) is None

    result = await submit(hass, result, {CONF_API_KEY: API_KEY})
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "invalid_api_key"}
    assert suggested(schema_fields(result)[CONF_API_KEY]) is None
    assert entry.data[CONF_API_KEY] == API_KEY

    result = await submit(hass, result, {CONF_API_KEY: NEW_KEY})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert dict(entry.data) == thor_entry_data(thor_entry_url(thor_account), NEW_KEY)
    assert entry.unique_id == UNIQUE_ID
    assert entry.title == "Thor (2 chargeboxes)"
    await hass.async_block_till_done()
    assert len(mock_setup_entry.mock_calls) == 1


@pytest.mark.parametrize(
    ("switch", "error"),
    [(_rest_api_disabled, "rest_api_disabled"), (_ip_not_allowed, "ip_not_allowed")],
)
async def test_reauth_shows_dashboard_errors(
    hass: HomeAssistant,
    thor_account: RunningSimulator,
    mock_setup_entry: AsyncMock,
    switch: Callable[[RunningSimulator], dict[str, Any]],
    error: str,
) -> None:
    """A good key the dashboard blocks is not a wrong account: the user is told what to fix."""
    entry = thor_entry(thor_account)
    entry.add_to_hass(hass)
    switch(thor_account)
    result = await entry.start_reauth_flow(hass)
    result = await submit(hass, result, {CONF_API_KEY: API_KEY})
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": error}

    _fix(thor_account)
    result = await submit(hass, result, {CONF_API_KEY: API_KEY})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"


async def test_reauth_with_another_accounts_key_aborts(
    hass: HomeAssistant, thor_account: RunningSimulator, mock_setup_entry: AsyncMock
) -> None:
    """A key that lists other boxes is another account: the entry keeps its key."""
    entry = thor_entry(thor_account)
    entry.add_to_hass(hass)
    add_other_account(thor_account)
    result = await entry.start_reauth_flow(hass)
    result = await submit(hass, result, {CONF_API_KEY: OTHER_KEY})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
    assert entry.data[CONF_API_KEY] == API_KEY
    assert entry.unique_id == UNIQUE_ID


async def test_reauth_after_the_first_box_was_removed(
    hass: HomeAssistant, thor_account: RunningSimulator, mock_setup_entry: AsyncMock
) -> None:
    """The entry was first known by a box since removed; the renewed key still lists Garage."""
    entry = thor_entry(
        thor_account,
        unique_id=f"thor_{account_id('CB-0000')}",
        chargers=["CB-0000", GARAGE_ID, PARKING_ID],
        account_box="CB-0000",
    )
    entry.add_to_hass(hass)
    renew_key(thor_account)
    result = await entry.start_reauth_flow(hass)
    result = await submit(hass, result, {CONF_API_KEY: NEW_KEY})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert entry.data[CONF_API_KEY] == NEW_KEY


# --- reconfiguration ---------------------------------------------------------------------------


async def test_reconfigure_key_and_server(
    hass: HomeAssistant, thor_account: RunningSimulator, mock_setup_entry: AsyncMock
) -> None:
    """The form shows the server but not the key; a renewed key of the account is taken."""
    entry = thor_entry(thor_account)
    entry.add_to_hass(hass)
    renew_key(thor_account)

    result = await entry.start_reconfigure_flow(hass)
    assert_translated(result)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
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
    assert entry.unique_id == UNIQUE_ID


async def test_reconfigure_unreachable_server_then_back(
    hass: HomeAssistant, thor_account: RunningSimulator, mock_setup_entry: AsyncMock
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
    hass: HomeAssistant, thor_account: RunningSimulator, mock_setup_entry: AsyncMock
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
