"""Repair issues for devices the user has to act on (e.g. sign in at the maker again)."""

from __future__ import annotations

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir

from .const import DOMAIN
from .coordinator import EVChargerCloudConfigEntry


def _prefix(entry_id: str) -> str:
    return f"reconnect_{entry_id}_"


@callback
def async_track_reconnect_issues(hass: HomeAssistant, entry: EVChargerCloudConfigEntry) -> None:
    """Keep one repair issue per device whose cloud lost access to it, while it lasts."""
    coordinator = entry.runtime_data.coordinator
    provider = coordinator.client.provider

    @callback
    def update() -> None:
        if not coordinator.last_update_success:
            return  # nothing new is known; keep the issues as they are
        wanted = {
            f"{_prefix(entry.entry_id)}{device.device_id}": device
            for device in coordinator.data.values()
            if device.reconnect_needed
        }
        for issue_id, device in wanted.items():
            ir.async_create_issue(
                hass,
                DOMAIN,
                issue_id,
                is_fixable=False,
                severity=ir.IssueSeverity.WARNING,
                translation_key="device_reconnect",
                translation_placeholders={
                    "device": device.name,
                    "cloud": provider.value.capitalize(),
                },
            )
        for issue_id in _issue_ids(hass, entry.entry_id) - wanted.keys():
            ir.async_delete_issue(hass, DOMAIN, issue_id)

    update()
    entry.async_on_unload(coordinator.async_add_listener(update))


@callback
def async_clear_reconnect_issues(hass: HomeAssistant, entry_id: str) -> None:
    """Drop the issues of an entry that is removed."""
    for issue_id in _issue_ids(hass, entry_id):
        ir.async_delete_issue(hass, DOMAIN, issue_id)


def _issue_ids(hass: HomeAssistant, entry_id: str) -> set[str]:
    prefix = _prefix(entry_id)
    return {
        issue_id
        for domain, issue_id in ir.async_get(hass).issues
        if domain == DOMAIN and issue_id.startswith(prefix)
    }
