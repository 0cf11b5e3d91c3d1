"""Vendor clients for EV charger clouds; they import nothing from Home Assistant."""

from .base import ChargerCloudClient
from .errors import (
    AuthenticationError,
    ChargerCloudError,
    ChargerNotFoundError,
    CloudConnectionError,
    CommandNotSupportedError,
    CommandRejectedError,
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
from .wallbox import WallboxClient
from .wallbox_auth import WallboxTokens

__all__ = [
    "Account",
    "AuthenticationError",
    "Charger",
    "ChargerCloudClient",
    "ChargerCloudError",
    "ChargerNotFoundError",
    "ChargerRef",
    "ChargerStatus",
    "CloudConnectionError",
    "CommandNotSupportedError",
    "CommandRejectedError",
    "EcoSmartMode",
    "Feature",
    "NotPermittedError",
    "PollPlan",
    "Provider",
    "RateLimitedError",
    "UnexpectedResponseError",
    "WallboxClient",
    "WallboxTokens",
]
