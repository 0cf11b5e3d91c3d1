"""Diagnostics: useful charger data, no secrets and no personal details."""

from __future__ import annotations

from collections.abc import Iterator
import json
from typing import Any

from homeassistant.components.diagnostics import REDACTED
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.ev_charger_cloud.api import Charger
from custom_components.ev_charger_cloud.const import CONF_TOKENS

from .conftest import EMAIL, PASSWORD, RunningSimulator

USER_ID = 4242


def leaves(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Every scalar in a JSON structure with its path."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from leaves(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from leaves(value, (*path, index))
    else:
        yield path, data


async def test_diagnostics_hide_secrets_and_personal_data(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    init_integration: MockConfigEntry,
    simulator: RunningSimulator,
    wallbox_account: list[int],
) -> None:
    """No credential, token or personal field leaves Home Assistant in a diagnostics dump."""
    entry = init_integration
    stored_tokens = entry.data[CONF_TOKENS]
    client_tokens = entry.runtime_data.client.tokens
    assert client_tokens is not None
    account = simulator.sim.wallbox.account(EMAIL)
    # Every token the cloud ever handed to this account, valid or not.
    secrets = {
        PASSWORD,
        stored_tokens["token"],
        stored_tokens["refresh_token"],
        client_tokens.token,
        client_tokens.refresh_token,
        *account.access_tokens,
        *account.refresh_tokens,
    }
    assert len(account.access_tokens) >= 1

    result = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    text = json.dumps(result)

    for secret in secrets:
        assert secret not in text
    # The email, and the display name the cloud derives from it ("Driver").
    assert EMAIL.lower() not in text.lower()
    assert "driver" not in text.lower()
    for path, value in leaves(result):
        assert value not in (USER_ID, str(USER_ID), f"wallbox_{USER_ID}"), path

    entry_dump = result["entry"]
    assert isinstance(entry_dump, dict)
    assert entry_dump["title"] == REDACTED
    assert entry_dump["unique_id"] == REDACTED
    data = entry_dump["data"]
    assert data["email"] == REDACTED
    assert data["password"] == REDACTED
    assert data["tokens"] == REDACTED
    # What is not personal stays readable.
    assert data["provider"] == "wallbox"
    assert data["api_url"] == simulator.wallbox_url
    assert data["chargers"] == [str(charger_id) for charger_id in wallbox_account]

    statuses = result["cloud"]["status"]
    assert isinstance(statuses, dict)
    assert set(statuses) == {str(charger_id) for charger_id in wallbox_account}
    for raw in statuses.values():
        assert raw["user_id"] == REDACTED
        assert raw["user_name"] == REDACTED
        assert raw["depot_name"] == REDACTED
        config = raw["config_data"]
        assert config["owner_id"] == REDACTED
        assert config["unlock_user_id"] == REDACTED
        assert config["uid"] == REDACTED
        # Charger settings are what diagnostics are for.
        assert config["part_number"]
        assert isinstance(config["max_charging_current"], int)


async def test_diagnostics_show_the_chargers(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    init_integration: MockConfigEntry,
    wallbox_account: list[int],
) -> None:
    """The parsed chargers and the raw status match what the integration holds."""
    garage, office = (str(charger_id) for charger_id in wallbox_account)
    result = await get_diagnostics_for_config_entry(hass, hass_client, init_integration)
    coordinator = init_integration.runtime_data.coordinator

    chargers = result["devices"]
    assert isinstance(chargers, dict)
    assert set(chargers) == {garage, office}
    # A Wallbox is a charger with one connector: the session values sit on it.
    sessions = {cid: dump["connectors"][0] for cid, dump in chargers.items()}
    for charger_id, dump in chargers.items():
        parsed = coordinator.data[charger_id]
        assert isinstance(parsed, Charger)
        assert dump["kind"] == "charger"
        assert dump["device_id"] == charger_id
        assert dump["name"] == parsed.name
        assert [c["connector_id"] for c in dump["connectors"]] == ["1"]
        session, parsed_session = sessions[charger_id], parsed.connectors[0]
        assert session["status"] == parsed_session.status.value
        assert session["status_code"] == parsed_session.status_code
        assert session["charging_power"] == parsed_session.charging_power
        assert dump["max_charging_current"] == parsed.max_charging_current

    # The garage charges the plugged-in car; the office charger has no car.
    assert chargers[garage]["name"] == "Garage"
    assert sessions[garage]["status"] == "charging"
    assert sessions[garage]["charging_power"] > 0
    assert chargers[garage]["max_charging_current"] == 16
    assert chargers[garage]["eco_smart"] == "off"
    assert chargers[office]["name"] == "Office"
    assert sessions[office]["status"] == "ready"
    assert sessions[office]["charging_power"] == 0
    assert chargers[office]["eco_smart"] is None

    raw = result["cloud"]["status"]
    assert raw[garage]["status_id"] == sessions[garage]["status_code"] == 194
    assert raw[garage]["name"] == "Garage"
    assert raw[office]["name"] == "Office"
    assert raw[office]["status_id"] == sessions[office]["status_code"] == 161


async def test_diagnostics_list_the_features(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    init_integration: MockConfigEntry,
) -> None:
    """The features (which decide the entities a charger gets) are a readable list."""
    result = await get_diagnostics_for_config_entry(hass, hass_client, init_integration)
    coordinator = init_integration.runtime_data.coordinator
    chargers = result["devices"]
    assert isinstance(chargers, dict)
    for charger_id, dump in chargers.items():
        charger = coordinator.data[charger_id]
        assert isinstance(charger, Charger)
        expected = sorted(feature.value for feature in charger.features)
        assert expected
        assert sorted(dump["features"]) == expected
        # Connector features (what a session reports) are a readable list too.
        for connector, connector_dump in zip(charger.connectors, dump["connectors"], strict=True):
            expected = sorted(feature.value for feature in connector.features)
            assert expected
            assert connector_dump["features"] == expected
