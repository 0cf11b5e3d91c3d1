"""Provider-independent models of the devices (chargers and vehicles) the integration sees."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta
from enum import StrEnum
from typing import Any, ClassVar


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


class Feature(StrEnum):
    """What a device or connector reports or lets the user control; entities follow these."""

    CHARGING_POWER = "charging_power"
    SESSION_ENERGY = "session_energy"
    SESSION_ENERGY_SPLIT = "session_energy_split"
    ADDED_RANGE = "added_range"
    CHARGING_TIME = "charging_time"
    STATE_OF_CHARGE = "state_of_charge"
    MAX_AVAILABLE_CURRENT = "max_available_current"
    FIRMWARE = "firmware"
    PAUSE_RESUME = "pause_resume"
    LOCK = "lock"
    MAX_CHARGING_CURRENT = "max_charging_current"
    ENERGY_PRICE = "energy_price"
    ICP_MAX_CURRENT = "icp_max_current"
    ECO_SMART = "eco_smart"
    RESUME_SCHEDULE = "resume_schedule"
    RESTART = "restart"
    BATTERY_LEVEL = "battery_level"
    DRIVING_RANGE = "driving_range"
    BATTERY_CAPACITY = "battery_capacity"
    PLUGGED_IN = "plugged_in"
    # Whether a vehicle is charging and whether it is full.
    CHARGING_STATE = "charging_state"
    # A vehicle's charge target: the minimum level to reach and the time to reach it by.
    CHARGE_LIMIT = "charge_limit"
    CHARGE_DEADLINE = "charge_deadline"
    # A meter reading kept by the cloud (not summed up from sessions by the integration).
    TOTAL_ENERGY = "total_energy"
    # Energy a bidirectional charger took from the car (per session, reset like session energy).
    DISCHARGED_ENERGY = "discharged_energy"
    # Energy used over the last day, week and month (rolling windows).
    ENERGY_HISTORY = "energy_history"
    CHARGE_TIME_REMAINING = "charge_time_remaining"
    # The cloud's own view of a device: connection, monitoring and steering health.
    CLOUD_HEALTH = "cloud_health"
    # Whether the device is online at the cloud.
    CONNECTIVITY = "connectivity"
    MAX_CHARGING_POWER = "max_charging_power"
    PHASES = "phases"
    # The cloud's smart optimisation of a device (on or off).
    SMART_OPTIMIZATION = "smart_optimization"
    # Whether a vehicle's charge target (limit and deadline) is in force.
    CHARGE_POLICY = "charge_policy"
    # Charge now: a switch where the cloud reports the boost state, else buttons.
    BOOST = "boost"
    # A session a connector starts and stops (not a pause of a running session).
    START_STOP = "start_stop"
    # When the running session started.
    SESSION_STARTED = "session_started"
    # When the charger last reported to its cloud.
    LAST_HEARTBEAT = "last_heartbeat"
    # What a connector is built for: its rated power and current.
    RATED_POWER = "rated_power"
    MAX_CURRENT = "max_current"
    # Where a vehicle is (personal data: its entity starts disabled).
    LOCATION = "location"
    # How the account's cloud decides when its devices charge (one mode for all).
    CHARGING_MODE = "charging_mode"


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
class PollPlan:
    """How a provider wants to be polled so an account stays within its budget.

    ``interval`` is the regular poll; each poll reads ``devices_per_poll``
    devices (None: all of them), the most urgent first, plus urgent ones (a
    command touched them, never read, missed, overdue) as far as the read
    budget allows; at a start, as many as the budget allows, the others at
    later polls. ``min_spacing`` is the shortest gap between two regular polls,
    also for refreshes asked for after a command.

    ``read_all``: the cloud lists every device with its full state, so each
    poll (and each refresh after a command) is one ``async_read_all`` call
    instead of device reads; its answer is also the discovery, so
    ``devices_per_poll``, ``rediscover_every`` and the read budget do not apply.
    """

    interval: timedelta
    min_spacing: timedelta
    devices_per_poll: int | None
    rediscover_every: timedelta
    read_all: bool = False
    # The cloud's known allowance for reads: it refills at ``cloud_reads_per_minute``
    # (None: no known limit) and takes ``burst`` reads at once at first; a larger
    # burst, up to ``burst_max``, is learned from its answers (see ReadBudget).
    cloud_reads_per_minute: float | None = None
    burst: int = 1
    burst_max: int = 1
    # An idle device is read at least this often (busy ones come first).
    idle_staleness: timedelta = timedelta(minutes=15)
    # While a device is settling (e.g. a boost about to start), poll every
    # ``settle_interval`` instead, but for ``settle_for`` at most.
    settle_interval: timedelta | None = None
    settle_for: timedelta = timedelta(minutes=10)


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
