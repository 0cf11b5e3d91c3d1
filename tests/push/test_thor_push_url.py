"""The URL Thor posts its notifications to, in the entry's options.

Thor calls from the internet, so only an https URL Home Assistant is reachable at
from outside can work: without one, the options say so. A Home Assistant Cloud
webhook can carry them instead (the cloud is a stand-in for its component's functions,
whose names are checked against Home Assistant's own source: importing the real
component needs libraries the test requirements do not have). A URL that leaked is
replaced by a new one: the old one stops working at once, and the entry, its entities
and its history stay.
"""

from __future__ import annotations

from collections.abc import Iterator
import importlib.util
import json
import logging
from pathlib import Path
import re
from types import SimpleNamespace
from typing import Any
from unittest.mock import AsyncMock, MagicMock, patch

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.core_config import async_process_ha_core_config
from homeassistant.data_entry_flow import FlowResult, FlowResultType
from homeassistant.exceptions import HomeAssistantError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.ev_charger_cloud.const import (
    CONF_CLOUDHOOK_URL,
    CONF_THOR_STATE,
    CONF_WEBHOOK_ID,
    DOMAIN,
)
from custom_components.ev_charger_cloud.options_flow import CONF_NEW_URL, CONF_USE_CLOUDHOOK
from simulator.thor.push import start_payload
from tests.conftest import state_of
from tests.paths import ROOT
from tests.thor_entry_fixtures import PARKING_ID

pytest_plugins = ["tests.thor_entry_fixtures"]

OPTIONS = json.loads(
    (ROOT / "custom_components" / DOMAIN / "translations" / "en.json").read_text(encoding="utf-8")
)["options"]
CLOUD = "homeassistant.components.cloud"
# What the integration uses of Home Assistant Cloud's component.
CLOUD_API = (
    "class CloudNotAvailable(HomeAssistantError):",
    "class CloudNotConnected(CloudNotAvailable):",
    "def async_active_subscription(hass: HomeAssistant) -> bool:",
    "async def async_create_cloudhook(hass: HomeAssistant, webhook_id: str) -> str:",
    "async def async_delete_cloudhook(hass: HomeAssistant, webhook_id: str) -> None:",
)


class CloudNotAvailable(HomeAssistantError):
    """Stands in for Home Assistant Cloud's own."""


class CloudNotConnected(CloudNotAvailable):
    """Stands in for Home Assistant Cloud's own."""


PARKING_2_STATUS = "sensor.parking_a_connector_2_status"


def assert_translated(result: FlowResult) -> None:
    """The step, its fields, placeholders and errors all have text in en.json."""
    assert result["type"] is FlowResultType.FORM
    step = OPTIONS["step"][result["step_id"]]
    used = set(re.findall(r"{(\w+)}", step["title"] + step["description"]))
    assert used == set(result["description_placeholders"] or {})
    for field in result["data_schema"].schema:
        assert step["data"][str(field)]
        assert step["data_description"][str(field)]
    for error in (result["errors"] or {}).values():
        assert OPTIONS["error"][error]


async def open_options(hass: HomeAssistant, entry: MockConfigEntry) -> FlowResult:
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert_translated(result)
    return result


async def answer(hass: HomeAssistant, result: FlowResult, **user_input: Any) -> FlowResult:
    result = await hass.config_entries.options.async_configure(result["flow_id"], user_input)
    if result["type"] is FlowResultType.FORM:
        assert_translated(result)
    return result


def shown_url(result: FlowResult) -> str:
    placeholders = result["description_placeholders"]
    assert placeholders is not None
    url: str = placeholders["webhook_url"]
    return url


def fields(result: FlowResult) -> set[str]:
    return {str(field) for field in result["data_schema"].schema}


@pytest.fixture
def cloud_subscription(hass: HomeAssistant) -> Iterator[dict[str, Any]]:
    """Home Assistant Cloud set up with an active subscription; hooks are made and deleted."""
    urls = iter(f"https://hooks.nabu.casa/hook-{n}" for n in range(1, 10))
    create = AsyncMock(side_effect=lambda hass, webhook_id: next(urls))
    delete = AsyncMock()
    cloud = SimpleNamespace(
        CloudNotAvailable=CloudNotAvailable,
        CloudNotConnected=CloudNotConnected,
        async_active_subscription=MagicMock(return_value=True),
        async_create_cloudhook=create,
        async_delete_cloudhook=delete,
    )
    hass.config.components.add("cloud")
    with patch("custom_components.ev_charger_cloud.push_url._cloud", return_value=cloud):
        yield {"create": create, "delete": delete}


