"""translations/en.json and icons.json against what the code really uses.

Everything is derived from the code (flow methods, entity descriptions, enums,
error classes, ``translation_key=`` call sites), so a new step, entity, state
or error without text fails here.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
import importlib
import inspect
import json
from pathlib import Path
import re
from types import ModuleType
from typing import Any

from homeassistant.components.lock import LockState
from homeassistant.components.select import SelectEntity
from homeassistant.components.sensor import SensorDeviceClass
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.data_entry_flow import section
from homeassistant.helpers.entity import EntityDescription
import pytest

from custom_components.ev_charger_cloud import PLATFORMS, api, entity as entity_module
from custom_components.ev_charger_cloud.api import ChargerStatus, ChargingMode, EcoSmartMode
from custom_components.ev_charger_cloud.config_flow import EVChargerCloudConfigFlow
from custom_components.ev_charger_cloud.const import CONF_ADVANCED, CONF_API_URL, DOMAIN
from custom_components.ev_charger_cloud.options_flow import EVChargerCloudOptionsFlow
from custom_components.ev_charger_cloud.providers import PROVIDERS
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

PACKAGE_DIR = Path(__file__).parents[1] / "custom_components" / DOMAIN
STRINGS: dict[str, Any] = json.loads(
    (PACKAGE_DIR / "translations" / "en.json").read_text(encoding="utf-8")
)
ICONS: dict[str, Any] = json.loads((PACKAGE_DIR / "icons.json").read_text(encoding="utf-8"))
SENSORS = (*CONNECTOR_SENSORS, *CHARGER_SENSORS, *VEHICLE_SENSORS)
CONFIG_FLOW_TREE = ast.parse((PACKAGE_DIR / "config_flow.py").read_text(encoding="utf-8"))
# The errors the credentials forms show are chosen in flow_errors.py.
FLOW_ERRORS_TREE = ast.parse((PACKAGE_DIR / "flow_errors.py").read_text(encoding="utf-8"))

KEY_FORMAT = re.compile(r"^[a-z0-9_-]+$")
ICON_FORMAT = re.compile(r"^mdi:[a-z0-9-]+$")
# The reauth entry point only forwards to reauth_confirm (see test_config_flow).
STEPS_WITHOUT_UI = {"reauth"}
# Home Assistant puts the entry title into every reauth form as {name}.
PLACEHOLDERS_FROM_HA = {"name"}


def placeholders(text: str) -> set[str]:
    """The {placeholders} a translated string expects."""
    return set(re.findall(r"{(\w+)}", text))


def platform_module(platform: str) -> ModuleType:
    return importlib.import_module(f"custom_components.{DOMAIN}.{platform}")


def descriptions_of(module: ModuleType) -> list[EntityDescription]:
    """Every entity description a platform module defines, alone or in a tuple."""
    found: list[EntityDescription] = []
    for value in vars(module).values():
        candidates = value if isinstance(value, tuple) else (value,)
        found.extend(
            item for item in candidates if isinstance(item, EntityDescription) and item not in found
        )
    return found


DESCRIPTIONS: dict[str, list[EntityDescription]] = {
    str(platform): descriptions_of(platform_module(platform)) for platform in PLATFORMS
}


def select_options(cls: type[SelectEntity]) -> list[str]:
    """Every option a select class can offer.

    Class-level `_attr_options`, read as HA does; a select whose options depend on
    what the cloud allows names them all in `SELECTABLE`.
    """
    selectable = getattr(cls, "SELECTABLE", None)
    if selectable is not None:
        return [str(option) for option in selectable]
    return list(cls.__new__(cls).options)


def translation_keys(platform: str) -> set[str]:
    return {d.translation_key for d in DESCRIPTIONS[platform] if d.translation_key is not None}


def flow_steps() -> set[str]:
    """The steps the config flow class itself defines."""
    return {
        name.removeprefix("async_step_")
        for name in vars(EVChargerCloudConfigFlow)
        if name.startswith("async_step_")
    }


def calls(tree: ast.AST) -> Iterator[ast.Call]:
    yield from (node for node in ast.walk(tree) if isinstance(node, ast.Call))


def called_names(tree: ast.AST) -> set[str]:
    """Names of the functions and methods a module calls."""
    names: set[str] = set()
    for call in calls(tree):
        if isinstance(call.func, ast.Attribute):
            names.add(call.func.attr)
        elif isinstance(call.func, ast.Name):
            names.add(call.func.id)
    return names


def keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((kw.value for kw in call.keywords if kw.arg == name), None)


def dict_keys(node: ast.expr | None) -> set[str]:
    """Constant keys of a dict literal (empty when there is none)."""
    if not isinstance(node, ast.Dict):
        return set()
    return {key.value for key in node.keys if isinstance(key, ast.Constant)}


# --- config flow --------------------------------------------------------------------


def test_every_flow_step_has_strings() -> None:
    """Each step the user can see has a title; no strings for steps that do not exist."""
    steps = flow_steps()
    assert {"user", "reauth_confirm", "reconfigure"} <= steps
    shown = steps - STEPS_WITHOUT_UI
    assert shown <= set(STRINGS["config"]["step"])
    assert set(STRINGS["config"]["step"]) <= shown
    for step_id in shown:
        assert STRINGS["config"]["step"][step_id]["title"], step_id


def test_every_options_step_has_strings() -> None:
    """The options flow's steps are exactly those en.json explains, each with a title."""
    steps = {
        name.removeprefix("async_step_")
        for name in vars(EVChargerCloudOptionsFlow)
        if name.startswith("async_step_")
    }
    assert {"init", "push", "push_not_public"} <= steps
    assert steps == set(STRINGS["options"]["step"])
    for step in STRINGS["options"]["step"].values():
        assert step["title"]


