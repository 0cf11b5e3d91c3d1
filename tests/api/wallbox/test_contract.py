"""The Wallbox status JSON of the community documentation, parsed by the client.

`fixtures/wallbox_status_seed.json` is the example of the seed document, byte for
byte: it is the contract. The other tests change one thing of it at a time.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from custom_components.ev_charger_cloud.api.errors import UnexpectedResponseError
from custom_components.ev_charger_cloud.api.models import (
    Charger,
    ChargerStatus,
    Connector,
    EcoSmartMode,
    Feature,
)
from custom_components.ev_charger_cloud.api.wallbox.parse import parse_status, status_from_code
from tests.paths import FIXTURES

SEED = FIXTURES / "wallbox_status_seed.json"
CHARGER_ID = "9988552"

# What every Wallbox charger offers, whatever its model and plan.
COMMON_FEATURES = frozenset(
    {
        Feature.CHARGING_POWER,
        Feature.SESSION_ENERGY,
        Feature.SESSION_ENERGY_SPLIT,
        Feature.ADDED_RANGE,
        Feature.CHARGING_TIME,
        Feature.MAX_AVAILABLE_CURRENT,
        Feature.FIRMWARE,
        Feature.PAUSE_RESUME,
        Feature.LOCK,
        Feature.MAX_CHARGING_CURRENT,
        Feature.ENERGY_PRICE,
        Feature.RESUME_SCHEDULE,
        Feature.RESTART,
    }
)
# Of those, what belongs to the session on the charger's one connector.
COMMON_CONNECTOR_FEATURES = frozenset(
    {
        Feature.CHARGING_POWER,
        Feature.SESSION_ENERGY,
        Feature.SESSION_ENERGY_SPLIT,
        Feature.ADDED_RANGE,
        Feature.CHARGING_TIME,
        Feature.PAUSE_RESUME,
    }
)

# The status table of the seed document, with the state each explanation stands for.
SEED_STATUS_TABLE = {
    0: ChargerStatus.DISCONNECTED,
    14: ChargerStatus.ERROR,
    15: ChargerStatus.ERROR,
    161: ChargerStatus.READY,
    162: ChargerStatus.READY,
    163: ChargerStatus.DISCONNECTED,
    164: ChargerStatus.WAITING,
    165: ChargerStatus.LOCKED,
    166: ChargerStatus.UPDATING,
    177: ChargerStatus.SCHEDULED,
    178: ChargerStatus.PAUSED,
    179: ChargerStatus.SCHEDULED,
    180: ChargerStatus.WAITING_FOR_CAR_DEMAND,
    181: ChargerStatus.WAITING_FOR_CAR_DEMAND,
    182: ChargerStatus.PAUSED,
    183: ChargerStatus.WAITING_POWER_SHARING,
    184: ChargerStatus.WAITING_POWER_SHARING,
    185: ChargerStatus.WAITING_POWER_BOOST,
    186: ChargerStatus.WAITING_POWER_BOOST,
    187: ChargerStatus.WAITING_MID_FAILED,
    188: ChargerStatus.WAITING_MID_SAFETY_MARGIN,
    189: ChargerStatus.WAITING_ECO_SMART,
    193: ChargerStatus.CHARGING,
    194: ChargerStatus.CHARGING,
    195: ChargerStatus.CHARGING,
    196: ChargerStatus.DISCHARGING,
    209: ChargerStatus.LOCKED,
    210: ChargerStatus.LOCKED_CAR_CONNECTED,
}


def connector_of(charger: Charger) -> Connector:
    """The session values of a Wallbox: it is a charger with one connector, "1"."""
    assert [c.connector_id for c in charger.connectors] == ["1"]
    return charger.connectors[0]


def all_features(charger: Charger) -> frozenset[Feature]:
    """What the charger and its connector offer together."""
    return charger.features | connector_of(charger).features


@pytest.fixture
def seed() -> dict[str, Any]:
    """A fresh copy of the seed payload, free to modify."""
    payload: dict[str, Any] = json.loads(SEED.read_text(encoding="utf-8"))
    return payload


def test_fixture_is_the_seed_example() -> None:
    """The fixture still is the documented example (spot checks of its odd corners)."""
    payload = json.loads(SEED.read_text(encoding="utf-8"))
    assert len(payload) == 27
    assert len(payload["config_data"]) == 58
    assert payload["charging_power"] == 0
    assert payload["state_of_charge"] is None
    assert payload["config_data"]["ecosmart"] == {"enabled": False, "mode": 0, "percentage": 100}
    assert payload["config_data"]["currency"]["symbol"] == "€"


def test_seed_status_parses_into_every_field(seed: dict[str, Any]) -> None:
    """Every field of the Charger read from the documented example."""
    charger = parse_status(CHARGER_ID, seed)

    assert charger == Charger(
        device_id="9988552",
        name="PulsarPlus SN 9988552",
        manufacturer="Wallbox",
        model="Pulsar Plus",
        model_id="PLP1-M-2-4-9-002-F",
        serial_number="9988552",
        firmware_version="5.17.59",
        latest_firmware_version="5.17.59",
        update_available=False,
        connectors=(
            Connector(
                connector_id="1",
                status=ChargerStatus.LOCKED_CAR_CONNECTED,
                status_code=210,
                charging_power=0.0,
                session_energy=0.546,
                session_green_energy=0.0,
                session_grid_energy=0.0,
                added_range=4.0,
                charging_time=585.0,
                state_of_charge=None,
                features=COMMON_CONNECTOR_FEATURES,
            ),
        ),
        max_available_current=32.0,
        min_charging_current=6.0,
        max_charging_current=32.0,
        locked=True,
        energy_price=0.24,
        currency="EUR",
        icp_max_current=0.0,
        eco_smart=EcoSmartMode.OFF,
        features=(COMMON_FEATURES - COMMON_CONNECTOR_FEATURES) | {Feature.ECO_SMART},
    )
    assert all_features(charger) == COMMON_FEATURES | {Feature.ECO_SMART}
    # icp_max_current 0 means no power boost to control, although the plan has POWER_BOOST.
    assert Feature.ICP_MAX_CURRENT not in charger.features
    # Locked with a car: no session runs and the cloud would refuse pause or resume.
    assert connector_of(charger).charging_enabled is False
    assert connector_of(charger).can_pause_or_resume is False


def test_parse_does_not_modify_the_payload(seed: dict[str, Any]) -> None:
    """The caller keeps the raw payload (diagnostics), so parsing must leave it alone."""
    original = copy.deepcopy(seed)
    parse_status(CHARGER_ID, seed)
    assert seed == original


def test_without_ecosmart_there_is_no_eco_smart(seed: dict[str, Any]) -> None:
    """Copper C and others send no `ecosmart` at all (core #146839)."""
    del seed["config_data"]["ecosmart"]

    charger = parse_status(CHARGER_ID, seed)

    assert charger.eco_smart is None
    assert Feature.ECO_SMART not in charger.features
    assert all_features(charger) == COMMON_FEATURES


@pytest.mark.parametrize(
    ("ecosmart", "mode"),
    [
        ({"enabled": False, "mode": 1, "percentage": 100}, EcoSmartMode.OFF),
        ({"enabled": True, "mode": 0, "percentage": 100}, EcoSmartMode.ECO_MODE),
        ({"enabled": True, "mode": 1, "percentage": 100}, EcoSmartMode.FULL_SOLAR),
    ],
)
def test_eco_smart_modes(
    seed: dict[str, Any], ecosmart: dict[str, Any], mode: EcoSmartMode
) -> None:
    """enabled (a boolean here) and mode 0 = eco / 1 = full green."""
    seed["config_data"]["ecosmart"] = ecosmart

    charger = parse_status(CHARGER_ID, seed)

    assert charger.eco_smart is mode
    assert Feature.ECO_SMART in charger.features


def test_the_seed_table_lists_every_code_the_client_knows() -> None:
    """Nothing missing, nothing invented, compared with the documented table."""
    assert {code: status_from_code(code) for code in SEED_STATUS_TABLE} == SEED_STATUS_TABLE


@pytest.mark.parametrize(("code", "status"), list(SEED_STATUS_TABLE.items()))
def test_every_documented_status_code(
    seed: dict[str, Any], code: int, status: ChargerStatus
) -> None:
    """Each code of the table becomes its state, and the raw code is kept."""
    seed["status_id"] = code

    charger = parse_status(CHARGER_ID, seed)

    assert connector_of(charger).status is status
    assert connector_of(charger).status_code == code


@pytest.mark.parametrize("code", [999, 1, 167, 211, -1])
def test_unknown_status_code_is_unknown(seed: dict[str, Any], code: int) -> None:
    """Codes Wallbox adds later become UNKNOWN instead of crashing (the lib raises)."""
    seed["status_id"] = code

    charger = parse_status(CHARGER_ID, seed)

    assert connector_of(charger).status is ChargerStatus.UNKNOWN
    assert connector_of(charger).status_code == code
    assert connector_of(charger).can_pause_or_resume is False


def test_status_id_given_as_a_string(seed: dict[str, Any]) -> None:
    """A numeric string is still a code."""
    seed["status_id"] = "194"

    charger = parse_status(CHARGER_ID, seed)

    assert connector_of(charger).status is ChargerStatus.CHARGING
    assert connector_of(charger).status_code == 194
    assert connector_of(charger).charging_enabled is True


def test_no_status_means_disconnected() -> None:
    """The lib's `None` status is Disconnected."""
    assert status_from_code(None) is ChargerStatus.DISCONNECTED


def test_quasar_may_discharge(seed: dict[str, Any]) -> None:
    """A Quasar (part number QS…) accepts currents down to minus the available current."""
    seed["config_data"]["part_number"] = "QS1-3-2-4-0-001-A"
    seed["max_available_power"] = 48

    charger = parse_status(CHARGER_ID, seed)

    assert charger.model == "Quasar"
    assert charger.max_available_current == 48.0
    assert charger.min_charging_current == -48.0


def test_lower_case_quasar_part_number(seed: dict[str, Any]) -> None:
    """The prefix check ignores case."""
    seed["config_data"]["part_number"] = "qs1-3-2-4-0-001-a"

    charger = parse_status(CHARGER_ID, seed)

    assert charger.model == "Quasar"
    assert charger.min_charging_current == -32.0


@pytest.mark.parametrize(
    ("part_number", "model"),
    [
        ("PLP1-M-2-4-9-002-F", "Pulsar Plus"),  # the seed; captured 2026 (Predbat)
        ("PLP2-0-2-4-9-002-B", "Pulsar Max"),  # captured 2024 (HomeBlaze)
        ("plp2-0-2-3-9-002-a", "Pulsar Max"),
        ("PUP1-0-2-4-9-002-A", "Pulsar Plus"),  # installation guides (North America)
        ("PUP2-0-2-4-9-002-A", "Pulsar Plus"),
        ("PUP3-0-2-4-9-002-A", "Pulsar Pro"),
        ("CMX2-0-2-4-8-002-A", "Commander 2"),
        ("CPB1-S-2-4-9-001-F", "Copper C"),
        ("CPP1-S-2-4-9-001-F", "Copper SB"),
    ],
)
def test_model_from_part_number(seed: dict[str, Any], part_number: str, model: str) -> None:
    """Known prefixes are named whatever the charger is called. Only QS discharges."""
    seed["config_data"]["part_number"] = part_number
    seed["name"] = "Garage"

    charger = parse_status(CHARGER_ID, seed)

    assert charger.model == model
    assert charger.model_id == part_number
    assert charger.min_charging_current == 6.0


@pytest.mark.parametrize(
    ("part_number", "name", "model"),
    [
        # An unknown prefix: the chargerType of the name the cloud gave the charger.
        ("PLP9-0-2-4-9-002-A", "PulsarMax SN 1018689", "Pulsar Max"),
        ("SPN1-0-2-4-9-002-A", "CopperSB SN 12", "Copper SB"),
        ("XYZ-123", "Commander2 SN 7", "Commander 2"),
        # Named by its owner: nothing to go by but that it is a Wallbox.
        ("XYZ-123", "Garage", "Wallbox charger"),
        ("XYZ-123", "Wallbox SN 3", "Wallbox charger"),  # the maker is no model
        ("PLM1-0-2-4-9-002-A", "Pulsar MAX Garage", "Wallbox charger"),
        # No part number: the default name still tells; an owner's name does not.
        (None, "PulsarPlus SN 9988552", "Pulsar Plus"),
        (None, "Garage", None),
    ],
)
def test_model_of_an_unknown_part_number(
    seed: dict[str, Any], part_number: str | None, name: str, model: str | None
) -> None:
    """Fall back to the chargerType of a default name, then to "Wallbox charger"."""
    if part_number is None:
        del seed["config_data"]["part_number"]
    else:
        seed["config_data"]["part_number"] = part_number
    seed["name"] = name

    charger = parse_status(CHARGER_ID, seed)

    assert charger.model == model
    assert charger.model_id == part_number


@pytest.mark.parametrize(("kw", "watts"), [(7.36, 7360.0), (11, 11000.0), (-3.68, -3680.0)])
def test_charging_power_is_converted_to_watts(
    seed: dict[str, Any], kw: float, watts: float
) -> None:
    """charging_power is in kW in the JSON and in W in the Charger (negative: discharging)."""
    seed["charging_power"] = kw

    assert connector_of(parse_status(CHARGER_ID, seed)).charging_power == watts


def test_missing_numbers_are_none(seed: dict[str, Any]) -> None:
    """Absent or non-numeric values are unknown, not zero and not a crash."""
    del seed["charging_power"]
    seed["added_energy"] = None
    seed["added_range"] = "n/a"
    seed["charging_time"] = True
    seed["state_of_charge"] = 55

    charger = parse_status(CHARGER_ID, seed)

    assert connector_of(charger).charging_power is None
    assert connector_of(charger).session_energy is None
    assert connector_of(charger).added_range is None
    assert connector_of(charger).charging_time is None
    assert connector_of(charger).state_of_charge == 55.0


def test_max_available_current_falls_back_to_config(seed: dict[str, Any]) -> None:
    """Without max_available_power the config's max_available_current is the bound."""
    del seed["max_available_power"]
    seed["config_data"]["max_available_current"] = 16

    assert parse_status(CHARGER_ID, seed).max_available_current == 16.0


def test_power_boost_with_icp_offers_icp_current(seed: dict[str, Any]) -> None:
    """ICP needs both a positive icp_max_current and POWER_BOOST in the plan."""
    seed["config_data"]["icp_max_current"] = 40

    charger = parse_status(CHARGER_ID, seed)

    assert charger.icp_max_current == 40.0
    assert Feature.ICP_MAX_CURRENT in charger.features


def test_icp_without_power_boost_plan_is_not_offered(seed: dict[str, Any]) -> None:
    """An icp value alone does not make the feature."""
    seed["config_data"]["icp_max_current"] = 40
    seed["config_data"]["plan"]["features"].remove("POWER_BOOST")

    charger = parse_status(CHARGER_ID, seed)

    assert charger.icp_max_current == 40.0
    assert Feature.ICP_MAX_CURRENT not in charger.features


def test_update_available_and_unlocked(seed: dict[str, Any]) -> None:
    """Firmware update flag, latest version and the lock read from config_data."""
    seed["config_data"]["software"]["updateAvailable"] = True
    seed["config_data"]["software"]["latestVersion"] = "6.0.1"
    seed["config_data"]["locked"] = 0

    charger = parse_status(CHARGER_ID, seed)

    assert charger.update_available is True
    assert charger.firmware_version == "5.17.59"
    assert charger.latest_firmware_version == "6.0.1"
    assert charger.locked is False


def test_sparse_config_uses_the_charger_id(seed: dict[str, Any]) -> None:
    """With a nearly empty config_data and no name, identity comes from the id."""
    payload = {"status_id": 161, "config_data": {}}

    charger = parse_status("42", payload)

    assert charger.name == "42"
    assert charger.serial_number == "42"
    assert connector_of(charger).status is ChargerStatus.READY
    assert charger.firmware_version is None
    assert charger.update_available is None
    assert charger.currency is None
    assert charger.locked is None
    assert charger.eco_smart is None
    assert all_features(charger) == COMMON_FEATURES


def test_name_falls_back_to_the_config_name(seed: dict[str, Any]) -> None:
    """The config's name is used when the top level has none."""
    seed["name"] = ""
    seed["config_data"]["name"] = "Garage"

    assert parse_status(CHARGER_ID, seed).name == "Garage"


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda p: p.pop("config_data"), id="no-config_data"),
        pytest.param(lambda p: p.update(config_data=None), id="config_data-null"),
        pytest.param(lambda p: p.update(config_data=[]), id="config_data-list"),
        pytest.param(lambda p: p.pop("status_id"), id="no-status_id"),
        pytest.param(lambda p: p.update(status_id=None), id="status_id-null"),
        pytest.param(lambda p: p.update(status_id="charging"), id="status_id-text"),
    ],
)
def test_payload_of_another_shape_is_rejected(seed: dict[str, Any], change: Any) -> None:
    """Without config_data or a numeric status_id the answer is not a status."""
    change(seed)

    with pytest.raises(UnexpectedResponseError):
        parse_status(CHARGER_ID, seed)


