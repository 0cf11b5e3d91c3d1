"""The integration's layering, read from its source: no import cycles, and ``api/`` stands alone.

Every module is parsed with ``ast`` (imports under ``TYPE_CHECKING`` count
too). ``api/`` is a library that could move to PyPI as it is: it imports
nothing from Home Assistant and nothing of the integration outside ``api/``.
The polling strategies are tested without Home Assistant, so they import none
of it either.
"""

from __future__ import annotations

import ast
from pathlib import Path

from custom_components.ev_charger_cloud import __file__ as integration_init

ROOT = Path(integration_init).parent
PACKAGE = "custom_components.ev_charger_cloud"
# Modules that import nothing from Home Assistant besides api/ (dotted, below the integration).
WITHOUT_HOME_ASSISTANT = (
    "coordinator.strategy",
    "coordinator.read_all",
    "coordinator.budgeted",
    "coordinator.read_budget",
)


def module_name(path: Path) -> str:
    """The dotted name below the integration ("" for its own __init__)."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(path): path for path in ROOT.rglob("*.py")}


def is_package(module: str) -> bool:
    return MODULES[module].name == "__init__.py"


def imports_of(module: str) -> tuple[set[str], set[str]]:
    """The integration's modules it imports, and the outside modules (dotted, absolute)."""
    inside: set[str] = set()
    outside: set[str] = set()

    def add(absolute: str, names: list[str]) -> None:
        if absolute != PACKAGE and not absolute.startswith(f"{PACKAGE}."):
            outside.add(absolute)
            return
        target = absolute.removeprefix(PACKAGE).removeprefix(".")
        for name in names or [""]:
            # "from . import x" names a module when there is one by that name.
            submodule = f"{target}.{name}".strip(".")
            inside.add(submodule if name and submodule in MODULES else target)

    here = module if is_package(module) else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(MODULES[module].read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name, [])
        elif isinstance(node, ast.ImportFrom):
            names = [alias.name for alias in node.names]
            if node.level == 0:
                add(node.module or "", names)
                continue
            base = here.split(".") if here else []
            base = base[: len(base) - (node.level - 1)]
            dotted = ".".join([PACKAGE, *base, *([node.module] if node.module else [])])
            add(dotted, names)
    inside.discard(module)
    return inside, outside


GRAPH = {module: imports_of(module)[0] for module in MODULES}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_parser_sees_the_imports() -> None:
    """A guard for the tests below: known edges are found, relative and absolute."""
    assert "api" in GRAPH["issues"]
    assert "coordinator.read_budget" in GRAPH["coordinator.budgeted"]
    assert "api" in GRAPH["coordinator.budgeted"]
    assert "api.errors" in GRAPH["api.wallbox.client"]
    assert "coordinator" in GRAPH[""]


def test_no_import_cycles() -> None:
    """No two modules of the integration import each other, however indirectly."""
    assert cycles(GRAPH) == []


def test_a_cycle_is_found() -> None:
    """The cycle search itself finds a cycle of three."""
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_api_imports_nothing_from_home_assistant_or_the_rest() -> None:
    """api/ uses only itself, the standard library and its own dependencies."""
    for module in (name for name in MODULES if name == "api" or name.startswith("api.")):
        inside, outside = imports_of(module)
        assert all(name == "api" or name.startswith("api.") for name in inside), module
        assert not any(name.split(".")[0] == "homeassistant" for name in outside), module
        assert not any(name.startswith("custom_components") for name in outside), module


def test_polling_strategies_import_nothing_from_home_assistant() -> None:
    """The strategies run with a stand-in client and clock."""
    for module in WITHOUT_HOME_ASSISTANT:
        inside, outside = imports_of(module)
        assert not any(name.split(".")[0] == "homeassistant" for name in outside), module
        assert inside <= {"api", "const", *WITHOUT_HOME_ASSISTANT}, module


def test_the_home_assistant_side_imports_only_the_public_api() -> None:
    """Outside api/, the vendor clients are reached through api/__init__.py alone.

    So a cloud's modules can be rearranged (or api/ published) without touching the
    Home Assistant side.
    """
    for module in (name for name in MODULES if name != "api" and not name.startswith("api.")):
        reached = {name for name in GRAPH[module] if name.startswith("api.")}
        assert not reached, f"{module or '__init__'} imports {sorted(reached)}"
