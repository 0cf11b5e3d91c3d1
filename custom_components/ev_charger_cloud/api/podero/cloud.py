"""Podero as a ChargerCloudClient: its wallboxes and electric vehicles in the neutral model.

Podero's quirks stay here. It has no device names, reports a wallbox's state
as a ``mode`` pill plus flags, pauses by a time to pause until, and lists every
device with its full state, so a poll reads the two lists and nothing else
(``PollPlan.read_all``) plus the user's charging configuration, which becomes
an ``AccountSettings`` device.

Wallbox → Charger with one connector "1"; its status, in this order:

===============================================  ==========================
Podero                                           ChargerStatus
===============================================  ==========================
``mode`` UNAVAILABLE (offline, lost upstream)    DISCONNECTED
``is_pause_power_active``                        PAUSED (also without a car:
                                                 the pause can be lifted)
``mode`` CHARGING                                CHARGING
``mode`` PLUGGED_IN, ``is_fully_charged``        WAITING_FOR_CAR_DEMAND
``mode`` PLUGGED_IN                              WAITING (Podero's schedule
                                                 or the sun decides)
``mode`` READY                                   READY
``mode`` UNKNOWN or absent: the same from        as above
``is_charging`` / ``is_plugged_in``
nothing tells                                    UNKNOWN
===============================================  ==========================
"""

from __future__ import annotations

from collections.abc import Callable
import dataclasses
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
import hashlib
import logging
from typing import Any, ClassVar

import aiohttp

from ..base import ChargerCloudClient
from ..errors import AccountNotFoundError, DeviceGoneError, NotPermittedError
from ..models import (
    Account,
    AccountSettings,
    BoostState,
    Charger,
    ChargerStatus,
    ChargingMode,
    Connector,
    Device,
    DeviceKind,
    DeviceRef,
    Feature,
    Health,
    PollPlan,
    Provider,
    Target,
    Vehicle,
)
from .auth import PoderoToken
from .client import ELECTRIC_VEHICLE, WALLBOX, PoderoClient, PoderoDeviceKind
from .models import (
    PoderoActionCode,
    PoderoChargingConfig,
    PoderoChargingMode,
    PoderoConnection,
    PoderoDevice,
    PoderoMode,
    PoderoVehicle,
    PoderoWallbox,
)

_LOGGER = logging.getLogger(__name__)

CONNECTOR_ID = "1"
ACCOUNT_NAME = "Podero"
DEFAULT_PAUSE = timedelta(hours=2)
UNKNOWN_MANUFACTURER = "Unknown"

# Personal data the diagnostics leave out (the caller's redaction does not know Podero's names).
_PERSONAL = frozenset({"owner", "comment", "latitude", "longitude", "resolution_url"})


class PoderoCloud(ChargerCloudClient):
    """One user of a Podero partner organisation: their wallboxes and electric vehicles."""

    provider: ClassVar[Provider] = Provider.PODERO
    # Podero refreshes device data every 5-15 min and lists devices with their full
    # state: read both lists and the charging config every 5 min, and not more often
    # than every 30 s. A requested boost starts (or is refused) within a minute or
    # two: poll every minute meanwhile, for 10 min at most.
    poll_plan: ClassVar[PollPlan] = PollPlan(
        interval=timedelta(minutes=5),
        min_spacing=timedelta(seconds=30),
        devices_per_poll=None,
        rediscover_every=timedelta(minutes=5),
        read_all=True,
        settle_interval=timedelta(minutes=1),
        settle_for=timedelta(minutes=10),
    )

    def __init__(
        self,
        session: aiohttp.ClientSession,
        client_id: str,
        client_secret: str,
        org_id: str,
        user_id: str,
        *,
        base_url: str | None = None,
        token: PoderoToken | None = None,
        on_token: Callable[[PoderoToken], None] | None = None,
        timeout: float | None = None,
        pause_duration: timedelta = DEFAULT_PAUSE,
    ) -> None:
        """Set up the client; a pause lasts ``pause_duration`` unless resumed earlier."""
        self.podero = PoderoClient(
            session,
            client_id,
            client_secret,
            org_id,
            user_id=user_id,
            base_url=base_url,
            token=token,
            on_token=on_token,
            timeout=timeout,
        )
        self._user_id = user_id
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
        name = " ".join(part for part in (user.first_name, user.last_name) if part)
        return Account(
            unique_id=f"{self.podero.org_id}_{self._user_id}",
            title=name or user.email or user.id,
        )

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
            DeviceRef(device_id=device.id, name=_name(device), kind=_kind(device))
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


# --- mapping ----------------------------------------------------------------------


def to_device(device: PoderoDevice) -> Device:
    """The neutral model of a Podero wallbox or vehicle."""
    if isinstance(device, PoderoWallbox):
        return to_charger(device)
    if isinstance(device, PoderoVehicle):
        return to_vehicle(device)
    raise TypeError(f"Not a Podero wallbox or vehicle: {type(device).__name__}")


