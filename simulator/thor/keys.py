"""Thor accounts: API keys (renewed, revoked), REST API access, source IPs, rate limits."""

from simulator.thor.errors import (
    API_KEY_NOT_FOUND,
    INVALID_SOURCE_IP,
    REST_API_NOT_ENABLED,
    TOO_MANY_REQUESTS,
    ThorError,
)

from .model import ThorAccount
from .state import ThorState


class ThorKeys(ThorState):
    """Accounts and who may call the API with which key."""

    def add_account(
        self,
        api_key: str,
        name: str | None = None,
        *,
        rest_api_enabled: bool = True,
        source_ip: str | None = None,
    ) -> ThorAccount:
        if not api_key:
            raise ThorError(400, "api_key must not be empty")
        if api_key in self._accounts:
            raise ThorError(409, f"account {api_key} already exists")
        account = ThorAccount(
            api_key, name or f"Thor customer {len(self._accounts) + 1}", rest_api_enabled
        )
        account.source_ip = source_ip
        self._accounts[api_key] = account
        return account

    @property
    def accounts(self) -> list[ThorAccount]:
        return list(self._accounts.values())

    def set_rest_api_enabled(self, api_key: str, enabled: bool) -> ThorAccount:
        account = self.account(api_key)
        account.rest_api_enabled = enabled
        return account

    def set_source_ip(self, api_key: str, source_ip: str | None) -> ThorAccount:
        """Allow only this caller address (None: any address, the default)."""
        account = self.account(api_key)
        account.source_ip = source_ip
        return account

    def renew_key(self, api_key: str, new_key: str) -> ThorAccount:
        """The dashboard's new key: the account answers to `new_key`, no longer to the old one.

        The account keeps its first key as its id here (control API, boxes, charges).
        """
        account = self.find_account(api_key)
        if account is None:
            raise ThorError(404, f"no account with API key {api_key}")
        if not new_key or self.find_account(new_key) is not None or new_key in self._accounts:
            raise ThorError(409, "the new key is empty or taken")
        self._revoked.add(api_key)
        self._renewed[new_key] = account.api_key
        return account

    def find_account(self, api_key: str | None) -> ThorAccount | None:
        """The account an API key opens (a revoked key opens none)."""
        if api_key is None or api_key in self._revoked:
            return None
        return self._accounts.get(self._renewed.get(api_key, api_key))

    def authenticate(self, api_key: str | None, remote: str | None) -> ThorAccount:
        """The account of an `X-Api-Key`, else 403 with the reason the API names."""
        account = self.find_account(api_key)
        if account is None:
            raise ThorError(403, API_KEY_NOT_FOUND)
        if not account.rest_api_enabled:
            raise ThorError(403, REST_API_NOT_ENABLED)
        if account.source_ip is not None and remote != account.source_ip:
            raise ThorError(403, INVALID_SOURCE_IP)
        return account

    def acquire(self, account: ThorAccount) -> None:
        """Spend one request of the account's budget or raise 429 TooManyRequests."""
        wait = self.spend(
            ("account", account.api_key), self.settings.requests_per_minute, self.settings.burst
        )
        if wait is not None:
            raise ThorError(429, TOO_MANY_REQUESTS, retry_after=wait)

    def reset_rate_limits(self) -> None:
        """Refill every bucket and forget the starts counted per connector."""
        super().reset_rate_limits()
        self._starts.clear()
