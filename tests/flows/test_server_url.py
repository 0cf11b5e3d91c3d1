"""The Server URL of the ``advanced`` section: where credentials may go, and what it must lead to.

https anywhere, plain http only to this computer (the simulator); never a URL
with a user name, password, query or fragment. A URL that does not lead to the
cloud's API (no path prefix, a web page) is said to be so, not reported as
wrong credentials. Re-authentication and reconfiguration say where the
credentials go. Every cloud, through the real config flow.
"""

from __future__ import annotations

import json
from unittest.mock import AsyncMock

from homeassistant.config_entries import SOURCE_REAUTH, SOURCE_RECONFIGURE, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ev_charger_cloud.api import Provider
from custom_components.ev_charger_cloud.const import CONF_API_URL, DOMAIN
from custom_components.ev_charger_cloud.providers import PROVIDERS
from custom_components.ev_charger_cloud.server_url import server_url_allowed
from simulator.faults import Fault
from tests.cloud_cases import Cloud, add_entry, open_form, start_on_entry
from tests.conftest import RunningSimulator
from tests.flow_helpers import assert_translated, submit
from tests.paths import ROOT

pytest_plugins = ["tests.cloud_cases"]

TRANSLATIONS = ROOT / "custom_components" / DOMAIN / "translations"

REFUSED = [
    "http://192.168.1.5:8080/api",
    "http://ev.example.com/api",
    "http://user:pw@127.0.0.1:8080/api",
    "https://user@ev.example.com/api",
    "https://ev.example.com/api?tenant=7",
    "https://ev.example.com/api?",
    "https://ev.example.com/api#top",
    "https://ev.example.com:99999/api",
    "ftp://ev.example.com/api",
    "https:///api",
    "ev.example.com/api",
    "not a url",
    "https://ev.example.com/a b",
]


@pytest.mark.parametrize(
    "url",
    [
        "https://api.thor.tools/latest/integration",
        "https://sandbox-app.podero.com",
        "HTTPS://EV.EXAMPLE.COM:8443/x/",
        "http://127.0.0.1:8080/wallbox",
        "http://127.3.4.5/podero",
        "http://localhost:8123/thor/latest/integration",
        "http://[::1]:8080/wallbox",
    ],
)
def test_accepted_server_urls(url: str) -> None:
    assert server_url_allowed(url)


@pytest.mark.parametrize("url", REFUSED)
def test_refused_server_urls(url: str) -> None:
    assert not server_url_allowed(url)


@pytest.mark.parametrize("url", REFUSED[:7])
async def test_a_url_the_credentials_must_not_go_to_is_refused_unsent(
    hass: HomeAssistant, simulator: RunningSimulator, cloud: Cloud, url: str
) -> None:
    """The form says why (translated, naming the field); not a single request is sent."""
    result = await open_form(hass, cloud)
    result = await submit(hass, result, cloud.form(url))
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "invalid_api_url"}
    assert len(simulator.sim.requests) == 0


@pytest.mark.parametrize("path", ["", "/", "/elsewhere"])
async def test_a_url_without_the_api_path_is_no_password_error(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    mock_setup_entry: AsyncMock,
    cloud: Cloud,
    path: str,
) -> None:
    """The simulator's root answers 404 to the first request: "not this cloud's API"."""
    result = await open_form(hass, cloud)
    result = await submit(hass, result, cloud.form(simulator.url + path))
    assert result["errors"] == {"base": "wrong_server"}
    # Outside the clouds' paths: their request logs saw nothing.
    assert len(simulator.sim.requests) == 0

    # The URL with its path: the same credentials work.
    result = await submit(hass, result, cloud.form(simulator.url + cloud.prefix))
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_a_web_page_instead_of_the_api_is_no_password_error(
    hass: HomeAssistant, simulator: RunningSimulator, cloud: Cloud
) -> None:
    """An HTML page (a web site, a proxy's login) answering the first request."""
    cloud.faults(simulator.sim).add(Fault(malformed=True, path=cloud.first_path, times=1))
    result = await open_form(hass, cloud)
    result = await submit(hass, result, cloud.form(simulator.url + cloud.prefix))
    assert result["errors"] == {"base": "wrong_server"}


