"""Vendor clients for EV charger clouds: a library of its own, with this module its public API.

It imports nothing from Home Assistant and nothing of the integration outside
``api/`` (tests/test_layering.py holds both), so it could move to PyPI as it is;
the Home Assistant side imports only what is exported here.

- The contract: ``ChargerCloudClient`` (base.py), the neutral model (models.py,
  features.py, plan.py) and the typed errors (errors.py).
- One package per cloud, each in the same shape: ``client.py`` speaks HTTP and
  knows the vendor's JSON, ``cloud.py`` maps it to the neutral model
  (``WallboxCloud``, ``PoderoCloud``, ``ThorCloud``), ``parse.py`` reads answers.
- Shared: http.py (the one transport: same-origin redirects only), tokens.py
  (renewal), parse.py (defensive value parsing).
"""

from .base import ChargerCloudClient
from .errors import (
    AccountNotFoundError,
    AccountWithoutDevicesError,
    AuthenticationError,
    BoostRefusalReason,
    BoostRefusedError,
    ChargerCloudError,
    ChargeRefusalReason,
    ChargeRefusedError,
    ChargerNotFoundError,
    CloudConnectionError,
    CommandNotSupportedError,
    CommandRejectedError,
    DeviceGoneError,
    NotPermittedError,
    RateLimitedError,
    RedirectRefusedError,
    ServiceDisabledError,
    ServiceDisabledReason,
    TokenRejectedError,
    UnexpectedResponseError,
    WrongServerError,
)
from .http import MAX_RETRY_AFTER
from .models import (
    ACTIVE_BOOST_STATES,
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
    EcoSmartMode,
    Feature,
    Health,
    PollPlan,
    Provider,
    Target,
    Vehicle,
)
from .podero.auth import PoderoToken
from .podero.client import (
    DEFAULT_BASE_URL as PODERO_DEFAULT_URL,
    ELECTRIC_VEHICLE,
    WALLBOX,
    PoderoClient,
    PoderoDeviceKind,
)
from .podero.cloud import PoderoCloud
from .podero.models import PoderoUser
from .thor.client import DEFAULT_BASE_URL as THOR_DEFAULT_URL, ThorClient
from .thor.cloud import ACCOUNT_BOX as THOR_ACCOUNT_BOX, ThorCloud
from .thor.models import (
    ThorCharge,
    ThorChargebox,
    ThorConnector,
    ThorFinishedCharge,
    ThorReservation,
)
from .wallbox.auth import WallboxTokens
from .wallbox.client import AUTH_URL as WALLBOX_SIGN_IN_URL, WallboxClient
from .wallbox.cloud import WallboxCloud

__all__ = [
    "ACTIVE_BOOST_STATES",
    "ELECTRIC_VEHICLE",
    "MAX_RETRY_AFTER",
    "PODERO_DEFAULT_URL",
    "THOR_ACCOUNT_BOX",
    "THOR_DEFAULT_URL",
    "WALLBOX",
    "WALLBOX_SIGN_IN_URL",
    "Account",
    "AccountNotFoundError",
    "AccountSettings",
    "AccountWithoutDevicesError",
    "AuthenticationError",
    "BoostRefusalReason",
    "BoostRefusedError",
    "BoostState",
    "ChargeRefusalReason",
    "ChargeRefusedError",
    "Charger",
    "ChargerCloudClient",
    "ChargerCloudError",
    "ChargerNotFoundError",
    "ChargerStatus",
    "ChargingMode",
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
    "PoderoCloud",
    "PoderoDeviceKind",
    "PoderoToken",
    "PoderoUser",
    "PollPlan",
    "Provider",
    "RateLimitedError",
    "RedirectRefusedError",
    "ServiceDisabledError",
    "ServiceDisabledReason",
    "Target",
    "ThorCharge",
    "ThorChargebox",
    "ThorClient",
    "ThorCloud",
    "ThorConnector",
    "ThorFinishedCharge",
    "ThorReservation",
    "TokenRejectedError",
    "UnexpectedResponseError",
    "Vehicle",
    "WallboxClient",
    "WallboxCloud",
    "WallboxTokens",
    "WrongServerError",
]
