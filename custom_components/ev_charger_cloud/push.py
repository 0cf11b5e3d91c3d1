"""Push notifications: a webhook per entry that the cloud (Thor) posts its events to.

Thor can post start, stop and meter-value notifications to a URL. Each entry
registers a Home Assistant webhook whose random id, kept with the entry, is
what keeps the URL private (Thor does not say how it signs its calls). A
notification updates the entities at once; polling goes on as the safety net.

Bodies that are too large, not JSON, of an unknown shape or about a chargebox
of another account are answered 200 and dropped with a log line: Thor only
needs to know it was received, and an error would only make it send again.
"""

from __future__ import annotations

from http import HTTPStatus
import json

from aiohttp import web
from homeassistant.components import webhook
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.network import NoURLAvailableError

from .api import ChargerCloudError
from .api.thor_cloud import ThorCloudClient
from .api.thor_push import MAX_NOTIFICATION_BYTES, parse_notification
from .const import CONF_WEBHOOK_ID, DOMAIN, LOGGER
from .coordinator import EVChargerCloudConfigEntry

WEBHOOK_NAME = "EV Charger Cloud (Thor notifications)"


@callback
def async_setup_push(hass: HomeAssistant, entry: EVChargerCloudConfigEntry) -> None:
    """Listen for the account's notifications while the entry is loaded (Thor only)."""
    client = entry.runtime_data.client
    if not isinstance(client, ThorCloudClient):
        return
    webhook_id = entry.data.get(CONF_WEBHOOK_ID)
    if not isinstance(webhook_id, str):
        webhook_id = webhook.async_generate_id()
        hass.config_entries.async_update_entry(
            entry, data={**entry.data, CONF_WEBHOOK_ID: webhook_id}
        )

    async def handle(hass: HomeAssistant, webhook_id: str, request: web.Request) -> web.Response:
        await _async_handle(entry, client, request)
        return web.Response(status=HTTPStatus.OK)

    webhook.async_register(
        hass, DOMAIN, WEBHOOK_NAME, webhook_id, handle, allowed_methods=("POST",)
    )
    entry.async_on_unload(lambda: webhook.async_unregister(hass, webhook_id))


async def _async_handle(
    entry: EVChargerCloudConfigEntry, client: ThorCloudClient, request: web.Request
) -> None:
    if (request.content_length or 0) > MAX_NOTIFICATION_BYTES:
        LOGGER.warning("Ignored a notification of %s bytes (too large)", request.content_length)
        return
    raw = await request.content.read(MAX_NOTIFICATION_BYTES + 1)
    if len(raw) > MAX_NOTIFICATION_BYTES:
        LOGGER.warning("Ignored a notification of more than %s bytes", MAX_NOTIFICATION_BYTES)
        return
    try:
        notice = parse_notification(json.loads(raw))
    except (ValueError, RecursionError, ChargerCloudError) as err:
        # ValueError covers bad JSON and bad UTF-8; the message names no value.
        LOGGER.warning("Ignored a malformed notification: %s", type(err).__name__)
        return
    if notice is None:
        LOGGER.debug("Ignored a notification of a kind the integration does not use")
        return
    charger = client.apply_notification(notice)
    if charger is None:
        LOGGER.info("Ignored a notification about a chargebox or connector this entry lacks")
        return
    entry.runtime_data.coordinator.async_show_pushed(charger)


def webhook_url(hass: HomeAssistant, entry: EVChargerCloudConfigEntry) -> str:
    """The URL to paste into the Thor dashboard (its path alone when HA knows no URL)."""
    webhook_id = str(entry.data.get(CONF_WEBHOOK_ID, ""))
    try:
        return webhook.async_generate_url(hass, webhook_id)
    except NoURLAvailableError:
        return webhook.async_generate_path(webhook_id)
