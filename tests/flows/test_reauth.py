"""Re-authentication: the secret asked for again; the account must stay the same.

For each cloud: a refused old secret, a new one accepted, errors that keep the
entry untouched, and credentials of another account that must not take it over.
"""

from __future__ import annotations

from collections.abc import Callable
import time
from typing import Any
from unittest.mock import AsyncMock

from homeassistant.const import (
    CONF_API_KEY,
    CONF_CLIENT_SECRET,
    CONF_PASSWORD,
)
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest

from custom_components.ev_charger_cloud.api.thor.cloud import account_id
from custom_components.ev_charger_cloud.const import (
    CONF_TOKENS,
)
from simulator.faults import Fault
from tests.conftest import EMAIL, PASSWORD, RunningSimulator
from tests.flow_helpers import (
    assert_kept_from_another_account,
    assert_not_set_up,
    assert_set_up_once,
    open_entry_form,
    paths_since,
    schema_fields,
    submit,
    suggested,
)
from tests.flows.podero_forms import (
    NEW_SECRET,
    OTHER_CLIENT_ID,
    OTHER_CLIENT_SECRET,
    OTHER_ORG_ID,
    PODERO_UNIQUE_ID,
    SECOND_USER_ID,
    TOKEN,
    USER,
    assert_fresh_token,
    assert_podero_entry_data,
    podero_entry,
    validation,
)
from tests.flows.thor_forms import (
    NEW_KEY,
    OTHER_KEY,
    add_other_account,
    disable_rest_api,
    fix_dashboard,
    renew_key,
    restrict_source_ip,
    thor_entry,
    thor_entry_url,
    thor_input,
)
from tests.flows.wallbox_forms import (
    GROUPS,
    NEW_PASSWORD,
    SIGNIN,
    assert_fresh_tokens,
    assert_wallbox_entry_data,
    grant_tokens,
    wallbox_entry,
)
from tests.podero_helpers import CLIENT_SECRET, ORG_ID
from tests.thor_entry_fixtures import (
    API_KEY,
    GARAGE_ID,
    PARKING_ID,
    UNIQUE_ID as THOR_UNIQUE_ID,
    thor_entry_data,
)

# No entry is set up for real: the flows are tested, not the setup.
pytestmark = pytest.mark.usefixtures("mock_setup_entry")


async def test_wallbox_reauth(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    wallbox_account: list[int],
    mock_setup_entry: AsyncMock,
) -> None:
    """A changed password: the wrong one is refused, the right one updates the entry."""
    old_tokens = grant_tokens(simulator, EMAIL, PASSWORD)
    simulator.sim.wallbox.account(EMAIL).password = NEW_PASSWORD
    entry = wallbox_entry(simulator, tokens=old_tokens)
    entry.add_to_hass(hass)

    result = await open_entry_form(hass, entry, "reauth_confirm")
    assert result["description_placeholders"] == {
        "account": EMAIL,
        "name": EMAIL,
        "server": simulator.wallbox_url,
    }
    # The account and its server stay the same, so only the secret is asked for.
    assert set(schema_fields(result)) == {CONF_PASSWORD}

    # The stored tokens are still valid, yet they must not vouch for a wrong password.
    result = await submit(hass, result, {CONF_PASSWORD: PASSWORD})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reauth_confirm"
    assert result["errors"] == {"base": "invalid_password"}
    assert set(schema_fields(result)) == {CONF_PASSWORD}
    assert entry.data[CONF_PASSWORD] == PASSWORD

    result = await submit(hass, result, {CONF_PASSWORD: NEW_PASSWORD})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"

    tokens = assert_wallbox_entry_data(
        simulator, entry.data, wallbox_account, password=NEW_PASSWORD
    )
    assert tokens["token"] != old_tokens["token"]
    assert entry.unique_id == "wallbox_4242"
    assert entry.title == EMAIL
    # Two real sign-ins (refused, then accepted), never a token refresh.
    assert paths_since(simulator, 0) == [
        ("GET", SIGNIN, 403),
        ("GET", SIGNIN, 200),
        ("GET", GROUPS, 200),
    ]
    await assert_set_up_once(hass, mock_setup_entry)


async def test_wallbox_reauth_rate_limited_then_recover(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    wallbox_account: list[int],
) -> None:
    """Errors in re-authentication keep the entry untouched until a sign-in works."""
    entry = wallbox_entry(simulator)
    entry.add_to_hass(hass)
    simulator.sim.wallbox.faults.add(Fault(status=429, path="/users/signin", times=1))
    result = await entry.start_reauth_flow(hass)
    result = await submit(hass, result, {CONF_PASSWORD: PASSWORD})
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "rate_limited"}
    assert CONF_TOKENS not in entry.data

    result = await submit(hass, result, {CONF_PASSWORD: PASSWORD})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert_fresh_tokens(simulator, entry.data[CONF_TOKENS], EMAIL, 4242)


