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
    ChargerStatus,
    Connector,
    Device,
    DeviceKind,
    DeviceRef,
    EcoSmartMode,
    Feature,
    Health,
    PollPlan,
    Provider,
    Target,
    Vehicle,
)
from .podero import ELECTRIC_VEHICLE, WALLBOX, PoderoClient, PoderoDeviceKind
from .podero_auth import PoderoToken
from .podero_cloud import PoderoCloudClient
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
    "ChargerStatus",
    "CloudConnectionError",
    "CommandNotSupportedError",
    "CommandRejectedError",
    "Connector",
    "Device",
    "DeviceGoneError",
    "DeviceKind",
    "DeviceRef",
    "EcoSmartMode",
    "Feature",
    "Health",
    "NotPermittedError",
    "PoderoClient",
    "PoderoCloudClient",
    "PoderoDeviceKind",
    "PoderoToken",
    "PollPlan",
    "Provider",
    "RateLimitedError",
    "Target",
    "UnexpectedResponseError",
    "Vehicle",
    "WallboxClient",
    "WallboxTokens",
]
