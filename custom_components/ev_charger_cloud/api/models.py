"""Provider-independent models of the devices (chargers and vehicles) the integration sees.

The features a device reports (``features.py``) and the poll plan a provider
declares (``plan.py``) live in modules of their own; both are importable from
here as well.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, time
from enum import StrEnum
from typing import Any, ClassVar

from .features import Feature
from .plan import PollPlan

__all__ = [
    "ACTIVE_BOOST_STATES",
    "ACTIVE_STATUSES",
    "BUSY_STATUSES",
    "PAUSED_STATUSES",
    "Account",
    "AccountSettings",
    "BoostState",
    "Charger",
    "ChargerStatus",
    "ChargingMode",
    "Connector",
    "Device",
    "DeviceKind",
    "DeviceRef",
    "EcoSmartMode",
    "Feature",
    "Health",
    "PollPlan",
    "Provider",
    "Target",
    "Vehicle",
]


class Provider(StrEnum):
    """The vendor clouds the integration can talk to."""

    WALLBOX = "wallbox"
    PODERO = "podero"
    THOR = "thor"


class ChargerStatus(StrEnum):
    """What a charger is doing, in the vocabulary shared by all providers."""

    DISCONNECTED = "disconnected"
    ERROR = "error"
    READY = "ready"
    # Held for someone's reservation.
    RESERVED = "reserved"
    WAITING = "waiting"
    LOCKED = "locked"
    LOCKED_CAR_CONNECTED = "locked_car_connected"
    UPDATING = "updating"
    SCHEDULED = "scheduled"
    PAUSED = "paused"
    WAITING_FOR_CAR_DEMAND = "waiting_for_car_demand"
    WAITING_POWER_SHARING = "waiting_power_sharing"
    WAITING_POWER_BOOST = "waiting_power_boost"
    WAITING_MID_FAILED = "waiting_mid_failed"
    WAITING_MID_SAFETY_MARGIN = "waiting_mid_safety_margin"
    WAITING_ECO_SMART = "waiting_eco_smart"
    CHARGING = "charging"
    DISCHARGING = "discharging"
    # The session ended (the car is full or stopped it); the cable may still be in.
    COMPLETED = "completed"
    # The charger has lost its connection to the cloud.
    OFFLINE = "offline"
    UNKNOWN = "unknown"


# A session is running (the pause/resume switch reads "on").
ACTIVE_STATUSES = frozenset(
    {
        ChargerStatus.CHARGING,
        ChargerStatus.DISCHARGING,
        ChargerStatus.WAITING,
        ChargerStatus.WAITING_FOR_CAR_DEMAND,
        ChargerStatus.WAITING_POWER_SHARING,
        ChargerStatus.WAITING_POWER_BOOST,
        ChargerStatus.WAITING_MID_FAILED,
        ChargerStatus.WAITING_MID_SAFETY_MARGIN,
        ChargerStatus.WAITING_ECO_SMART,
    }
)
# Power and energy change by the minute.
BUSY_STATUSES = frozenset({ChargerStatus.CHARGING, ChargerStatus.DISCHARGING})
# A session can be resumed from here.
PAUSED_STATUSES = frozenset({ChargerStatus.PAUSED, ChargerStatus.SCHEDULED})


class EcoSmartMode(StrEnum):
    """Solar charging modes."""

    OFF = "off"
    ECO_MODE = "eco_mode"
    FULL_SOLAR = "full_solar"


class BoostState(StrEnum):
    """Where a "charge now" (boost) stands."""

    AVAILABLE = "available"
    REQUESTED = "requested"
    ONGOING = "ongoing"
    UNAVAILABLE = "unavailable"
    UNKNOWN = "unknown"


# A boost asked for or running (the boost switch reads "on").
ACTIVE_BOOST_STATES = frozenset({BoostState.REQUESTED, BoostState.ONGOING})


class ChargingMode(StrEnum):
    """How an account's cloud times the charging of all its devices."""

    # Charge when plugged in; the cloud does not optimise.
    NONE = "none"
    # In the cheapest hours of the day-ahead (spot) market.
    SPOT = "spot"
    # On solar surplus, steered by the home energy management system.
    HEMS = "hems"
    HEMS_AND_SPOT = "hems_and_spot"
    UNKNOWN = "unknown"


class Health(StrEnum):
    """How well the cloud sees, watches or steers a device."""

    OK = "ok"
    WARNING = "warning"
    ERROR = "error"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True, kw_only=True)
class Account:
    """The cloud account an entry stands for.

    ``identity`` is what the client needs to know the account by again (kept
    with the entry and handed back to the client), beside the credentials.
    """

    unique_id: str
    title: str
    identity: Mapping[str, str] = field(default_factory=dict)


class DeviceKind(StrEnum):
    """What a cloud device is; each kind has its own model and entities."""

    CHARGER = "charger"
    VEHICLE = "vehicle"
    # The account's own settings, shown as a service device.
    ACCOUNT = "account"


@dataclass(frozen=True, slots=True, kw_only=True)
class DeviceRef:
    """A device found by discovery: enough to read it."""

    device_id: str
    name: str
    kind: DeviceKind