def test_the_cloud_api_used_is_home_assistants() -> None:
    """The stand-in's names and signatures are those of Home Assistant Cloud's component."""
    spec = importlib.util.find_spec(CLOUD)  # imports its parent package only
    assert spec is not None
    assert spec.origin is not None
    source = Path(spec.origin).read_text(encoding="utf-8")
    missing = [line for line in CLOUD_API if line not in source]
    assert not missing, f"Home Assistant Cloud changed: {missing}"


async def test_without_home_assistant_cloud_no_cloud_url_is_offered(
    hass: HomeAssistant, thor_entry: MockConfigEntry
) -> None:
    """Cloud not set up: its component is not even imported, and no cloud option shows."""
    with patch(
        "custom_components.ev_charger_cloud.push_url._cloud", side_effect=ImportError
    ) as imported:
        result = await open_options(hass, thor_entry)
    assert CONF_USE_CLOUDHOOK not in fields(result)
    imported.assert_not_called()


@pytest.mark.parametrize(
    ("config", "step", "base"),
    [
        # Only what Home Assistant knows on the local network.
        ({"internal_url": "http://192.168.1.5:8123"}, "push_not_public", "http://192.168.1.5:8123"),
        # An external URL, but plain http.
        (
            {"external_url": "http://ha.example.org:8123"},
            "push_not_public",
            "http://ha.example.org:8123",
        ),
        # https, but only inside.
        ({"internal_url": "https://ha.local:8123"}, "push_not_public", "https://ha.local:8123"),
        # What Thor can call.
        (
            {"external_url": "https://ha.example.org", "internal_url": "http://192.168.1.5:8123"},
            "push",
            "https://ha.example.org",
        ),
    ],
    ids=["internal_http", "external_http", "internal_https", "external_https"],
)
async def test_the_url_is_checked_for_what_thor_can_reach(
    hass: HomeAssistant,
    thor_entry: MockConfigEntry,
    config: dict[str, str],
    step: str,
    base: str,
) -> None:
    """The URL Home Assistant knows, warned about unless it is external https."""
    await async_process_ha_core_config(hass, config)
    result = await open_options(hass, thor_entry)
    assert result["step_id"] == step
    assert shown_url(result) == f"{base}/api/webhook/{thor_entry.data[CONF_WEBHOOK_ID]}"
    # Without Home Assistant Cloud, no cloud URL is offered.
    assert fields(result) == {CONF_NEW_URL}
    done = await answer(hass, result)
    assert done["type"] is FlowResultType.CREATE_ENTRY
    assert thor_entry.options == {}


