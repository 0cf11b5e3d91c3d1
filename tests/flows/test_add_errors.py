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
)
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest

from custom_components.ev_charger_cloud.api.wallbox.client import WallboxClient
from custom_components.ev_charger_cloud.const import (
    CONF_ADVANCED,
    CONF_API_URL,
    CONF_ORG_ID,
    DOMAIN,
)
from simulator.faults import Fault
from tests.conftest import RunningSimulator
from tests.flow_helpers import (
    FirstForm,
    assert_form_shown_again,
    closed_port_url,
    open_credentials_form,
    submit,
)
from tests.flows.podero_forms import (
    OTHER_CLIENT_ID,
    OTHER_CLIENT_SECRET,
    OTHER_ORG_ID,
    PODERO_FORM,
)
from tests.flows.thor_forms import (
    SECRETS,
    THOR_FORM,
    disable_rest_api,
    restrict_source_ip,
    thor_entry,
    thor_input,
)
from tests.flows.wallbox_forms import (
    WALLBOX_FORM,
    credentials,
)
from tests.thor_entry_fixtures import API_KEY

# No entry is set up for real: the flows are tested, not the setup.
pytestmark = pytest.mark.usefixtures("mock_setup_entry")


def _typed(**fields: str) -> Callable[[RunningSimulator], dict[str, str]]:
    """Fields typed otherwise than the account's."""
    return lambda simulator: fields


def _fault(form: FirstForm, **fault: Any) -> Callable[[RunningSimulator], dict[str, str]]:
    """A fault the cloud answers the first try's request with, once."""

    def add(simulator: RunningSimulator) -> dict[str, str]:
        form.faults(simulator.sim).add(Fault(times=1, **fault))
        return {}

    return add


def _unreachable(form: FirstForm) -> Callable[[RunningSimulator], dict[str, str]]:
    return lambda simulator: {CONF_API_URL: closed_port_url(form.prefix)}


def _server(url: str) -> Callable[[RunningSimulator], dict[str, str]]:
    """A server URL; ``{sim}`` stands for the simulator's root (http://127.0.0.1:port)."""
    return lambda simulator: {CONF_API_URL: url.format(sim=simulator.url)}


def _other_org(simulator: RunningSimulator) -> dict[str, str]:
    simulator.sim.podero.add_org(OTHER_CLIENT_ID, OTHER_CLIENT_SECRET, org_id=OTHER_ORG_ID)
    return {CONF_ORG_ID: OTHER_ORG_ID}


def _case(form: FirstForm, name: str, breaks: Callable[..., Any], error: str) -> Any:
    return pytest.param(form, breaks, error, id=f"{form.cloud}-{name}")


