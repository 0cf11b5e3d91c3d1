"""Data model of the simulated Wallbox cloud: accounts, chargers, cars, settings."""

from dataclasses import asdict, dataclass, field
from enum import IntEnum, StrEnum
import hashlib
from typing import Any

VOLTAGE = 230.0
MIN_CURRENT = 6
KM_PER_KWH = 6.0
RESTART_SECONDS = 90.0
# A Quasar stops discharging here so the car keeps some range.
DISCHARGE_FLOOR_SOC = 10.0

DEFAULT_PART_NUMBER = "PLP1-M-2-4-9-002-F"
DEFAULT_FIRMWARE = "5.17.59"


class Status(IntEnum):
    """The `status_id` codes the simulator produces (a subset of the real list)."""

    ERROR = 14
    READY = 161
    DISCONNECTED = 163
    UPDATING = 166
    WAITING_FOR_CAR_DEMAND = 181
    PAUSED = 182
    WAITING_ECO_SMART = 189
    CHARGING = 194
    DISCHARGING = 196
    LOCKED = 209
    LOCKED_CAR_CONNECTED = 210


class EcoSmartMode(IntEnum):
    """Eco-Smart modes as the API numbers them."""

    ECO = 0  # solar plus grid
    FULL_GREEN = 1  # solar only


# Part-number prefix → chargerType as the API reports it (PLP1/PLP2 as in captured
# answers; the others unconfirmed).
CHARGER_TYPES: dict[str, str] = {
    "PLP1": "PulsarPlus",
    "PLP2": "PulsarMax",
    "PUP3": "PulsarPro",
    "PUP": "PulsarPlus",
    "CMX": "Commander2",
    "CPB": "CopperC",
    "CPP": "CopperSB",
    "QS": "Quasar",
}

# The power-boost supply limit: ±1..64 A documented (seed 003: negative while power
# boost is off), up to 255 A accepted as Home Assistant core does.
MAX_ICP_CURRENT = 255


class StatusShape(StrEnum):
    """Which real answers the status and charger JSON look like (keys and their types)."""

    # Seed 003 (community doc, 2023): no grid/pru, no max_charging_unit/value.
    COMMUNITY_2023 = "2023"
    # Captured 2024 (Pulsar Max, firmware 6.1): grid/pru {"status": null},
    # max_charging_unit/value, home_power_export_setpoint, resume.totalEnergy as text.
    CAPTURED_2024 = "2024"
    # Captured 2026 (Pulsar Plus, firmware 6.7): as 2024 with {"status": 0}, plus
    # phase_switch and zipcode.
    CAPTURED_2026 = "2026"


DEFAULT_STATUS_SHAPE = StatusShape.CAPTURED_2026


class ListShape(StrEnum):
    """What a charger's entry of the account's list (`v3/chargers/groups`) carries."""

    # As third-party clients read it in production: the camelCase fields of
    # `v2/charger`'s chargerData, live power and session energy included.
    LIVE = "live"
    # The documented minimum: id, uid, name and status.
    STATUS_ONLY = "status_only"
    # Not even the status: the integration must read the charger itself.
    NO_STATUS = "no_status"


# Made-up currency ids (the real table is not public); 1 = EUR matches the community doc.
CURRENCIES: dict[int, tuple[str, str, str]] = {
    1: ("Euro Member Countries", "€", "EUR"),
    2: ("United States Dollar", "$", "USD"),
    3: ("United Kingdom Pound", "£", "GBP"),
    4: ("Switzerland Franc", "CHF", "CHF"),
    5: ("Sweden Krona", "kr", "SEK"),
}


def stable_uid(kind: str, number: int) -> str:
    """Deterministic opaque uid so repeated runs produce the same JSON."""
    return hashlib.sha256(f"{kind}-{number}".encode()).hexdigest()[:20]


@dataclass(slots=True)
class Car:
    """The car plugged into a charger."""

    max_power_kw: float = 11.0
    battery_kwh: float = 60.0
    soc_percent: float = 40.0
    target_soc: float = 100.0

    def __post_init__(self) -> None:
        if self.max_power_kw <= 0 or self.battery_kwh <= 0:
            raise ValueError("max_power_kw and battery_kwh must be positive")
        if not 0 <= self.soc_percent <= 100 or not 0 <= self.target_soc <= 100:
            raise ValueError("soc_percent and target_soc must be within 0..100")


