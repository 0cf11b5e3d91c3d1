"""scripts/develop writes Home Assistant's HTTP settings itself: they must match its schema."""

from __future__ import annotations

import json
from pathlib import Path

from homeassistant.components.http import config as http_config

from devstack.stack import HTTP_DEFAULTS, HTTP_STORAGE_VERSION, seed_http_config


def test_seeded_http_settings_are_what_home_assistant_would_store(tmp_path: Path) -> None:
    """Same storage version, same defaults; only the address differs."""
    assert HTTP_STORAGE_VERSION == (
        http_config.STORAGE_VERSION,
        http_config.STORAGE_MINOR_VERSION,
    )
    seed_http_config(tmp_path, "127.0.0.1", 8321)
    stored = json.loads((tmp_path / ".storage" / "http").read_text())
    stable = stored["data"]["stable"]
    settings = {key: value for key, value in stable.items() if key not in http_config._META_KEYS}
    assert settings == http_config.HTTP_STORAGE_SCHEMA(
        {"server_host": ["127.0.0.1"], "server_port": 8321}
    )
    assert set(HTTP_DEFAULTS) | {"server_port"} == set(http_config.HTTP_STORAGE_SCHEMA({}))
    assert stored["data"]["pending"] is None
