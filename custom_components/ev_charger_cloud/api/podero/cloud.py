"""Podero as a ChargerCloudClient: one user's wallboxes and electric vehicles.

``PoderoCloud`` puts a PoderoClient narrowed to one user (``client.py``, the
HTTP and Podero's JSON) behind the neutral contract; ``mapping.py`` turns
Podero's devices and charging configuration into the neutral model. Podero
lists every device with its full state, so a poll reads the two lists and
nothing else (``PollPlan.read_all``) plus the user's charging configuration,
which becomes an ``AccountSettings`` device. A pause is a time to pause until.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
import hashlib
import logging
from typing import Any, ClassVar

from ..base import ChargerCloudClient
from ..errors import AccountNotFoundError, DeviceGoneError, NotPermittedError
from ..models import (
    Account,
    BoostState,
    ChargingMode,
    Device,
    DeviceRef,
    PollPlan,
    Provider,
    Target,
)
from .auth import PoderoToken
from .client import (
    ELECTRIC_VEHICLE,
    WALLBOX,
    PoderoClient,
    PoderoDeviceKind,
)
from .mapping import device_kind, device_name, to_account, to_device
from .models import PoderoChargingConfig, PoderoChargingMode, PoderoDevice

_LOGGER = logging.getLogger(__name__)

DEFAULT_PAUSE = timedelta(hours=2)

# Personal data the diagnostics leave out (the caller's redaction does not know Podero's names).
_PERSONAL = frozenset({"owner", "comment", "latitude", "longitude", "resolution_url"})


class PoderoCloud(ChargerCloudClient):
    """One user of a Podero partner organisation: their wallboxes and electric vehicles."""

    provider: ClassVar[Provider] = Provider.PODERO
    # Podero refreshes device data every 5-15 min and lists devices with their full
    # state: read both lists and the charging config every 5 min, and not more often
    # than every 30 s. A requested boost starts (or is refused) within a minute or
    # two: poll every minute meanwhile, for 10 min at most.
    poll_plan: ClassVar[PollPlan] = PollPlan.reading_all(
        timedelta(minutes=5),
        min_spacing=timedelta(seconds=30),
        settle_interval=timedelta(minutes=1),
        settle_for=timedelta(minutes=10),
    )

    def __init__(
        self,
        client: PoderoClient,
        *,
        pause_duration: timedelta = DEFAULT_PAUSE,
    ) -> None:
        """The neutral view of ``client``, a PoderoClient narrowed to one user.

        A pause lasts ``pause_duration`` unless resumed earlier.
        """
        if client.user_id is None:
            raise ValueError("PoderoCloud needs a PoderoClient narrowed to one user")
        self.podero = client
        self._user_id = client.user_id
        self.pause_duration = pause_duration
        # The kind of every device of the last lists, and its last reading.
        self._kinds: dict[str, PoderoDeviceKind[Any]] = {}
        self._raw: dict[str, PoderoDevice] = {}
        self._config: PoderoChargingConfig | None = None

    @property
    def token(self) -> PoderoToken | None:
        """The token in use (stored by the caller so restarts need no token request)."""
        return self.podero.token

    @property
    def account_device_id(self) -> str:
        """The id of the account's settings device: stable, unique, and not the user's id."""
        digest = hashlib.sha256(f"{self.podero.org_id}/{self._user_id}".encode()).hexdigest()
        return f"account-{digest[:16]}"

    # --- account and devices --------------------------------------------------

    async def async_authenticate(self) -> Account:
        """Check the credentials and the user; the account is named after the user."""
        user = await self.podero.async_get_user()
        return Account(unique_id=f"{self.podero.org_id}_{self._user_id}", title=user.display_name)

    async def _async_lists(self) -> list[PoderoDevice]:
        """Both lists (two requests); soft-deleted devices are left out."""
        wallboxes = await self.podero.async_get_wallboxes()
        vehicles = await self.podero.async_get_vehicles()
        kinds: dict[str, PoderoDeviceKind[Any]] = {}
        devices: list[PoderoDevice] = []
        for kind, items in ((WALLBOX, wallboxes), (ELECTRIC_VEHICLE, vehicles)):
            for item in items:
                if item.deleted_at is None:
                    kinds[item.id] = kind
                    devices.append(item)
        self._kinds = kinds
        self._raw = {device.id: device for device in devices}
        return devices

    async def async_discover(self) -> list[DeviceRef]:
        """The user's wallboxes, then their vehicles."""
        return [
            DeviceRef(device_id=device.id, name=device_name(device), kind=device_kind(device))
            for device in await self._async_lists()
        ]

    async def async_read_all(self) -> list[Device]:
        """Every device with its current state, and the account's settings (three requests)."""
        devices = [to_device(device) for device in await self._async_lists()]
        config = await self._async_charging_config()
        if config is not None:
            devices.append(to_account(self.account_device_id, config))
        return devices

    async def _async_charging_config(self) -> PoderoChargingConfig | None:
        """The user's charging configuration; None where Podero does not give it."""
        try:
            self._config = await self.podero.async_get_charging_config()
        except (NotPermittedError, AccountNotFoundError) as err:
            # Devices still work without it; the account's settings are left out.
            _LOGGER.debug("No charging configuration for this user: %s", err)
            self._config = None
        return self._config

    async def _kind_of(self, device_id: str) -> PoderoDeviceKind[Any]:
        """Whether an id is a wallbox or a vehicle; lists again for an id not seen yet."""
        if device_id not in self._kinds:
            await self._async_lists()
        try:
            return self._kinds[device_id]
        except KeyError:
            raise DeviceGoneError("The device is not, or no longer, with this user") from None

    async def async_get_device(self, device_id: str) -> Device:
        """Read one wallbox or vehicle."""
        kind = await self._kind_of(device_id)
        return self._keep(await self.podero.async_get_device(kind, device_id))

    def _keep(self, device: PoderoDevice) -> Device:
        self._raw[device.id] = device
        return to_device(device)

    def _confirmed(self, answer: PoderoDevice | None) -> Device | None:
        """A write's answer as kept and shown; None when it confirms nothing (read again)."""
        return None if answer is None else self._keep(answer)

    def diagnostics(self) -> dict[str, Any]:
        """The last reading of each device as Podero sent it, without personal data."""
        return {
            "devices": {
                device_id: {"type": type(device).__name__, **_plain(dataclasses.asdict(device))}
                for device_id, device in self._raw.items()
            },
            "charging_config": None
            if self._config is None
            else _plain(dataclasses.asdict(self._config)),
        }

    # --- commands -------------------------------------------------------------

    async def async_set_charging(self, target: Target, enabled: bool) -> Device | None:
        """Resume (end the pause) or pause for ``pause_duration``; both answer the device."""
        kind = await self._kind_of(target.device_id)
        if enabled:
            answer = await self.podero.async_resume(kind, target.device_id)
        else:
            until = datetime.now(UTC) + self.pause_duration
            answer = await self.podero.async_pause(kind, target.device_id, until)
        return self._confirmed(answer)

    async def async_set_smart_optimization(self, target: Target, active: bool) -> Device | None:
        """Switch Podero's optimisation of a wallbox or vehicle; answers the device."""
        kind = await self._kind_of(target.device_id)
        return self._confirmed(
            await self.podero.async_set_smart_optimization(kind, target.device_id, active)
        )

    async def async_set_charge_policy(self, target: Target, enabled: bool) -> Device | None:
        """Put the vehicle's charge target in force, or not."""
        return self._confirmed(
            await self.podero.async_set_vehicle_charge_policy(
                target.device_id, is_charge_policy_enabled=enabled
            )
        )

    async def async_set_minimum_charge_limit(self, target: Target, percent: int) -> Device | None:
        """Set the level (%) the vehicle charges to by its deadline."""
        return self._confirmed(
            await self.podero.async_set_vehicle_charge_policy(
                target.device_id, minimum_charge_limit=percent
            )
        )

    async def async_set_charge_deadline(self, target: Target, deadline: time) -> Device | None:
        """Set the time of day (to the minute) the vehicle's target is reached by."""
        return self._confirmed(
            await self.podero.async_set_vehicle_charge_policy(
                target.device_id, charge_deadline_at=deadline
            )
        )

    async def async_boost(self, target: Target) -> Device | None:
        """Charge now; Podero answers 204, so a vehicle is shown as requested until read again."""
        kind = await self._kind_of(target.device_id)
        await self.podero.async_boost(kind, target.device_id)
        return self._expected(target.device_id, boost_state=BoostState.REQUESTED)

    async def async_cancel_boost(self, target: Target) -> Device | None:
        """Cancel a boost (on a vehicle only one armed for the next session); read again."""
        kind = await self._kind_of(target.device_id)
        await self.podero.async_cancel_boost(kind, target.device_id)
        return None

    async def async_set_charging_mode(self, target: Target, mode: ChargingMode) -> Device | None:
        """Choose the user's charging mode; the answer is the whole configuration."""
        config = await self.podero.async_set_charging_mode(PoderoChargingMode(mode.value))
        if config is None:  # applied, but the answer does not tell: read it again
            return None
        self._config = config
        return to_account(self.account_device_id, config)

    def _expected(self, device_id: str, **changes: Any) -> Device | None:
        """The last reading with the expected changes, unconfirmed (None: read it again).

        Only for devices that report a boost state (vehicles, some wallboxes).
        """
        raw = self._raw.get(device_id)
        if raw is None or raw.boost_state is None:
            return None
        return dataclasses.replace(to_device(raw), confirmed=False, **changes)


def _plain(value: Any) -> Any:
    """JSON-friendly diagnostics: dates as text, personal fields left out."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items() if key not in _PERSONAL}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, StrEnum):
        return value.value
    return value