@dataclass(slots=True)
class EcoSmart:
    """Eco-Smart settings of a charger that supports it."""

    enabled: bool = False
    mode: EcoSmartMode = EcoSmartMode.ECO
    percentage: int = 100


@dataclass(slots=True)
class Session:
    """Per-session counters; they reset at the next plug-in, like the real API."""

    added_energy: float = 0.0  # kWh delivered to the car
    added_green_energy: float = 0.0
    added_grid_energy: float = 0.0
    added_discharged_energy: float = 0.0
    charging_time: float = 0.0  # s with power flowing
    cost: float = 0.0
    finished: bool = True


@dataclass(slots=True)
class WallboxCharger:
    """A charger's settings and live state; `id` is also its serial number."""

    id: int
    owner_email: str
    name: str
    part_number: str
    phases: int
    max_available_current: int
    max_charging_current: int
    locked: bool
    eco_smart: EcoSmart | None
    power_boost: bool
    icp_max_current: int
    home_sharing: bool
    energy_price: float
    currency_id: int
    firmware: str
    latest_firmware: str
    reports_soc: bool
    updated_at: float  # physics integrated up to here
    software_updated_at: float
    solar_power_kw: float = 0.0
    car: Car | None = None
    paused: bool = False  # paused by the user (remote action 2)
    restart_until: float | None = None
    forced_status: int | None = None
    session: Session = field(default_factory=Session)
    status_shape: StatusShape = DEFAULT_STATUS_SHAPE
    list_shape: ListShape = ListShape.LIVE
    # Lifetime totals for the `resume` block of v2/charger.
    total_sessions: int = 0
    total_energy: float = 0.0
    total_charging_time: float = 0.0

    @property
    def serial_number(self) -> str:
        return str(self.id)

    @property
    def uid(self) -> str:
        return stable_uid("charger", self.id)

    @property
    def is_quasar(self) -> bool:
        return self.part_number.upper().startswith("QS")

    @property
    def charger_type(self) -> str:
        upper = self.part_number.upper()
        for prefix, name in CHARGER_TYPES.items():
            if upper.startswith(prefix):
                return name
        return "Wallbox"

    @property
    def min_charging_current(self) -> int:
        # A Quasar accepts negative currents: that is discharging (V2G).
        return -self.max_available_current if self.is_quasar else MIN_CURRENT

    @property
    def firmware_prefix(self) -> str:
        """The part number's model code, as firmware file names use it ("plp2")."""
        return self.part_number.split("-", 1)[0][:4].lower()

    @property
    def update_available(self) -> bool:
        return self.firmware != self.latest_firmware

    @property
    def plan_features(self) -> list[str]:
        features = ["DEFAULT_FEATURE", "MOBILE_CONNECTIVITY", "STATISTICS"]
        if self.power_boost:
            features.insert(1, "POWER_BOOST")
        return features

    def restarting(self, at: float) -> bool:
        return self.restart_until is not None and at < self.restart_until


@dataclass(slots=True)
class WallboxAccount:
    """A myWallbox user with one charger group and the tokens handed out to it."""

    email: str
    password: str
    user_id: int
    group_id: int
    charger_ids: list[int] = field(default_factory=list)
    # token → expiry in epoch seconds; several may be valid at once.
    access_tokens: dict[str, float] = field(default_factory=dict)
    refresh_tokens: dict[str, float] = field(default_factory=dict)

    @property
    def group_uid(self) -> str:
        return stable_uid("group", self.group_id)

    @property
    def display_name(self) -> str:
        """Fake first name derived from the email, used where the API shows personal data."""
        local = self.email.split("@", 1)[0]
        return local.replace(".", " ").title() or "User"

    def to_json(self) -> dict[str, Any]:
        return {
            "email": self.email,
            "user_id": self.user_id,
            "group_id": self.group_id,
            "chargers": list(self.charger_ids),
            "valid_access_tokens": len(self.access_tokens),
            "valid_refresh_tokens": len(self.refresh_tokens),
        }


@dataclass(slots=True)
class WallboxSettings:
    """Knobs of the simulated cloud; mutate freely from tests."""

    token_lifetime: float = 900.0  # s
    refresh_lifetime: float = 30 * 86_400.0  # s
    get_per_minute: float = 1.0
    get_burst: float = 4.0
    write_per_minute: float = 5.0
    write_burst: float = 5.0
    send_retry_after: bool = True

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class TokenGrant:
    """What sign-in and refresh hand out."""

    token: str
    ttl_ms: int
    refresh_token: str
    refresh_ttl_ms: int
    user_id: int
    email: str
