"""The config and options flows' texts in en.json against the flow code.

Steps, form fields and sections, errors, abort reasons and placeholders are derived
from the flow classes and the AST of config_flow.py and flow_errors.py.
"""

from __future__ import annotations

import ast

from homeassistant.data_entry_flow import section
import pytest

from custom_components.ev_charger_cloud import api
from custom_components.ev_charger_cloud.config_flow import EVChargerCloudConfigFlow
from custom_components.ev_charger_cloud.const import CONF_ADVANCED, CONF_API_URL
from custom_components.ev_charger_cloud.options_flow import EVChargerCloudOptionsFlow
from custom_components.ev_charger_cloud.providers import PROVIDERS

from .translation_helpers import (
    PACKAGE_DIR,
    STRINGS,
    called_names,
    calls,
    dict_keys,
    keyword,
    placeholders,
)

CONFIG_FLOW_TREE = ast.parse((PACKAGE_DIR / "config_flow.py").read_text(encoding="utf-8"))
# The errors the credentials forms show are chosen in flow_errors.py.
FLOW_ERRORS_TREE = ast.parse((PACKAGE_DIR / "flow_errors.py").read_text(encoding="utf-8"))

# The reauth entry point only forwards to reauth_confirm (see tests/flows/test_reauth.py).
STEPS_WITHOUT_UI = {"reauth"}
# Home Assistant puts the entry title into every reauth form as {name}.
PLACEHOLDERS_FROM_HA = {"name"}


def flow_steps() -> set[str]:
    """The steps the config flow class itself defines."""
    return {
        name.removeprefix("async_step_")
        for name in vars(EVChargerCloudConfigFlow)
        if name.startswith("async_step_")
    }


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
