"""The translations beside English against translations/en.json, the source of truth.

Each language must have exactly en's key paths, a non-empty string at each, the same
``{placeholders}`` per string, the same Markdown code spans and line breaks, and keep
brand names, host names and the example UUID as they are. A file that is mostly a copy
of en also fails, so "translating" by copying en is caught.
"""

from __future__ import annotations

from collections import Counter
import json
from pathlib import Path
import re
from typing import Any

import pytest

from custom_components.ev_charger_cloud.const import DOMAIN

TRANSLATIONS_DIR = Path(__file__).parents[1] / "custom_components" / DOMAIN / "translations"
LANGUAGES = ("de", "es", "it")

# Home Assistant uses "{" only for placeholders; every brace must belong to one.
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
CODE_SPAN = re.compile(r"`[^`]*`")
HOST_NAME = re.compile(r"\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|tools)\b")
UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")
# Product and brand names stay as they are in every language (German compounds such as
# "Thor-Dashboard" keep the name whole).
NAMES = ("Home Assistant", "myWallbox", "Wallbox", "Podero", "Thor", "Eco-Smart", "OCPP")
# Short labels such as "OK", "Boost", "Status" or "Wallbox (myWallbox)" may stay English,
# but most strings of a real translation differ from en.
MAX_SHARE_SAME_AS_EN = 0.2


def _reject_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    duplicates = sorted(key for key, count in Counter(keys).items() if count > 1)
    if duplicates:
        raise ValueError(f"duplicate keys: {duplicates}")
    return dict(pairs)


def load(language: str) -> dict[str, Any]:
    text = (TRANSLATIONS_DIR / f"{language}.json").read_text(encoding="utf-8")
    return json.loads(text, object_pairs_hook=_reject_duplicate_keys)


def flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Every leaf of a translations tree by its dotted key path."""
    leaves: dict[str, Any] = {}
    for key, value in tree.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            leaves.update(flatten(value, path))
        else:
            leaves[path] = value
    return leaves


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def protected_tokens(text: str) -> Counter[str]:
    """What a translation must carry over unchanged: code spans, hosts, UUIDs, names."""
    tokens: Counter[str] = Counter()
    for pattern in (CODE_SPAN, HOST_NAME, UUID):
        tokens.update(pattern.findall(text))
    for name in NAMES:
        if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text):
            tokens[name] += 1
    return tokens


EN = flatten(load("en"))


@pytest.fixture(params=LANGUAGES)
def language(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def strings(language: str) -> dict[str, Any]:
    return flatten(load(language))


def test_en_is_consistent() -> None:
    """The checks below rest on en itself being sound."""
    assert EN
    for path, text in EN.items():
        assert isinstance(text, str), path
        assert text.count("{") == text.count("}") == len(PLACEHOLDER.findall(text)), path


def test_file_is_valid_json_object(language: str) -> None:
    assert isinstance(load(language), dict)


def test_same_key_paths_as_en(strings: dict[str, Any]) -> None:
    missing = sorted(EN.keys() - strings.keys())
    extra = sorted(strings.keys() - EN.keys())
    assert (missing, extra) == ([], []), f"missing: {missing}\nextra: {extra}"


def test_every_value_is_a_non_empty_string(strings: dict[str, Any]) -> None:
    bad = sorted(
        path for path, text in strings.items() if not isinstance(text, str) or not text.strip()
    )
    assert not bad, f"not a non-empty string: {bad}"


def test_placeholders_match_en(strings: dict[str, Any]) -> None:
    differing = {
        path: (sorted(placeholders(text)), sorted(placeholders(EN[path])))
        for path, text in strings.items()
        if path in EN and isinstance(text, str) and placeholders(text) != placeholders(EN[path])
    }
    assert not differing, f"placeholders (translation, en) differ: {differing}"


def test_braces_are_only_placeholders(strings: dict[str, Any]) -> None:
    stray = sorted(
        path
        for path, text in strings.items()
        if isinstance(text, str)
        and not text.count("{") == text.count("}") == len(PLACEHOLDER.findall(text))
    )
    assert not stray, f"braces that are not a {{placeholder}}: {stray}"


@pytest.mark.parametrize("language_file", ["en", *LANGUAGES])
def test_no_markup_tags(language_file: str) -> None:
    """The frontend's message format reads ``<name>`` as a markup tag, also in a code span.

    ``http://127.0.0.1:<port>`` showed "Translation error: UNCLOSED_TAG" under the field.
    """
    tagged = sorted(path for path, text in flatten(load(language_file)).items() if "<" in text)
    assert not tagged, f"'<' (a markup tag to the frontend): {tagged}"


def test_markdown_and_line_breaks_match_en(strings: dict[str, Any]) -> None:
    differing = sorted(
        path
        for path, text in strings.items()
        if path in EN
        and isinstance(text, str)
        and (text.count("`"), text.count("\n")) != (EN[path].count("`"), EN[path].count("\n"))
    )
    assert not differing, f"backticks or line breaks differ from en: {differing}"


def test_names_hosts_and_code_kept(strings: dict[str, Any]) -> None:
    lost = {
        path: sorted((protected_tokens(EN[path]) - protected_tokens(text)).elements())
        for path, text in strings.items()
        if path in EN and isinstance(text, str)
    }
    lost = {path: tokens for path, tokens in lost.items() if tokens}
    assert not lost, f"changed or dropped (must stay as in en): {lost}"


def test_is_not_a_copy_of_en(strings: dict[str, Any]) -> None:
    shared = [path for path, text in strings.items() if path in EN and text == EN[path]]
    share = len(shared) / len(EN)
    assert share <= MAX_SHARE_SAME_AS_EN, (
        f"{len(shared)} of {len(EN)} strings are identical to en, e.g. {sorted(shared)[:10]}"
    )