@pytest.mark.parametrize("payload", [None, [], "status", 210])
def test_non_object_payload_is_rejected(payload: Any) -> None:
    """Anything but a JSON object is not a status."""
    with pytest.raises(UnexpectedResponseError):
        parse_status(CHARGER_ID, payload)


def test_state_of_charge_only_where_reported() -> None:
    """The seed's null state of charge gives no feature; a reported one does."""
    payload = json.loads(SEED.read_text(encoding="utf-8"))
    assert Feature.STATE_OF_CHARGE not in all_features(parse_status(CHARGER_ID, payload))
    payload["state_of_charge"] = 57
    charger = parse_status(CHARGER_ID, payload)
    assert Feature.STATE_OF_CHARGE in connector_of(charger).features
    assert connector_of(charger).state_of_charge == 57.0


@pytest.mark.parametrize(("icp", "limit"), [(-1, 1.0), (-25, 25.0), (-64, 64.0), ("-16", 16.0)])
def test_negative_icp_is_the_limit_with_power_boost_off(
    seed: dict[str, Any], icp: Any, limit: float
) -> None:
    """Seed 003: -1..-64 while home_sharing is 0. The limit is its magnitude and stays offered."""
    seed["config_data"]["icp_max_current"] = icp
    seed["config_data"]["home_sharing"] = 0

    charger = parse_status(CHARGER_ID, seed)

    assert charger.icp_max_current == limit
    assert Feature.ICP_MAX_CURRENT in charger.features


