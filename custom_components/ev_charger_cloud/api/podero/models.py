"""Typed models of the Podero Partner API v2.0 (wallboxes, electric vehicles, users).

Field names follow the API; units are in the names (``_w``, ``_wh``, ``_kwh``)
or in a comment. Every value may be None: Podero's two published shapes
disagree and any field may be null or absent. Personal data (owner, e-mail,
names, coordinates) and signed links are kept out of ``repr`` so a model that
ends up in a log does not leak them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time
from enum import StrEnum


class PoderoHealth(StrEnum):
    """A status pill: ``connection_status``, ``monitoring_status``, ``steering_status``."""

    OK = "ok"
    WARNING = "warning"
    ERROR = "error"
    UNKNOWN = "unknown"


class PoderoMode(StrEnum):
    """What a device is doing (``mode``)."""

    READY = "READY"
    PLUGGED_IN = "PLUGGED_IN"
    CHARGING = "CHARGING"
    UNAVAILABLE = "UNAVAILABLE"
    UNKNOWN = "UNKNOWN"


class PoderoConnection(StrEnum):
    """Whether a device is connected to Podero (``connection``)."""

    ONLINE = "online"
    OFFLINE = "offline"
    NEVER_CONNECTED = "never_connected"
    UNKNOWN = "unknown"


class PoderoBoostState(StrEnum):
    """Where a "charge now" stands (``boost_state``)."""

    AVAILABLE = "available"
    REQUESTED = "requested"
    UNAVAILABLE = "unavailable"
    ONGOING = "ongoing"
    UNKNOWN = "unknown"


class PoderoChargingMode(StrEnum):
    """A user's charging mode (``charging-config``), shared by all their charging devices."""

    NONE = "none"
    SPOT = "spot"
    HEMS = "hems"
    HEMS_AND_SPOT = "hems_and_spot"
    UNKNOWN = "unknown"


class PoderoRole(StrEnum):
    """A user's role in the partner organisation."""

    ADMIN = "admin"
    STAFF = "staff"
    USER = "user"
    GUEST = "guest"
    UNKNOWN = "unknown"


class PoderoActionCode(StrEnum):
    """What a pending device action asks the partner to do."""

    REAUTHENTICATE = "reauthenticate"
    INFORMATION = "information"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True, kw_only=True)
