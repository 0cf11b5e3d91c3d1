"""No credential of any cloud reaches another origin through a redirect.

For Wallbox (Basic auth, then bearer tokens), Podero (client secret, then a
bearer token) and Thor (``X-Api-Key`` on every request), the simulator on
127.0.0.1 is told to redirect to a second server on another port, which
records whatever it receives. Through the real integration: the config flow
shows a clear error, a running entry's entities become unavailable (no
traceback), and the second server never hears from Home Assistant. A
redirect within the configured server is followed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
import logging
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er
import pytest

from simulator.faults import Fault
from tests.cloud_cases import Cloud, open_form
from tests.conftest import RunningSimulator, advance, state_of
from tests.flow_helpers import submit
from tests.recorder import Recorder, recording_server

pytest_plugins = ["tests.cloud_cases"]

# A query the Location carries: it must not show up in a log either.
LEAK_QUERY = "token=from-the-location"


@pytest.fixture
async def elsewhere(socket_enabled: None) -> AsyncIterator[Recorder]:
    """Another origin: the same host, another port."""
    async with recording_server() as recorder:
        yield recorder


def redirect_to(target: str, status: int = 302, **fault: Any) -> Fault:
    return Fault(status=status, headers={"Location": target}, **fault)


def assert_nothing_leaked(
    elsewhere: Recorder, caplog: pytest.LogCaptureFixture, secrets: set[str]
) -> None:
    """The other origin received nothing, and no log names a secret or the target.

    No traceback either, except in the coordinator's own debug line ("Full error:").
    """
    assert elsewhere.received == []
    assert secrets
    for secret in secrets:
        assert secret not in caplog.text
    assert LEAK_QUERY not in caplog.text
    assert elsewhere.url not in caplog.text
    assert not [r for r in caplog.records if r.exc_info and r.levelno > logging.DEBUG]


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
async def test_sign_in_redirected_elsewhere_is_refused(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    cloud: Cloud,
    elsewhere: Recorder,
    caplog: pytest.LogCaptureFixture,
    status: int,
) -> None:
    """The credentials form says so; the credential stays home."""
    cloud.faults(simulator.sim).add(
        redirect_to(f"{elsewhere.url}{cloud.first_path}?{LEAK_QUERY}", status, times=1)
    )
    result = await open_form(hass, cloud)
    with caplog.at_level(logging.DEBUG, "custom_components.ev_charger_cloud"):
        result = await submit(hass, result, cloud.form(simulator.url + cloud.prefix))
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "redirect_refused"}
    assert_nothing_leaked(elsewhere, caplog, cloud.secrets(simulator.sim))


async def test_same_origin_redirect_is_followed_then_a_running_entry_is_protected(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: RunningSimulator,
    cloud: Cloud,
    elsewhere: Recorder,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A 307 within the server is followed; later redirects elsewhere make entities unavailable.

    The entry signs in through the redirect and is set up for real. When the
    cloud then redirects every request to another origin (tokens and key would
    go there), the entities become unavailable without a traceback, and come
    back by themselves once the cloud answers again.
    """
    faults = cloud.faults(simulator.sim)
    first = simulator.url + cloud.first_path
    faults.add(redirect_to(first, 307, path=cloud.first_path, times=1))
    result = await open_form(hass, cloud)
    result = await submit(hass, result, cloud.form(simulator.url + cloud.prefix))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    entry = result["result"]
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    # The redirect and the request it led to, both at the simulator.
    assert simulator.sim.requests.count(path_contains=cloud.first_path.split("?")[0]) >= 2
    entities = [
        entity.entity_id
        for entity in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
        if entity.disabled_by is None
    ]
    assert entities
    assert all(state_of(hass, entity) != STATE_UNAVAILABLE for entity in entities)

    faults.add(redirect_to(f"{elsewhere.url}/everything?{LEAK_QUERY}"))
    with caplog.at_level(logging.DEBUG, "custom_components.ev_charger_cloud"):
        await advance(hass, freezer, timedelta(minutes=6), times=2)
    assert all(state_of(hass, entity) == STATE_UNAVAILABLE for entity in entities)
    assert entry.state is ConfigEntryState.LOADED
    assert_nothing_leaked(elsewhere, caplog, cloud.secrets(simulator.sim))

    faults.clear()
    await advance(hass, freezer, timedelta(minutes=6), times=2)
    assert any(state_of(hass, entity) != STATE_UNAVAILABLE for entity in entities)
    assert elsewhere.received == []