async def test_reauth_and_reconfigure_say_where_the_credentials_go(
    hass: HomeAssistant, simulator: RunningSimulator, mock_setup_entry: AsyncMock, cloud: Cloud
) -> None:
    """The entry's own server when it has one, else the cloud's: both forms name it."""
    entry = await add_entry(hass, simulator, cloud)
    own = simulator.url + cloud.prefix
    default = MockConfigEntry(
        domain=DOMAIN,
        title=entry.title,
        unique_id=f"{entry.unique_id}_default",
        data={key: value for key, value in entry.data.items() if key != CONF_API_URL},
    )
    default.add_to_hass(hass)
    cloud_server = PROVIDERS[Provider(cloud.name)].default_server
    assert cloud_server.startswith("https://")
    for shown, server in ((entry, own), (default, cloud_server)):
        for source in (SOURCE_REAUTH, SOURCE_RECONFIGURE):
            result = await start_on_entry(hass, shown, source)
            assert_translated(result)
            placeholders = result["description_placeholders"]
            assert placeholders["server"] == server, source
            assert placeholders["account"] == shown.title
            hass.config_entries.flow.async_abort(result["flow_id"])


async def test_reauth_refuses_a_stored_url_the_secret_must_not_go_to(
    hass: HomeAssistant, simulator: RunningSimulator, mock_setup_entry: AsyncMock, cloud: Cloud
) -> None:
    """An entry from before the check, on plain http to another computer: nothing is sent."""
    entry = await add_entry(hass, simulator, cloud)
    hass.config_entries.async_update_entry(
        entry, data={**entry.data, CONF_API_URL: "http://192.168.1.5:8080" + cloud.prefix}
    )
    sent = len(simulator.sim.requests)
    result = await start_on_entry(hass, entry, SOURCE_REAUTH)
    result = await submit(hass, result, {cloud.secret_field: "the secret"})
    assert result["errors"] == {"base": "invalid_api_url"}
    assert len(simulator.sim.requests) == sent


async def test_setup_refuses_a_stored_url_the_secret_must_not_go_to(
    hass: HomeAssistant, simulator: RunningSimulator, cloud: Cloud
) -> None:
    """An entry from before the check: not set up, nothing sent, a translated reason.

    The URL reaches the simulator but for its user name and password, which aiohttp
    would send; reconfiguring the entry with a good URL brings it back.
    """
    entry = await add_entry(hass, simulator, cloud)
    assert entry.state is ConfigEntryState.LOADED
    await hass.config_entries.async_unload(entry.entry_id)
    good_url = entry.data[CONF_API_URL]
    hass.config_entries.async_update_entry(
        entry, data={**entry.data, CONF_API_URL: good_url.replace("://", "://user:pw@", 1)}
    )
    sent = len(simulator.sim.requests)

    assert not await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.SETUP_ERROR
    # Home Assistant shows the message without its final full stop.
    assert entry.reason == translated_exception("server_url_not_allowed").rstrip(".")
    assert len(simulator.sim.requests) == sent

    hass.config_entries.async_update_entry(entry, data={**entry.data, CONF_API_URL: good_url})
    assert await hass.config_entries.async_reload(entry.entry_id)
    assert entry.state is ConfigEntryState.LOADED


def translated_exception(key: str) -> str:
    messages = json.loads((TRANSLATIONS / "en.json").read_text(encoding="utf-8"))["exceptions"]
    message: str = messages[key]["message"]
    return message


@pytest.mark.parametrize("language", ["en", "de", "es", "it"])
def test_the_help_text_shows_each_clouds_form(language: str) -> None:
    """Below the field: the form of each cloud's URL, the API path where it belongs."""
    steps = json.loads((TRANSLATIONS / f"{language}.json").read_text(encoding="utf-8"))["config"][
        "step"
    ]
    forms = {
        "wallbox": "`https://host/prefix`",
        "podero": f"`{PROVIDERS[Provider.PODERO].default_server}`",
        "thor": f"`{PROVIDERS[Provider.THOR].default_server}`",
    }
    assert forms["thor"] == "`https://api.thor.tools/latest/integration`"
    assert forms["podero"] == "`https://app.podero.com`"
    reconfigure = steps["reconfigure"]["sections"]["advanced"]["data_description"]["api_url"]
    for name, form in forms.items():
        help_text = steps[name]["sections"]["advanced"]["data_description"]["api_url"]
        assert form in help_text, name
        assert form in reconfigure
