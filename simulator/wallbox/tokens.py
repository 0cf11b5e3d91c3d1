"""Wallbox accounts: sign-in, access and refresh tokens, and the request budgets."""

import secrets

from simulator.tokens import drop_expired, secret_matches, token_holder

from .errors import WallboxError, WallboxRateLimited
from .model import TokenGrant, WallboxAccount
from .state import WallboxState


class WallboxTokens(WallboxState):
    """Accounts and who may call the API with which token."""

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

    def sign_in(self, email: str, password: str) -> TokenGrant:
        account = self.find_account(email)
        if account is None or not secret_matches(password, account.password):
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
        account = token_holder(self._accounts.values(), _access_tokens, token, self.clock.now())
        if account is not None:
            return account
        raise WallboxError(401, "Invalid or expired token")

    def revoke_tokens(self, email: str) -> None:
        """Invalidate every token of an account (forces a fresh sign-in)."""
        account = self.account(email)
        account.access_tokens.clear()
        account.refresh_tokens.clear()

    def _grant(self, account: WallboxAccount) -> TokenGrant:
        now = self.clock.now()
        drop_expired(account.access_tokens, now)
        drop_expired(account.refresh_tokens, now)
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
        wait = self.spend((email.lower(), key), per_minute, burst)
        if wait is not None:
            raise WallboxRateLimited(wait)


def _access_tokens(account: WallboxAccount) -> dict[str, float]:
    return account.access_tokens
