"""Data model of the simulated Podero cloud: organisations, users, wallboxes, EVs, settings."""

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any
import uuid

# Deterministic ids: the n-th object of a kind gets the same UUID in every run.
_ID_NAMESPACE = uuid.UUID("6f1d3c1e-5a0b-4c4e-9a55-0d0e6f6a7b10")

VOLTAGE = 230.0
DAY = 86_400.0
WEEK = 7 * DAY
MONTH = 30 * DAY
# Energy older than this is dropped from the consumption log.
CONSUMPTION_HORIZON = MONTH
# Default site: Vienna (Podero's home town); EVs plugged into a wallbox move there.
HOME_LATITUDE = 48.2082
HOME_LONGITUDE = 16.3738

CHARGING_MODES = ("none", "spot", "hems", "hems_and_spot")
HEMS_THRESHOLD_MAX_W = 50_000


def stable_uuid(kind: str, number: int) -> str:
    """Deterministic UUID of the n-th object of a kind."""
    return str(uuid.uuid5(_ID_NAMESPACE, f"{kind}-{number}"))


class BoostState(StrEnum):
    """`boost_state` of the API."""

    AVAILABLE = "available"
    REQUESTED = "requested"
    UNAVAILABLE = "unavailable"
    ONGOING = "ongoing"


class BoostConflict(StrEnum):
    """`reason` of a 409 answer to POST boost."""

    ALREADY_CHARGING = "already_charging"
    FULLY_CHARGED = "fully_charged"
    NO_ACTIVE_SESSION = "no_active_session"
    INTERNAL_ERROR = "internal_error"


class DeviceMode(StrEnum):
    """The `mode` pill."""

    READY = "READY"
    PLUGGED_IN = "PLUGGED_IN"
    CHARGING = "CHARGING"
    UNAVAILABLE = "UNAVAILABLE"


@dataclass(slots=True)
class EnergySegment:
    """Energy delivered at constant power between two instants."""

    start: float
    end: float
    kw: float

    def kwh_between(self, start: float, end: float) -> float:
        overlap = min(self.end, end) - max(self.start, start)
        return max(overlap, 0.0) / 3600.0 * self.kw


@dataclass(slots=True)
class Boost:
    """A boost ("charge now") that was requested and may have started."""

    requested_at: float
    ongoing: bool = False


@dataclass(slots=True, kw_only=True)
class PoderoDevice:
    """What wallboxes and EVs share: identity, connectivity, pause, optimisation, boost."""

    id: str
    user_id: str
    manufacturer: str
    model: str
    year: int | None
    created_at: float
    updated_at: float  # last change through the API or the control API
    price_zone: str = "AT"
    external_device_id: str = ""
    comment: str | None = None
    is_authenticated: bool = True
    online: bool = True
    is_smart_optimization_active: bool = False
    pause_power_until: float | None = None
    is_charge_policy_enabled: bool = False
    charge_policy_updated_at: float | None = None
    # Pending actions as the API lists them (`reauthenticate`, `information`).
    actions: list[dict[str, Any]] = field(default_factory=list)
    boost: Boost | None = None
    boost_for_next_session: bool = False
    boost_feature_enabled: bool = True
    last_boost_triggered_at: float | None = None
    last_boost_ended_at: float | None = None
    last_boost_end_reason: str | None = None
    consumption: list[EnergySegment] = field(default_factory=list)
    latitude: float = HOME_LATITUDE
    longitude: float = HOME_LONGITUDE

    def paused(self, at: float) -> bool:
        return self.pause_power_until is not None and at < self.pause_power_until

    def kwh_between(self, start: float, end: float) -> float:
        return sum(segment.kwh_between(start, end) for segment in self.consumption)

    def start_boost(self, at: float) -> None:
        self.boost = Boost(requested_at=at)
        self.last_boost_triggered_at = at

    def end_boost(self, at: float, reason: str) -> None:
        if self.boost is not None:
            self.boost = None
            self.last_boost_ended_at = at
            self.last_boost_end_reason = reason


@dataclass(slots=True, kw_only=True)
class PoderoWallbox(PoderoDevice):
    """A wallbox connected to Podero over OCPP; `vehicle_id` is the EV plugged into it."""

    charge_power_max_w: int = 11_000
    phases: int = 3
    min_amps: int = 6
    max_amps: int = 16
    supports_current_modulation: bool = True
    supports_phase_switching: bool = False
    firmware_version: str | None = "1.8.2"
    minimum_charge_limit: int = 80
    hems_min_export_to_start_w: int = 2000
    hems_max_import_before_stopping_w: int = 4000
    total_energy_wh: float = 0.0
    vehicle_id: str | None = None


@dataclass(slots=True, kw_only=True)
class PoderoVehicle(PoderoDevice):
    """An EV known through its maker's cloud; `wallbox_id` is where it is plugged in."""

    integrated_at: float  # physics integrated up to here
    battery_capacity_kwh: float = 77.0
    battery_level: float = 50.0  # %
    range_per_percent: float = 4.5  # km of range per % of battery
    expected_max_charge_power: int = 11_000  # W
    minimum_charge_limit: int = 100
    charge_deadline_at: str | None = "06:00:00"
    charge_target_max: int | None = None
    geo_fence_distance_m: float = 100.0
    plugged_in: bool = False
    wallbox_id: str | None = None
    battery_at_plug_in: float | None = None

    def charge_limit(self) -> float:
        """Charging stops here: the minimum charge limit with a charge policy, else 100 %."""
        return float(self.minimum_charge_limit) if self.is_charge_policy_enabled else 100.0


@dataclass(slots=True)
class PoderoUser:
    """An end user of a partner organisation, with the devices and the charging config."""

    id: str
    org_id: str
    email: str
    first_name: str
    last_name: str
    role: str = "user"
    external_user_id: str | None = None
    is_onboarded: bool = True
    wallbox_ids: list[str] = field(default_factory=list)
    vehicle_ids: list[str] = field(default_factory=list)
    charging_mode: str = "none"
    hems_min_export_to_start_w: int = 2000
    hems_max_import_before_stopping_w: int = 4000
    # The simulator has no inverters; these flags stand in for one (HEMS availability).
    has_inverter: bool = False
    inverter_export_data: bool = False


@dataclass(slots=True)
class PoderoOrg:
    """A partner organisation: OAuth client credentials, users, handed-out tokens."""

    id: str
    client_id: str
    client_secret: str
    name: str
    user_ids: list[str] = field(default_factory=list)
    tokens: dict[str, float] = field(default_factory=dict)  # access token → expiry

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "client_id": self.client_id,
            "users": list(self.user_ids),
            "valid_tokens": len(self.tokens),
        }


@dataclass(slots=True)
class PoderoSettings:
    """Knobs of the simulated Podero cloud; mutate freely from tests."""

    token_lifetime: float = 36_000.0  # s, `expires_in`
    boost_start_delay: float = 60.0  # s from "requested" to "ongoing"
    # Podero publishes no limits: generous per-organisation bucket.
    requests_per_minute: float = 600.0
    burst: float = 600.0
    # Every POST boost answers 409 `internal_error`.
    boost_internal_error: bool = False
    # Decimals (`battery_capacity_kwh`, `consumption_*_kwh`) as strings like the seeds.
    decimal_strings: bool = True
    # Add `boost_state`/`boost_for_next_session` to wallbox JSON (not in the OpenAPI shape).
    wallbox_boost_fields: bool = False

    def to_json(self) -> dict[str, Any]:
        return asdict(self)
