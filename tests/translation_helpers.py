"""What the translation tests share: en.json, icons.json and the entity descriptions.

The tests of test_translations*.py derive what must have text from the code, with the
AST helpers below for what only the source shows (call sites, keyword arguments).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
import importlib
import json
from pathlib import Path
import re
from types import ModuleType
from typing import Any

from homeassistant.components.select import SelectEntity
from homeassistant.helpers.entity import EntityDescription

from custom_components.ev_charger_cloud import PLATFORMS
from custom_components.ev_charger_cloud.const import DOMAIN

PACKAGE_DIR = Path(__file__).parents[1] / "custom_components" / DOMAIN
STRINGS: dict[str, Any] = json.loads(
    (PACKAGE_DIR / "translations" / "en.json").read_text(encoding="utf-8")
)
ICONS: dict[str, Any] = json.loads((PACKAGE_DIR / "icons.json").read_text(encoding="utf-8"))
KEY_FORMAT = re.compile(r"^[a-z0-9_-]+$")


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