def test_menu_offers_every_provider() -> None:
    """The cloud menu names every provider, and each provider has a flow step."""
    menu = STRINGS["config"]["step"]["user"]["menu_options"]
    assert set(menu) == {provider.value for provider in PROVIDERS}
    for provider in PROVIDERS:
        assert menu[provider.value]
        assert f"async_step_{provider.value}" in vars(EVChargerCloudConfigFlow)


@pytest.mark.parametrize("provider", list(PROVIDERS))
def test_credential_fields_have_labels(provider: api.Provider) -> None:
    """Every field and section of every credentials form has a label and a description."""
    spec = PROVIDERS[provider]
    forms = {
        provider.value: spec.credentials_schema({}),
        "reauth_confirm": spec.credentials_schema({}, secrets_only=True),
        "reconfigure": spec.credentials_schema({}),
    }
    for step_id, schema in forms.items():
        step = STRINGS["config"]["step"][step_id]
        labelled = [(step, schema)]
        for key, value in schema.schema.items():
            if isinstance(value, section):
                strings = step["sections"][str(key)]
                assert strings["name"], f"{step_id}.{key}"
                labelled.append((strings, value.schema))
        for strings, fields_schema in labelled:
            fields = {
                str(key)
                for key, value in fields_schema.schema.items()
                if not isinstance(value, section)
            }
            assert fields, step_id
            assert fields <= set(strings["data"]), step_id
            assert fields <= set(strings["data_description"]), step_id
            assert all(strings["data"][field] for field in fields)
    # Re-authentication only asks for secrets: the account and its server stay the same.
    assert spec.secret_keys
    # Every cloud but Thor names the account in a field (Thor's key is its only field).
    assert bool(spec.identity_keys) is (provider is not api.Provider.THOR)
    assert {str(key) for key in forms["reauth_confirm"].schema} == set(spec.secret_keys)
    assert not set(spec.identity_keys) & set(STRINGS["config"]["step"]["reauth_confirm"]["data"])
    # The other forms ask for the identity and the secrets, in the declared order.
    for step_id in (provider.value, "reconfigure"):
        keys = [str(key) for key in forms[step_id].schema]
        assert keys == [field.key for field in spec.fields] + [CONF_ADVANCED], step_id
    # Every other form has the server URL in the shared collapsed `advanced` section.
    for step_id in (provider.value, "reconfigure"):
        advanced = forms[step_id].schema[CONF_ADVANCED]
        assert isinstance(advanced, section), step_id
        assert advanced.options["collapsed"] is True
        assert {str(key) for key in advanced.schema.schema} == {CONF_API_URL}


