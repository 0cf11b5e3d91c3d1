"""A failed sign-in on the first form: the error shown, what comes back, the retry.

Errors come from injected faults, wrong credentials, dashboard switches or an
unreachable server, never from a mocked client.
"""

from __future__ import annotations

from collections.abc import Callable
import logging
import time
from typing import Any
from unittest.mock import patch

from homeassistant.const import (
    CONF_API_KEY,
    CONF_CLIENT_ID,
    CONF_CLIENT_SECRET,
    CONF_EMAIL,
    CONF_PASSWORD,
)
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest

from custom_components.ev_charger_cloud.api import WallboxCloud
from custom_components.ev_charger_cloud.const import (
    CONF_ADVANCED,
    CONF_API_URL,
    CONF_CHARGERS,
    CONF_ORG_ID,
    CONF_TOKENS,
    DOMAIN,
)
from simulator.faults import Fault
from tests.conftest import EMAIL, RunningSimulator
from tests.flow_helpers import (
    assert_form_shown_again,
    closed_port_url,
    open_credentials_form,
    paths_since,
    submit,
)
from tests.flows.podero_forms import (
    OTHER_CLIENT_ID,
    OTHER_CLIENT_SECRET,
    OTHER_ORG_ID,
    PODERO_UNIQUE_ID,
    TOKEN,
    USERS,
    assert_fresh_token,
    podero_input,
    validation,
)
from tests.flows.thor_forms import (
    SECRETS,
    disable_rest_api,
    fix_dashboard,
    restrict_source_ip,
    thor_entry,
    thor_input,
)
from tests.flows.wallbox_forms import (
    GROUPS,
    SIGNIN,
    assert_fresh_tokens,
    credentials,
)
from tests.thor_entry_fixtures import API_KEY, GARAGE_ID, PARKING_ID, THOR_PATH

# No entry is set up for real: the flows are tested, not the setup.
pytestmark = pytest.mark.usefixtures("mock_setup_entry")


def _wrong_password(simulator: RunningSimulator) -> dict[str, str]:
    return {CONF_PASSWORD: "not the password"}


def _unknown_email(simulator: RunningSimulator) -> dict[str, str]:
    return {CONF_EMAIL: "nobody@example.com"}


def _wallbox_fault(**fault: Any) -> Callable[[RunningSimulator], dict[str, str]]:
    def add(simulator: RunningSimulator) -> dict[str, str]:
        simulator.sim.wallbox.faults.add(Fault(times=1, **fault))
        return {}

    return add


def _wallbox_unreachable(simulator: RunningSimulator) -> dict[str, str]:
    return {CONF_API_URL: closed_port_url()}


def _wallbox_server(url: str) -> Callable[[RunningSimulator], dict[str, str]]:
    """A server URL; ``{sim}`` stands for the simulator's root (http://127.0.0.1:port)."""

    def typed(simulator: RunningSimulator) -> dict[str, str]:
        return {CONF_API_URL: url.format(sim=simulator.url)}

    return typed


