"""Client for the myWallbox cloud (api.wall-box.com, user-api.wall-box.com).

Wallbox has no public spec; see the project reference. Its quirks stay here:
tokens with absolute TTLs in milliseconds, a budget of about one GET a minute
per account, 403 on a read that may be rate limiting in disguise, and write
answers that echo only part of the state.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
import dataclasses
from dataclasses import dataclass
from datetime import timedelta
import logging
from typing import Any, ClassVar

import aiohttp

from ..base import ChargerCloudClient
from ..errors import (
    AuthenticationError,
    ChargerNotFoundError,
    CommandRejectedError,
    NotPermittedError,
    RateLimitedError,
    TokenRejectedError,
    UnexpectedResponseError,
    WrongServerError,
)
from ..http import JsonHttp, Response, basic_auth_header
from ..models import (
    BUSY_STATUSES,
    Account,
    Charger,
    ChargerStatus,
    DeviceKind,
    DeviceRef,
    EcoSmartMode,
    PollPlan,
    Provider,
    Target,
)
from ..parse import as_bool, as_float, as_str
from ..tokens import RenewalGuard
from . import auth as wallbox_auth
from .auth import WallboxTokens
from .parse import (
    CONNECTOR_ID,
    icp_sign,
    parse_status,
    status_code_of,
    status_from_code,
)

_LOGGER = logging.getLogger(__name__)

AUTH_URL = "https://user-api.wall-box.com/"
DATA_URL = "https://api.wall-box.com/"
PARTNER_HEADER = {"Partner": "wallbox"}
USER_AGENT = "HomeAssistantEVChargerCloud/1.0"

ACTION_RESUME = 1
ACTION_PAUSE = 2
ACTION_RESTART = 3
ACTION_INSTALL_UPDATE = 5
ACTION_RESUME_SCHEDULE = 9


class WallboxCloud(ChargerCloudClient):
    """One myWallbox account."""

    provider: ClassVar[Provider] = Provider.WALLBOX
    # Since 2025-09 Wallbox allows about one GET a minute per account, shared by all
    # its chargers, with a small burst on top. Read one charger every 90 s (40 an
    # hour): the busy ones first. What the cloud allows beyond that (up to 60 an
    # hour) carries the rest when there is room: an idle charger at least every
    # 15 min, the hourly discovery (a charger added in the app shows within the
    # hour) and the read that confirms a command, at once from the burst (3 at
    # first, up to 5 as learned).
    poll_plan: ClassVar[PollPlan] = PollPlan(
        interval=timedelta(seconds=90),
        min_spacing=timedelta(seconds=60),
        devices_per_poll=1,
        rediscover_every=timedelta(hours=1),
        cloud_reads_per_minute=1.0,
        burst=3,
        burst_max=5,
        idle_staleness=timedelta(minutes=15),
    )

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
        self._chargers: dict[str, Charger] = {}
        self._raw_status: dict[str, Any] = {}
        # The sign of each charger's power-boost limit: -1 while power boost is off.
        self._icp_signs: dict[str, int] = {}

    @property
    def tokens(self) -> WallboxTokens | None:
        """The tokens in use (stored by the caller so restarts need no sign-in)."""
        return self._tokens

    # --- authentication -------------------------------------------------------

    async def async_authenticate(self) -> Account:
        """Sign in (or reuse valid tokens) and name the account."""
        tokens, _fresh = await self._valid_tokens()
        return Account(unique_id=tokens.user_id, title=self._email)

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

    async def async_discover(self) -> list[DeviceRef]:
        """List the chargers in all groups of the account."""
        return parse_groups((await self._request("GET", "v3/chargers/groups")).body)

    async def async_get_device(self, device_id: str) -> Charger:
        """Read the extended status of one charger."""
        body = (await self._request("GET", f"chargers/status/{device_id}")).body
        charger = parse_status(device_id, body)
        self._raw_status[device_id] = body
        self._remember_icp_sign(device_id, body["config_data"].get("icp_max_current"))
        self._chargers[device_id] = charger
        return charger

    def diagnostics(self) -> dict[str, Any]:
        """The last status JSON of each charger."""
        return {"status": dict(self._raw_status)}

    # --- commands -------------------------------------------------------------
    # Commands address the charger; its only connector needs no id of its own.

    def _patched(
        self,
        charger_id: str,
        changes: Mapping[str, Any],
        connector: Mapping[str, Any] | None = None,
    ) -> Charger | None:
        """The last reading with what a write answer confirmed (``connector``: its values)."""
        current = self._chargers.get(charger_id)
        if current is None:
            return None
        updated = dataclasses.replace(current, **changes)
        if connector:
            updated = updated.with_connector(CONNECTOR_ID, **connector)
        updated = _consistent(current, updated)
        self._chargers[charger_id] = updated
        return updated

    async def _put_charger(self, charger_id: str, body: dict[str, Any]) -> Charger | None:
        """PUT v2/charger answers with chargerData: status, lock and current.

        A 2xx means the change was applied: what the answer confirms is shown, an
        answer confirming nothing gives None (the caller reads again), and a value
        sent but not confirmed leaves the reading unconfirmed.
        """
        data = parse_charger_data(
            (await self._request("PUT", f"v2/charger/{charger_id}", body)).body
        )
        changes: dict[str, Any] = {}
        if data.locked is not None:
            changes["locked"] = data.locked
        if data.max_charging_current is not None:
            changes["max_charging_current"] = data.max_charging_current
        connector: dict[str, Any] = {}
        if data.status_code is not None:
            connector = {
                "status": status_from_code(data.status_code),
                "status_code": data.status_code,
            }
        if not changes and not connector:
            return None
        sent = {"locked": "locked", "maxChargingCurrent": "max_charging_current"}
        if any(sent.get(key, key) not in changes for key in body):
            changes["confirmed"] = False
        return self._patched(charger_id, changes, connector)

    async def _post_config(self, charger_id: str, body: dict[str, Any]) -> Charger | None:
        """POST chargers/config answers with the updated config object.

        A 2xx means the change was applied; see _put_charger for what is shown.
        """
        answer = (await self._request("POST", f"chargers/config/{charger_id}", body)).body
        if isinstance(answer, Mapping):
            self._remember_icp_sign(charger_id, answer.get("icp_max_current"))
        values: dict[str, Any] = dict(parse_config_answer(answer, body))
        if not values:
            return None
        if any(key not in values for key in body):
            values["confirmed"] = False
        return self._patched(charger_id, values)

    async def _remote_action(self, charger_id: str, action: int) -> None:
        await self._request("POST", f"v3/chargers/{charger_id}/remote-action", {"action": action})

    async def async_set_charging(self, target: Target, enabled: bool) -> Charger | None:
        """Resume or pause; the answer does not carry the new status.

        Both are shown at once and read again: what a resume leads to (charging,
        waiting for the car or the sun) only the next read tells.
        """
        await self._remote_action(target.device_id, ACTION_RESUME if enabled else ACTION_PAUSE)
        # Resumed, the session runs again: "waiting" until a read tells whether the car
        # draws power (the switch shows on at once and does not spring back).
        status = ChargerStatus.WAITING if enabled else ChargerStatus.PAUSED
        return self._patched(
            target.device_id,
            {"confirmed": False},
            {"status": status, "status_code": None, "charging_power": 0.0},
        )

    async def async_set_locked(self, target: Target, locked: bool) -> Charger | None:
        """Lock or unlock."""
        return await self._put_charger(target.device_id, {"locked": int(locked)})

    async def async_set_max_charging_current(
        self, target: Target, current: float
    ) -> Charger | None:
        """Set the maximum charging current (whole amps)."""
        return await self._put_charger(target.device_id, {"maxChargingCurrent": round(current)})

    async def async_set_energy_price(self, target: Target, price: float) -> Charger | None:
        """Set the energy price per kWh."""
        return await self._post_config(target.device_id, {"energy_price": round(price, 3)})

    async def async_set_icp_max_current(self, target: Target, current: float) -> Charger | None:
        """Set the power-boost supply limit (whole amps), keeping power boost on or off.

        The cloud keeps the limit negative while power boost is off (seed 003):
        the new limit goes with the sign the charger has, so setting it never
        switches power boost on or off behind the user's back.
        """
        sign = self._icp_signs.get(target.device_id, 1)
        return await self._post_config(
            target.device_id, {"icp_max_current": sign * round(abs(current))}
        )

    def _remember_icp_sign(self, charger_id: str, value: Any) -> None:
        sign = icp_sign(value)
        if sign is not None:
            self._icp_signs[charger_id] = sign

    async def async_set_eco_smart(self, target: Target, mode: EcoSmartMode) -> Charger | None:
        """Switch Eco-Smart; a 2xx means accepted, so take the mode as set."""
        attributes = {
            "enabled": int(mode is not EcoSmartMode.OFF),
            "mode": int(mode is EcoSmartMode.FULL_SOLAR),
            "percentage": 100,
        }
        await self._request(
            "PUT",
            f"v4/chargers/{target.device_id}/eco-smart",
            {"data": {"type": "eco_smart", "attributes": attributes}},
        )
        # Wallbox answers with a status code only: show the mode, confirm by a read.
        return self._patched(target.device_id, {"eco_smart": mode, "confirmed": False})

    async def async_resume_schedule(self, target: Target) -> Charger | None:
        """Resume schedule and Eco-Smart after a manual stop."""
        await self._remote_action(target.device_id, ACTION_RESUME_SCHEDULE)
        return None

    async def async_restart(self, target: Target) -> Charger | None:
        """Reboot; the charger is offline for a minute or two.

        The answer is empty: show the charger offline (as the cloud reports it
        while it reboots) at once, and let a read confirm it.
        """
        await self._remote_action(target.device_id, ACTION_RESTART)
        return self._patched(
            target.device_id,
            {"confirmed": False},
            {"status": ChargerStatus.DISCONNECTED, "charging_power": 0.0},
        )

    async def async_install_update(self, target: Target) -> Charger | None:
        """Start the firmware update; the charger restarts when it is done.

        The answer is empty: show the charger updating (status 166 while it
        installs) at once, and let a read confirm it.
        """
        await self._remote_action(target.device_id, ACTION_INSTALL_UPDATE)
        return self._patched(
            target.device_id,
            {"confirmed": False},
            {"status": ChargerStatus.UPDATING, "charging_power": 0.0},
        )


def _consistent(before: Charger, after: Charger) -> Charger:
    """A patched reading whose power does not contradict what a write answer changed.

    Power that starts (an unlock lets the car charge) or changes with a lower
    current limit is unknown until the next read, rather than a stale figure
    beside the new status; power that stops is 0.
    """
    old, new = before.connector(CONNECTOR_ID), after.connector(CONNECTOR_ID)
    if old is None or new is None or new.charging_power is None:
        return after
    was_busy, busy = old.status in BUSY_STATUSES, new.status in BUSY_STATUSES
    lowered = (
        after.max_charging_current is not None
        and before.max_charging_current is not None
        and after.max_charging_current < before.max_charging_current
    )
    if busy and (not was_busy or lowered):
        # Unknown until read: read it as soon as the budget allows.
        return dataclasses.replace(
            after.with_connector(CONNECTOR_ID, charging_power=None), confirmed=False
        )
    if was_busy and not busy:
        return after.with_connector(CONNECTOR_ID, charging_power=0.0)
    return after


# --- parsing of answers other than the status -----------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class ChargerData:
    """What a ``PUT v2/charger`` answer confirms (``data.chargerData``); None: not confirmed."""

    locked: bool | None = None
    max_charging_current: float | None = None
    status_code: int | None = None


def parse_groups(body: Any) -> list[DeviceRef]:
    """The chargers of every group of ``GET v3/chargers/groups``.

    ``result.groups`` must be a list, and each charger an object with an id (a
    whole number or text). A group that is not an object (``null``) or has no
    charger list holds no chargers.
    """
    result = body.get("result") if isinstance(body, Mapping) else None
    groups = result.get("groups") if isinstance(result, Mapping) else None
    if not isinstance(groups, list):
        raise UnexpectedResponseError("Groups answer of an unknown shape")
    refs: list[DeviceRef] = []
    for group in groups:
        chargers = group.get("chargers") if isinstance(group, Mapping) else None
        for charger in chargers if isinstance(chargers, list) else ():
            device_id = _charger_id(charger.get("id")) if isinstance(charger, Mapping) else None
            if device_id is None:
                raise UnexpectedResponseError("Groups answer with a charger without an id")
            name = charger.get("name")
            refs.append(
                DeviceRef(
                    device_id=device_id,
                    name=name if isinstance(name, str) and name else device_id,
                    kind=DeviceKind.CHARGER,
                )
            )
    return refs


def _charger_id(value: Any) -> str | None:
    """A charger id: a whole number (Wallbox's) or a non-empty text."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, str)):
        return as_str(value)
    return None


def parse_charger_data(answer: Any) -> ChargerData:
    """What ``data.chargerData`` of a ``PUT v2/charger`` answer confirms.

    The answer is a success (2xx): a field missing or unreadable confirms
    nothing (None) but is no error, whatever the shape of the answer.
    """
    data = answer.get("data") if isinstance(answer, Mapping) else None
    charger = data.get("chargerData") if isinstance(data, Mapping) else None
    if not isinstance(charger, Mapping):
        return ChargerData()
    try:
        status_code: int | None = status_code_of(charger.get("status"))
    except UnexpectedResponseError:
        status_code = None
    return ChargerData(
        locked=as_bool(charger.get("locked")),
        max_charging_current=as_float(charger.get("maxChargingCurrent")),
        status_code=status_code,
    )


def parse_config_answer(answer: Any, sent: Mapping[str, Any]) -> dict[str, float]:
    """The values a ``POST chargers/config`` answer confirms (none: an empty dict).

    The answer is a success (2xx), so a value missing, even the one just set
    (``sent``), is no error: it is simply not confirmed.
    """
    if not isinstance(answer, Mapping):
        return {}
    values = {key: as_float(answer.get(key)) for key in ("energy_price", "icp_max_current")}
    icp = values["icp_max_current"]
    if icp is not None:
        values["icp_max_current"] = abs(icp)  # the limit; its sign is power boost off
    return {key: value for key, value in values.items() if value is not None}


def _ok(response: Response) -> Response:
    """Accept a 2xx answer; anything else left over is unexpected."""
    if 200 <= response.status < 300:
        return response
    raise UnexpectedResponseError(f"Unexpected HTTP status {response.status}")


def _check_data_response(method: str, response: Response) -> Response:
    status = response.status
    if status == 403:
        if method == "GET":
            # Wallbox answers 403 to reads when an account polls too often.
            raise RateLimitedError("Wallbox refused the read (likely rate limited)")
        raise NotPermittedError("This account may not do that on this charger")
    if status == 404:
        raise ChargerNotFoundError("Charger not found in this account")
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
