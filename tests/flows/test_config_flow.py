"""The config flow: add, re-authenticate and reconfigure a Wallbox account over HTTP.

Every flow talks to the in-process simulator; errors come from injected faults,
wrong credentials or an unreachable server, never from a mocked client.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
import logging
import time
from typing import Any
from unittest.mock import AsyncMock, patch

from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import CONF_EMAIL, CONF_PASSWORD
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResult, FlowResultType
import probatio
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ev_charger_cloud.api.wallbox.client import WallboxClient
from custom_components.ev_charger_cloud.const import (
    CONF_ADVANCED,
    CONF_API_URL,
    CONF_CHARGERS,
    CONF_PROVIDER,
    CONF_TOKENS,
    DOMAIN,
)
from simulator.faults import Fault
from tests.conftest import EMAIL, PASSWORD, RunningSimulator
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

NEW_PASSWORD = "a brand new passphrase"
OTHER_EMAIL = "neighbour@example.com"
OTHER_PASSWORD = "the neighbour's secret"
TOKEN_KEYS = {"token", "expires_at", "refresh_token", "refresh_expires_at", "user_id"}

SIGNIN = "/wallbox/users/signin"
GROUPS = "/wallbox/v3/chargers/groups"


@pytest.fixture
def default_cloud(simulator: RunningSimulator) -> Iterator[None]:
    """Point the client's built-in cloud URLs (used when no server URL is set) at the simulator."""
    root = simulator.wallbox_url + "/"
    with (
        patch("custom_components.ev_charger_cloud.api.wallbox.client.AUTH_URL", root),
        patch("custom_components.ev_charger_cloud.api.wallbox.client.DATA_URL", root),
    ):
        yield


# --- helpers ---------------------------------------------------------------------


async def open_wallbox_form(hass: HomeAssistant) -> FlowResult:
    """Start a user flow and pick Wallbox from the menu."""
    result = await start(hass, {"source": SOURCE_USER})
    assert result["type"] is FlowResultType.MENU
    result = await submit(hass, result, {"next_step_id": "wallbox"})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "wallbox"
    return result


def credentials(simulator: RunningSimulator, **overrides: str) -> dict[str, Any]:
    """The wallbox form filled in for the simulated account.

    ``api_url`` goes into the ``advanced`` section, as the frontend sends it.
    """
    filled = {
        CONF_EMAIL: EMAIL,
        CONF_PASSWORD: PASSWORD,
        CONF_API_URL: simulator.wallbox_url,
    } | overrides
    return with_server(filled.pop(CONF_API_URL), **filled)


def grant_tokens(simulator: RunningSimulator, email: str, password: str) -> dict[str, Any]:
    """Tokens the cloud really issued, shaped as an entry stores them."""
    grant = simulator.sim.wallbox.sign_in(email, password)
    return {
        "token": grant.token,
        "expires_at": grant.ttl_ms / 1000,
        "refresh_token": grant.refresh_token,
        "refresh_expires_at": grant.refresh_ttl_ms / 1000,
        "user_id": str(grant.user_id),
    }


def assert_fresh_tokens(simulator: RunningSimulator, tokens: Any, email: str, user_id: int) -> None:
    """Tokens the cloud issued just now to that account, valid for its token lifetime."""
    account = simulator.sim.wallbox.account(email)
    assert isinstance(tokens, dict)
    assert set(tokens) == TOKEN_KEYS
    assert tokens["user_id"] == str(user_id)
    assert tokens["token"] in account.access_tokens
    assert tokens["refresh_token"] in account.refresh_tokens
    lifetime = simulator.sim.wallbox.settings.token_lifetime
    assert tokens["expires_at"] == pytest.approx(time.time() + lifetime, abs=5)
    assert tokens["refresh_expires_at"] > tokens["expires_at"]


