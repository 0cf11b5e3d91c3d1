"""Thor's push notifications reach the entities at once through the entry's webhook."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
import json
import logging
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ev_charger_cloud.api import CommandNotSupportedError
from custom_components.ev_charger_cloud.const import CONF_WEBHOOK_ID
from simulator import Simulator
from simulator.thor.push import meters_payload, start_payload, stop_payload
from tests.conftest import advance, state_of
from tests.thor_entry_fixtures import GARAGE_ID, PARKING_ID, ThorWebhook

pytest_plugins = ["tests.thor_entry_fixtures"]

GARAGE_POWER = "sensor.garage_charging_power"
PARKING_2_STATUS = "sensor.parking_a_connector_2_status"


@pytest.fixture
def post(thor_webhook: ThorWebhook) -> Any:
    """POST a body to the entry's webhook, as Thor would; returns the HTTP status."""

    async def send(body: Any, *, raw: bytes | None = None) -> int:
        return await thor_webhook.post(raw if raw is not None else json.dumps(body).encode())

    return send


def api_requests(sim: Simulator) -> int:
    return sim.requests.count(provider="thor")


async def test_entry_keeps_a_random_webhook_id(
    hass: HomeAssistant, thor_entry: MockConfigEntry
) -> None:
    """Made at the first setup, kept with the entry, and the same after a reload."""
    webhook_id = thor_entry.data[CONF_WEBHOOK_ID]
    assert len(webhook_id) == 64
    assert await hass.config_entries.async_reload(thor_entry.entry_id)
    await hass.async_block_till_done()
    assert thor_entry.data[CONF_WEBHOOK_ID] == webhook_id


async def test_options_show_the_url_to_paste_into_thor(
    hass: HomeAssistant, thor_entry: MockConfigEntry
) -> None:
    result = await hass.config_entries.options.async_init(thor_entry.entry_id)
    # No external https URL is set up in tests: the URL is shown with a warning
    # (test_thor_push_url covers which URL, the warning and replacing the URL).
    assert result["step_id"] == "push_not_public"
    placeholders = result["description_placeholders"]
    assert placeholders is not None
    assert placeholders["webhook_url"].endswith(f"/api/webhook/{thor_entry.data[CONF_WEBHOOK_ID]}")
    done = await hass.config_entries.options.async_configure(result["flow_id"], {})
    assert done["type"] == "create_entry"


async def test_meter_values_show_the_power_at_once(
    hass: HomeAssistant, thor_entry_sim: Simulator, post: Any
) -> None:
    """Power.Active.Import is shown without a request to Thor."""
    before = api_requests(thor_entry_sim)
    body = meters_payload(GARAGE_ID, 1, "RFID-GARAGE-01", 123_000, 7_250, 4_000, 600)

    assert await post(body) == 200

    assert state_of(hass, GARAGE_POWER) == "7.25"
    assert api_requests(thor_entry_sim) == before


async def test_start_and_stop_show_the_status_at_once(hass: HomeAssistant, post: Any) -> None:
    assert state_of(hass, PARKING_2_STATUS) == "ready"

    assert await post(start_payload(PARKING_ID, 2, "API123456", 77, "api", accepted=True)) == 200
    assert state_of(hass, PARKING_2_STATUS) == "charging"

    body = stop_payload(PARKING_ID, 2, "API123456", 77, 1_500, 600)
    assert await post(body) == 200
    assert state_of(hass, PARKING_2_STATUS) == "ready"


async def test_rejected_start_changes_nothing(hass: HomeAssistant, post: Any) -> None:
    body = start_payload(PARKING_ID, 2, "API123456", 0, "api", accepted=False)
    assert await post(body) == 200
    assert state_of(hass, PARKING_2_STATUS) == "ready"


@pytest.mark.parametrize(
    ("body", "raw", "logged"),
    [
        (None, b"{not json", "malformed"),
        (None, b"\xff\xfe", "malformed"),
        (None, b"[" * 100_000, "too large"),
        ({"type": "meters", "connector": 1}, None, "malformed"),
        (
            {"type": "start", "chargebox": "CB-ELSEWHERE", "connector": 1, "accepted": True},
            None,
            "lacks",
        ),
        (
            {"type": "start", "chargebox": GARAGE_ID, "connector": 9, "accepted": True},
            None,
            "lacks",
        ),
    ],
)
async def test_bad_notifications_are_dropped_with_a_log_line(
    hass: HomeAssistant,
    post: Any,
    caplog: pytest.LogCaptureFixture,
    body: Any,
    raw: bytes | None,
    logged: str,
) -> None:
    """Answered 200 (Thor need not send again), logged, and nothing changes."""
    power = state_of(hass, GARAGE_POWER)
    with caplog.at_level(logging.INFO, logger="custom_components.ev_charger_cloud"):
        assert await post(body, raw=raw) == 200
    ours = [r for r in caplog.records if r.name.startswith("custom_components.ev_charger_cloud")]
    assert any(logged in r.getMessage() for r in ours)
    assert not any(r.exc_info for r in ours)
    assert state_of(hass, GARAGE_POWER) == power
    assert state_of(hass, PARKING_2_STATUS) == "ready"


async def test_notifications_do_not_postpone_polling(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    thor_entry_sim: Simulator,
    post: Any,
) -> None:
    """Polling is the safety net: it stays every minute however often Thor pushes."""
    before = api_requests(thor_entry_sim)
    for _ in range(6):
        body = meters_payload(GARAGE_ID, 1, "RFID-GARAGE-01", 123_000, 7_250, 4_000, 600)
        await post(body)
        await advance(hass, freezer, timedelta(seconds=20))
    # Two minutes: two polls of two or three requests each.
    assert 4 <= api_requests(thor_entry_sim) - before <= 6


async def test_clouds_that_do_not_post_take_no_notifications(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A Wallbox entry gets no webhook, and its client refuses a notification body."""
    assert CONF_WEBHOOK_ID not in init_integration.data
    client = init_integration.runtime_data.client
    assert not client.accepts_notifications
    with pytest.raises(CommandNotSupportedError):
        client.apply_notification_body(b"{}")


async def test_a_chunked_body_is_read_whole_up_to_the_limit(
    hass: HomeAssistant, thor_webhook: ThorWebhook, caplog: pytest.LogCaptureFixture
) -> None:
    """Without a Content-Length: read across chunks, and dropped once beyond the limit."""

    async def chunked(body: bytes, size: int) -> AsyncIterator[bytes]:
        for start in range(0, len(body), size):
            yield body[start : start + size]

    start = json.dumps(start_payload(PARKING_ID, 2, "API123456", 77, "api", accepted=True))
    response = await thor_webhook.client.post(thor_webhook.path, data=chunked(start.encode(), 7))
    await hass.async_block_till_done()
    assert response.status == 200
    assert state_of(hass, PARKING_2_STATUS) == "charging"

    huge = b" " * (100 * 1024)
    with caplog.at_level(logging.WARNING, logger="custom_components.ev_charger_cloud"):
        response = await thor_webhook.client.post(thor_webhook.path, data=chunked(huge, 1024))
    assert response.status == 200
    assert "Ignored a notification of more than 65536 bytes (too large)" in caplog.text
