"""Adding an account: the entry each cloud creates, and one entry per account.

Every flow talks to the in-process simulator over HTTP, never to a mocked client.
"""

from __future__ import annotations

from unittest.mock import AsyncMock

from homeassistant.const import (
    CONF_API_KEY,
)
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest

from custom_components.ev_charger_cloud.api.thor.cloud import account_id
from custom_components.ev_charger_cloud.const import (
    CONF_ACCOUNT_BOX,
    CONF_API_URL,
    CONF_DEVICE_IDS,
    CONF_PROVIDER,
    CONF_TOKENS,
    DOMAIN,
)
from tests.conftest import EMAIL, PASSWORD, RunningSimulator
from tests.flow_helpers import (
    assert_form_shown_again,
    assert_set_up_once,
    open_credentials_form,
    paths_since,
    submit,
    with_server,
)
from tests.flows.podero_forms import (
    PODERO_UNIQUE_ID,
    TOKEN,
    USERS,
    assert_podero_entry_data,
    podero_input,
    validation,
)
from tests.flows.thor_forms import (
    CHARGEBOXES,
    NEW_KEY,
    OTHER_BOX,
    OTHER_KEY,
    SECRETS,
    add_other_account,
    thor_entry,
    thor_entry_url,
    thor_input,
)
from tests.flows.wallbox_forms import (
    GROUPS,
    OTHER_EMAIL,
    OTHER_PASSWORD,
    SIGNIN,
    assert_fresh_tokens,
    assert_wallbox_entry_data,
    credentials,
    wallbox_entry,
)
from tests.podero_helpers import ORG_ID
from tests.thor_entry_fixtures import API_KEY, GARAGE_ID, PARKING_ID, UNIQUE_ID as THOR_UNIQUE_ID

# No entry is set up for real: the flows are tested, not the setup.
pytestmark = pytest.mark.usefixtures("mock_setup_entry")


async def test_create_entry(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    wallbox_account: list[int],
    mock_setup_entry: AsyncMock,
) -> None:
    """A good sign-in creates the account's entry with its tokens and chargers."""
    result = await open_credentials_form(hass, "wallbox")
    result = await submit(hass, result, credentials(simulator))

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == EMAIL
    entry = result["result"]
    assert entry.unique_id == "wallbox_4242"
    assert_wallbox_entry_data(simulator, result["data"], wallbox_account)
    assert hass.config_entries.async_entries(DOMAIN) == [entry]
    assert entry.data == result["data"]

    # Exactly one sign-in and one read of the charger list, nothing else.
    assert paths_since(simulator, 0) == [("GET", SIGNIN, 200), ("GET", GROUPS, 200)]
    assert simulator.sim.requests.count(account=EMAIL) == 2
    await assert_set_up_once(hass, mock_setup_entry)