def wallbox_entry(simulator: RunningSimulator, **data: Any) -> MockConfigEntry:
    """An existing entry of the simulated account."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=EMAIL,
        unique_id=data.pop("unique_id", "wallbox_4242"),
        data={
            CONF_PROVIDER: "wallbox",
            CONF_EMAIL: EMAIL,
            CONF_PASSWORD: PASSWORD,
            CONF_API_URL: simulator.wallbox_url,
            CONF_CHARGERS: ["1"],
        }
        | data,
    )


# --- adding an account ---------------------------------------------------------------


async def test_user_step_is_a_menu_of_the_clouds(
    hass: HomeAssistant, simulator: RunningSimulator
) -> None:
    """The first step asks which cloud the account lives in, without any request."""
    result = await start(hass, {"source": SOURCE_USER})
    assert result["type"] is FlowResultType.MENU
    assert result["step_id"] == "user"
    assert list(result["menu_options"]) == ["wallbox", "podero", "thor"]
    assert len(simulator.sim.requests) == 0


async def test_wallbox_form_fields(hass: HomeAssistant, simulator: RunningSimulator) -> None:
    """Email and password are required; the server URL waits in a collapsed section."""
    result = await open_wallbox_form(hass)
    assert result["errors"] == {}
    fields = schema_fields(result)
    assert set(fields) == {CONF_EMAIL, CONF_PASSWORD, CONF_ADVANCED}
    assert isinstance(fields[CONF_EMAIL], probatio.Required)
    assert isinstance(fields[CONF_PASSWORD], probatio.Required)
    # Nothing is pre-filled on a fresh form.
    assert fields[CONF_EMAIL].default is probatio.UNDEFINED
    assert all(suggested(marker) is None for marker in fields.values())
    # The password is typed into a masked field.
    password_selector = result["data_schema"].schema[fields[CONF_PASSWORD]]
    assert password_selector.config["type"] == "password"
    # The server URL is optional, empty, and out of sight until the section is opened.
    assert server_section(result).options == {"collapsed": True}
    assert isinstance(server_field(result), probatio.Optional)
    assert suggested(server_field(result)) is None
    # Showing the form costs no request to the cloud.
    assert len(simulator.sim.requests) == 0


async def test_create_entry(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    wallbox_account: list[int],
    mock_setup_entry: AsyncMock,
) -> None:
    """A good sign-in creates the account's entry with its tokens and chargers."""
    result = await open_wallbox_form(hass)
    result = await submit(hass, result, credentials(simulator))

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == EMAIL
    entry = result["result"]
    assert entry.unique_id == "wallbox_4242"
    data = dict(result["data"])
    tokens = data.pop(CONF_TOKENS)
    assert data == {
        CONF_PROVIDER: "wallbox",
        CONF_EMAIL: EMAIL,
        CONF_PASSWORD: PASSWORD,
        CONF_API_URL: simulator.wallbox_url,
        CONF_CHARGERS: [str(charger_id) for charger_id in wallbox_account],
    }
    assert_fresh_tokens(simulator, tokens, EMAIL, 4242)
    assert hass.config_entries.async_entries(DOMAIN) == [entry]
    assert entry.data == result["data"]

    # Exactly one sign-in and one read of the charger list, nothing else.
    assert paths_since(simulator, 0) == [("GET", SIGNIN, 200), ("GET", GROUPS, 200)]
    assert simulator.sim.requests.count(account=EMAIL) == 2
    await hass.async_block_till_done()
    assert len(mock_setup_entry.mock_calls) == 1


