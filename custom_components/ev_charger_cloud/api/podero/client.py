"""Client for the Podero Partner API v2.0 (app.podero.com).

A partner organisation's client credentials give org-administrator access to
its users' wallboxes and electric vehicles. Podero's quirks stay here: the
token comes from ``/oauth2/token/`` (not the spec's ``auth/token``) with a
JSON body, there is no refresh token, and a boost refusal is a 409 with a
reason. See the project's Podero reference for what is documented and what
is assumed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time
import logging
from typing import Any, TypedDict

import aiohttp

from ..errors import (
    AccountNotFoundError,
    AuthenticationError,
    CommandRejectedError,
    DeviceGoneError,
    NotPermittedError,
    TokenRejectedError,
    UnexpectedResponseError,
    WrongServerError,
)
from ..http import JsonHttp, Response, basic_auth_header
from ..tokens import RenewalGuard
from . import auth as podero_auth
from .auth import PoderoToken
from .models import (
    PoderoChargingConfig,
    PoderoChargingMode,
    PoderoDevice,
    PoderoUser,
    PoderoVehicle,
    PoderoWallbox,
)
from .parse import (
    boost_refused,
    parse_charging_config,
    parse_user,
    parse_users,
    parse_vehicle,
    parse_vehicles,
    parse_wallbox,
    parse_wallboxes,
)

_LOGGER = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://app.podero.com"
TOKEN_PATH = "/oauth2/token/"
API_PATH = "/api/partners/v2.0"


@dataclass(frozen=True, slots=True)
class PoderoDeviceKind[D: PoderoDevice]:
    """A kind of device the API addresses: its path segment and its model."""

    name: str
    path: str
    parse: Callable[[Any, str | None], D]


WALLBOX = PoderoDeviceKind[PoderoWallbox]("wallbox", "wallboxes", parse_wallbox)
ELECTRIC_VEHICLE = PoderoDeviceKind[PoderoVehicle](
    "electric vehicle", "electric-vehicles", parse_vehicle
)


class PoderoClientOptions(TypedDict, total=False):
    """PoderoClient's optional settings, for whoever builds one on a caller's behalf."""

    base_url: str | None
    token: PoderoToken | None
    on_token: Callable[[PoderoToken], None] | None
    timeout: float | None


class PoderoClient:
    """One Podero partner organisation, optionally narrowed to one of its users."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        client_id: str,
        client_secret: str,
        org_id: str,
        *,
        user_id: str | None = None,
        base_url: str | None = None,
        token: PoderoToken | None = None,
        on_token: Callable[[PoderoToken], None] | None = None,
        timeout: float | None = None,
    ) -> None:
        """Set up the client; ``base_url`` replaces https://app.podero.com (a simulator)."""
        self._http = JsonHttp(session, timeout=timeout)
        self._client_id = client_id
        self._client_secret = client_secret
        self._org_id = org_id
        self._user_id = user_id
        self._base_url = (base_url or DEFAULT_BASE_URL).rstrip("/")
        self._token = token
        self._on_token = on_token
        self._token_lock = asyncio.Lock()
        self._guard = RenewalGuard("Podero", _LOGGER, podero_auth.clock)
        # The token the cloud last refused with a 401 (renewed at the next request).
        self._rejected: PoderoToken | None = None

    @property
    def token(self) -> PoderoToken | None:
        """The token in use (stored by the caller so restarts need no token request)."""
        return self._token

    @property
    def org_id(self) -> str:
        """The partner organisation."""
        return self._org_id

    @property
    def user_id(self) -> str | None:
        """The user whose devices the user-scoped calls address."""
        return self._user_id

    # --- token ----------------------------------------------------------------

    async def async_authenticate(self) -> PoderoToken:
        """Check the client credentials: reuse a valid token or request one."""
        token, _fresh = await self._valid_token()
        return token

    async def _valid_token(self) -> tuple[PoderoToken, bool]:
        """A usable token, and whether it was just issued.

        Renewed when refused (401) or expired, but never by its lifetime while
        younger than MIN_TOKEN_AGE and never beyond the hour's budget (tokens.py).
        """
        async with self._token_lock:
            current = self._token
            if current is not None:
                if current is self._rejected:
                    due = True
                else:
                    due = not current.valid and not self._guard.too_young()
                if not due or not self._guard.may_renew():
                    return current, False
            token = await self._request_token()
            self._guard.renewed(token.expires_at)
            self._token = token
            if self._on_token is not None:
                self._on_token(token)
            return token, True

    async def _request_token(self) -> PoderoToken:
        """The only request whose refusal means the client credentials are wrong."""
        response = await self._http.request(
            "POST",
            self._base_url + TOKEN_PATH,
            headers={
                "Authorization": basic_auth_header(self._client_id, self._client_secret),
                "Accept": "application/json",
            },
            json_body={"grant_type": "client_credentials"},
        )
        if response.status in (400, 401, 403):
            raise AuthenticationError("Podero refused the client credentials")
        if response.status == 404:  # no token endpoint here: the URL does not lead to Podero
            raise WrongServerError("Podero's API is not at this URL (HTTP 404 for a token)")
        if not 200 <= response.status < 300:
            raise UnexpectedResponseError(f"Unexpected HTTP status {response.status}")
        return PoderoToken.from_response(response.body)

    async def _invalidate(self, token: PoderoToken) -> None:
        async with self._token_lock:
            if self._token is token:
                self._rejected = token

    # --- requests -------------------------------------------------------------

    async def _request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        device: bool = False,
        boost: bool = False,
    ) -> Response:
        """Send an authorised API request; a refused token is renewed once.

        A 401 to a token just issued (or one that cannot be renewed this hour) is
        TokenRejectedError: the credentials were accepted, so it is the cloud's
        glitch and the next poll tries again; only a refused token request is
        AuthenticationError.

        ``device``: a 404 means the device is gone; ``boost``: a 409 is a boost refusal.
        """
        renewed = False
        while True:
            token, fresh = await self._valid_token()
            response = await self._http.request(
                method,
                self._base_url + API_PATH + path,
                headers={
                    "Authorization": f"Bearer {token.access_token}",
                    "Accept": "application/json",
                },
                json_body=body,
            )
            if response.status != 401:
                return _check(response, device=device, boost=boost)
            await self._invalidate(token)
            if fresh or renewed:
                raise TokenRejectedError("Podero refused a token it had just issued (HTTP 401)")
            _LOGGER.debug("Podero refused the token, requesting a new one")
            renewed = True

    def _user_path(self) -> str:
        if self._user_id is None:
            raise ValueError("This call needs the client to be set up with a user_id")
        return f"/org/{self._org_id}/users/{self._user_id}"

    def _device_path(self, kind: PoderoDeviceKind[Any], device_id: str) -> str:
        return f"{self._user_path()}/{kind.path}/{device_id}"

    # --- reads ----------------------------------------------------------------

    async def async_get_users(self) -> list[PoderoUser]:
        """The users of the organisation (to pick one when setting up)."""
        return parse_users((await self._request("GET", f"/org/{self._org_id}/users")).body)

    async def async_get_user(self) -> PoderoUser:
        """The user the client is set up for (names the account)."""
        return parse_user((await self._request("GET", self._user_path())).body)

    async def async_get_wallboxes(self) -> list[PoderoWallbox]:
        """The user's wallboxes, full objects."""
        body = (await self._request("GET", f"{self._user_path()}/{WALLBOX.path}")).body
        return parse_wallboxes(body)

    async def async_get_vehicles(self) -> list[PoderoVehicle]:
        """The user's electric vehicles, full objects."""
        body = (await self._request("GET", f"{self._user_path()}/{ELECTRIC_VEHICLE.path}")).body
        return parse_vehicles(body)

    async def async_get_device[D: PoderoDevice](
        self, kind: PoderoDeviceKind[D], device_id: str
    ) -> D:
        """One wallbox or electric vehicle."""
        response = await self._request("GET", self._device_path(kind, device_id), device=True)
        return kind.parse(response.body, device_id)

    async def async_get_wallbox(self, wallbox_id: str) -> PoderoWallbox:
        """One wallbox."""
        return await self.async_get_device(WALLBOX, wallbox_id)

    async def async_get_vehicle(self, vehicle_id: str) -> PoderoVehicle:
        """One electric vehicle."""
        return await self.async_get_device(ELECTRIC_VEHICLE, vehicle_id)

    async def async_get_charging_config(self) -> PoderoChargingConfig:
        """The user's charging mode and which modes are available."""
        response = await self._request("GET", f"{self._user_path()}/charging-config")
        return parse_charging_config(response.body)

    # --- commands -------------------------------------------------------------

    async def async_set_charging_mode(
        self, mode: PoderoChargingMode
    ) -> PoderoChargingConfig | None:
        """Choose the user's charging mode (for all their charging devices).

        The answer is the configuration; a 2xx that does not tell the mode confirms
        nothing (None), though the mode was set.
        """
        if mode is PoderoChargingMode.UNKNOWN:
            raise ValueError("Cannot choose the unknown charging mode")
        response = await self._request(
            "PUT", f"{self._user_path()}/charging-config", {"mode": mode.value}
        )
        if not isinstance(response.body, Mapping) or response.body.get("mode") is None:
            return None
        return parse_charging_config(response.body)

    async def async_update_device[D: PoderoDevice](
        self, kind: PoderoDeviceKind[D], device_id: str, changes: Mapping[str, Any]
    ) -> D | None:
        """PUT only the changed fields; the answer is the whole updated device.

        A 2xx means the change was applied. An answer that is not an object, or
        that lacks a field just changed, confirms nothing: None (read it again).
        """
        response = await self._request(
            "PUT", self._device_path(kind, device_id), dict(changes), device=True
        )
        body = response.body
        if not isinstance(body, Mapping) or any(key not in body for key in changes):
            return None
        return kind.parse(body, device_id)

    async def async_pause[D: PoderoDevice](
        self, kind: PoderoDeviceKind[D], device_id: str, until: datetime
    ) -> D | None:
        """Pause charging until ``until`` (an aware datetime)."""
        if until.tzinfo is None:
            raise ValueError("The pause end needs a time zone")
        until_utc = until.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
        return await self.async_update_device(kind, device_id, {"pause_power_until": until_utc})

    async def async_resume[D: PoderoDevice](
        self, kind: PoderoDeviceKind[D], device_id: str
    ) -> D | None:
        """End a pause."""
        return await self.async_update_device(kind, device_id, {"pause_power_until": None})

    async def async_set_smart_optimization[D: PoderoDevice](
        self, kind: PoderoDeviceKind[D], device_id: str, active: bool
    ) -> D | None:
        """Switch Podero's optimisation of this device on or off."""
        return await self.async_update_device(
            kind, device_id, {"is_smart_optimization_active": active}
        )

    async def async_set_vehicle_charge_policy(
        self,
        vehicle_id: str,
        *,
        minimum_charge_limit: int | None = None,
        charge_deadline_at: time | None = None,
        is_charge_policy_enabled: bool | None = None,
    ) -> PoderoVehicle | None:
        """Change the vehicle's charge target; only the given fields are sent.

        ``minimum_charge_limit`` is the % to reach (0-100) by ``charge_deadline_at``,
        a time of day (sent as "HH:MM").
        """
        changes: dict[str, Any] = {}
        if minimum_charge_limit is not None:
            if not 0 <= minimum_charge_limit <= 100:
                raise ValueError("minimum_charge_limit is a percentage (0-100)")
            changes["minimum_charge_limit"] = minimum_charge_limit
        if charge_deadline_at is not None:
            changes["charge_deadline_at"] = charge_deadline_at.strftime("%H:%M")
        if is_charge_policy_enabled is not None:
            changes["is_charge_policy_enabled"] = is_charge_policy_enabled
        if not changes:
            raise ValueError("Nothing to change")
        return await self.async_update_device(ELECTRIC_VEHICLE, vehicle_id, changes)

    async def async_boost(self, kind: PoderoDeviceKind[Any], device_id: str) -> None:
        """Charge now; a refusal raises BoostRefusedError with the cloud's reason."""
        await self._request(
            "POST", f"{self._device_path(kind, device_id)}/boost", device=True, boost=True
        )

    async def async_cancel_boost(self, kind: PoderoDeviceKind[Any], device_id: str) -> None:
        """Cancel a boost and disarm one for the next session.

        On a vehicle a boost already running goes on until it is unplugged.
        """
        await self._request("DELETE", f"{self._device_path(kind, device_id)}/boost", device=True)


def _check(response: Response, *, device: bool, boost: bool) -> Response:
    """Map Podero's error statuses onto the typed errors."""
    status = response.status
    if 200 <= status < 300:
        return response
    if status == 403:
        raise NotPermittedError("Podero does not allow this for these credentials")
    if status == 404:
        if device:
            raise DeviceGoneError("The device is not, or no longer, with this user")
        raise AccountNotFoundError("Podero does not know this organisation or user")
    if status == 409 and boost:
        raise boost_refused(response.body)
    if status in (400, 409, 422):
        raise CommandRejectedError(_detail(response.body) or f"HTTP {status}")
    raise UnexpectedResponseError(f"Unexpected HTTP status {status}")


def _detail(body: Any) -> str | None:
    """The message of an error body (``detail`` as text, or the first item's ``msg``)."""
    if not isinstance(body, Mapping):
        return None
    detail = body.get("detail") or body.get("message")
    if isinstance(detail, str):
        return detail
    if isinstance(detail, list) and detail and isinstance(detail[0], Mapping):
        message = detail[0].get("msg")
        return message if isinstance(message, str) and message else None
    return None
