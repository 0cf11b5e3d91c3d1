"""Status answers captured from real Wallbox chargers, parsed by the client.

`fixtures/wallbox_captured/` keeps each answer verbatim with its source (README.md
there). Each test asserts what a user would see of that answer.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest

from custom_components.ev_charger_cloud.api.models import (
    Charger,
    ChargerStatus,
    Connector,
    EcoSmartMode,
    Feature,
)
from custom_components.ev_charger_cloud.api.wallbox.parse import parse_status
from tests.paths import FIXTURES

CAPTURED = FIXTURES / "wallbox_captured"


def captured(name: str) -> Any:
    """A captured answer as the cloud sent it (a JSON file, or a published Python literal)."""
    text = (CAPTURED / name).read_text(encoding="utf-8")
    return ast.literal_eval(text) if name.endswith(".pydict") else json.loads(text)


def only_connector(charger: Charger) -> Connector:
    assert [c.connector_id for c in charger.connectors] == ["1"]
    return charger.connectors[0]


def test_every_captured_file_is_listed_with_its_source() -> None:
    """The README names the source of every fixture, and every fixture has a test here."""
    readme = (CAPTURED / "README.md").read_text(encoding="utf-8")
    files = sorted(p.name for p in CAPTURED.iterdir() if p.name != "README.md")
    assert len(files) == 6
    tested = Path(__file__).read_text(encoding="utf-8")
    for name in files:
        assert f"`{name}`" in readme, name
        assert f'captured("{name}")' in tested, name


def test_pulsar_max_charging_at_11_kw() -> None:
    """HomeBlaze 2024-08-06: a Pulsar Max charging at 11.35 kW, charging_speed 0."""
    payload = captured("homeblaze_2024-08-06_pulsar_max_charging.json")

    charger = parse_status("910037", payload)
    connector = only_connector(charger)

    assert (charger.name, charger.model, charger.model_id) == (
        "Pulsar MAX Garage",
        "Pulsar Max",
        "PLP2-0-2-4-9-002-B",
    )
    assert (charger.serial_number, charger.firmware_version) == ("910037", "6.1.13")
    assert charger.update_available is False
    assert connector.status is ChargerStatus.CHARGING
    assert connector.status_code == 194
    assert connector.charging_power == 11352.8  # W, from 11.352799999999998 kW
    assert (connector.session_energy, connector.session_grid_energy) == (1.31, 1.31)
    assert connector.session_green_energy == 0.0
    assert (connector.added_range, connector.charging_time) == (10.0, 98637.0)
    assert connector.charging_enabled is True
    assert (charger.max_charging_current, charger.max_available_current) == (16.0, 16.0)
    assert charger.min_charging_current == 6.0
    assert (charger.locked, charger.energy_price, charger.currency) == (False, 0.3, "CHF")
    # Positive limit with home_sharing 0, POWER_BOOST in the plan: the limit is offered.
    assert charger.icp_max_current == 6.0
    assert Feature.ICP_MAX_CURRENT in charger.features
    assert charger.eco_smart is EcoSmartMode.OFF
    # A Pulsar does not discharge: no discharged energy, although the key is there.
    assert connector.session_discharged_energy is None
    assert Feature.DISCHARGED_ENERGY not in connector.features


def test_pulsar_max_ready_after_a_long_session() -> None:
    """HomeBlaze 2024-08-08: a second Pulsar Max, unplugged, last session 29.6 kWh."""
    payload = captured("homeblaze_2024-08-08_pulsar_max_unplugged.json")

    charger = parse_status("669749", payload)
    connector = only_connector(charger)

    assert (charger.name, charger.model) == ("Pulsar MAX Bastelraum", "Pulsar Max")
    assert charger.model_id == "PLP2-0-2-3-9-002-A"
    assert connector.status is ChargerStatus.READY
    assert connector.charging_power == 0.0
    assert connector.session_energy == 29.6
    # The split does not add up here (0 green, 0 grid of 29.6 kWh): shown as sent.
    assert (connector.session_green_energy, connector.session_grid_energy) == (0.0, 0.0)
    assert (connector.added_range, connector.charging_time) == (246.0, 107151.0)
    assert connector.can_pause_or_resume is False
    # icp_max_current 0: no power boost to control, although the plan has it.
    assert charger.icp_max_current == 0.0
    assert Feature.ICP_MAX_CURRENT not in charger.features


def test_pulsar_max_plugged_with_ids_replaced() -> None:
    """HomeBlaze's redacted copy: ids "123", name "abc"; the values parse the same."""
    payload = captured("homeblaze_2024-08-06_pulsar_max_plugged_redacted.json")

    charger = parse_status("123", payload)
    connector = only_connector(charger)

    assert (charger.name, charger.serial_number, charger.model) == ("abc", "123", "Pulsar Max")
    assert connector.status is ChargerStatus.CHARGING
    assert connector.charging_power == 11352.8
    assert (connector.session_energy, connector.charging_time) == (1.31, 123.0)
    assert charger.max_charging_current == 16.0