@pytest.mark.parametrize(
    ("code", "status"), [(4, ChargerStatus.COMPLETED), (5, ChargerStatus.OFFLINE)]
)
def test_codes_4_and_5_are_completed_and_offline(
    seed: dict[str, Any], code: int, status: ChargerStatus
) -> None:
    """Third-party clients name 4 COMPLETED and 5 OFFLINE; neither runs a session."""
    seed["status_id"] = code

    connector = connector_of(parse_status(CHARGER_ID, seed))

    assert connector.status is status
    assert connector.status_code == code
    assert connector.charging_enabled is False
    assert connector.can_pause_or_resume is False


def test_quasar_reports_discharged_energy(seed: dict[str, Any]) -> None:
    """added_discharged_energy is the session's energy taken from the car, on a Quasar only."""
    seed["added_discharged_energy"] = 2.345
    pulsar = connector_of(parse_status(CHARGER_ID, seed))
    seed["config_data"]["part_number"] = "QS1-3-2-4-0-001-A"

    quasar = connector_of(parse_status(CHARGER_ID, seed))

    assert quasar.session_discharged_energy == 2.345
    assert Feature.DISCHARGED_ENERGY in quasar.features
    assert pulsar.session_discharged_energy is None
    assert Feature.DISCHARGED_ENERGY not in pulsar.features