def _kind(device: PoderoDevice) -> DeviceKind:
    return DeviceKind.CHARGER if isinstance(device, PoderoWallbox) else DeviceKind.VEHICLE


def _name(device: PoderoDevice) -> str:
    """Podero has no device names: the partner's comment, else the make and model."""
    if device.comment:
        return device.comment.strip()
    make_model = " ".join(part for part in (device.manufacturer, device.model) if part)
    if make_model:
        return make_model
    return "Wallbox" if isinstance(device, PoderoWallbox) else "Electric vehicle"


def _mode(device: PoderoDevice) -> PoderoMode | None:
    """The ``mode`` pill; when absent or unknown, the same from the flags (None: no telling)."""
    if device.mode is not None and device.mode is not PoderoMode.UNKNOWN:
        return device.mode
    if device.is_charging:
        return PoderoMode.CHARGING
    if device.is_plugged_in is not None:
        return PoderoMode.PLUGGED_IN if device.is_plugged_in else PoderoMode.READY
    return None


_MODE_STATUS: dict[PoderoMode | None, ChargerStatus] = {
    PoderoMode.CHARGING: ChargerStatus.CHARGING,
    # Plugged in, not charging, not paused: Podero's schedule or the sun decides.
    PoderoMode.PLUGGED_IN: ChargerStatus.WAITING,
    PoderoMode.READY: ChargerStatus.READY,
}


def connector_status(wallbox: PoderoWallbox) -> ChargerStatus:
    """A wallbox's status in the shared vocabulary (see the module's table)."""
    mode = _mode(wallbox)
    if mode is PoderoMode.UNAVAILABLE:
        return ChargerStatus.DISCONNECTED
    if wallbox.is_pause_power_active:
        # The user's pause wins over a charge the cloud has not caught up with yet.
        return ChargerStatus.PAUSED
    if mode is PoderoMode.PLUGGED_IN and wallbox.is_fully_charged:
        return ChargerStatus.WAITING_FOR_CAR_DEMAND
    return _MODE_STATUS.get(mode, ChargerStatus.UNKNOWN)


def to_charger(wallbox: PoderoWallbox) -> Charger:
    """A wallbox: one connector with its status and power; pause and resume always work.

    ``total_energy_delivered_wh`` is taken as the cloud's own meter reading: Podero
    does not say whether it counts the wallbox's lifetime, so the Total energy
    sensor is ``total_increasing`` and a drop reads as a new meter cycle.
    """
    total = wallbox.total_energy_delivered_wh
    connector_values: dict[Feature, Any] = {
        Feature.TOTAL_ENERGY: total,
        Feature.PLUGGED_IN: wallbox.is_plugged_in,
        Feature.CHARGING_STATE: wallbox.is_charging,
        **_energy_and_remaining_features(wallbox),
    }
    connector = Connector(
        connector_id=CONNECTOR_ID,
        status=connector_status(wallbox),
        charging_power=wallbox.charge_rate_w,
        total_energy=None if total is None else total / 1000,
        plugged_in=wallbox.is_plugged_in,
        charging=wallbox.is_charging,
        **_energy_and_remaining(wallbox),
        features=_known(connector_values) | {Feature.CHARGING_POWER, Feature.PAUSE_RESUME},
    )
    values: dict[Feature, Any] = {
        Feature.CONNECTIVITY: _online(wallbox),
        Feature.MAX_CHARGING_POWER: wallbox.charge_power_max_w,
        Feature.PHASES: wallbox.phases,
        Feature.SMART_OPTIMIZATION: wallbox.is_smart_optimization_active,
    }
    return Charger(
        device_id=wallbox.id,
        name=_name(wallbox),
        manufacturer=wallbox.manufacturer or UNKNOWN_MANUFACTURER,
        model=wallbox.model,
        firmware_version=wallbox.firmware_version,
        reconnect_needed=reconnect_needed(wallbox),
        # Every wallbox takes a boost; a switch where its state is reported, else buttons.
        features=_known(values) | {Feature.CLOUD_HEALTH, Feature.BOOST},
        online=values[Feature.CONNECTIVITY],
        connection_status=Health(wallbox.connection_status.value),
        monitoring_status=Health(wallbox.monitoring_status.value),
        steering_status=Health(wallbox.steering_status.value),
        max_charging_power=wallbox.charge_power_max_w,
        phases=wallbox.phases,
        smart_optimization=wallbox.is_smart_optimization_active,
        boost_state=None if wallbox.boost_state is None else BoostState(wallbox.boost_state.value),
        connectors=(connector,),
    )


def _online(device: PoderoDevice) -> bool | None:
    """``connection``: online or not; None when Podero does not know."""
    if device.connection is None or device.connection is PoderoConnection.UNKNOWN:
        return None
    return device.connection is PoderoConnection.ONLINE


