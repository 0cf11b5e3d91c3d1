"""Repair issues: what the user has to change somewhere else for the integration to work.

A device whose cloud lost access to it (sign in at the maker again), and an
account whose cloud refuses its API until a dashboard setting changes. Both go
away by themselves once the cloud answers as it should again. The coordinator
calls in here; this module knows only Home Assistant's generic coordinator and
entry, never ours, so nothing here imports the coordinator back. (Not named
``repairs.py``: Home Assistant loads that as the platform of fixable issues.)
"""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator

from .api import Device, Provider, ServiceDisabledReason
from .const import DOMAIN


def _prefix(entry_id: str) -> str:
    return f"reconnect_{entry_id}_"


@callback
def async_track_reconnect_issues(
    hass: HomeAssistant,
    entry: ConfigEntry[Any],
    coordinator: DataUpdateCoordinator[dict[str, Device]],
    provider: Provider,
) -> None:
    """Keep one repair issue per device whose cloud lost access to it, while it lasts."""

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
                translation_placeholders={"device": device.name, "cloud": cloud_name(provider)},
            )
        for issue_id in _issue_ids(hass, entry.entry_id) - wanted.keys():
            ir.async_delete_issue(hass, DOMAIN, issue_id)

    update()
    entry.async_on_unload(coordinator.async_add_listener(update))


@callback
def async_clear_entry_issues(hass: HomeAssistant, entry_id: str) -> None:
    """Drop the issues of an entry that is removed."""
    for issue_id in _issue_ids(hass, entry_id) | {_service_issue_id(entry_id)}:
        ir.async_delete_issue(hass, DOMAIN, issue_id)


@callback
def async_service_disabled(
    hass: HomeAssistant, entry_id: str, account: str, reason: ServiceDisabledReason
) -> None:
    """The cloud refuses the account's API until its dashboard allows it (Thor)."""
    ir.async_create_issue(
        hass,
        DOMAIN,
        _service_issue_id(entry_id),
        is_fixable=False,
        severity=ir.IssueSeverity.ERROR,
        translation_key=reason.value,
        translation_placeholders={"account": account},
    )


@callback
def async_service_enabled(hass: HomeAssistant, entry_id: str) -> None:
    """The cloud answers again: the dashboard was changed."""
    ir.async_delete_issue(hass, DOMAIN, _service_issue_id(entry_id))


def cloud_name(provider: Provider) -> str:
    """How the cloud is called in messages."""
    return provider.value.capitalize()


def _service_issue_id(entry_id: str) -> str:
    return f"service_disabled_{entry_id}"


def _issue_ids(hass: HomeAssistant, entry_id: str) -> set[str]:
    prefix = _prefix(entry_id)
    return {
        issue_id
        for domain, issue_id in ir.async_get(hass).issues
        if domain == DOMAIN and issue_id.startswith(prefix)
    }
