"""Helpers shared by the config flow tests of every cloud (Wallbox, Podero, Thor)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
import json
from pathlib import Path
import re
import socket
from typing import Any
from unittest.mock import AsyncMock

from homeassistant.config_entries import SOURCE_USER
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResult, FlowResultType, section
import probatio
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ev_charger_cloud.const import CONF_ADVANCED, CONF_API_URL, DOMAIN
from simulator import Simulator
from simulator.faults import FaultList

from .conftest import RunningSimulator

STRINGS = json.loads(
    (
        Path(__file__).parents[1] / "custom_components" / DOMAIN / "translations" / "en.json"
    ).read_text(encoding="utf-8")
)["config"]


def assert_translated(result: FlowResult) -> None:
    """Whatever the flow shows the user must have text in en.json."""
    result_type = result["type"]
    if result_type is FlowResultType.ABORT:
        assert result["reason"] in STRINGS["abort"], result["reason"]
        return
    if result_type not in (FlowResultType.FORM, FlowResultType.MENU):
        return
    step = STRINGS["step"].get(result["step_id"])
    assert step is not None, f"step {result['step_id']} has no strings"
    used = re.findall(r"{(\w+)}", step.get("title", "") + step.get("description", ""))
    assert set(used) <= set(result.get("description_placeholders") or {}), used
    if result_type is FlowResultType.MENU:
        assert set(result["menu_options"]) <= set(step["menu_options"])
        return
    for key, value in result["data_schema"].schema.items():
        strings = step
        if isinstance(value, section):
            strings = step["sections"][str(key)]
            assert strings["name"], f"{result['step_id']}.{key} has no name"
            keys = list(value.schema.schema)
        else:
            keys = [key]
        for field in keys:
            assert str(field) in strings["data"], f"{result['step_id']}.{field} has no label"
            assert str(field) in strings["data_description"], f"{result['step_id']}.{field}"
    for error in (result["errors"] or {}).values():
        assert error in STRINGS["error"], error


async def start(hass: HomeAssistant, context: dict[str, Any]) -> FlowResult:
    """Start a flow and check its first answer is translated."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context=context)
    assert_translated(result)
    return result


async def submit(hass: HomeAssistant, result: FlowResult, user_input: dict[str, Any]) -> FlowResult:
    """Answer the current step and check the next answer is translated."""
    result = await hass.config_entries.flow.async_configure(result["flow_id"], user_input)
    assert_translated(result)
    return result


async def open_credentials_form(hass: HomeAssistant, cloud: str) -> FlowResult:
    """Start a user flow and pick ``cloud`` from the menu: its credentials form."""
    result = await start(hass, {"source": SOURCE_USER})
    assert result["type"] is FlowResultType.MENU
    assert cloud in result["menu_options"]
    result = await submit(hass, result, {"next_step_id": cloud})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == cloud
    return result


async def open_entry_form(hass: HomeAssistant, entry: MockConfigEntry, step_id: str) -> FlowResult:
    """Start re-authenticating (``reauth_confirm``) or reconfiguring an entry: its form, empty."""
    if step_id == "reauth_confirm":
        result = await entry.start_reauth_flow(hass)
    else:
        result = await entry.start_reconfigure_flow(hass)
    assert_translated(result)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == step_id
    assert result["errors"] == {}
    return result


async def assert_set_up_once(hass: HomeAssistant, mock_setup_entry: AsyncMock) -> None:
    """Once the flow is done, the entry it added or changed is set up (once)."""
    await hass.async_block_till_done()
    assert len(mock_setup_entry.mock_calls) == 1


def assert_kept_from_another_account(
    result: FlowResult, entry: MockConfigEntry, data_before: dict[str, Any], unique_id: str
) -> None:
    """Credentials of another account: the flow aborts and the entry stays as it was."""
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
    assert dict(entry.data) == data_before
    assert entry.unique_id == unique_id


async def assert_not_set_up(hass: HomeAssistant, mock_setup_entry: AsyncMock) -> None:
    """Once the flow is done, no entry was set up."""
    await hass.async_block_till_done()
    mock_setup_entry.assert_not_called()


def with_server(api_url: str | None, **fields: str) -> dict[str, Any]:
    """Form input with ``api_url`` in the ``advanced`` section (None: left out of it)."""
    return fields | {CONF_ADVANCED: {} if api_url is None else {CONF_API_URL: api_url}}


def schema_fields(result: FlowResult) -> dict[str, probatio.Marker]:
    """The form's fields (and sections) by name."""
    return {str(key): key for key in result["data_schema"].schema}


def server_section(result: FlowResult) -> section:
    """The form's collapsible ``advanced`` section."""
    advanced = result["data_schema"].schema[schema_fields(result)[CONF_ADVANCED]]
    assert isinstance(advanced, section)
    return advanced


def server_field(result: FlowResult) -> probatio.Marker:
    """The server URL field inside the ``advanced`` section."""
    (marker,) = server_section(result).schema.schema
    assert str(marker) == CONF_API_URL
    return marker


def suggested(marker: probatio.Marker) -> Any:
    """The suggested value a form field is pre-filled with, if any."""
    return (marker.description or {}).get("suggested_value")


def closed_port_url(path: str = "/wallbox") -> str:
    """A URL on 127.0.0.1 where nothing listens."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}{path}"


def paths_since(simulator: RunningSimulator, start_index: int) -> list[tuple[str, str, int]]:
    """The requests the cloud saw after the first `start_index` ones."""
    return [
        (record.method, record.path, record.status)
        for record in list(simulator.sim.requests)[start_index:]
    ]


def assert_form_shown_again(
    result: FlowResult, step_id: str, error: str, typed: dict[str, Any], secrets: tuple[str, ...]
) -> None:
    """A refused form comes back with the error and what was typed, never a secret."""
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == step_id
    assert result["errors"] == {"base": error}
    fields = schema_fields(result)
    for key, value in typed.items():
        if key in secrets:
            assert suggested(fields[key]) is None, key
        elif key == CONF_ADVANCED:
            assert suggested(server_field(result)) == value[CONF_API_URL]
        else:
            assert suggested(fields[key]) == value, key


@dataclass(frozen=True, slots=True, kw_only=True)
class FirstForm:
    """A cloud's first credentials form, as the tests of its errors fill it in and retry."""

    cloud: str
    # The fixture adding the account to the simulator; its value goes to ``assert_added``.
    account_fixture: str
    # The form filled in for the account, with fields (or ``api_url``) overridden.
    typed: Callable[..., dict[str, Any]]
    fields: tuple[str, ...]
    secrets: tuple[str, ...]
    # The path the cloud's server URL ends in.
    prefix: str
    faults: Callable[[Simulator], FaultList]
    # What the log of an unexpected answer says the flow was doing.
    doing: str
    # (simulator, the result of the retry, requests seen before it, the account fixture's value)
    assert_added: Callable[[RunningSimulator, FlowResult, int, Any], None]
    # Undo what the first try changed in the cloud (beyond a fault that fires once).
    repair: Callable[[RunningSimulator], None] = lambda simulator: None
