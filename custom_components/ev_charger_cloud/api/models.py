"""Provider-independent models of a charger as the integration sees it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum


class Provider(StrEnum):
    """The vendor clouds the integration can talk to."""

    WALLBOX = "wallbox"


class ChargerStatus(StrEnum):
    """What a charger is doing, in the vocabulary shared by all providers."""

    DISCONNECTED = "disconnected"
    ERROR = "error"
    READY = "ready"
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
# A session can be resumed from here.
PAUSED_STATUSES = frozenset({ChargerStatus.PAUSED, ChargerStatus.SCHEDULED})


class EcoSmartMode(StrEnum):
    """Solar charging modes."""

    OFF = "off"
    ECO_MODE = "eco_mode"
    FULL_SOLAR = "full_solar"


class Feature(StrEnum):
    """What a charger reports or lets the user control; entities follow these."""

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


@dataclass(frozen=True, slots=True, kw_only=True)
class Account:
    """The cloud account an entry stands for."""

    unique_id: str
    title: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ChargerRef:
    """A charger found by discovery: enough to read its status."""

    charger_id: str
    name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PollPlan:
    """How a provider wants to be polled so an account stays within its budget.

    ``interval`` is the regular poll; each poll reads ``chargers_per_poll``
    chargers (None: all of them). The first poll after a start may read up to
    ``first_poll_reads`` (None: all); chargers beyond that appear at later
    polls. ``min_spacing`` is the shortest gap between two polls, also for
    refreshes asked for after a command.
    """

    interval: timedelta
    min_spacing: timedelta
    chargers_per_poll: int | None
    first_poll_reads: int | None
    rediscover_every: timedelta


@dataclass(frozen=True, slots=True, kw_only=True)
class Charger:
    """One reading of a charger: identity, live values and what it supports."""

    charger_id: str
    name: str
    manufacturer: str
    model: str | None = None
    part_number: str | None = None
    serial_number: str | None = None
    firmware_version: str | None = None
    latest_firmware_version: str | None = None
    update_available: bool | None = None
    status: ChargerStatus = ChargerStatus.UNKNOWN
    status_code: int | None = None
    charging_power: float | None = None  # W
    session_energy: float | None = None  # kWh
    session_green_energy: float | None = None  # kWh
    session_grid_energy: float | None = None  # kWh
    added_range: float | None = None  # km
    charging_time: float | None = None  # s
    state_of_charge: float | None = None  # %
    max_available_current: float | None = None  # A
    min_charging_current: float = 6.0  # A
    max_charging_current: float | None = None  # A
    locked: bool | None = None
    energy_price: float | None = None  # currency per kWh
    currency: str | None = None
    icp_max_current: float | None = None  # A
    eco_smart: EcoSmartMode | None = None
    features: frozenset[Feature] = field(default_factory=frozenset)
    # False for a state a client expects after a command but the cloud did not confirm:
    # shown at once, then read again.
    confirmed: bool = True

    @property
    def charging_enabled(self) -> bool:
        """Whether a session is running (not paused by the user)."""
        return self.status in ACTIVE_STATUSES

    @property
    def can_pause_or_resume(self) -> bool:
        """Whether the cloud accepts pause or resume in the current status."""
        return self.status in ACTIVE_STATUSES or self.status in PAUSED_STATUSES
