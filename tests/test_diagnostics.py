"""Diagnostics: useful charger data, no secrets, no personal details and no real ids."""

from __future__ import annotations

from collections.abc import Iterator
import json
from typing import Any, NamedTuple

from homeassistant.components.diagnostics import REDACTED
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.ev_charger_cloud.api import Charger
from custom_components.ev_charger_cloud.const import CONF_TOKENS
from custom_components.ev_charger_cloud.diagnostics import Pseudonyms

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


def real_ids(result: dict[str, Any], coordinator: Any) -> dict[str, str]:
    """The real id behind each device pseudonym (a dump lists the devices in their order)."""
    return dict(zip(result["devices"], coordinator.data, strict=True))


class Dumped(NamedTuple):
    """The set-up entry's diagnostics, its devices and the real id behind each pseudonym."""

    result: dict[str, Any]
    devices: dict[str, Any]
    real: dict[str, str]
    coordinator: Any


@pytest.fixture
async def dumped(
    hass: HomeAssistant, hass_client: ClientSessionGenerator, init_integration: MockConfigEntry
) -> Dumped:
    result = await get_diagnostics_for_config_entry(hass, hass_client, init_integration)
    coordinator = init_integration.runtime_data.coordinator
    devices = result["devices"]
    assert isinstance(devices, dict)
    return Dumped(result, devices, real_ids(result, coordinator), coordinator)


async def test_diagnostics_hide_secrets_and_personal_data(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    init_integration: MockConfigEntry,
    simulator: RunningSimulator,
    wallbox_account: list[int],
) -> None:
    """No credential, token, personal field or real id leaves Home Assistant in a dump."""
    entry = init_integration
    stored_tokens = entry.data[CONF_TOKENS]
    client_tokens = entry.runtime_data.client.tokens
    assert client_tokens is not None
    cloud = simulator.sim.wallbox
    account = cloud.account(EMAIL)
    chargers = [cloud.charger(charger_id) for charger_id in wallbox_account]
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
    # The charger ids (Wallbox's serial numbers), their uids and the account's group.
    identifiers = {
        str(account.group_id),
        account.group_uid,
        *(str(charger.id) for charger in chargers),
        *(charger.serial_number for charger in chargers),
        *(charger.uid for charger in chargers),
    }

    result = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    text = json.dumps(result)

    for value in secrets | identifiers:
        assert value not in text, value
    # The email, and the display name the cloud derives from it ("Driver").
    assert EMAIL.lower() not in text.lower()
    assert account.display_name.lower() not in text.lower()
    assert "driver" not in text.lower()
    for path, value in leaves(result):
        assert value not in (USER_ID, str(USER_ID), f"wallbox_{USER_ID}"), path
        assert value not in (account.group_id, *wallbox_account), path

    assert result["polling"] == {"read_burst": 3}
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
    assert data["chargers"] == ["charger_1", "charger_2"]

    statuses = result["cloud"]["status"]
    assert isinstance(statuses, dict)
    assert set(statuses) == {"charger_1", "charger_2"}
    user = statuses["charger_1"]["user_id"]
    assert user.startswith("user_")
    for raw in statuses.values():
        assert raw["user_name"] == REDACTED
        assert raw["depot_name"] == REDACTED
        # One user: the same pseudonym wherever the account's user id stood.
        assert raw["user_id"] == user
        config = raw["config_data"]
        assert config["owner_id"] == user
        assert config["unlock_user_id"] == user
        assert config["uid"].startswith("uid_")
        # Charger settings are what diagnostics are for.
        assert config["part_number"]
        assert isinstance(config["max_charging_current"], int)
        # An "id" that is no identifier of the account stays as it is.
        assert config["currency"]["id"] == 1
    uids = {raw["config_data"]["uid"] for raw in statuses.values()}
    assert len(uids) == 2


async def test_diagnostics_pseudonyms_are_consistent(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    init_integration: MockConfigEntry,
) -> None:
    """One charger has one pseudonym in the entry, the parsed devices and the raw answers."""
    result = await get_diagnostics_for_config_entry(hass, hass_client, init_integration)
    devices = result["devices"]
    statuses = result["cloud"]["status"]
    assert set(devices) == set(statuses) == set(result["entry"]["data"]["chargers"])

    groups = set()
    for pseudonym, dump in devices.items():
        assert pseudonym.startswith("charger_")
        assert dump["device_id"] == pseudonym
        # The simulated Wallbox uses the charger id as the serial number: same pseudonym.
        assert dump["serial_number"] == pseudonym
        raw = statuses[pseudonym]
        assert raw["name"] == dump["name"]
        assert raw["config_data"]["charger_id"] == pseudonym
        assert raw["config_data"]["serial_number"] == pseudonym
        groups.add(raw["config_data"]["group_id"])
    # Both chargers are in the account's one group.
    assert groups == {"group_1"}


