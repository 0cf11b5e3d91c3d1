"""HTTP client for the myWallbox cloud (api.wall-box.com, user-api.wall-box.com).

Wallbox has no public spec; see the project reference. What this client knows
of the vendor: its two hosts and their paths, the headers (``Partner`` at
sign-in, a Bearer token on data requests), its tokens with absolute TTLs in
milliseconds, the JSON each command sends, and how its error statuses map onto
the typed errors: a 403 on a read may be rate limiting in disguise; a 404 on a
read is ChargerNotFoundError (the coordinator keeps the charger until discovery
agrees it left), on a command DeviceGoneError, as for every cloud. The answers
are parsed in parse.py; cloud.py maps them to the neutral model.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from enum import IntEnum
import logging
from typing import Any, TypedDict

import aiohttp

from ..errors import (
    AuthenticationError,
    ChargerNotFoundError,
    CommandRejectedError,
    DeviceGoneError,
    NotPermittedError,
    RateLimitedError,
    TokenRejectedError,
    UnexpectedResponseError,
    WrongServerError,
)
from ..http import JsonHttp, Response, basic_auth_header
from ..models import DeviceRef
from ..parse import as_str
from ..tokens import RenewalGuard
from . import auth as wallbox_auth
from .auth import WallboxTokens
from .parse import ChargerData, ConfigData, parse_charger_data, parse_config_data, parse_groups

_LOGGER = logging.getLogger(__name__)

AUTH_URL = "https://user-api.wall-box.com/"
DATA_URL = "https://api.wall-box.com/"
PARTNER_HEADER = {"Partner": "wallbox"}
USER_AGENT = "HomeAssistantEVChargerCloud/1.0"


class RemoteAction(IntEnum):
    """The ``action`` of ``POST v3/chargers/{id}/remote-action``."""

    RESUME = 1
    PAUSE = 2
    RESTART = 3
    INSTALL_UPDATE = 5
    RESUME_SCHEDULE = 9


class WallboxClientOptions(TypedDict, total=False):
    """WallboxClient's optional settings, for whoever builds one on a caller's behalf."""

    base_url: str | None
    tokens: WallboxTokens | None
    on_tokens: Callable[[WallboxTokens], None] | None
    timeout: float | None


class WallboxClient:
    """One myWallbox account over HTTP: its tokens, its chargers' reads and commands."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        email: str,
        password: str,
        *,
        base_url: str | None = None,
        tokens: WallboxTokens | None = None,
        on_tokens: Callable[[WallboxTokens], None] | None = None,
        timeout: float | None = None,
    ) -> None:
        """Set up the client; ``base_url`` serves auth and data (a simulator)."""
        self._http = JsonHttp(session, timeout=timeout)
        self._email = email
        self._password = password
        root = base_url.rstrip("/") + "/" if base_url else None
        self._auth_url = root or AUTH_URL
        self._data_url = root or DATA_URL
        self._tokens = tokens
        self._on_tokens = on_tokens
        self._token_lock = asyncio.Lock()
        self._guard = RenewalGuard("Wallbox", _LOGGER, wallbox_auth.clock)
        # The token the cloud last refused with a 401 (renewed at the next request).
        self._rejected: str | None = None

    @property
    def email(self) -> str:
        """The account's email, which signs in (and names the account)."""
        return self._email

    @property
    def tokens(self) -> WallboxTokens | None:
        """The tokens in use (stored by the caller so restarts need no sign-in)."""
        return self._tokens

    # --- authentication -------------------------------------------------------

    async def async_authenticate(self) -> WallboxTokens:
        """Sign in, or reuse tokens still valid; the tokens name the account's user."""
        tokens, _fresh = await self._valid_tokens()
        return tokens

    async def _valid_tokens(self) -> tuple[WallboxTokens, bool]:
        """Tokens to send, and whether they were just issued.

        Renewed when refused (401) or expired, but never by their lifetime while
        younger than MIN_TOKEN_AGE and never beyond the hour's budget (tokens.py):
        the TTLs are the cloud's word, measured on this computer's clock.
        """
        async with self._token_lock:
            tokens = self._tokens
            if tokens is not None and not self._renewal_due(tokens):
                return tokens, False
            if tokens is not None and not self._guard.may_renew():
                return tokens, False  # over budget: the cloud may still accept them
            if tokens is not None and tokens.refresh_valid:
                try:
                    return self._store(await self._refresh(tokens)), True
                except AuthenticationError:
                    _LOGGER.debug("Wallbox refresh token refused, signing in again")
            return self._store(await self._sign_in()), True

    def _renewal_due(self, tokens: WallboxTokens) -> bool:
        if tokens.token == self._rejected:
            return True
        return not tokens.access_valid and not self._guard.too_young()

    def _store(self, tokens: WallboxTokens) -> WallboxTokens:
        self._guard.renewed(tokens.expires_at)
        self._tokens = tokens
        if self._on_tokens is not None:
            self._on_tokens(tokens)
        return tokens

    async def _sign_in(self) -> WallboxTokens:
        """The only request whose refusal means the stored email or password are wrong."""
        response = await self._http.request(
            "GET",
            self._auth_url + "users/signin",
            headers={
                **PARTNER_HEADER,
                "Authorization": basic_auth_header(self._email, self._password),
            },
        )
        if response.status in (400, 401, 403):
            raise AuthenticationError("Wallbox refused the email or password")
        if response.status == 404:  # no sign-in here: the URL does not lead to the API
            raise WrongServerError("Wallbox's API is not at this URL (HTTP 404 at sign-in)")
        return WallboxTokens.from_response(_ok(response).body)

    async def _refresh(self, tokens: WallboxTokens) -> WallboxTokens:
        response = await self._http.request(
            "GET",
            self._auth_url + "users/refresh-token",
            headers={**PARTNER_HEADER, "Authorization": f"Bearer {tokens.refresh_token}"},
        )
        if response.status in (400, 401, 403):
            raise AuthenticationError("Wallbox refused the refresh token")
        return WallboxTokens.from_response(_ok(response).body)

    async def _invalidate(self, token: str) -> None:
        """The cloud refused ``token``: renew it at the next request (budget allowing)."""
        async with self._token_lock:
            if self._tokens is not None and self._tokens.token == token:
                self._rejected = token

    # --- requests -------------------------------------------------------------

    async def _request(self, method: str, path: str, body: Any = None) -> Response:
        """Send an authorised data request; a refused token is renewed once.

        A 401 to tokens just issued (or that cannot be renewed this hour) is
        TokenRejectedError: the sign-in worked, so the credentials are good and
        the next poll tries again; only a refused sign-in is AuthenticationError.
        """
        renewed = False
        while True:
            tokens, fresh = await self._valid_tokens()
            response = await self._http.request(
                method,
                self._data_url + path,
                headers={
                    "Authorization": f"Bearer {tokens.token}",
                    "Accept": "application/json",
                    "User-Agent": USER_AGENT,
                },
                json_body=body,
            )
            if response.status != 401:
                return _check_data_response(method, response)
            await self._invalidate(tokens.token)
            if fresh or renewed:
                raise TokenRejectedError("Wallbox refused a token it had just issued (HTTP 401)")
            renewed = True

    # --- reads ----------------------------------------------------------------

    async def async_get_chargers(self) -> list[DeviceRef]:
        """The chargers in all groups of the account."""
        return parse_groups((await self._request("GET", "v3/chargers/groups")).body)

    async def async_get_status(self, charger_id: str) -> Any:
        """The extended status JSON of one charger, as the cloud sent it (see parse_status)."""
        return (await self._request("GET", f"chargers/status/{charger_id}")).body

    # --- commands -------------------------------------------------------------
    # Commands address the charger; its only connector needs no id of its own.

    async def async_set_locked(self, charger_id: str, locked: bool) -> ChargerData:
        """Lock or unlock; what the answer confirms."""
        return await self._put_charger(charger_id, {"locked": int(locked)})

    async def async_set_max_charging_current(self, charger_id: str, amps: int) -> ChargerData:
        """Set the maximum charging current (whole amps); what the answer confirms."""
        return await self._put_charger(charger_id, {"maxChargingCurrent": amps})

    async def _put_charger(self, charger_id: str, body: dict[str, Any]) -> ChargerData:
        """PUT v2/charger answers with chargerData: status, lock and current."""
        return parse_charger_data(
            (await self._request("PUT", f"v2/charger/{charger_id}", body)).body
        )

    async def async_set_energy_price(self, charger_id: str, price: float) -> ConfigData:
        """Set the energy price per kWh; what the answer confirms."""
        return await self._post_config(charger_id, {"energy_price": price})

    async def async_set_icp_max_current(self, charger_id: str, limit: int) -> ConfigData:
        """Set the power-boost supply limit in whole amps, negative while power boost is off."""
        return await self._post_config(charger_id, {"icp_max_current": limit})

    async def _post_config(self, charger_id: str, body: dict[str, Any]) -> ConfigData:
        """POST chargers/config answers with the updated config object."""
        answer = (await self._request("POST", f"chargers/config/{charger_id}", body)).body
        return parse_config_data(answer, body)

    async def async_set_eco_smart(
        self, charger_id: str, *, enabled: bool, full_solar: bool
    ) -> None:
        """Switch Eco-Smart on (eco or full solar) or off; the answer is a status code only."""
        attributes = {"enabled": int(enabled), "mode": int(full_solar), "percentage": 100}
        await self._request(
            "PUT",
            f"v4/chargers/{charger_id}/eco-smart",
            {"data": {"type": "eco_smart", "attributes": attributes}},
        )

    async def async_remote_action(self, charger_id: str, action: RemoteAction) -> None:
        """Pause, resume, restart, update or resume the schedule; the answer is empty."""
        await self._request(
            "POST", f"v3/chargers/{charger_id}/remote-action", {"action": int(action)}
        )


