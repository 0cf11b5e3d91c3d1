"""The Wallbox form filled in, its entry and the tokens it keeps, for the config flow tests."""

from __future__ import annotations

from collections.abc import Mapping
import time
from typing import Any

from homeassistant.const import CONF_EMAIL, CONF_PASSWORD
from homeassistant.data_entry_flow import FlowResult
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ev_charger_cloud.const import (
    CONF_API_URL,
    CONF_DEVICE_IDS,
    CONF_PROVIDER,
    CONF_TOKENS,
    DOMAIN,
)
from tests.conftest import EMAIL, PASSWORD, RunningSimulator
from tests.flow_helpers import FirstForm, paths_since, with_server

NEW_PASSWORD = "a brand new passphrase"
OTHER_EMAIL = "neighbour@example.com"
OTHER_PASSWORD = "the neighbour's secret"
TOKEN_KEYS = {"token", "expires_at", "refresh_token", "refresh_expires_at", "user_id"}
SIGNIN = "/wallbox/users/signin"
GROUPS = "/wallbox/v3/chargers/groups"


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


def assert_wallbox_entry_data(
    simulator: RunningSimulator,
    data: Mapping[str, Any],
    chargers: list[int],
    *,
    password: str = PASSWORD,
) -> dict[str, Any]:
    """The entry keeps the account, its server and chargers, and tokens issued just now.

    Returns the tokens.
    """
    kept = dict(data)
    tokens: dict[str, Any] = kept.pop(CONF_TOKENS)
    assert kept == {
        CONF_PROVIDER: "wallbox",
        CONF_EMAIL: EMAIL,
        CONF_PASSWORD: password,
        CONF_API_URL: simulator.wallbox_url,
        CONF_DEVICE_IDS: [str(charger_id) for charger_id in chargers],
    }
    assert_fresh_tokens(simulator, tokens, EMAIL, 4242)
    return tokens


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
            CONF_DEVICE_IDS: ["1"],
        }
        | data,
    )


def _wallbox_added(
    simulator: RunningSimulator, result: FlowResult, seen: int, chargers: Any
) -> None:
    """The account's entry, validated by one sign-in and one charger list of its own."""
    assert result["result"].unique_id == "wallbox_4242"
    assert result["data"][CONF_DEVICE_IDS] == [str(charger_id) for charger_id in chargers]
    assert_fresh_tokens(simulator, result["data"][CONF_TOKENS], EMAIL, 4242)
    assert paths_since(simulator, seen) == [("GET", SIGNIN, 200), ("GET", GROUPS, 200)]


WALLBOX_FORM = FirstForm(
    cloud="wallbox",
    account_fixture="wallbox_account",
    typed=credentials,
    fields=(CONF_EMAIL, CONF_PASSWORD),
    secrets=(CONF_PASSWORD,),
    prefix="/wallbox",
    faults=lambda sim: sim.wallbox.faults,
    doing="adding an account",
    assert_added=_wallbox_added,
)