# The one form error that is not a literal: the refused-credentials key of the cloud.
CREDENTIALS_ERROR = "spec.invalid_secret if secrets_only else spec.invalid_auth"


def test_flow_errors_are_translated() -> None:
    """The errors config_flow.py can show are exactly those en.json explains."""
    errors: set[str] = set()
    for node in (*ast.walk(CONFIG_FLOW_TREE), *ast.walk(FLOW_ERRORS_TREE)):
        if isinstance(node, ast.Dict) and any(
            isinstance(key, ast.Constant) and key.value == "base" for key in node.keys
        ):
            value = node.values[[getattr(k, "value", None) for k in node.keys].index("base")]
            if ast.unparse(value) == CREDENTIALS_ERROR:
                # Refused credentials: each cloud names its own fields.
                for spec in PROVIDERS.values():
                    errors.update((spec.invalid_auth, spec.invalid_secret))
                continue
            assert isinstance(value, ast.Constant), ast.unparse(node)
            errors.add(value.value)
        # Errors on one field: `{CONF_SOMETHING: "error"}`.
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if (
                    isinstance(key, ast.Name)
                    and key.id.startswith("CONF_")
                    and isinstance(value, ast.Constant)
                    and isinstance(value.value, str)
                ):
                    errors.add(value.value)
    assert errors == {
        # Each cloud's own fields; re-authentication asks for the secret alone.
        "invalid_auth_wallbox",
        "invalid_password",
        "invalid_auth_podero",
        "invalid_client_secret",
        "invalid_api_key",
        "invalid_api_url",
        "wrong_server",
        "redirect_refused",
        "no_chargebox",
        "invalid_org_id",
        "org_not_found",
        "no_users",
        "rate_limited",
        "cannot_connect",
        "unknown",
        "rest_api_disabled",
        "ip_not_allowed",
    }
    assert errors == set(STRINGS["config"]["error"])


def test_flow_abort_reasons_are_translated() -> None:
    """Explicit `reason=`s and those Home Assistant's helpers abort with all have text."""
    reasons: set[str] = set()
    for call in calls(CONFIG_FLOW_TREE):
        reason = keyword(call, "reason")
        if reason is not None:
            assert isinstance(reason, ast.Constant), ast.unparse(call)
            reasons.add(reason.value)
    used = called_names(CONFIG_FLOW_TREE)
    if "_abort_if_unique_id_configured" in used:
        reasons.add("already_configured")
    if "async_update_reload_and_abort" in used:
        steps = flow_steps()
        if "reauth" in steps:
            reasons.add("reauth_successful")
        if "reconfigure" in steps:
            reasons.add("reconfigure_successful")
    assert "wrong_account" in reasons
    assert reasons == set(STRINGS["config"]["abort"])
    assert all(STRINGS["config"]["abort"].values())


def test_step_placeholders_are_provided() -> None:
    """A {placeholder} in a step's text is one the flow fills in."""
    provided = set(PLACEHOLDERS_FROM_HA)
    for call in calls(CONFIG_FLOW_TREE):
        provided |= dict_keys(keyword(call, "description_placeholders"))
    assert "account" in provided
    for step_id, step in STRINGS["config"]["step"].items():
        text = step.get("title", "") + step.get("description", "")
        assert placeholders(text) <= provided, step_id


# --- entities ------------------------------------------------------------------------


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


# --- exceptions ----------------------------------------------------------------------


