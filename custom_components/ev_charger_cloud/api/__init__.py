"""Vendor clients for EV charger clouds; they import nothing from Home Assistant."""

from .base import ChargerCloudClient
from .errors import (
    AccountNotFoundError,
    AuthenticationError,
    BoostRefusalReason,
    BoostRefusedError,
    ChargerCloudError,
    ChargerNotFoundError,
    CloudConnectionError,
    CommandNotSupportedError,
    CommandRejectedError,
    DeviceGoneError,
    NotPermittedError,
    RateLimitedError,
    UnexpectedResponseError,
)
from .models import (
    Account,
    Charger,
    ChargerRef,
    ChargerStatus,
    EcoSmartMode,
    Feature,
    PollPlan,
    Provider,
)
from .podero import ELECTRIC_VEHICLE, WALLBOX, PoderoClient, PoderoDeviceKind
from .podero_auth import PoderoToken
from .wallbox import WallboxClient
from .wallbox_auth import WallboxTokens

__all__ = [
    "ELECTRIC_VEHICLE",
    "WALLBOX",
    "Account",
    "AccountNotFoundError",
    "AuthenticationError",
    "BoostRefusalReason",
    "BoostRefusedError",
    "Charger",
    "ChargerCloudClient",
    "ChargerCloudError",
    "ChargerNotFoundError",
    "ChargerRef",
    "ChargerStatus",
    "CloudConnectionError",
    "CommandNotSupportedError",
    "CommandRejectedError",
    "DeviceGoneError",
    "EcoSmartMode",
    "Feature",
    "NotPermittedError",
    "PoderoClient",
    "PoderoDeviceKind",
    "PoderoToken",
    "PollPlan",
    "Provider",
    "RateLimitedError",
    "UnexpectedResponseError",
    "WallboxClient",
    "WallboxTokens",
]