async def test_a_new_url_replaces_a_leaked_one(
    hass: HomeAssistant,
    thor_entry: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The old URL is dead at once; the entry is neither removed nor reloaded."""
    await async_process_ha_core_config(hass, {"external_url": "https://ha.example.org"})
    client = await hass_client_no_auth()
    old_id = thor_entry.data[CONF_WEBHOOK_ID]
    coordinator = thor_entry.runtime_data.coordinator
    kept_state = thor_entry.data[CONF_THOR_STATE]

    result = await open_options(hass, thor_entry)
    result = await answer(hass, result, **{CONF_NEW_URL: True})
    assert result["type"] is FlowResultType.FORM
    new_id = thor_entry.data[CONF_WEBHOOK_ID]
    assert new_id != old_id
    assert len(new_id) == len(old_id)
    # The form shows the new URL to paste into Thor.
    assert shown_url(result) == f"https://ha.example.org/api/webhook/{new_id}"
    assert result["step_id"] == "push"
    done = await answer(hass, result)
    assert done["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()

    # Not reloaded: the same coordinator, the history kept.
    assert thor_entry.state is ConfigEntryState.LOADED
    assert thor_entry.runtime_data.coordinator is coordinator
    assert thor_entry.data[CONF_THOR_STATE] == kept_state
    assert len(hass.config_entries.async_entries(DOMAIN)) == 1

    start = start_payload(PARKING_ID, 2, "API123456", 77, "api", accepted=True)
    with caplog.at_level(logging.INFO, "homeassistant.components.webhook"):
        await client.post(f"/api/webhook/{old_id}", json=start)
        await hass.async_block_till_done()
    assert "Received message for unregistered webhook" in caplog.text
    assert state_of(hass, PARKING_2_STATUS) == "ready"
    await client.post(f"/api/webhook/{new_id}", json=start)
    await hass.async_block_till_done()
    assert state_of(hass, PARKING_2_STATUS) == "charging"

    # A restart keeps the new URL, and only that one.
    assert await hass.config_entries.async_reload(thor_entry.entry_id)
    await hass.async_block_till_done()
    assert thor_entry.data[CONF_WEBHOOK_ID] == new_id
    caplog.clear()
    with caplog.at_level(logging.INFO, "homeassistant.components.webhook"):
        await client.post(f"/api/webhook/{new_id}", json=start)
        await hass.async_block_till_done()
    assert "unregistered webhook" not in caplog.text


async def test_home_assistant_cloud_carries_the_notifications(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    thor_entry: MockConfigEntry,
    cloud_subscription: dict[str, Any],
) -> None:
    """Offered with a subscription; a new URL also replaces the cloudhook; it can be dropped."""
    first_id = thor_entry.data[CONF_WEBHOOK_ID]
    result = await open_options(hass, thor_entry)
    assert result["step_id"] == "push_not_public"
    assert fields(result) == {CONF_NEW_URL, CONF_USE_CLOUDHOOK}

    result = await answer(hass, result, **{CONF_USE_CLOUDHOOK: True})
    cloud_subscription["create"].assert_awaited_once_with(hass, first_id)
    assert (result["step_id"], shown_url(result)) == ("push", "https://hooks.nabu.casa/hook-1")
    assert thor_entry.data[CONF_CLOUDHOOK_URL] == "https://hooks.nabu.casa/hook-1"
    # The cloudhook is a secret URL too.
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, thor_entry)
    assert "hooks.nabu.casa" not in json.dumps(diagnostics)

    # Leaked: a new id, a new cloudhook; the old hook is deleted.
    result = await answer(hass, result, **{CONF_NEW_URL: True, CONF_USE_CLOUDHOOK: True})
    second_id = thor_entry.data[CONF_WEBHOOK_ID]
    assert second_id != first_id
    cloud_subscription["delete"].assert_awaited_once_with(hass, first_id)
    cloud_subscription["create"].assert_awaited_with(hass, second_id)
    assert shown_url(result) == "https://hooks.nabu.casa/hook-2"

    # Back to Home Assistant's own URL.
    result = await answer(hass, result, **{CONF_USE_CLOUDHOOK: False})
    cloud_subscription["delete"].assert_awaited_with(hass, second_id)
    assert CONF_CLOUDHOOK_URL not in thor_entry.data
    assert result["step_id"] == "push_not_public"
    assert shown_url(result).endswith(f"/api/webhook/{second_id}")
    assert (await answer(hass, result))["type"] is FlowResultType.CREATE_ENTRY


async def test_a_cloud_that_is_not_connected_is_said_so(
    hass: HomeAssistant, thor_entry: MockConfigEntry, cloud_subscription: dict[str, Any]
) -> None:
    cloud_subscription["create"].side_effect = CloudNotConnected
    result = await open_options(hass, thor_entry)
    result = await answer(hass, result, **{CONF_USE_CLOUDHOOK: True})
    assert result["errors"] == {"base": "cloud_not_connected"}
    assert CONF_CLOUDHOOK_URL not in thor_entry.data
    assert result["step_id"] == "push_not_public"


@pytest.mark.parametrize("cloud_gone", [False, True])
async def test_removing_the_entry_deletes_its_cloudhook(
    hass: HomeAssistant,
    thor_entry: MockConfigEntry,
    cloud_subscription: dict[str, Any],
    cloud_gone: bool,
) -> None:
    """Also when Home Assistant Cloud is no longer there to ask: the entry goes all the same."""
    result = await open_options(hass, thor_entry)
    await answer(hass, result, **{CONF_USE_CLOUDHOOK: True})
    webhook_id = thor_entry.data[CONF_WEBHOOK_ID]
    if cloud_gone:
        cloud_subscription["delete"].side_effect = CloudNotAvailable
    assert await hass.config_entries.async_remove(thor_entry.entry_id)
    await hass.async_block_till_done()
    cloud_subscription["delete"].assert_awaited_once_with(hass, webhook_id)
    assert hass.config_entries.async_entries(DOMAIN) == []
