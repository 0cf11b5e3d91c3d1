"""Push notifications: a webhook per entry for clouds that post their events (Thor).

Each entry of such a cloud registers a Home Assistant webhook whose random id,
kept with the entry, is what keeps the URL private (Thor does not say how it
signs its calls). The client reads the body; a notification updates the
entities at once, and polling goes on as the safety net.

Bodies that are too large, malformed, or about a device of another account are
answered 200 and dropped with a log line: the cloud only needs to know it was
received, and an error would only make it send again. Anyone who found the URL can
post such junk, so its warnings are rate-limited per entry (JunkLog): a flood of
bodies cannot flood the log. Notices the client does not show (a kind it does not
use, a late or repeated one) are logged at debug.
"""

from __future__ import annotations

from http import HTTPStatus
import time
from typing import Any
from weakref import WeakKeyDictionary

from aiohttp import web
from homeassistant.components import webhook
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant, callback

from .api import ChargerCloudClient, ChargerCloudError, DeviceGoneError
from .const import CONF_WEBHOOK_ID, DOMAIN, LOGGER
from .coordinator import EVChargerCloudConfigEntry
from .push_url import async_add_cloudhook, async_drop_cloudhook

WEBHOOK_NAME = "EV Charger Cloud notifications"
# After a warning about a junk body, the next one comes this much later at the earliest.
JUNK_WARNING_EVERY = 600.0  # s


class JunkLog:
    """Warnings about junk notification bodies: the first at once, then one per period.

    A warning tells how many were ignored since the last one; those in between are
    logged at debug only.
    """

    def __init__(self) -> None:
        """No junk seen yet."""
        self._quiet_until: float | None = None
        self._quiet = 0

    def report(self, message: str, *args: Any) -> None:
        """Log one junk body (``message`` names no value of the body)."""
        now = time.monotonic()
        if self._quiet_until is not None and now < self._quiet_until:
            self._quiet += 1
            LOGGER.debug(message, *args)
            return
        if self._quiet:
            LOGGER.warning(
                message + " (%s more ignored since the last such warning)", *args, self._quiet
            )
        else:
            LOGGER.warning(message, *args)
        self._quiet = 0
        self._quiet_until = now + JUNK_WARNING_EVERY


_JUNK_LOGS: WeakKeyDictionary[EVChargerCloudConfigEntry, JunkLog] = WeakKeyDictionary()


@callback
def async_setup_push(hass: HomeAssistant, entry: EVChargerCloudConfigEntry) -> None:
    """Listen for the account's notifications while the entry is loaded (clouds that post)."""
    client = entry.runtime_data.client
    if not client.accepts_notifications:
        return
    webhook_id = entry.data.get(CONF_WEBHOOK_ID)
    if not isinstance(webhook_id, str):
        webhook_id = webhook.async_generate_id()
        hass.config_entries.async_update_entry(
            entry, data={**entry.data, CONF_WEBHOOK_ID: webhook_id}
        )
    _register(hass, entry, webhook_id)
    # The id in use when the entry unloads: a new URL may have replaced the first one.
    entry.async_on_unload(
        lambda: webhook.async_unregister(hass, str(entry.data.get(CONF_WEBHOOK_ID)))
    )


@callback
def _register(hass: HomeAssistant, entry: EVChargerCloudConfigEntry, webhook_id: str) -> None:
    client = entry.runtime_data.client

    async def handle(hass: HomeAssistant, webhook_id: str, request: web.Request) -> web.Response:
        await _async_handle(entry, client, request)
        return web.Response(status=HTTPStatus.OK)

    webhook.async_register(
        hass, DOMAIN, WEBHOOK_NAME, webhook_id, handle, allowed_methods=("POST",)
    )


async def async_new_webhook(
    hass: HomeAssistant, entry: EVChargerCloudConfigEntry, *, use_cloudhook: bool
) -> None:
    """Give the entry a new notification URL; the old one stops working at once.

    The entry, its entities and its history stay; only the webhook id changes (and
    the cloudhook with it when one is wanted). Raises CloudhookUnavailableError (the
    new id is in place then) when Home Assistant Cloud cannot make the cloudhook now.
    """
    old_id = entry.data.get(CONF_WEBHOOK_ID)
    if isinstance(old_id, str):
        webhook.async_unregister(hass, old_id)
        await async_drop_cloudhook(hass, entry)
    new_id = webhook.async_generate_id()
    hass.config_entries.async_update_entry(entry, data={**entry.data, CONF_WEBHOOK_ID: new_id})
    if entry.state is ConfigEntryState.LOADED:
        _register(hass, entry, new_id)
    if use_cloudhook:
        await async_add_cloudhook(hass, entry)


async def _async_handle(
    entry: EVChargerCloudConfigEntry, client: ChargerCloudClient, request: web.Request
) -> None:
    junk = _JUNK_LOGS.setdefault(entry, JunkLog())
    limit = client.max_notification_bytes
    if (request.content_length or 0) > limit:
        junk.report("Ignored a notification of %s bytes (too large)", request.content_length)
        return
    raw = await _read_at_most(request, limit + 1)
    if len(raw) > limit:
        junk.report("Ignored a notification of more than %s bytes (too large)", limit)
        return
    try:
        device = client.apply_notification_body(raw)
    except DeviceGoneError:
        junk.report("Ignored a notification about a device this entry lacks")
        return
    except ChargerCloudError as err:
        # The message names no value of the body.
        junk.report("Ignored a malformed notification: %s", type(err).__name__)
        return
    if device is None:
        LOGGER.debug("Ignored a notification of a kind not shown, late, or repeated")
        return
    entry.runtime_data.coordinator.async_show_pushed(device)


async def _read_at_most(request: web.Request, size: int) -> bytes:
    """The body, or its first ``size`` bytes (a read gives what has arrived, maybe less)."""
    chunks: list[bytes] = []
    left = size
    while left > 0 and (chunk := await request.content.read(left)):
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