async def test_create_entry_for_an_account_without_chargers(
    hass: HomeAssistant, simulator: RunningSimulator
) -> None:
    """An account without chargers is still an account; its charger list is empty."""
    simulator.sim.wallbox.add_account(OTHER_EMAIL, OTHER_PASSWORD, user_id=7)
    result = await open_credentials_form(hass, "wallbox")
    result = await submit(
        hass, result, credentials(simulator, email=OTHER_EMAIL, password=OTHER_PASSWORD)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == OTHER_EMAIL
    assert result["result"].unique_id == "wallbox_7"
    assert result["data"][CONF_DEVICE_IDS] == []
    assert_fresh_tokens(simulator, result["data"][CONF_TOKENS], OTHER_EMAIL, 7)


@pytest.mark.parametrize(
    "api_url", [None, "", "   "], ids=["section_untouched", "empty_url", "blank_url"]
)
async def test_create_entry_without_server_url(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    wallbox_account: list[int],
    default_cloud: None,
    api_url: str | None,
) -> None:
    """Without a server URL (or a blank one) the entry keeps none and uses the real cloud."""
    result = await open_credentials_form(hass, "wallbox")
    result = await submit(hass, result, with_server(api_url, email=EMAIL, password=PASSWORD))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert CONF_API_URL not in result["data"]
    assert result["data"][CONF_DEVICE_IDS] == [str(charger_id) for charger_id in wallbox_account]
    # The requests went to the built-in cloud URL (redirected to the simulator here).
    assert paths_since(simulator, 0) == [("GET", SIGNIN, 200), ("GET", GROUPS, 200)]


async def test_one_user_creates_the_entry_at_once(
    hass: HomeAssistant, podero_org: RunningSimulator, mock_setup_entry: AsyncMock
) -> None:
    """An organisation with one user needs no choice: its entry is created straight away."""
    result = await open_credentials_form(hass, "podero")
    result = await submit(hass, result, podero_input(podero_org))

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Jane Driver"
    entry = result["result"]
    assert entry.unique_id == PODERO_UNIQUE_ID
    assert_podero_entry_data(podero_org, result["data"])
    assert len(result["data"][CONF_DEVICE_IDS]) == 2
    # One token for the whole flow: the user list and the validation share it.
    assert paths_since(podero_org, 0) == [
        ("POST", TOKEN, 200),
        ("GET", USERS, 200),
        *validation(),
    ]
    assert hass.config_entries.async_entries(DOMAIN) == [entry]
    await assert_set_up_once(hass, mock_setup_entry)


async def test_good_key_creates_the_entry(
    hass: HomeAssistant, thor_account: RunningSimulator, mock_setup_entry: AsyncMock
) -> None:
    """The entry is titled by its box count and keeps the key, server, boxes and account box."""
    result = await open_credentials_form(hass, "thor")
    result = await submit(
        hass, result, thor_input(thor_account, api_url=f"  {thor_entry_url(thor_account)} ")
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Thor (2 chargeboxes)"
    assert result["data"] == {
        CONF_PROVIDER: "thor",
        CONF_API_KEY: API_KEY,
        CONF_API_URL: thor_entry_url(thor_account),
        CONF_DEVICE_IDS: [GARAGE_ID, PARKING_ID],
        CONF_ACCOUNT_BOX: GARAGE_ID,
    }
    (entry,) = hass.config_entries.async_entries(DOMAIN)
    assert entry.unique_id == THOR_UNIQUE_ID
    assert API_KEY not in entry.unique_id
    # Listing the boxes proves the key (every box, active or not).
    assert paths_since(thor_account, 0) == [
        ("GET", CHARGEBOXES, 200),
        ("GET", CHARGEBOXES, 200),
    ]
    await assert_set_up_once(hass, mock_setup_entry)


async def test_empty_server_url_uses_the_real_cloud(
    hass: HomeAssistant,
    thor_account: RunningSimulator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without a URL the entry talks to api.thor.tools (here: the simulator) and keeps none."""
    monkeypatch.setattr(
        "custom_components.ev_charger_cloud.api.thor.client.DEFAULT_BASE_URL",
        thor_entry_url(thor_account),
    )
    result = await open_credentials_form(hass, "thor")
    result = await submit(hass, result, with_server(None, api_key=API_KEY))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert CONF_API_URL not in result["data"]
    assert result["data"][CONF_DEVICE_IDS] == [GARAGE_ID, PARKING_ID]


async def test_one_chargebox_and_no_chargebox(
    hass: HomeAssistant, simulator: RunningSimulator
) -> None:
    """ "1 chargebox" in the singular; an account without boxes is refused until it has one.

    A Thor account is known by its boxes (a renewed key is the same account): without
    one, every empty account would look like the same account.
    """
    cloud = simulator.sim.thor
    cloud.add_account(API_KEY)
    cloud.add_chargebox(API_KEY, id=GARAGE_ID, alias="Garage", active=False)
    result = await open_credentials_form(hass, "thor")
    result = await submit(hass, result, thor_input(simulator))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    # An inactive box is still the account's.
    assert result["title"] == "Thor (1 chargebox)"
    assert result["data"][CONF_DEVICE_IDS] == [GARAGE_ID]

    # Two empty accounts: each is told what to do, none is "already configured".
    cloud.add_account(OTHER_KEY)
    cloud.add_account(NEW_KEY)
    for key in (OTHER_KEY, NEW_KEY, OTHER_KEY):
        result = await open_credentials_form(hass, "thor")
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


async def test_same_account_twice_aborts(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    wallbox_account: list[int],
) -> None:
    """The account is recognised by its user id, whatever the spelling of the email."""
    result = await open_credentials_form(hass, "wallbox")
    result = await submit(hass, result, credentials(simulator))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    entry = result["result"]
    stored = dict(entry.data)

    result = await open_credentials_form(hass, "wallbox")
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
    result = await open_credentials_form(hass, "wallbox")
    result = await submit(hass, result, credentials(simulator))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert hass.config_entries.async_entries(DOMAIN) == [entry]
    assert CONF_TOKENS not in entry.data
    mock_setup_entry.assert_not_called()


async def test_same_user_twice_aborts(hass: HomeAssistant, podero_org: RunningSimulator) -> None:
    """The only user of an organisation added again: abort before reading their devices."""
    result = await open_credentials_form(hass, "podero")
    result = await submit(hass, result, podero_input(podero_org))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    entry = result["result"]
    stored = dict(entry.data)
    seen = len(podero_org.sim.requests)

    result = await open_credentials_form(hass, "podero")
    result = await submit(hass, result, podero_input(podero_org, org_id=ORG_ID.upper()))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert hass.config_entries.async_entries(DOMAIN) == [entry]
    assert dict(entry.data) == stored
    assert paths_since(podero_org, seen) == [("POST", TOKEN, 200), ("GET", USERS, 200)]


async def test_same_key_again_aborts(hass: HomeAssistant, thor_account: RunningSimulator) -> None:
    """The account is already set up: no second entry."""
    thor_entry(thor_account).add_to_hass(hass)
    result = await open_credentials_form(hass, "thor")
    result = await submit(hass, result, thor_input(thor_account))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert len(hass.config_entries.async_entries(DOMAIN)) == 1


async def test_another_key_of_the_same_account_aborts(
    hass: HomeAssistant, thor_account: RunningSimulator
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
    result = await open_credentials_form(hass, "thor")
    result = await submit(hass, result, thor_input(thor_account))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert hass.config_entries.async_entries(DOMAIN) == [entry]
    assert entry.data[CONF_API_KEY] == "an-older-key"


async def test_another_account_is_added_beside(
    hass: HomeAssistant, thor_account: RunningSimulator
) -> None:
    """Another customer's key with other boxes makes a second entry."""
    thor_entry(thor_account).add_to_hass(hass)
    add_other_account(thor_account)
    result = await open_credentials_form(hass, "thor")
    result = await submit(hass, result, thor_input(thor_account, api_key=OTHER_KEY))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Thor (1 chargebox)"
    unique_ids = {entry.unique_id for entry in hass.config_entries.async_entries(DOMAIN)}
    assert unique_ids == {THOR_UNIQUE_ID, f"thor_{account_id(OTHER_BOX)}"}
