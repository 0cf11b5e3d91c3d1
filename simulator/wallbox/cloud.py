"""The simulated Wallbox cloud: accounts, tokens, rate limits and charger operations.

Every Python method here is what the HTTP routes call, so tests can drive the
same behaviour without HTTP. Errors are raised as `WallboxError` with the HTTP
status the real cloud would answer.
"""

from collections.abc import Mapping
import secrets
from typing import Any

from simulator.clock import Clock
from simulator.errors import CloudError
from simulator.faults import FaultList
from simulator.jsonbody import BodyError, opt_bool, opt_float, opt_int
from simulator.ratelimit import RateLimiter

from .answers import (
    charger_data_json,
    charger_state_json,
    config_data_json,
    eco_smart_json,
    groups_json,
    status_json,
)
from .model import (
    CURRENCIES,
    DEFAULT_FIRMWARE,
    DEFAULT_PART_NUMBER,
    DEFAULT_STATUS_SHAPE,
    MAX_ICP_CURRENT,
    RESTART_SECONDS,
    Car,
    EcoSmart,
    EcoSmartMode,
    Session,
    Status,
    StatusShape,
    TokenGrant,
    WallboxAccount,
    WallboxCharger,
    WallboxSettings,
)
from .physics import Flow, advance, flow_at

FIRST_CHARGER_ID = 100001
FIRST_USER_ID = 200001
FIRST_GROUP_ID = 300001

ACTION_RESUME = 1
ACTION_PAUSE = 2
ACTION_RESTART = 3
ACTION_FACTORY_RESET = 4
ACTION_SOFTWARE_UPDATE = 5
ACTION_RESUME_SCHEDULE = 9

# States in which the real cloud lets a user pause (anything with a live session).
_PAUSABLE = {
    Status.CHARGING,
    Status.DISCHARGING,
    Status.WAITING_FOR_CAR_DEMAND,
    Status.WAITING_ECO_SMART,
}
_CONFIG_KEYS = {
    "energy_price",
    "energyCost",
    "currency_id",
    "max_charging_current",
    "icp_max_current",
    "home_sharing",
}


class WallboxError(CloudError):
    """A request the Wallbox cloud refuses, with the HTTP status it answers."""


