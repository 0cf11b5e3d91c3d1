"""The address a cloud posts its notifications to: which URL, whether it can work, a new one.

The cloud (Thor) calls from the internet, so only an https URL that Home
Assistant is reachable at from outside can work: the external URL when it is
https, or a Home Assistant Cloud webhook (cloudhook) that the user chose in the
options. The random webhook id in the URL is what keeps it private; a URL that
leaked is replaced by a new id, and the old one stops working at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType

from homeassistant.components import webhook
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.network import NoURLAvailableError, get_url

from .const import CONF_CLOUDHOOK_URL, CONF_WEBHOOK_ID, LOGGER


class CloudhookUnavailableError(HomeAssistantError):
    """Home Assistant Cloud cannot make a cloudhook now (not connected, or not there)."""


def _cloud() -> ModuleType:
    """Home Assistant Cloud's component, imported when first needed (see _cloud_loaded).

    It is large, and most installations never use it here: importing the
    integration must not load it.
    """
    from homeassistant.components import cloud  # noqa: PLC0415

    return cloud


def _cloud_loaded(hass: HomeAssistant) -> bool:
    """Whether Home Assistant Cloud is set up: only then can it carry a cloudhook.

    Checked before its component is imported: where it is not set up, its
    libraries may be missing too.
    """
    return "cloud" in hass.config.components


def _subscribed(hass: HomeAssistant) -> bool:
    return _cloud_loaded(hass) and bool(_cloud().async_active_subscription(hass))


@dataclass(frozen=True, slots=True)
class PushAddress:
    """The URL to paste into the cloud's settings, and whether the cloud can reach it."""

    url: str
    reachable: bool


def cloudhooks_offered(hass: HomeAssistant, entry: ConfigEntry) -> bool:
    """Home Assistant Cloud can carry the notifications, or already does for the entry."""
    return CONF_CLOUDHOOK_URL in entry.data or _subscribed(hass)


def push_address(hass: HomeAssistant, entry: ConfigEntry) -> PushAddress:
    """The entry's notification URL: its cloudhook, else HA's external https URL.

    Without either, whatever URL Home Assistant knows (or the path alone), marked
    unreachable: an internal or plain-http address cannot be called from the internet.
    """
    cloudhook = entry.data.get(CONF_CLOUDHOOK_URL)
    if isinstance(cloudhook, str):
        return PushAddress(cloudhook, _subscribed(hass))
    path = webhook.async_generate_path(str(entry.data.get(CONF_WEBHOOK_ID, "")))
    try:
        base = get_url(
            hass, allow_internal=False, allow_cloud=False, require_ssl=True, prefer_external=True
        )
    except NoURLAvailableError:
        pass
    else:
        return PushAddress(base + path, True)
    try:
        return PushAddress(get_url(hass, allow_cloud=False, prefer_external=True) + path, False)
    except NoURLAvailableError:
        return PushAddress(path, False)


async def async_add_cloudhook(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """Carry the notifications through Home Assistant Cloud.

    Raises CloudhookUnavailableError when the cloud is not connected (or not there).
    """
    if not _cloud_loaded(hass):
        raise CloudhookUnavailableError
    cloud = _cloud()
    try:
        url = await cloud.async_create_cloudhook(hass, str(entry.data[CONF_WEBHOOK_ID]))
    except cloud.CloudNotAvailable as err:  # also CloudNotConnected
        raise CloudhookUnavailableError from err
    hass.config_entries.async_update_entry(entry, data={**entry.data, CONF_CLOUDHOOK_URL: url})


async def async_drop_cloudhook(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """Stop the entry's cloudhook, if it has one; the cloud forgets its URL."""
    if CONF_CLOUDHOOK_URL not in entry.data:
        return
    webhook_id = str(entry.data.get(CONF_WEBHOOK_ID))
    data = dict(entry.data)
    del data[CONF_CLOUDHOOK_URL]
    hass.config_entries.async_update_entry(entry, data=data)
    await async_delete_cloudhook(hass, webhook_id)


async def async_forget_cloudhook(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """The entry is removed: its cloudhook, if it has one, goes with it."""
    if CONF_CLOUDHOOK_URL in entry.data:
        await async_delete_cloudhook(hass, str(entry.data.get(CONF_WEBHOOK_ID)))


async def async_delete_cloudhook(hass: HomeAssistant, webhook_id: str) -> None:
    """Have Home Assistant Cloud forget the cloudhook of ``webhook_id``."""
    if not _cloud_loaded(hass):
        LOGGER.debug("Home Assistant Cloud is not set up: its cloudhook stays with it")
        return
    cloud = _cloud()
    try:
        await cloud.async_delete_cloudhook(hass, webhook_id)
    except (cloud.CloudNotAvailable, ValueError):
        # Cloud gone (or it knew no such hook): nothing is left that could forward to us.
        LOGGER.debug("No cloudhook to delete")
