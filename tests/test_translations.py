"""Entity names, states and icons in en.json and icons.json against the code.

Everything is derived from the entity descriptions and enums, so a new entity or
state without text fails here (the flows' texts: test_translations_flows.py, the
errors': test_translations_exceptions.py).
"""

from __future__ import annotations

import inspect
import re

from homeassistant.components.lock import LockState
from homeassistant.components.select import SelectEntity
from homeassistant.components.sensor import SensorDeviceClass
from homeassistant.const import STATE_OFF, STATE_ON
import pytest

from custom_components.ev_charger_cloud import PLATFORMS
from custom_components.ev_charger_cloud.api import ChargerStatus, ChargingMode, EcoSmartMode
from custom_components.ev_charger_cloud.select import (
    CHARGING_MODE,
    ECO_SMART,
    ChargingModeSelect,
    EcoSmartSelect,
)
from custom_components.ev_charger_cloud.sensor import (
    CHARGER_SENSORS,
    CONNECTOR_SENSORS,
    VEHICLE_SENSORS,
)

from .translation_helpers import (
    DESCRIPTIONS,
    ICONS,
    KEY_FORMAT,
    STRINGS,
    platform_module,
    select_options,
    translation_keys,
)

SENSORS = (*CONNECTOR_SENSORS, *CHARGER_SENSORS, *VEHICLE_SENSORS)
ICON_FORMAT = re.compile(r"^mdi:[a-z0-9-]+$")


def test_every_platform_has_descriptions() -> None:
    """The description lookup finds something on every platform (else the rest proves nothing)."""
    assert set(DESCRIPTIONS) == {str(platform) for platform in PLATFORMS}
    for platform, descriptions in DESCRIPTIONS.items():
        assert descriptions, platform


@pytest.mark.parametrize("platform", sorted(str(platform) for platform in PLATFORMS))
def test_entities_have_names(platform: str) -> None:
    """Each description's translation key has a name; nameless ones take their device class's."""
    strings = STRINGS["entity"].get(platform, {})
    for description in DESCRIPTIONS[platform]:
        key = description.translation_key
        if key is None:
            # Home Assistant names these after their device class ("Restart", "Firmware").
            assert platform in {"button", "update"}, description.key
            assert description.device_class is not None, description.key
            continue
        assert KEY_FORMAT.match(key), key
        assert key in strings, f"{platform}.{key} has no strings"
        name = strings[key]["name"]
        assert isinstance(name, str)
        assert name.strip()
    # No strings left behind for entities that no longer exist.
    assert set(strings) <= translation_keys(platform)


def test_no_strings_for_unknown_platforms() -> None:
    assert set(STRINGS["entity"]) <= {str(platform) for platform in PLATFORMS}


def test_enum_sensors_translate_every_option() -> None:
    """Each state an enum sensor can take has a text, and no text is for a missing state."""
    enum_sensors = [d for d in SENSORS if d.device_class is SensorDeviceClass.ENUM]
    assert enum_sensors
    for description in enum_sensors:
        assert description.translation_key is not None
        assert description.options
        states = STRINGS["entity"]["sensor"][description.translation_key]["state"]
        assert set(states) == set(description.options), description.key
        assert all(states.values())


def test_status_sensor_translates_every_charger_status() -> None:
    status = next(d for d in SENSORS if d.key == "status")
    assert status.translation_key is not None
    states = STRINGS["entity"]["sensor"][status.translation_key]["state"]
    assert set(states) == {value.value for value in ChargerStatus}
    assert set(status.options or ()) == {value.value for value in ChargerStatus}


def test_select_translates_every_eco_smart_mode() -> None:
    assert ECO_SMART.translation_key is not None
    states = STRINGS["entity"]["select"][ECO_SMART.translation_key]["state"]
    assert set(states) == {mode.value for mode in EcoSmartMode}
    assert set(select_options(EcoSmartSelect)) == set(states)
    assert all(states.values())


def test_select_translates_every_charging_mode() -> None:
    """Every mode the account's select can offer has a name; "unknown" is never offered."""
    assert CHARGING_MODE.translation_key is not None
    states = STRINGS["entity"]["select"][CHARGING_MODE.translation_key]["state"]
    assert set(states) == {mode.value for mode in ChargingMode} - {ChargingMode.UNKNOWN}
    assert set(select_options(ChargingModeSelect)) == set(states)
    assert all(states.values())


def valid_states(platform: str, key: str) -> set[str]:
    """The states an entity with this translation key can show."""
    description = next(d for d in DESCRIPTIONS[platform] if d.translation_key == key)
    if platform == "sensor":
        return set(getattr(description, "options", None) or ())
    if platform == "select":
        module = platform_module(platform)
        options: set[str] = set()
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, SelectEntity) and cls.__module__ == module.__name__:
                options |= set(select_options(cls))
        return options
    if platform in {"switch", "binary_sensor"}:
        return {STATE_ON, STATE_OFF}
    if platform == "lock":
        return {state.value for state in LockState}
    pytest.fail(f"no known states for {platform}.{key}")


def test_icons_refer_to_existing_entities_and_states() -> None:
    """Every icon belongs to an entity translation key and, for states, to a real state."""
    assert set(ICONS) == {"entity"}
    assert set(ICONS["entity"]) <= {str(platform) for platform in PLATFORMS}
    checked = 0
    for platform, entities in ICONS["entity"].items():
        for key, icons in entities.items():
            assert key in translation_keys(platform), f"icon for unknown {platform}.{key}"
            assert set(icons) <= {"default", "state"}, f"{platform}.{key}"
            assert ICON_FORMAT.match(icons["default"]), f"{platform}.{key}"
            states = icons.get("state", {})
            if states:
                assert set(states) <= valid_states(platform, key), f"{platform}.{key}"
            for icon in states.values():
                assert ICON_FORMAT.match(icon), f"{platform}.{key}: {icon}"
            checked += 1
    assert checked >= len(PLATFORMS)


def test_keys_have_the_format_home_assistant_accepts() -> None:
    """Lower-case keys only; Home Assistant ignores the others."""
    groups = [
        STRINGS["config"]["step"],
        STRINGS["config"]["error"],
        STRINGS["config"]["abort"],
        STRINGS["exceptions"],
        *STRINGS["entity"].values(),
    ]
    for group in groups:
        for key in group:
            assert KEY_FORMAT.match(key), key
    for step in STRINGS["config"]["step"].values():
        form_sections = step.get("sections", {})
        for form in (step, *form_sections.values()):
            for field in form.get("data", {}):
                assert KEY_FORMAT.match(field), field
        for name in form_sections:
            assert KEY_FORMAT.match(name), name
