"""The Wallbox form filled in, its entry and the tokens it keeps, for the config flow tests."""

from __future__ import annotations

import time
from typing import Any

from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import (
    CONF_EMAIL,
    CONF_PASSWORD,
)
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResult, FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ev_charger_cloud.const import (
    CONF_API_URL,
    CONF_CHARGERS,
    CONF_PROVIDER,
    DOMAIN,
)
from tests.conftest import EMAIL, PASSWORD, RunningSimulator
from tests.flow_helpers import (
    start,
    submit,
    with_server,
)

NEW_PASSWORD = "a brand new passphrase"


OTHER_EMAIL = "neighbour@example.com"


OTHER_PASSWORD = "the neighbour's secret"


TOKEN_KEYS = {"token", "expires_at", "refresh_token", "refresh_expires_at", "user_id"}


SIGNIN = "/wallbox/users/signin"


GROUPS = "/wallbox/v3/chargers/groups"


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