async def test_create_entry_for_an_account_without_chargers(
    hass: HomeAssistant, simulator: RunningSimulator, mock_setup_entry: AsyncMock
) -> None:
    """An account without chargers is still an account; its charger list is empty."""
    simulator.sim.wallbox.add_account(OTHER_EMAIL, OTHER_PASSWORD, user_id=7)
    result = await open_wallbox_form(hass)
    result = await submit(
        hass, result, credentials(simulator, email=OTHER_EMAIL, password=OTHER_PASSWORD)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == OTHER_EMAIL
    assert result["result"].unique_id == "wallbox_7"
    assert result["data"][CONF_CHARGERS] == []
    assert_fresh_tokens(simulator, result["data"][CONF_TOKENS], OTHER_EMAIL, 7)


@pytest.mark.parametrize(
    "api_url", [None, "", "   "], ids=["section_untouched", "empty_url", "blank_url"]
)
async def test_create_entry_without_server_url(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    wallbox_account: list[int],
    default_cloud: None,
    mock_setup_entry: AsyncMock,
    api_url: str | None,
) -> None:
    """Without a server URL (or a blank one) the entry keeps none and uses the real cloud."""
    result = await open_wallbox_form(hass)
    result = await submit(hass, result, with_server(api_url, email=EMAIL, password=PASSWORD))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert CONF_API_URL not in result["data"]
    assert result["data"][CONF_CHARGERS] == [str(charger_id) for charger_id in wallbox_account]
    # The requests went to the built-in cloud URL (redirected to the simulator here).
    assert paths_since(simulator, 0) == [("GET", SIGNIN, 200), ("GET", GROUPS, 200)]


async def test_email_and_url_are_trimmed_but_not_the_password(
    hass: HomeAssistant, simulator: RunningSimulator, mock_setup_entry: AsyncMock
) -> None:
    """Stray spaces around the email and URL go; a password is taken exactly as typed."""
    spaced_password = "  spaces are part of it  "
    simulator.sim.wallbox.add_account(EMAIL, spaced_password, user_id=4242)
    result = await open_wallbox_form(hass)
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


def _wrong_password(simulator: RunningSimulator) -> dict[str, str]:
    return {CONF_PASSWORD: "not the password"}


def _unknown_email(simulator: RunningSimulator) -> dict[str, str]:
    return {CONF_EMAIL: "nobody@example.com"}


def _fault(**fault: Any) -> Callable[[RunningSimulator], dict[str, str]]:
    def add(simulator: RunningSimulator) -> dict[str, str]:
        simulator.sim.wallbox.faults.add(Fault(times=1, **fault))
        return {}

    return add


def _unreachable(simulator: RunningSimulator) -> dict[str, str]:
    return {CONF_API_URL: closed_port_url()}


def _server(url: str) -> Callable[[RunningSimulator], dict[str, str]]:
    """A server URL; ``{sim}`` stands for the simulator's root (http://127.0.0.1:port)."""

    def typed(simulator: RunningSimulator) -> dict[str, str]:
        return {CONF_API_URL: url.format(sim=simulator.url)}

    return typed


@pytest.mark.parametrize(
    ("break_first_try", "error"),
    [
        (_wrong_password, "invalid_auth_wallbox"),
        (_unknown_email, "invalid_auth_wallbox"),
        (_fault(status=429, path="/users/signin"), "rate_limited"),
        (_fault(status=429, path="/v3/chargers/groups"), "rate_limited"),
        # Wallbox answers a read with 403 when the account polled too often.
        (_fault(status=403, method="GET", path="/v3/chargers/groups"), "rate_limited"),
        (_fault(status=503), "cannot_connect"),
        (_unreachable, "cannot_connect"),
        # Nothing is sent to a URL the password must not go to.
        (_server("not a url"), "invalid_api_url"),
        (_server("http://192.168.1.5:8080/wallbox"), "invalid_api_url"),
        (_server("http://user:pw@127.0.0.1:1/wallbox"), "invalid_api_url"),
        (_server("https://wallbox.example/?tenant=1"), "invalid_api_url"),
        (_server("https://wallbox.example/#signin"), "invalid_api_url"),
        # The simulator without its /wallbox prefix: a 404 (text) to the sign-in.
        (_server("{sim}"), "wrong_server"),
        (_server("{sim}/"), "wrong_server"),
        (_fault(malformed=True, path="/users/signin"), "wrong_server"),
        (_fault(malformed=True, path="/v3/chargers/groups"), "wrong_server"),
        (_fault(malformed=True, body='{"result": {}}', path="/v3/chargers/groups"), "unknown"),
    ],
    ids=[
        "wrong_password",
        "unknown_email",
        "429_on_signin",
        "429_on_groups",
        "403_on_read",
        "server_error",
        "closed_port",
        "not_a_url",
        "plain_http_to_the_lan",
        "userinfo",
        "query",
        "fragment",
        "without_the_path_prefix",
        "root_with_slash",
        "html_on_signin",
        "html_on_groups",
        "groups_of_unknown_shape",
    ],
)
async def test_error_then_recover(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    wallbox_account: list[int],
    mock_setup_entry: AsyncMock,
    caplog: pytest.LogCaptureFixture,
    break_first_try: Callable[[RunningSimulator], dict[str, str]],
    error: str,
) -> None:
    """A failed sign-in shows the form again with the error and what was typed; a retry works."""
    result = await open_wallbox_form(hass)
    first_try = credentials(simulator, **break_first_try(simulator))
    with caplog.at_level(logging.ERROR, logger="custom_components.ev_charger_cloud"):
        result = await submit(hass, result, first_try)

    assert set(first_try) == {CONF_EMAIL, CONF_PASSWORD, CONF_ADVANCED}
    assert_form_shown_again(result, "wallbox", error, first_try, secrets=(CONF_PASSWORD,))
    assert hass.config_entries.async_entries(DOMAIN) == []
    if error == "invalid_api_url":
        assert len(simulator.sim.requests) == 0
    # Only an unexpected answer is worth a logged traceback.
    logged = "Unexpected answer while adding an account" in caplog.text
    assert logged is (error == "unknown")

    seen = len(simulator.sim.requests)
    result = await submit(hass, result, credentials(simulator))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == "wallbox_4242"
    assert result["data"][CONF_CHARGERS] == [str(charger_id) for charger_id in wallbox_account]
    assert_fresh_tokens(simulator, result["data"][CONF_TOKENS], EMAIL, 4242)
    # The retry is a complete validation of its own: one sign-in, one charger list.
    assert paths_since(simulator, seen) == [("GET", SIGNIN, 200), ("GET", GROUPS, 200)]
    assert len(hass.config_entries.async_entries(DOMAIN)) == 1


async def test_timeout_then_recover(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    wallbox_account: list[int],
    mock_setup_entry: AsyncMock,
) -> None:
    """A cloud slower than the client's timeout is reported as unreachable."""
    simulator.sim.wallbox.faults.add(Fault(delay=1.0, path="/users/signin", times=1))
    kwdefaults = WallboxClient.__init__.__kwdefaults__
    assert kwdefaults is not None
    assert "timeout" in kwdefaults
    with patch.dict(kwdefaults, {"timeout": 0.1}):
        result = await open_wallbox_form(hass)
        started = time.monotonic()
        result = await submit(hass, result, credentials(simulator))
        assert time.monotonic() - started < 0.9
        assert result["type"] is FlowResultType.FORM
        assert result["errors"] == {"base": "cannot_connect"}

        result = await submit(hass, result, credentials(simulator))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == "wallbox_4242"


async def test_same_account_twice_aborts(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    wallbox_account: list[int],
    mock_setup_entry: AsyncMock,
) -> None:
    """The account is recognised by its user id, whatever the spelling of the email."""
    result = await open_wallbox_form(hass)
    result = await submit(hass, result, credentials(simulator))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    entry = result["result"]
    stored = dict(entry.data)

    result = await open_wallbox_form(hass)
    result = await submit(hass, result, credentials(simulator, email="  Driver@Example.COM "))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert hass.config_entries.async_entries(DOMAIN) == [entry]
    assert dict(entry.data) == stored
    # The second flow signed in to learn the account id, then stopped.
    assert simulator.sim.requests.count(path_contains="users/signin", status=200) == 2
    assert simulator.sim.requests.count(method="GET", path_contains="v3/chargers/groups") == 2


async def test_same_account_as_an_existing_entry_aborts(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    wallbox_account: list[int],
    mock_setup_entry: AsyncMock,
) -> None:
    """An entry added earlier (e.g. before a restart) blocks a duplicate."""
    entry = wallbox_entry(simulator)
    entry.add_to_hass(hass)
    result = await open_wallbox_form(hass)
    result = await submit(hass, result, credentials(simulator))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert hass.config_entries.async_entries(DOMAIN) == [entry]
    assert CONF_TOKENS not in entry.data
    mock_setup_entry.assert_not_called()


# --- re-authentication ---------------------------------------------------------------


async def test_reauth(
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

    result = await entry.start_reauth_flow(hass)
    assert_translated(result)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reauth_confirm"
    assert result["errors"] == {}
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

    data = dict(entry.data)
    tokens = data.pop(CONF_TOKENS)
    assert data == {
        CONF_PROVIDER: "wallbox",
        CONF_EMAIL: EMAIL,
        CONF_PASSWORD: NEW_PASSWORD,
        CONF_API_URL: simulator.wallbox_url,
        CONF_CHARGERS: [str(charger_id) for charger_id in wallbox_account],
    }
    assert_fresh_tokens(simulator, tokens, EMAIL, 4242)
    assert tokens["token"] != old_tokens["token"]
    assert entry.unique_id == "wallbox_4242"
    assert entry.title == EMAIL
    # Two real sign-ins (refused, then accepted), never a token refresh.
    assert paths_since(simulator, 0) == [
        ("GET", SIGNIN, 403),
        ("GET", SIGNIN, 200),
        ("GET", GROUPS, 200),
    ]
    await hass.async_block_till_done()
    assert len(mock_setup_entry.mock_calls) == 1


async def test_reauth_rate_limited_then_recover(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    wallbox_account: list[int],
    mock_setup_entry: AsyncMock,
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
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
    assert dict(entry.data) == before
    assert entry.unique_id == "wallbox_4242"
    await hass.async_block_till_done()
    mock_setup_entry.assert_not_called()


# --- reconfiguration -----------------------------------------------------------------


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

    result = await entry.start_reconfigure_flow(hass)
    assert_translated(result)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
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
    data = dict(entry.data)
    tokens = data.pop(CONF_TOKENS)
    assert data == {
        CONF_PROVIDER: "wallbox",
        CONF_EMAIL: EMAIL,
        CONF_PASSWORD: NEW_PASSWORD,
        CONF_API_URL: simulator.wallbox_url,
        CONF_CHARGERS: [str(charger_id) for charger_id in wallbox_account],
    }
    assert_fresh_tokens(simulator, tokens, EMAIL, 4242)
    assert entry.unique_id == "wallbox_4242"
    assert simulator.sim.requests.count(path_contains="users/signin", status=200) == 1
    assert simulator.sim.requests.count(path_contains="refresh-token") == 0
    await hass.async_block_till_done()
    assert len(mock_setup_entry.mock_calls) == 1


async def test_reconfigure_keeps_the_server_url_left_as_shown(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    wallbox_account: list[int],
    mock_setup_entry: AsyncMock,
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


async def test_reconfigure_clearing_the_server_url_drops_it(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    wallbox_account: list[int],
    default_cloud: None,
    mock_setup_entry: AsyncMock,
) -> None:
    """An emptied (omitted) URL field returns the entry to the real cloud."""
    entry = wallbox_entry(simulator, api_url=closed_port_url())
    entry.add_to_hass(hass)
    result = await entry.start_reconfigure_flow(hass)
    result = await submit(hass, result, with_server(None, email=EMAIL, password=PASSWORD))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert CONF_API_URL not in entry.data
    # The sign-in reached the built-in cloud URL, not the stale stored server.
    assert simulator.sim.requests.count(path_contains="users/signin", status=200) == 1


async def test_reconfigure_emptied_server_url_drops_it(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    wallbox_account: list[int],
    default_cloud: None,
    mock_setup_entry: AsyncMock,
) -> None:
    """An emptied URL field sent as "" must mean the same as an omitted one."""
    entry = wallbox_entry(simulator, api_url=closed_port_url())
    entry.add_to_hass(hass)
    result = await entry.start_reconfigure_flow(hass)
    result = await submit(hass, result, with_server("", email=EMAIL, password=PASSWORD))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert CONF_API_URL not in entry.data


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
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
    assert dict(entry.data) == before
    assert entry.unique_id == "wallbox_4242"
    assert entry.title == EMAIL
    assert simulator.sim.requests.count(account=OTHER_EMAIL, status=200) == 2
    await hass.async_block_till_done()
    mock_setup_entry.assert_not_called()
