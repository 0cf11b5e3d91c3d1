"""A refused credential is reported in the words of the cloud's own form.

Wallbox asks for an email and password, Podero for a client ID and secret (and
an organisation), Thor for an API key: each form's error names those fields and
no other cloud's, on the first form, on re-authentication (the secret alone) and
on reconfiguration. Through the real flows against the simulator.
"""

from __future__ import annotations

import json
from unittest.mock import AsyncMock

from homeassistant.config_entries import SOURCE_REAUTH, SOURCE_RECONFIGURE
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResult
import pytest

from custom_components.ev_charger_cloud.const import DOMAIN
from tests.cloud_cases import Cloud, add_entry, open_form, start_on_entry
from tests.conftest import RunningSimulator
from tests.flow_helpers import submit
from tests.paths import ROOT

pytest_plugins = ["tests.cloud_cases"]

TRANSLATIONS = ROOT / "custom_components" / DOMAIN / "translations"
ERRORS = json.loads((TRANSLATIONS / "en.json").read_text(encoding="utf-8"))["config"]["error"]
WRONG = "not the right secret"

# What each cloud's error must name (all its fields; the secret alone on re-authentication).
NAMED = {
    "wallbox": (("email", "password"), ("password",)),
    "podero": (("client ID", "client secret"), ("client secret",)),
    "thor": (("API key",), ("API key",)),
}
# Words that belong to the other clouds' forms.
FOREIGN = {
    "wallbox": ("client", "API key"),
    "podero": ("email", "password", "API key"),
    "thor": ("email", "password", "client"),
}


def assert_names_its_own_fields(result: FlowResult, cloud: Cloud, *, secret_only: bool) -> None:
    errors = result["errors"]
    assert errors is not None
    text = ERRORS[errors["base"]]
    assert text.startswith("The credentials are not correct: check ")
    for field in NAMED[cloud.name][secret_only]:
        assert field in text, (cloud.name, field)
    for word in FOREIGN[cloud.name]:
        assert word not in text, (cloud.name, word)


async def test_the_first_form_names_the_clouds_fields(
    hass: HomeAssistant, simulator: RunningSimulator, cloud: Cloud
) -> None:
    result = await open_form(hass, cloud)
    form = cloud.form(simulator.url + cloud.prefix) | {cloud.secret_field: WRONG}
    result = await submit(hass, result, form)
    assert_names_its_own_fields(result, cloud, secret_only=False)


@pytest.mark.parametrize("source", [SOURCE_REAUTH, SOURCE_RECONFIGURE])
async def test_reauth_and_reconfigure_name_the_clouds_fields(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    mock_setup_entry: AsyncMock,
    cloud: Cloud,
    source: str,
) -> None:
    entry = await add_entry(hass, simulator, cloud)
    result = await start_on_entry(hass, entry, source)
    form = (
        {cloud.secret_field: WRONG}
        if source == SOURCE_REAUTH
        else cloud.form(simulator.url + cloud.prefix) | {cloud.secret_field: WRONG}
    )
    result = await submit(hass, result, form)
    assert_names_its_own_fields(result, cloud, secret_only=source == SOURCE_REAUTH)


def test_no_error_names_every_cloud_at_once() -> None:
    """The old catch-all text is gone."""
    assert "invalid_auth" not in ERRORS
    for text in ERRORS.values():
        assert not ("email" in text and "API key" in text), text