class WallboxRateLimited(WallboxError):
    """429, with the seconds until the account's bucket has a token again."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(429, "Too many requests")
        self.retry_after = retry_after


class SimulatedWallbox:
    """State and behaviour of the Wallbox cloud, shared by its API and control routes."""

    name = "wallbox"

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.settings = WallboxSettings()
        self.faults = FaultList()
        self.rate_limiter = RateLimiter()
        self._accounts: dict[str, WallboxAccount] = {}
        self._chargers: dict[int, WallboxCharger] = {}
        self._next_charger_id = FIRST_CHARGER_ID
        self._next_user_id = FIRST_USER_ID
        self._next_group_id = FIRST_GROUP_ID

    # --- accounts and tokens -------------------------------------------------

    def add_account(self, email: str, password: str, user_id: int | None = None) -> WallboxAccount:
        key = email.lower()
        if key in self._accounts:
            raise WallboxError(409, f"account {email} already exists")
        if user_id is None:
            user_id = self._next_user_id
        self._next_user_id = max(self._next_user_id, user_id + 1)
        account = WallboxAccount(
            email=email,
            password=password,
            user_id=user_id,
            group_id=self._next_group_id,
        )
        self._next_group_id += 1
        self._accounts[key] = account
        return account

    def account(self, email: str) -> WallboxAccount:
        try:
            return self._accounts[email.lower()]
        except KeyError:
            raise WallboxError(404, f"no account {email}") from None

    @property
    def accounts(self) -> list[WallboxAccount]:
        return list(self._accounts.values())

    def find_account(self, email: str) -> WallboxAccount | None:
        return self._accounts.get(email.lower())

    def sign_in(self, email: str, password: str) -> TokenGrant:
        account = self.find_account(email)
        if account is None or not secrets.compare_digest(
            account.password.encode(), password.encode()
        ):
            raise WallboxError(403, "Invalid credentials")
        return self._grant(account)

    def refresh(self, refresh_token: str) -> TokenGrant:
        """Swap a refresh token for a new pair; the old refresh token stops working."""
        now = self.clock.now()
        for account in self._accounts.values():
            expiry = account.refresh_tokens.pop(refresh_token, None)
            if expiry is not None:
                if expiry <= now:
                    break
                return self._grant(account)
        raise WallboxError(401, "Invalid refresh token")

    def authenticate(self, token: str) -> WallboxAccount:
        """The account owning a valid access token, else 401."""
        now = self.clock.now()
        for account in self._accounts.values():
            expiry = account.access_tokens.get(token)
            if expiry is not None:
                if expiry > now:
                    return account
                del account.access_tokens[token]
                break
        raise WallboxError(401, "Invalid or expired token")

    def revoke_tokens(self, email: str) -> None:
        """Invalidate every token of an account (forces a fresh sign-in)."""
        account = self.account(email)
        account.access_tokens.clear()
        account.refresh_tokens.clear()

    def _grant(self, account: WallboxAccount) -> TokenGrant:
        now = self.clock.now()
        self._drop_expired(account, now)
        token = secrets.token_urlsafe(32)
        refresh_token = secrets.token_urlsafe(32)
        expiry = now + self.settings.token_lifetime
        refresh_expiry = now + self.settings.refresh_lifetime
        account.access_tokens[token] = expiry
        account.refresh_tokens[refresh_token] = refresh_expiry
        return TokenGrant(
            token=token,
            ttl_ms=round(expiry * 1000),
            refresh_token=refresh_token,
            refresh_ttl_ms=round(refresh_expiry * 1000),
            user_id=account.user_id,
            email=account.email,
        )

    @staticmethod
    def _drop_expired(account: WallboxAccount, now: float) -> None:
        for tokens in (account.access_tokens, account.refresh_tokens):
            for token in [t for t, expiry in tokens.items() if expiry <= now]:
                del tokens[token]

    # --- rate limiting -------------------------------------------------------

    def acquire(self, email: str, *, write: bool) -> None:
        """Spend one request of the account's budget or raise WallboxRateLimited."""
        settings = self.settings
        if write:
            key, per_minute, burst = (
                "write",
                settings.write_per_minute,
                settings.write_burst,
            )
        else:
            key, per_minute, burst = "get", settings.get_per_minute, settings.get_burst
        wait = self.rate_limiter.try_acquire(
            (email.lower(), key), self.clock.now(), per_minute, burst
        )
        if wait is not None:
            raise WallboxRateLimited(wait)

    def reset_rate_limits(self) -> None:
        self.rate_limiter.reset()

    # --- chargers: creation and reading --------------------------------------

    def add_charger(
        self,
        email: str,
        *,
        id: int | None = None,  # mirrors the control API field
        name: str | None = None,
        part_number: str = DEFAULT_PART_NUMBER,
        phases: int = 1,
        max_available_current: int = 32,
        max_charging_current: int = 16,
        locked: bool = False,
        eco_smart: bool = False,
        power_boost: bool = False,
        reports_soc: bool = False,
        firmware: str = DEFAULT_FIRMWARE,
        latest_firmware: str | None = None,
        energy_price: float = 0.24,
        icp_max_current: int | None = None,
        home_sharing: bool | None = None,
        status_shape: str = DEFAULT_STATUS_SHAPE,
    ) -> WallboxCharger:
        """A charger of the account; power boost gives a 40 A limit unless one is given."""
        account = self.account(email)
        charger_id = self._next_charger_id if id is None else id
        if charger_id in self._chargers:
            raise WallboxError(409, f"charger {charger_id} already exists")
        if phases not in (1, 3):
            raise WallboxError(400, "phases must be 1 or 3")
        if max_available_current < 1:
            raise WallboxError(400, "max_available_current must be positive")
        if icp_max_current:  # 0: no power boost limit configured
            _check_icp(icp_max_current)
        shape = _status_shape(status_shape)
        self._next_charger_id = max(self._next_charger_id, charger_id + 1)
        now = self.clock.now()
        charger = WallboxCharger(
            id=charger_id,
            owner_email=account.email,
            name="",
            part_number=part_number,
            phases=phases,
            max_available_current=max_available_current,
            max_charging_current=max_charging_current,
            locked=locked,
            eco_smart=EcoSmart() if eco_smart else None,
            power_boost=power_boost,
            icp_max_current=(40 if power_boost else 0)
            if icp_max_current is None
            else icp_max_current,
            home_sharing=power_boost if home_sharing is None else home_sharing,
            energy_price=energy_price,
            currency_id=1,
            firmware=firmware,
            latest_firmware=firmware if latest_firmware is None else latest_firmware,
            reports_soc=reports_soc,
            updated_at=now,
            software_updated_at=now,
            status_shape=shape,
        )
        charger.name = name or f"{charger.charger_type} SN {charger_id}"
        if not charger.min_charging_current <= max_charging_current <= max_available_current:
            raise WallboxError(400, "max_charging_current out of range")
        self._chargers[charger_id] = charger
        account.charger_ids.append(charger_id)
        return charger

    def charger(self, charger_id: int) -> WallboxCharger:
        """The charger with its state brought up to the current clock time."""
        try:
            charger = self._chargers[charger_id]
        except KeyError:
            raise WallboxError(404, f"no charger {charger_id}") from None
        advance(charger, self.clock.now())
        return charger

    def owned_charger(self, account: WallboxAccount, charger_id: int) -> WallboxCharger:
        """Like `charger`, but 404 when the charger belongs to another account."""
        if charger_id not in account.charger_ids:
            raise WallboxError(404, "Charger not found")
        return self.charger(charger_id)

    def chargers_of(self, email: str) -> list[WallboxCharger]:
        return [self.charger(charger_id) for charger_id in self.account(email).charger_ids]

    def flow(self, charger_id: int) -> Flow:
        charger = self.charger(charger_id)
        return flow_at(charger, self.clock.now())

    def status_id(self, charger_id: int) -> int:
        return int(self.flow(charger_id).status)

    def charging_power_kw(self, charger_id: int) -> float:
        return self.flow(charger_id).power_kw

    # --- JSON documents --------------------------------------------------------

    def status_json(self, charger_id: int) -> dict[str, Any]:
        charger = self.charger(charger_id)
        now = self.clock.now()
        return status_json(charger, self._owner(charger), flow_at(charger, now), now)

    def charger_data_json(self, charger_id: int) -> dict[str, Any]:
        charger = self.charger(charger_id)
        now = self.clock.now()
        return charger_data_json(charger, self._owner(charger), flow_at(charger, now), now)

    def config_data_json(self, charger_id: int) -> dict[str, Any]:
        charger = self.charger(charger_id)
        return config_data_json(charger, self._owner(charger), self.clock.now())

    def groups_json(self, email: str) -> dict[str, Any]:
        account = self.account(email)
        chargers = self.chargers_of(email)
        now = self.clock.now()
        statuses = {c.id: int(flow_at(c, now).status) for c in chargers}
        return groups_json(account, chargers, statuses)

    def eco_smart_json(self, charger_id: int) -> dict[str, Any]:
        return eco_smart_json(self.charger(charger_id))

    def state_json(self, charger_id: int) -> dict[str, Any]:
        charger = self.charger(charger_id)
        return charger_state_json(charger, flow_at(charger, self.clock.now()))

    def _owner(self, charger: WallboxCharger) -> WallboxAccount:
        return self.account(charger.owner_email)

    # --- the car and the sun (control only) -------------------------------------

    def plug_in(self, charger_id: int, car: Car | None = None) -> WallboxCharger:
        """Connect a car: a new session starts with zeroed counters."""
        charger = self.charger(charger_id)
        if charger.car is not None:
            raise WallboxError(409, "a car is already plugged in")
        charger.car = car if car is not None else Car()
        charger.session = Session(finished=False)
        charger.total_sessions += 1
        return charger

    def unplug(self, charger_id: int) -> WallboxCharger:
        """Disconnect the car: the session ends but its counters stay readable."""
        charger = self.charger(charger_id)
        if charger.car is None:
            raise WallboxError(409, "no car is plugged in")
        charger.car = None
        charger.paused = False
        charger.session.finished = True
        return charger

    def set_solar(self, charger_id: int, kw: float) -> WallboxCharger:
        if kw < 0:
            raise WallboxError(400, "solar power must not be negative")
        charger = self.charger(charger_id)
        charger.solar_power_kw = kw
        return charger

    def set_status_shape(self, charger_id: int, shape: str) -> WallboxCharger:
        """Answer like the real answers of another year (see StatusShape)."""
        charger = self.charger(charger_id)
        charger.status_shape = _status_shape(shape)
        return charger

    def force_status(self, charger_id: int, code: int | None) -> WallboxCharger:
        """Show a fixed status (e.g. 14 error, 166 updating) until cleared with None."""
        charger = self.charger(charger_id)
        charger.forced_status = code
        return charger

    # --- operations of the public API ------------------------------------------

    def set_locked(self, charger_id: int, locked: bool) -> WallboxCharger:
        charger = self.charger(charger_id)
        charger.locked = locked
        return charger

    def set_max_charging_current(self, charger_id: int, amps: int) -> WallboxCharger:
        charger = self.charger(charger_id)
        if not charger.min_charging_current <= amps <= charger.max_available_current:
            raise WallboxError(
                400,
                f"maxChargingCurrent must be within "
                f"{charger.min_charging_current}..{charger.max_available_current}",
            )
        charger.max_charging_current = amps
        return charger

    def remote_action(self, charger_id: int, action: int) -> None:
        charger = self.charger(charger_id)
        now = self.clock.now()
        if action == ACTION_RESUME:
            if not charger.paused:
                raise WallboxError(409, "Charger is not paused")
            charger.paused = False
        elif action == ACTION_PAUSE:
            if charger.locked:
                raise WallboxError(403, "Charger is locked")
            if flow_at(charger, now).status not in _PAUSABLE:
                raise WallboxError(409, "Charger is not charging")
            charger.paused = True
        elif action == ACTION_RESUME_SCHEDULE:
            charger.paused = False
        elif action == ACTION_RESTART:
            charger.restart_until = now + RESTART_SECONDS
        elif action == ACTION_FACTORY_RESET:
            raise WallboxError(403, "Factory reset is not allowed")
        elif action == ACTION_SOFTWARE_UPDATE:
            if not charger.update_available:
                raise WallboxError(409, "No software update available")
            charger.firmware = charger.latest_firmware
            charger.software_updated_at = now
        else:
            raise WallboxError(400, f"Unknown action {action}")

    def set_eco_smart(
        self, charger_id: int, enabled: bool, mode: int, percentage: int | None = None
    ) -> WallboxCharger:
        charger = self.charger(charger_id)
        if charger.eco_smart is None:
            raise WallboxError(404, "Eco-Smart is not available on this charger")
        if mode not in (EcoSmartMode.ECO, EcoSmartMode.FULL_GREEN):
            raise WallboxError(400, "mode must be 0 or 1")
        if percentage is not None and not 0 <= percentage <= 100:
            raise WallboxError(400, "percentage must be within 0..100")
        charger.eco_smart = EcoSmart(
            enabled=enabled,
            mode=EcoSmartMode(mode),
            percentage=charger.eco_smart.percentage if percentage is None else percentage,
        )
        return charger

    def set_energy_price(
        self, charger_id: int, price: float, currency_id: int | None = None
    ) -> WallboxCharger:
        charger = self.charger(charger_id)
        if currency_id is not None and currency_id not in CURRENCIES:
            raise WallboxError(400, f"Unknown currency_id {currency_id}")
        charger.energy_price = price
        if currency_id is not None:
            charger.currency_id = currency_id
        return charger

    def set_icp_max_current(self, charger_id: int, amps: int) -> WallboxCharger:
        """Negative: the limit with power boost off (the cloud does not tie it to home_sharing)."""
        _check_icp(amps)
        charger = self.charger(charger_id)
        charger.icp_max_current = amps
        return charger

    def update_config(self, charger_id: int, changes: Mapping[str, Any]) -> WallboxCharger:
        """Apply a `chargers/config` body: validate every key first, then apply all."""
        charger = self.charger(charger_id)
        unknown = set(changes) - _CONFIG_KEYS
        if unknown or not changes:
            raise WallboxError(400, f"Unsupported config keys: {sorted(unknown)}")
        try:
            price = opt_float(changes, "energy_price")
            if price is None:
                price = opt_float(changes, "energyCost")
            currency_id = opt_int(changes, "currency_id")
            max_current = opt_int(changes, "max_charging_current")
            icp = opt_int(changes, "icp_max_current")
            home_sharing = opt_bool(changes, "home_sharing")
        except BodyError as exc:
            raise WallboxError(400, str(exc)) from exc
        if currency_id is not None and currency_id not in CURRENCIES:
            raise WallboxError(400, f"Unknown currency_id {currency_id}")
        if icp is not None:
            _check_icp(icp)
        if max_current is not None and not (
            charger.min_charging_current <= max_current <= charger.max_available_current
        ):
            raise WallboxError(400, "max_charging_current out of range")
        if price is not None:
            self.set_energy_price(charger_id, price, currency_id)
        elif currency_id is not None:
            charger.currency_id = currency_id
        if max_current is not None:
            charger.max_charging_current = max_current
        if icp is not None:
            charger.icp_max_current = icp
        if home_sharing is not None:
            charger.home_sharing = home_sharing
        return charger


def _check_icp(amps: int) -> None:
    if not 1 <= abs(amps) <= MAX_ICP_CURRENT:
        raise WallboxError(
            400,
            f"icp_max_current must be within 1..{MAX_ICP_CURRENT} "
            f"or -{MAX_ICP_CURRENT}..-1 (power boost off)",
        )


def _status_shape(value: str) -> StatusShape:
    try:
        return StatusShape(value)
    except ValueError:
        shapes = ", ".join(shape.value for shape in StatusShape)
        raise WallboxError(400, f"status_shape must be one of {shapes}") from None