@pytest.mark.parametrize(
    ("break_first_try", "error"),
    [
        (_wrong_password, "invalid_auth_wallbox"),
        (_unknown_email, "invalid_auth_wallbox"),
        (_wallbox_fault(status=429, path="/users/signin"), "rate_limited"),
        (_wallbox_fault(status=429, path="/v3/chargers/groups"), "rate_limited"),
        # Wallbox answers a read with 403 when the account polled too often.
        (_wallbox_fault(status=403, method="GET", path="/v3/chargers/groups"), "rate_limited"),
        (_wallbox_fault(status=503), "cannot_connect"),
        (_wallbox_unreachable, "cannot_connect"),
        # Nothing is sent to a URL the password must not go to.
        (_wallbox_server("not a url"), "invalid_api_url"),
        (_wallbox_server("http://192.168.1.5:8080/wallbox"), "invalid_api_url"),
        (_wallbox_server("http://user:pw@127.0.0.1:1/wallbox"), "invalid_api_url"),
        (_wallbox_server("https://wallbox.example/?tenant=1"), "invalid_api_url"),
        (_wallbox_server("https://wallbox.example/#signin"), "invalid_api_url"),
        # The simulator without its /wallbox prefix: a 404 (text) to the sign-in.
        (_wallbox_server("{sim}"), "wrong_server"),
        (_wallbox_server("{sim}/"), "wrong_server"),
        (_wallbox_fault(malformed=True, path="/users/signin"), "wrong_server"),
        (_wallbox_fault(malformed=True, path="/v3/chargers/groups"), "wrong_server"),
        (
            _wallbox_fault(malformed=True, body='{"result": {}}', path="/v3/chargers/groups"),
            "unknown",
        ),
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
async def test_wallbox_error_then_recover(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    wallbox_account: list[int],
    caplog: pytest.LogCaptureFixture,
    break_first_try: Callable[[RunningSimulator], dict[str, str]],
    error: str,
) -> None:
    """A failed sign-in shows the form again with the error and what was typed; a retry works."""
    result = await open_credentials_form(hass, "wallbox")
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
) -> None:
    """A cloud slower than the client's timeout is reported as unreachable."""
    simulator.sim.wallbox.faults.add(Fault(delay=1.0, path="/users/signin", times=1))
    kwdefaults = WallboxCloud.__init__.__kwdefaults__
    assert kwdefaults is not None
    assert "timeout" in kwdefaults
    with patch.dict(kwdefaults, {"timeout": 0.1}):
        result = await open_credentials_form(hass, "wallbox")
        started = time.monotonic()
        result = await submit(hass, result, credentials(simulator))
        assert time.monotonic() - started < 0.9
        assert result["type"] is FlowResultType.FORM
        assert result["errors"] == {"base": "cannot_connect"}

        result = await submit(hass, result, credentials(simulator))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == "wallbox_4242"


def _wrong_secret(simulator: RunningSimulator) -> dict[str, str]:
    return {CONF_CLIENT_SECRET: "not the secret"}


def _unknown_client(simulator: RunningSimulator) -> dict[str, str]:
    return {CONF_CLIENT_ID: "nobody"}


def _other_org(simulator: RunningSimulator) -> dict[str, str]:
    simulator.sim.podero.add_org(OTHER_CLIENT_ID, OTHER_CLIENT_SECRET, org_id=OTHER_ORG_ID)
    return {CONF_ORG_ID: OTHER_ORG_ID}


def _unknown_org(simulator: RunningSimulator) -> dict[str, str]:
    return {CONF_ORG_ID: "00000000-0000-4000-8000-000000000000"}


def _podero_fault(**fault: Any) -> Callable[[RunningSimulator], dict[str, str]]:
    def add(simulator: RunningSimulator) -> dict[str, str]:
        simulator.sim.podero.faults.add(Fault(times=1, **fault))
        return {}

    return add


def _podero_unreachable(simulator: RunningSimulator) -> dict[str, str]:
    return {CONF_API_URL: closed_port_url("/podero")}


@pytest.mark.parametrize(
    ("break_first_try", "error"),
    [
        (_wrong_secret, "invalid_auth_podero"),
        (_unknown_client, "invalid_auth_podero"),
        (_other_org, "org_not_found"),
        (_unknown_org, "org_not_found"),
        (_podero_fault(status=404, path="/users"), "org_not_found"),
        (_podero_fault(status=429, path="/oauth2/token/"), "rate_limited"),
        (_podero_fault(status=429, path="/users"), "rate_limited"),
        (_podero_fault(status=503), "cannot_connect"),
        (_podero_fault(status=500, path="/users"), "cannot_connect"),
        (_podero_unreachable, "cannot_connect"),
        # A web page where Podero's JSON should be: not its API at that URL.
        (_podero_fault(malformed=True, path="/oauth2/token/"), "wrong_server"),
        (_podero_fault(malformed=True, path="/users"), "wrong_server"),
        (_podero_fault(malformed=True, body='{"users": []}', path="/users"), "unknown"),
        (_podero_fault(status=418, path="/users"), "unknown"),
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
async def test_podero_error_then_recover(
    hass: HomeAssistant,
    podero_org: RunningSimulator,
    caplog: pytest.LogCaptureFixture,
    break_first_try: Callable[[RunningSimulator], dict[str, str]],
    error: str,
) -> None:
    """A failure shows the form again with the error and what was typed; a retry works."""
    result = await open_credentials_form(hass, "podero")
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
    assert result["result"].unique_id == PODERO_UNIQUE_ID
    assert_fresh_token(podero_org, result["data"][CONF_TOKENS])
    assert paths_since(podero_org, seen) == [
        ("POST", TOKEN, 200),
        ("GET", USERS, 200),
        *validation(),
    ]


def _unknown_key(simulator: RunningSimulator) -> dict[str, Any]:
    return {CONF_API_KEY: "not-a-thor-key"}


def _thor_unreachable(simulator: RunningSimulator) -> dict[str, Any]:
    return {CONF_API_URL: closed_port_url(THOR_PATH)}


def _thor_fault(**fault: Any) -> Callable[[RunningSimulator], dict[str, Any]]:
    def add(simulator: RunningSimulator) -> dict[str, Any]:
        simulator.sim.thor.faults.add(Fault(times=1, **fault))
        return {}

    return add


@pytest.mark.parametrize(
    ("break_first_try", "error"),
    [
        (_unknown_key, "invalid_api_key"),
        (_thor_fault(status=401), "invalid_api_key"),
        (disable_rest_api, "rest_api_disabled"),
        (restrict_source_ip, "ip_not_allowed"),
        (_thor_unreachable, "cannot_connect"),
        (_thor_fault(status=503), "cannot_connect"),
        (_thor_fault(status=500), "cannot_connect"),
        (_thor_fault(status=429), "rate_limited"),
        # A web page where Thor's JSON should be: not its API at that URL.
        (_thor_fault(malformed=True), "wrong_server"),
        (_thor_fault(malformed=True, body='{"chargeboxes": []}'), "unknown"),
        (_thor_fault(status=418), "unknown"),
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
async def test_thor_error_then_recover(
    hass: HomeAssistant,
    thor_account: RunningSimulator,
    break_first_try: Callable[[RunningSimulator], dict[str, Any]],
    error: str,
) -> None:
    """Each failure shows its error with what was typed (not the key); then it works."""
    result = await open_credentials_form(hass, "thor")
    typed = thor_input(thor_account, **break_first_try(thor_account))
    result = await submit(hass, result, typed)
    assert_form_shown_again(result, "thor", error, typed, SECRETS)
    assert hass.config_entries.async_entries(DOMAIN) == []

    fix_dashboard(thor_account)
    result = await submit(hass, result, thor_input(thor_account))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_CHARGERS] == [GARAGE_ID, PARKING_ID]


async def test_timeout_is_cannot_connect(
    hass: HomeAssistant,
    thor_account: RunningSimulator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A cloud that does not answer in time is a connection error."""
    monkeypatch.setattr("custom_components.ev_charger_cloud.api.http.DEFAULT_TIMEOUT", 0.05)
    thor_account.sim.thor.faults.add(Fault(delay=2.0, times=1))
    result = await open_credentials_form(hass, "thor")
    typed = thor_input(thor_account)
    result = await submit(hass, result, typed)
    assert_form_shown_again(result, "thor", "cannot_connect", typed, SECRETS)


@pytest.mark.parametrize("source", ["user", "reauth", "reconfigure"])
async def test_undocumented_403_is_an_unexpected_answer_on_every_form(
    hass: HomeAssistant, thor_account: RunningSimulator, source: str
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
        result = await open_credentials_form(hass, "thor")
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
    result = await open_credentials_form(hass, "thor")
    result = await submit(hass, result, thor_input(thor_account))
    assert result["errors"] == {"base": "unknown"}
    assert "Unexpected answer while adding an account" in caplog.text
    assert API_KEY not in caplog.text