class PoderoAction:
    """A pending action on a device (``actions[]``)."""

    code: PoderoActionCode
    # Relative to the API host; carries a signed secret valid for 1 h: never log it.
    resolution_url: str | None = field(default=None, repr=False)
    required_parameters: tuple[str, ...] = ()
    message: str | None = None  # information actions: metadata.message
    sent_at: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PoderoOwner:
    """The end user a device belongs to: personal data, never logged."""

    id: str | None = None
    email: str | None = field(default=None, repr=False)
    first_name: str | None = field(default=None, repr=False)
    last_name: str | None = field(default=None, repr=False)
    external_id: str | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class PoderoDevice:
    """What wallboxes and electric vehicles have in common."""

    id: str
    manufacturer: str | None = None  # device_model.manufacturer
    model: str | None = None  # device_model.model
    model_year: int | None = None  # device_model.year
    device_type: str | None = None  # device_model.device_type.short_name
    owner: PoderoOwner | None = field(default=None, repr=False)
    connection_status: PoderoHealth = PoderoHealth.UNKNOWN
    monitoring_status: PoderoHealth = PoderoHealth.UNKNOWN
    steering_status: PoderoHealth = PoderoHealth.UNKNOWN
    price_zone: str | None = None  # AT, DE_LU, …; zones Podero adds later pass through
    created_at: datetime | None = None
    updated_at: datetime | None = None
    deleted_at: datetime | None = None  # set: soft-deleted
    lifecycle_state: str | None = None
    lifecycle_error: str | None = None
    # The partner's free-text note on the device (Podero has no device name); may be personal.
    comment: str | None = field(default=None, repr=False)
    is_authenticated: bool | None = None  # upstream (vendor) cloud access works
    # State pills; None where the answer has none (older shape, vehicle lists)
    mode: PoderoMode | None = None
    connection: PoderoConnection | None = None
    # Pause
    pause_power_until: datetime | None = None
    is_pause_power_active: bool | None = None
    # Optimisation and charge policy
    is_smart_optimization_active: bool | None = None
    optimization_score: float | None = None
    current_mode: str | None = None  # free text, values undocumented
    actual_steering_state: str | None = None  # values undocumented
    charge_target_min: int | None = None  # %
    charge_target_max: int | None = None  # %
    minimum_charge_limit: int | None = None  # %
    is_charge_policy_enabled: bool | None = None
    is_over_charge_allowed: bool | None = None
    # Charging state
    is_plugged_in: bool | None = None
    is_charging: bool | None = None
    is_fully_charged: bool | None = None
    charge_rate_w: float | None = None  # W, current charging power
    charge_time_remaining: int | None = None  # s
    consumption_last_day_kwh: float | None = None  # kWh
    consumption_last_week_kwh: float | None = None  # kWh
    consumption_last_month_kwh: float | None = None  # kWh
    consumption_last_updated_at: datetime | None = None
    current_state_last_updated_at: datetime | None = None
    last_monitoring_executed_at: datetime | None = None
    # Boost ("charge now"); documented on vehicles only, None where absent
    boost_state: PoderoBoostState | None = None
    boost_for_next_session: bool | None = None
    boost_feature_enabled: bool | None = None
    # Pending actions
    action_needed: bool | None = None
    has_notification: bool | None = None
    actions: tuple[PoderoAction, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class PoderoWallbox(PoderoDevice):
    """A wallbox (``WallboxDetailOutput``)."""

    is_ocpp_connected: bool | None = None
    firmware_version: str | None = None
    total_energy_delivered_wh: float | None = None  # Wh; lifetime or session: undocumented
    charge_power_max_w: float | None = None  # W
    phases: int | None = None  # 1 or 3
    min_amps: int | None = None  # A, OCPP wire-level limit, not a setpoint
    max_amps: int | None = None  # A, OCPP wire-level limit, not a setpoint
    supports_current_modulation: bool | None = None
    supports_phase_switching: bool | None = None
    hems_min_export_to_start_w: float | None = None  # W
    hems_max_import_before_stopping_w: float | None = None  # W
    charge_deadline_at: datetime | None = None  # a date and time on wallboxes


@dataclass(frozen=True, slots=True, kw_only=True)
class PoderoVehicle(PoderoDevice):
    """An electric vehicle (``ElectricVehicleOutput``)."""

    battery_level: float | None = None  # %
    battery_capacity_kwh: float | None = None  # kWh
    driving_range: float | None = None  # km
    battery_at_plug_in: float | None = None  # %, at the latest plug-in
    expected_max_charge_power: float | None = None  # presumably W (unit not documented)
    charge_deadline_at: time | None = None  # a time of day on vehicles
    charge_state_last_updated_at: datetime | None = None
    last_boost_triggered_at: datetime | None = None
    last_boost_ended_at: datetime | None = None
    last_boost_end_reason: str | None = None
    # Location: personal data, never logged.
    latitude: float | None = field(default=None, repr=False)  # degrees
    longitude: float | None = field(default=None, repr=False)  # degrees
    coordinates_last_updated_at: datetime | None = None
    geo_fence_distance_m: float | None = None  # m


@dataclass(frozen=True, slots=True, kw_only=True)
class PoderoModeAvailability:
    """Whether a charging mode can be chosen, and the reason codes when not."""

    mode: PoderoChargingMode
    available: bool | None = None
    reasons: tuple[str, ...] = ()  # no_ev, no_battery_capacity, no_actuator, …


@dataclass(frozen=True, slots=True, kw_only=True)
class PoderoChargingConfig:
    """A user's charging configuration (``charging-config``)."""

    mode: PoderoChargingMode | None = None
    available_modes: tuple[PoderoModeAvailability, ...] = ()
    min_band_w: float | None = None  # W, the smallest band a threshold may span
    hems_min_export_to_start_w: float | None = None  # W
    hems_max_import_before_stopping_w: float | None = None  # W
    solar_charging_status: str | None = None  # values undocumented

    def is_available(self, mode: PoderoChargingMode) -> bool:
        """Whether ``mode`` may be chosen (True when the cloud did not say)."""
        for option in self.available_modes:
            if option.mode is mode:
                return option.available is not False
        return not self.available_modes


@dataclass(frozen=True, slots=True, kw_only=True)
class PoderoUser:
    """A user of the partner organisation; e-mail and names are personal data."""

    id: str
    email: str | None = field(default=None, repr=False)
    first_name: str | None = field(default=None, repr=False)
    last_name: str | None = field(default=None, repr=False)
    role: PoderoRole = PoderoRole.UNKNOWN
    num_wallboxes: int | None = None
    num_electric_vehicles: int | None = None

    @property
    def display_name(self) -> str:
        """How the user is called: their name, else their email, else their id."""
        name = " ".join(part.strip() for part in (self.first_name, self.last_name) if part)
        return name.strip() or self.email or self.id
