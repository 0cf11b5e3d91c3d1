"""Diagnostics: what the integration knows, with every secret and personal detail removed.

Secrets and personal details (credentials, tokens, names, places) are redacted.
Identifiers (device, charger and box ids, serial numbers, group, user and org
ids) are replaced by pseudonyms such as ``charger_1``: one id has the same
pseudonym everywhere in a dump, also in keys and in what is derived from it
(``charger_1/2`` for a connector of a Thor box), so a maintainer can still
tell which parts belong together.

Names are free text people wrote (a Wallbox charger's name, a Thor box's alias,
the Podero comment a device is named after): personal data in every cloud. A
device's name is shown as the device's pseudonym wherever it stands under a
name key, and every other name is redacted; Podero's comment itself is left out.
"""

from __future__ import annotations

from collections.abc import Mapping
import dataclasses
import re
from typing import Any

from homeassistant.components.diagnostics import REDACTED, async_redact_data
from homeassistant.const import CONF_CLIENT_ID, CONF_CLIENT_SECRET, CONF_EMAIL, CONF_PASSWORD
from homeassistant.core import HomeAssistant

from .const import (
    CONF_ACCOUNT_BOX,
    CONF_CLOUDHOOK_URL,
    CONF_DEVICE_IDS,
    CONF_ORG_ID,
    CONF_TOKENS,
    CONF_USER_ID,
    CONF_WEBHOOK_ID,
)
from .coordinator import EVChargerCloudConfigEntry

TO_REDACT = {
    CONF_EMAIL,
    CONF_PASSWORD,
    CONF_TOKENS,
    CONF_CLIENT_ID,
    CONF_CLIENT_SECRET,
    CONF_WEBHOOK_ID,
    CONF_CLOUDHOOK_URL,
    # Thor: the tags of charges started here.
    "id_tags",
    "owner",
    "first_name",
    "last_name",
    "comment",
    "latitude",
    "longitude",
    "token",
    "refresh_token",
    "api_key",
    "user_name",
    "car_plate",
    "depot_name",
    "sim_iccid",
    "unique_id",
    "title",
}

# Keys whose values are identifiers, and the pseudonym each gets when first met there.
ID_KEYS: Mapping[str, str] = {
    "device_id": "device",
    "charger_id": "charger",
    CONF_DEVICE_IDS: "device",
    CONF_ACCOUNT_BOX: "charger",
    "chargebox_id": "charger",
    "box_id": "charger",
    "serial_number": "serial",
    "mid_serial_number": "serial",
    "uid": "uid",
    "group_id": "group",
    "inheritedGroupId": "group",
    CONF_USER_ID: "user",
    "owner_id": "user",
    "unlock_user_id": "user",
    CONF_ORG_ID: "org",
    "account_id": "account",
}
# Keys holding names people wrote (see the module's docstring).
NAME_KEYS = frozenset({"name", "alias"})
# Keys holding an id that is replaced only when it is known from elsewhere
# (a currency or country also has an "id").
KNOWN_ID_KEYS = frozenset({"id"})
# Ids this long or longer are also replaced where they are part of a text.
MIN_EMBEDDED_LENGTH = 4


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: EVChargerCloudConfigEntry
) -> dict[str, Any]:
    """The entry, the parsed devices and the cloud's last raw answers."""
    runtime = entry.runtime_data
    devices = runtime.coordinator.data
    dump = async_redact_data(
        {
            "entry": entry.as_dict(),
            "devices": {
                device_id: {"kind": device.kind, **_plain(dataclasses.asdict(device))}
                for device_id, device in devices.items()
            },
            "cloud": runtime.client.diagnostics(),
            # What the polling learned: the reads the cloud takes at once.
            "polling": {"read_burst": runtime.coordinator.read_burst},
        },
        TO_REDACT,
    )
    pseudonyms = Pseudonyms()
    for device_id, device in devices.items():
        pseudonyms.add(device_id, str(device.kind))
        pseudonyms.name(device.name, device_id)
    pseudonyms.collect(dump)
    result: dict[str, Any] = pseudonyms.apply(dump)
    return result


def _plain(value: Any) -> Any:
    """A dataclass dump with feature sets as sorted lists (JSON has no sets)."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, frozenset):
        return sorted(value)
    return value


class Pseudonyms:
    """Stable pseudonyms (``charger_1``, ``group_1``…) for the identifiers of one dump."""

    def __init__(self) -> None:
        self._names: dict[str, str] = {}
        self._counts: dict[str, int] = {}
        self._embedded: re.Pattern[str] | None = None
        # A device's name -> the id it names (the name shows as the id's pseudonym).
        self._device_names: dict[str, str] = {}

    def add(self, value: Any, prefix: str) -> None:
        """Give ``value`` the next pseudonym of ``prefix`` unless it has one."""
        key = _id_text(value)
        if key is None or key in self._names:
            return
        self._counts[prefix] = self._counts.get(prefix, 0) + 1
        self._names[key] = f"{prefix}_{self._counts[prefix]}"
        self._embedded = None

    def name(self, name: str, device_id: str) -> None:
        """``name`` (under a name key) shows as the pseudonym of ``device_id``."""
        self._device_names[name] = device_id

    def collect(self, data: Any) -> None:
        """Add every identifier found under an identifier key of ``data``."""
        if isinstance(data, Mapping):
            for key, value in data.items():
                prefix = ID_KEYS.get(key)
                if prefix is not None:
                    for item in value if isinstance(value, list | tuple) else (value,):
                        self.add(item, prefix)
                self.collect(value)
        elif isinstance(data, list | tuple):
            for item in data:
                self.collect(item)

    def apply(self, data: Any, key: Any = None) -> Any:
        """``data`` with every known identifier replaced by its pseudonym."""
        if isinstance(data, Mapping):
            return {self._text(k, exact=True): self.apply(v, k) for k, v in data.items()}
        if isinstance(data, list | tuple):
            return [self.apply(item, key) for item in data]
        if key in NAME_KEYS and isinstance(data, str) and data:
            device_id = self._device_names.get(data)
            return REDACTED if device_id is None else self._names.get(device_id, REDACTED)
        if key in ID_KEYS or key in KNOWN_ID_KEYS:
            name = self._names.get(_id_text(data) or "")
            if name is not None:
                return name
        if isinstance(data, str):
            return self._text(data, exact=False)
        return data

    def _text(self, text: Any, *, exact: bool) -> Any:
        """A key or text with known ids replaced; short ids only as the whole text."""
        if not isinstance(text, str):
            # A key may be a number (a charger id); other values are left to apply().
            known = self._names.get(_id_text(text) or "") if exact else None
            return text if known is None else known
        name = self._names.get(text)
        if name is not None and (exact or len(text) >= MIN_EMBEDDED_LENGTH):
            return name
        pattern = self._pattern()
        if pattern is None:
            return text
        return pattern.sub(lambda match: self._names[match.group(0)], text)

    def _pattern(self) -> re.Pattern[str] | None:
        """Matches a known id (the longest first) that is not part of a longer word."""
        if self._embedded is None:
            ids = sorted(
                (key for key in self._names if len(key) >= MIN_EMBEDDED_LENGTH),
                key=len,
                reverse=True,
            )
            if not ids:
                return None
            alternatives = "|".join(re.escape(key) for key in ids)
            self._embedded = re.compile(rf"(?<![A-Za-z0-9])(?:{alternatives})(?![A-Za-z0-9])")
        return self._embedded


def _id_text(value: Any) -> str | None:
    """An identifier as text; None for what is no identifier (empty, redacted, a flag)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value and value != REDACTED:
        return value
    return None