W, P, T = WALLBOX_FORM, PODERO_FORM, THOR_FORM
CASES = [
    _case(W, "wrong_password", _typed(password="not the password"), "invalid_auth_wallbox"),
    _case(W, "unknown_email", _typed(email="nobody@example.com"), "invalid_auth_wallbox"),
    _case(W, "429_on_signin", _fault(W, status=429, path="/users/signin"), "rate_limited"),
    _case(W, "429_on_groups", _fault(W, status=429, path="/v3/chargers/groups"), "rate_limited"),
    # Wallbox answers a read with 403 when the account polled too often.
    _case(
        W,
        "403_on_read",
        _fault(W, status=403, method="GET", path="/v3/chargers/groups"),
        "rate_limited",
    ),
    _case(W, "server_error", _fault(W, status=503), "cannot_connect"),
    _case(W, "closed_port", _unreachable(W), "cannot_connect"),
    # Nothing is sent to a URL the password must not go to.
    _case(W, "not_a_url", _server("not a url"), "invalid_api_url"),
    _case(
        W, "plain_http_to_the_lan", _server("http://192.168.1.5:8080/wallbox"), "invalid_api_url"
    ),
    _case(W, "userinfo", _server("http://user:pw@127.0.0.1:1/wallbox"), "invalid_api_url"),
    _case(W, "query", _server("https://wallbox.example/?tenant=1"), "invalid_api_url"),
    _case(W, "fragment", _server("https://wallbox.example/#signin"), "invalid_api_url"),
    # The simulator without its /wallbox prefix: a 404 (text) to the sign-in.
    _case(W, "without_the_path_prefix", _server("{sim}"), "wrong_server"),
    _case(W, "root_with_slash", _server("{sim}/"), "wrong_server"),
    _case(W, "html_on_signin", _fault(W, malformed=True, path="/users/signin"), "wrong_server"),
    _case(
        W, "html_on_groups", _fault(W, malformed=True, path="/v3/chargers/groups"), "wrong_server"
    ),
    _case(
        W,
        "groups_of_unknown_shape",
        _fault(W, malformed=True, body='{"result": {}}', path="/v3/chargers/groups"),
        "unknown",
    ),
    _case(P, "wrong_secret", _typed(client_secret="not the secret"), "invalid_auth_podero"),
    _case(P, "unknown_client", _typed(client_id="nobody"), "invalid_auth_podero"),
    _case(P, "org_of_other_credentials", _other_org, "org_not_found"),
    _case(P, "unknown_org", _typed(org_id="00000000-0000-4000-8000-000000000000"), "org_not_found"),
    _case(P, "404_on_users", _fault(P, status=404, path="/users"), "org_not_found"),
    _case(P, "429_on_token", _fault(P, status=429, path="/oauth2/token/"), "rate_limited"),
    _case(P, "429_on_users", _fault(P, status=429, path="/users"), "rate_limited"),
    _case(P, "server_error", _fault(P, status=503), "cannot_connect"),
    _case(P, "500_on_users", _fault(P, status=500, path="/users"), "cannot_connect"),
    _case(P, "closed_port", _unreachable(P), "cannot_connect"),
    # A web page where the cloud's JSON should be: not its API at that URL.
    _case(P, "html_on_token", _fault(P, malformed=True, path="/oauth2/token/"), "wrong_server"),
    _case(P, "html_on_users", _fault(P, malformed=True, path="/users"), "wrong_server"),
    _case(
        P,
        "users_of_unknown_shape",
        _fault(P, malformed=True, body='{"users": []}', path="/users"),
        "unknown",
    ),
    _case(P, "unexpected_status", _fault(P, status=418, path="/users"), "unknown"),
    _case(T, "unknown_key", _typed(api_key="not-a-thor-key"), "invalid_api_key"),
    _case(T, "401_from_a_gateway", _fault(T, status=401), "invalid_api_key"),
    _case(T, "rest_api_disabled", disable_rest_api, "rest_api_disabled"),
    _case(T, "ip_not_allowed", restrict_source_ip, "ip_not_allowed"),
    _case(T, "closed_port", _unreachable(T), "cannot_connect"),
    _case(T, "503", _fault(T, status=503), "cannot_connect"),
    _case(T, "500", _fault(T, status=500), "cannot_connect"),
    _case(T, "429", _fault(T, status=429), "rate_limited"),
    _case(T, "html_page", _fault(T, malformed=True), "wrong_server"),
    _case(
        T,
        "object_instead_of_list",
        _fault(T, malformed=True, body='{"chargeboxes": []}'),
        "unknown",
    ),
    _case(T, "unexpected_status", _fault(T, status=418), "unknown"),
]


@pytest.mark.parametrize(("form", "break_first_try", "error"), CASES)
async def test_error_then_recover(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    request: pytest.FixtureRequest,
    caplog: pytest.LogCaptureFixture,
    form: FirstForm,
    break_first_try: Callable[[RunningSimulator], dict[str, str]],
    error: str,
) -> None:
    """A failure shows the form again with the error and what was typed (no secret).

    The same kind of failure gives the same error for every cloud; only refused
    credentials name the cloud's own fields. Only an unexpected answer is logged
    with a traceback. A retry is a complete validation of its own and adds the entry.
    """
    account = request.getfixturevalue(form.account_fixture)
    result = await open_credentials_form(hass, form.cloud)
    first_try = form.typed(simulator, **break_first_try(simulator))
    with caplog.at_level(logging.ERROR, logger="custom_components.ev_charger_cloud"):
        result = await submit(hass, result, first_try)

    assert set(first_try) == {*form.fields, CONF_ADVANCED}
    assert_form_shown_again(result, form.cloud, error, first_try, form.secrets)
    assert hass.config_entries.async_entries(DOMAIN) == []
    if error == "invalid_api_url":
        assert len(simulator.sim.requests) == 0
    logged = f"Unexpected answer while {form.doing}" in caplog.text
    assert logged is (error == "unknown")

    form.repair(simulator)
    seen = len(simulator.sim.requests)
    result = await submit(hass, result, form.typed(simulator))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    form.assert_added(simulator, result, seen, account)
    assert len(hass.config_entries.async_entries(DOMAIN)) == 1


async def test_timeout_then_recover(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    wallbox_account: list[int],
) -> None:
    """A cloud slower than the client's timeout is reported as unreachable."""
    simulator.sim.wallbox.faults.add(Fault(delay=1.0, path="/users/signin", times=1))
    kwdefaults = WallboxClient.__init__.__kwdefaults__
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