def _energy_and_remaining(device: PoderoDevice) -> dict[str, Any]:
    """The rolling energy windows and the time to the charge target, as model fields."""
    remaining = device.charge_time_remaining
    return {
        "energy_last_day": device.consumption_last_day_kwh,
        "energy_last_week": device.consumption_last_week_kwh,
        "energy_last_month": device.consumption_last_month_kwh,
        "charge_time_remaining": None if remaining is None else float(remaining),
    }


def _energy_and_remaining_features(device: PoderoDevice) -> dict[Feature, Any]:
    """The features those fields stand for (a feature counts once its value is known)."""
    windows = (
        device.consumption_last_day_kwh,
        device.consumption_last_week_kwh,
        device.consumption_last_month_kwh,
    )
    return {
        Feature.ENERGY_HISTORY: next((value for value in windows if value is not None), None),
        Feature.CHARGE_TIME_REMAINING: device.charge_time_remaining,
    }


def _known(values: dict[Feature, Any]) -> frozenset[Feature]:
    """The features whose value is known."""
    return frozenset(feature for feature, value in values.items() if value is not None)


def to_vehicle(vehicle: PoderoVehicle) -> Vehicle:
    """A vehicle; it reports a feature once its value is known."""
    capacity = vehicle.battery_capacity_kwh
    boost = None if vehicle.boost_state is None else BoostState(vehicle.boost_state.value)
    values: dict[Feature, Any] = {
        Feature.BATTERY_LEVEL: vehicle.battery_level,
        Feature.DRIVING_RANGE: vehicle.driving_range,
        Feature.CHARGING_POWER: vehicle.charge_rate_w,
        Feature.PLUGGED_IN: vehicle.is_plugged_in,
        Feature.CHARGING_STATE: vehicle.is_charging,
        Feature.CHARGE_LIMIT: vehicle.minimum_charge_limit,
        Feature.CHARGE_DEADLINE: vehicle.charge_deadline_at,
        # Podero sends 0 for a capacity it does not know.
        Feature.BATTERY_CAPACITY: capacity if capacity else None,
        Feature.SMART_OPTIMIZATION: vehicle.is_smart_optimization_active,
        Feature.CHARGE_POLICY: vehicle.is_charge_policy_enabled,
        Feature.PAUSE_RESUME: vehicle.is_pause_power_active,
        Feature.BOOST: boost,
        Feature.LOCATION: None if vehicle.longitude is None else vehicle.latitude,
        **_energy_and_remaining_features(vehicle),
    }
    return Vehicle(
        device_id=vehicle.id,
        name=_name(vehicle),
        manufacturer=vehicle.manufacturer or UNKNOWN_MANUFACTURER,
        model=vehicle.model,
        reconnect_needed=reconnect_needed(vehicle),
        features=_known(values),
        battery_level=vehicle.battery_level,
        driving_range=vehicle.driving_range,
        charging_power=vehicle.charge_rate_w,
        plugged_in=vehicle.is_plugged_in,
        charging=vehicle.is_charging,
        fully_charged=vehicle.is_fully_charged,
        minimum_charge_limit=_float(vehicle.minimum_charge_limit),
        charge_deadline=vehicle.charge_deadline_at,
        charge_policy_enabled=vehicle.is_charge_policy_enabled,
        smart_optimization=vehicle.is_smart_optimization_active,
        paused=vehicle.is_pause_power_active,
        boost_state=boost,
        battery_capacity=values[Feature.BATTERY_CAPACITY],
        latitude=vehicle.latitude,
        longitude=vehicle.longitude,
        **_energy_and_remaining(vehicle),
    )


def reconnect_needed(device: PoderoDevice) -> bool:
    """Podero lost access to the device at its maker: a ``reauthenticate`` action is pending.

    Vehicle lists carry only ``action_needed`` (the details add the actions), which
    Podero sets for actions the partner must take before the device works again.
    """
    return device.action_needed is True or any(
        action.code is PoderoActionCode.REAUTHENTICATE for action in device.actions
    )


def to_account(device_id: str, config: PoderoChargingConfig) -> AccountSettings:
    """The user's charging configuration as the account's settings.

    Podero lists which modes can be chosen now; when it lists none, all can.
    """
    known = [mode for mode in ChargingMode if mode is not ChargingMode.UNKNOWN]
    listed = [
        ChargingMode(option.mode.value)
        for option in config.available_modes
        if option.mode is not PoderoChargingMode.UNKNOWN
    ]
    available = tuple(
        mode for mode in (listed or known) if config.is_available(PoderoChargingMode(mode.value))
    )
    mode = None if config.mode is None else ChargingMode(config.mode.value)
    return AccountSettings(
        device_id=device_id,
        name=ACCOUNT_NAME,
        manufacturer=ACCOUNT_NAME,
        model="Account",
        features=frozenset({Feature.CHARGING_MODE}),
        charging_mode=mode,
        available_charging_modes=available,
    )


def _float(value: int | None) -> float | None:
    return None if value is None else float(value)


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