def translated_raises() -> Iterator[tuple[str, str, ast.Call]]:
    """(file, innermost enclosing function, call) for every call with translation_domain=."""
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        enclosing: dict[int, str] = {}
        # ast.walk goes outside in, so inner functions overwrite outer ones.
        for function in ast.walk(tree):
            if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for call in calls(function):
                    enclosing[id(call)] = function.name
        for call in calls(tree):
            if keyword(call, "translation_domain") is not None:
                yield path.name, enclosing.get(id(call), "<module>"), call


def check_exception(key: str, provided: set[str]) -> None:
    exceptions = STRINGS["exceptions"]
    assert key in exceptions, f"exception {key} has no message"
    message = exceptions[key]["message"]
    assert message
    assert placeholders(message) <= provided, key


def test_exception_translation_keys_exist() -> None:
    """Every translated error the code raises has a message with the placeholders it gets."""
    used: set[str] = set()
    dynamic: set[tuple[str, str]] = set()
    for file_name, function, call in translated_raises():
        key = keyword(call, "translation_key")
        assert key is not None, f"{file_name}:{call.lineno} has no translation_key"
        if isinstance(key, ast.Constant):
            check_exception(key.value, dict_keys(keyword(call, "translation_placeholders")))
            used.add(key.value)
        else:
            dynamic.add((file_name, function))
    assert used, "no translated exception found: the scan is broken"
    # Computed keys: the command error mapping, checked class by class below, and the
    # poll's refusal by a disabled API, whose key is the reason.
    assert dynamic == {("entity.py", "command_error"), ("errors.py", "update_error")}
    used |= command_error_keys()
    for reason in api.ServiceDisabledReason:
        check_exception(reason.value, {"account"})
        used.add(reason.value)
    assert used == set(STRINGS["exceptions"])


def command_error_keys() -> set[str]:
    """The keys command_error picks for every error class a client can raise."""
    keys: set[str] = set()
    classes = [
        cls
        for _, cls in inspect.getmembers(api, inspect.isclass)
        if issubclass(cls, api.ChargerCloudError)
    ]
    assert len(classes) >= 8
    for cls in classes:
        if cls is api.ServiceDisabledError:  # needs to say why
            cause: api.ChargerCloudError = cls(reason=api.ServiceDisabledReason.IP_NOT_ALLOWED)
        else:
            cause = cls("something went wrong")
        error = entity_module.command_error(cause)
        assert error.translation_domain == DOMAIN
        assert error.translation_key is not None
        check_exception(error.translation_key, set(error.translation_placeholders or {}))
        keys.add(error.translation_key)
    # A refused boost has a message per reason the cloud gives.
    for reason in api.BoostRefusalReason:
        error = entity_module.command_error(api.BoostRefusedError(reason=reason))
        assert error.translation_key is not None
        check_exception(error.translation_key, set(error.translation_placeholders or {}))
        keys.add(error.translation_key)
    # A refused start or stop too (Thor), each reason with a message of its own.
    charge_keys = set()
    for charge_reason in api.ChargeRefusalReason:
        error = entity_module.command_error(api.ChargeRefusedError(reason=charge_reason))
        assert error.translation_key is not None
        check_exception(error.translation_key, set(error.translation_placeholders or {}))
        charge_keys.add(error.translation_key)
    assert len(charge_keys) == len(api.ChargeRefusalReason)
    return keys | charge_keys


def test_command_errors_have_specific_messages() -> None:
    """Each specific failure maps to its own message; only the rest to the generic one."""
    expected = {
        api.AuthenticationError: "authentication_error",
        api.RateLimitedError: "rate_limited",
        api.NotPermittedError: "not_permitted",
        api.CommandRejectedError: "command_rejected",
        api.CommandNotSupportedError: "not_supported",
        api.CloudConnectionError: "communication_error",
        api.UnexpectedResponseError: "communication_error",
    }
    for cls, key in expected.items():
        assert entity_module.command_error(cls("x")).translation_key == key, cls


# --- icons ---------------------------------------------------------------------------


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
