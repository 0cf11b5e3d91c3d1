"""The Thor key form filled in, other accounts and keys, dashboard switches, for the flow tests."""

from __future__ import annotations

from typing import Any

from homeassistant.const import CONF_API_KEY
from homeassistant.data_entry_flow import FlowResult
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ev_charger_cloud.const import CONF_API_URL, CONF_DEVICE_IDS, DOMAIN
from tests.conftest import RunningSimulator
from tests.flow_helpers import FirstForm, with_server
from tests.thor_entry_fixtures import (
    API_KEY,
    GARAGE_ID,
    PARKING_ID,
    THOR_PATH,
    UNIQUE_ID as THOR_UNIQUE_ID,
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


def thor_entry(simulator: RunningSimulator, **data: Any) -> MockConfigEntry:
    """An existing entry of the simulated account."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="Thor (2 chargeboxes)",
        unique_id=data.pop("unique_id", THOR_UNIQUE_ID),
        data=thor_entry_data(thor_entry_url(simulator)) | data,
    )


def disable_rest_api(simulator: RunningSimulator) -> dict[str, Any]:
    simulator.sim.thor.set_rest_api_enabled(API_KEY, False)
    return {}


def restrict_source_ip(simulator: RunningSimulator) -> dict[str, Any]:
    simulator.sim.thor.set_source_ip(API_KEY, "203.0.113.7")
    return {}


def fix_dashboard(simulator: RunningSimulator) -> None:
    """Whatever the dashboard switches said, the account works again."""
    simulator.sim.thor.set_rest_api_enabled(API_KEY, True)
    simulator.sim.thor.set_source_ip(API_KEY, None)


def _thor_added(simulator: RunningSimulator, result: FlowResult, seen: int, _: Any) -> None:
    """The account's entry, known by its first chargebox, listing both."""
    assert result["result"].unique_id == THOR_UNIQUE_ID
    assert result["data"][CONF_DEVICE_IDS] == [GARAGE_ID, PARKING_ID]


THOR_FORM = FirstForm(
    cloud="thor",
    account_fixture="thor_account",
    typed=thor_input,
    fields=(CONF_API_KEY,),
    secrets=SECRETS,
    prefix=THOR_PATH,
    faults=lambda sim: sim.thor.faults,
    doing="adding an account",
    assert_added=_thor_added,
    repair=fix_dashboard,
)