async def test_reauth_with_another_account_aborts(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    mock_setup_entry: AsyncMock,
) -> None:
    """The email now signs in to a different account (new user id): nothing is changed."""
    simulator.sim.wallbox.add_account(EMAIL, NEW_PASSWORD, user_id=9001)
    entry = wallbox_entry(simulator)
    entry.add_to_hass(hass)
    before = dict(entry.data)

    result = await entry.start_reauth_flow(hass)
    result = await submit(hass, result, {CONF_PASSWORD: NEW_PASSWORD})
    assert_kept_from_another_account(result, entry, before, "wallbox_4242")
    await assert_not_set_up(hass, mock_setup_entry)


async def test_podero_reauth(
    hass: HomeAssistant, podero_org: RunningSimulator, mock_setup_entry: AsyncMock
) -> None:
    """A rotated secret: the old one is refused, the new one updates the entry."""
    old_token = {"access_token": "revoked", "expires_at": time.time() + 3600}
    entry = podero_entry(podero_org, tokens=old_token)
    entry.add_to_hass(hass)
    podero_org.sim.podero.org(ORG_ID).client_secret = NEW_SECRET

    result = await open_entry_form(hass, entry, "reauth_confirm")
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
    assert_podero_entry_data(podero_org, entry.data, client_secret=NEW_SECRET)
    assert entry.unique_id == PODERO_UNIQUE_ID
    assert entry.title == "Jane Driver"
    # The stored token vouched for nothing: two token requests, no user list.
    assert paths_since(podero_org, 0) == [
        ("POST", TOKEN, 401),
        ("POST", TOKEN, 200),
        *validation(),
    ]
    await assert_set_up_once(hass, mock_setup_entry)


async def test_podero_reauth_rate_limited_then_recover(
    hass: HomeAssistant, podero_org: RunningSimulator
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
    assert_kept_from_another_account(result, entry, before, PODERO_UNIQUE_ID)
    assert paths_since(podero_org, 0) == [("POST", TOKEN, 200), ("GET", USER, 403)]
    await assert_not_set_up(hass, mock_setup_entry)


async def test_reauth_when_the_user_left_the_organisation(
    hass: HomeAssistant, podero_org: RunningSimulator
) -> None:
    """The user is gone (404): shown as an error, the entry stays as it was."""
    entry = podero_entry(podero_org, user_id=SECOND_USER_ID)
    entry.add_to_hass(hass)
    result = await entry.start_reauth_flow(hass)
    result = await submit(hass, result, {CONF_CLIENT_SECRET: CLIENT_SECRET})
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "org_not_found"}
    assert CONF_TOKENS not in entry.data


async def test_reauth_with_a_renewed_key(
    hass: HomeAssistant, thor_account: RunningSimulator, mock_setup_entry: AsyncMock
) -> None:
    """The old key is refused, the renewed one of the same account updates the entry."""
    entry = thor_entry(thor_account)
    entry.add_to_hass(hass)
    renew_key(thor_account)

    result = await open_entry_form(hass, entry, "reauth_confirm")
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
    assert entry.unique_id == THOR_UNIQUE_ID
    assert entry.title == "Thor (2 chargeboxes)"
    await assert_set_up_once(hass, mock_setup_entry)


@pytest.mark.parametrize(
    ("switch", "error"),
    [(disable_rest_api, "rest_api_disabled"), (restrict_source_ip, "ip_not_allowed")],
)
async def test_reauth_shows_dashboard_errors(
    hass: HomeAssistant,
    thor_account: RunningSimulator,
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

    fix_dashboard(thor_account)
    result = await submit(hass, result, {CONF_API_KEY: API_KEY})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"


async def test_reauth_with_another_accounts_key_aborts(
    hass: HomeAssistant, thor_account: RunningSimulator
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
    assert entry.unique_id == THOR_UNIQUE_ID


async def test_reauth_after_the_first_box_was_removed(
    hass: HomeAssistant, thor_account: RunningSimulator
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


@pytest.mark.parametrize("source", ["reauth", "reconfigure"])
async def test_a_key_without_chargeboxes_cannot_take_over_an_entry(
    hass: HomeAssistant, thor_account: RunningSimulator, source: str
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
    assert entry.unique_id == THOR_UNIQUE_ID