def test_pulsar_max_charging_with_a_text_serial_number() -> None:
    """HomeBlaze 2024-08-09: 8.62 kW at 12 A; the serial number is "xyz", kept as text."""
    payload = captured("homeblaze_2024-08-09_pulsar_max_charging_redacted.json")

    charger = parse_status("123", payload)
    connector = only_connector(charger)

    assert (charger.serial_number, charger.model) == ("xyz", "Pulsar Max")
    assert connector.status is ChargerStatus.CHARGING
    assert connector.charging_power == 8616.4
    assert (connector.session_energy, connector.session_grid_energy) == (1.674, 1.674)
    assert (connector.added_range, connector.charging_time) == (13.0, 2858.0)
    assert (charger.max_charging_current, charger.max_available_current) == (12.0, 16.0)
    assert charger.icp_max_current == 6.0


def test_pulsar_max_unplugged_with_ids_replaced() -> None:
    """HomeBlaze's redacted unplugged copy: the serial number stayed, the ids did not."""
    payload = captured("homeblaze_2024-08-08_pulsar_max_unplugged_redacted.json")

    charger = parse_status("123", payload)
    connector = only_connector(charger)

    assert (charger.name, charger.serial_number) == ("abc", "669749")
    assert charger.model == "Pulsar Max"
    assert connector.status is ChargerStatus.READY
    assert connector.session_energy == 29.6


def test_pulsar_plus_locked_2026() -> None:
    """Predbat 2026-10-05: a Pulsar Plus on firmware 6.7.43, locked without a car."""
    payload = captured("predbat_2026-10-05_pulsar_plus_locked.pydict")

    charger = parse_status("101", payload)
    connector = only_connector(charger)

    assert (charger.name, charger.model, charger.model_id) == (
        "Garage",
        "Pulsar Plus",
        "PLP1-0-2-2-E-002-C",
    )
    assert (charger.serial_number, charger.firmware_version) == ("900001", "6.7.43")
    assert connector.status is ChargerStatus.LOCKED
    assert connector.status_code == 209
    assert connector.charging_power == 0.0
    assert (connector.session_energy, connector.added_range) == (0.0, 477.0)
    assert connector.charging_time == 19717.0
    assert (charger.locked, charger.currency, charger.energy_price) == (True, "GBP", 0.075)
    assert (charger.max_charging_current, charger.max_available_current) == (32.0, 32.0)
    assert Feature.ICP_MAX_CURRENT not in charger.features
    assert charger.eco_smart is EcoSmartMode.OFF


@pytest.mark.parametrize(
    "name",
    [
        "homeblaze_2024-08-06_pulsar_max_charging.json",
        "predbat_2026-10-05_pulsar_plus_locked.pydict",
    ],
)
def test_keys_the_client_does_not_read_change_nothing(name: str) -> None:
    """grid, pru, max_charging_unit/value, home_power_export_setpoint: dropped or not, same reading.

    Real answers carry them (as null or as objects); the client must not depend on
    them, nor trip over other values in them.
    """
    payload = captured(name)
    config = payload["config_data"]
    extra_top, extra_config = (
        ("grid", "pru"),
        (
            "max_charging_unit",
            "max_charging_value",
            "home_power_export_setpoint",
        ),
    )
    stripped = {k: v for k, v in payload.items() if k not in extra_top}
    stripped["config_data"] = {k: v for k, v in config.items() if k not in extra_config}
    odd = dict(payload, grid=[1], pru="on")
    odd["config_data"] = dict(config, max_charging_unit=7, max_charging_value="lots")

    reading = parse_status("1", payload)

    assert parse_status("1", stripped) == reading
    assert parse_status("1", odd) == reading