def _ok(response: Response) -> Response:
    """Accept a 2xx answer; anything else left over is unexpected."""
    if 200 <= response.status < 300:
        return response
    raise UnexpectedResponseError(f"Unexpected HTTP status {response.status}")


def _check_data_response(method: str, response: Response) -> Response:
    """Map Wallbox's error statuses onto the typed errors; reads are the GETs."""
    status = response.status
    read = method == "GET"
    if status == 403:
        if read:
            # Wallbox answers 403 to reads when an account polls too often.
            raise RateLimitedError("Wallbox refused the read (likely rate limited)")
        raise NotPermittedError("This account may not do that on this charger")
    if status == 404:
        if read:  # one 404 may be a glitch: discovery decides whether the charger left
            raise ChargerNotFoundError("Charger not found in this account")
        raise DeviceGoneError("The charger is not, or no longer, in this account")
    if status in (400, 409, 422):
        raise CommandRejectedError(_error_title(response.body) or f"HTTP {status}")
    return _ok(response)


def _error_title(body: Any) -> str | None:
    """The first error title Wallbox puts in an error body, if any."""
    if isinstance(body, Mapping):
        errors = body.get("errors")
        if isinstance(errors, list) and errors and isinstance(errors[0], Mapping):
            return as_str(errors[0].get("title"))
    return None