@dataclass(frozen=True, slots=True)
class Target:
    """What a command is addressed to: a device, or one connector of a charger."""

    device_id: str
    connector_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Device:
    """One reading of a cloud device: identity and what it supports."""

    kind: ClassVar[DeviceKind]

    device_id: str
    name: str
    manufacturer: str | None = None  # None: the cloud does not tell
    model: str | None = None
    model_id: str | None = None  # the vendor's part or type number
    serial_number: str | None = None
    firmware_version: str | None = None
    features: frozenset[Feature] = field(default_factory=frozenset)
    # False for a state a client expects after a command but the cloud did not confirm:
    # shown at once, then read again.
    confirmed: bool = True
    # The cloud lost access to the device at its maker and the user has to sign in there again.
    reconnect_needed: bool = False

    @property
    def settling(self) -> bool:
        """Whether the state is about to change by itself (worth reading sooner)."""
        return False

    @property
    def busy(self) -> bool:
        """Whether its values are changing now (read before idle devices)."""
        return self.settling


@dataclass(frozen=True, slots=True, kw_only=True)
class Connector:
    """One outlet of a charger and the session on it."""

    connector_id: str
    status: ChargerStatus = ChargerStatus.UNKNOWN
    status_code: int | None = None
    charging_power: float | None = None  # W
    session_energy: float | None = None  # kWh
    session_green_energy: float | None = None  # kWh
    session_grid_energy: float | None = None  # kWh
    session_discharged_energy: float | None = None  # kWh taken from the car
    added_range: float | None = None  # km
    charging_time: float | None = None  # s
    state_of_charge: float | None = None  # %
    total_energy: float | None = None  # kWh, the cloud's meter reading
    energy_last_day: float | None = None  # kWh
    energy_last_week: float | None = None  # kWh
    energy_last_month: float | None = None  # kWh
    charge_time_remaining: float | None = None  # s
    plugged_in: bool | None = None
    charging: bool | None = None
    session_started: datetime | None = None
    rated_power: float | None = None  # W
    max_current: float | None = None  # A
    features: frozenset[Feature] = field(default_factory=frozenset)

    @property
    def charging_enabled(self) -> bool:
        """Whether a session is running (not paused by the user)."""
        return self.status in ACTIVE_STATUSES

    @property
    def can_pause_or_resume(self) -> bool:
        """Whether the cloud accepts pause or resume in the current status."""
        return self.status in ACTIVE_STATUSES or self.status in PAUSED_STATUSES


@dataclass(frozen=True, slots=True, kw_only=True)
class Charger(Device):
    """A charger: its own settings and one reading per connector."""

    kind: ClassVar[DeviceKind] = DeviceKind.CHARGER

    latest_firmware_version: str | None = None
    update_available: bool | None = None
    max_available_current: float | None = None  # A
    min_charging_current: float = 6.0  # A
    max_charging_current: float | None = None  # A
    locked: bool | None = None
    energy_price: float | None = None  # currency per kWh
    currency: str | None = None
    icp_max_current: float | None = None  # A
    eco_smart: EcoSmartMode | None = None
    online: bool | None = None
    last_heartbeat: datetime | None = None
    connection_status: Health | None = None
    monitoring_status: Health | None = None
    steering_status: Health | None = None
    max_charging_power: float | None = None  # W
    phases: int | None = None
    smart_optimization: bool | None = None
    # None where the cloud does not report it (a boost is then only asked for and cancelled).
    boost_state: BoostState | None = None
    connectors: tuple[Connector, ...] = ()

    @property
    def settling(self) -> bool:
        """A boost was asked for and the cloud is about to start (or refuse) it."""
        return self.boost_state is BoostState.REQUESTED

    @property
    def busy(self) -> bool:
        """Settling, charging (power and energy change by the minute) or updating firmware."""
        return self.settling or any(
            c.status in BUSY_STATUSES or c.status is ChargerStatus.UPDATING for c in self.connectors
        )

    def connector(self, connector_id: str | None) -> Connector | None:
        """The connector with this id, if the charger has it."""
        return next((c for c in self.connectors if c.connector_id == connector_id), None)

    def with_connector(self, connector_id: str, **changes: Any) -> Charger:
        """A copy with one connector's values changed."""
        return replace(
            self,
            connectors=tuple(
                replace(c, **changes) if c.connector_id == connector_id else c
                for c in self.connectors
            ),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Vehicle(Device):
    """An electric vehicle as its cloud reports it."""

    kind: ClassVar[DeviceKind] = DeviceKind.VEHICLE

    battery_level: float | None = None  # %
    driving_range: float | None = None  # km
    charging_power: float | None = None  # W
    plugged_in: bool | None = None
    charging: bool | None = None
    fully_charged: bool | None = None
    minimum_charge_limit: float | None = None  # %
    charge_deadline: time | None = None
    charge_policy_enabled: bool | None = None
    smart_optimization: bool | None = None
    paused: bool | None = None  # the user's pause is in force
    boost_state: BoostState | None = None
    battery_capacity: float | None = None  # kWh
    charge_time_remaining: float | None = None  # s
    energy_last_day: float | None = None  # kWh
    energy_last_week: float | None = None  # kWh
    energy_last_month: float | None = None  # kWh
    latitude: float | None = field(default=None, repr=False)  # degrees, personal data
    longitude: float | None = field(default=None, repr=False)  # degrees, personal data

    @property
    def settling(self) -> bool:
        """A boost was asked for and the cloud is about to start (or refuse) it."""
        return self.boost_state is BoostState.REQUESTED


@dataclass(frozen=True, slots=True, kw_only=True)
class AccountSettings(Device):
    """Settings of the account as a whole, shown on a service device."""

    kind: ClassVar[DeviceKind] = DeviceKind.ACCOUNT

    charging_mode: ChargingMode | None = None
    # The modes the cloud lets the account choose now (others lack a device or a meter).
    available_charging_modes: tuple[ChargingMode, ...] = ()