async def test_diagnostics_show_the_chargers(dumped: Dumped, wallbox_account: list[int]) -> None:
    """The parsed chargers and the raw status match what the integration holds."""
    result, chargers, real, coordinator = dumped
    names = {coordinator.data[real_id].name: pseudonym for pseudonym, real_id in real.items()}
    garage, office = names["Garage"], names["Office"]
    assert real == {garage: str(wallbox_account[0]), office: str(wallbox_account[1])}
    # A Wallbox is a charger with one connector: the session values sit on it.
    sessions = {cid: dump["connectors"][0] for cid, dump in chargers.items()}
    for pseudonym, dump in chargers.items():
        parsed = coordinator.data[real[pseudonym]]
        assert isinstance(parsed, Charger)
        assert dump["kind"] == "charger"
        # The name people gave the charger shows as its pseudonym.
        assert dump["name"] == pseudonym != parsed.name
        assert [c["connector_id"] for c in dump["connectors"]] == ["1"]
        session, parsed_session = sessions[pseudonym], parsed.connectors[0]
        assert session["status"] == parsed_session.status.value
        assert session["status_code"] == parsed_session.status_code
        assert session["charging_power"] == parsed_session.charging_power
        assert dump["max_charging_current"] == parsed.max_charging_current

    # The garage charges the plugged-in car; the office charger has no car.
    assert sessions[garage]["status"] == "charging"
    assert sessions[garage]["charging_power"] > 0
    assert chargers[garage]["max_charging_current"] == 16
    assert chargers[garage]["eco_smart"] == "off"
    assert sessions[office]["status"] == "ready"
    assert sessions[office]["charging_power"] == 0
    assert chargers[office]["eco_smart"] is None

    raw = result["cloud"]["status"]
    assert raw[garage]["status_id"] == sessions[garage]["status_code"] == 194
    assert (raw[garage]["name"], raw[office]["name"]) == (garage, office)
    assert raw[garage]["config_data"]["name"] == garage
    text = json.dumps(result)
    assert "Garage" not in text
    assert "Office" not in text
    assert raw[office]["status_id"] == sessions[office]["status_code"] == 161


async def test_diagnostics_list_the_features(dumped: Dumped) -> None:
    """The features (which decide the entities a charger gets) are a readable list."""
    _, chargers, real, coordinator = dumped
    for pseudonym, dump in chargers.items():
        charger = coordinator.data[real[pseudonym]]
        assert isinstance(charger, Charger)
        expected = sorted(feature.value for feature in charger.features)
        assert expected
        assert sorted(dump["features"]) == expected
        # Connector features (what a session reports) are a readable list too.
        for connector, connector_dump in zip(charger.connectors, dump["connectors"], strict=True):
            expected = sorted(feature.value for feature in connector.features)
            assert expected
            assert connector_dump["features"] == expected


def test_pseudonyms_replace_ids_wherever_they_stand() -> None:
    """Ids in values, keys and derived texts; numbers and text of the same id agree."""
    pseudonyms = Pseudonyms()
    pseudonyms.add("CB-GARAGE", "charger")
    data = {
        "chargers": ["CB-GARAGE", "CB-OTHER"],
        "totals": {"CB-GARAGE/1": 1.0, "CB-OTHER/2": 2.0},
        "config": {"charger_id": 100001, "serial_number": "100001", "group_id": 7},
        "group": {"id": 7, "label": "7"},
        "currency": {"id": 1, "code": "EUR"},
        "connector_id": "1",
        "user_id": REDACTED,
        "mid_serial_number": "",
        "note": "seen CB-GARAGE and CB-GARAGE-2 and xCB-OTHER",
        "status": {100001: {"status_id": 194}, 1: "one"},
    }
    pseudonyms.collect(data)
    assert pseudonyms.apply(data) == {
        "chargers": ["charger_1", "device_1"],
        "totals": {"charger_1/1": 1.0, "device_1/2": 2.0},
        "config": {"charger_id": "charger_2", "serial_number": "charger_2", "group_id": "group_1"},
        # A short id is replaced under an id key (and "id" once known), not in other text.
        "group": {"id": "group_1", "label": "7"},
        "currency": {"id": 1, "code": "EUR"},
        "connector_id": "1",
        "user_id": REDACTED,
        "mid_serial_number": "",
        "note": "seen charger_1 and charger_1-2 and xCB-OTHER",
        # Numeric keys too; a number that is no id stays.
        "status": {"charger_2": {"status_id": 194}, 1: "one"},
    }


def test_short_ids_are_replaced_only_where_they_are_ids() -> None:
    """An id of a few characters would match too much text: only ids and keys are replaced."""
    pseudonyms = Pseudonyms()
    pseudonyms.collect({"group_id": 7, "chargers": ["A1"]})
    data = {"group_id": 7, "A1": {"device_id": "A1", "label": "A1 7"}, "count": 7}
    assert pseudonyms.apply(data) == {
        "group_id": "group_1",
        "device_1": {"device_id": "device_1", "label": "A1 7"},
        "count": 7,
    }


def test_names_become_the_pseudonym_of_their_device_or_are_redacted() -> None:
    """Under a name key: a device's name is its pseudonym; any other name (a person's) goes."""
    pseudonyms = Pseudonyms()
    pseudonyms.add("CB-1", "charger")
    pseudonyms.name("Anna's garage", "CB-1")
    data = {
        "devices": {"CB-1": {"name": "Anna's garage", "alias": "Anna's garage"}},
        "users": [{"name": "Anna", "lastname": "Example"}],
        "empty": {"name": ""},
        "note": "Anna's garage",
    }
    pseudonyms.collect(data)
    assert pseudonyms.apply(data) == {
        "devices": {"charger_1": {"name": "charger_1", "alias": "charger_1"}},
        "users": [{"name": REDACTED, "lastname": "Example"}],
        "empty": {"name": ""},
        "note": "Anna's garage",
    }
