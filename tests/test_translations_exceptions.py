"""Every translated error the code raises has a message in en.json, and nothing more.

Call sites with ``translation_domain=`` are found in the AST of the whole package;
the keys command_error computes are checked error class by error class.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
import inspect

from custom_components.ev_charger_cloud import api, entity as entity_module
from custom_components.ev_charger_cloud.const import DOMAIN

from .translation_helpers import (
    PACKAGE_DIR,
    STRINGS,
    calls,
    dict_keys,
    keyword,
    placeholders,
)


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
