"""Podero organisations: client credentials, access tokens and the request budget."""

import secrets

from simulator.tokens import drop_expired, secret_matches, token_holder

from .errors import PoderoAuthError, PoderoError, PoderoRateLimited
from .model import PoderoOrg
from .state import PoderoState


class PoderoTokens(PoderoState):
    """Partner organisations and who may call the API with which token."""

    def add_org(
        self,
        client_id: str,
        client_secret: str,
        org_id: str | None = None,
        name: str | None = None,
    ) -> PoderoOrg:
        org_id = org_id or self._new_id("org")
        if org_id in self._orgs:
            raise PoderoError(409, f"organisation {org_id} already exists")
        if any(org.client_id == client_id for org in self._orgs.values()):
            raise PoderoError(409, f"client {client_id} already exists")
        org = PoderoOrg(org_id, client_id, client_secret, name or f"Partner {client_id}")
        self._orgs[org_id] = org
        return org

    @property
    def orgs(self) -> list[PoderoOrg]:
        return list(self._orgs.values())

    def find_client(self, client_id: str) -> PoderoOrg | None:
        return next((o for o in self._orgs.values() if o.client_id == client_id), None)

    def authenticate_client(self, client_id: str, client_secret: str) -> PoderoOrg:
        """The organisation of these client credentials, else 401 `invalid_client`."""
        org = self.find_client(client_id)
        if org is None or not secret_matches(client_secret, org.client_secret):
            raise PoderoAuthError(401, "invalid_client")
        return org

    def issue_token(self, org: PoderoOrg) -> tuple[str, float]:
        """Client-credentials grant: a new access token and its lifetime in seconds.

        Earlier tokens stay valid until they expire.
        """
        now = self.clock.now()
        drop_expired(org.tokens, now)
        token = secrets.token_urlsafe(30)
        lifetime = self.settings.token_lifetime
        org.tokens[token] = now + lifetime
        return token, lifetime

    def authenticate(self, token: str | None) -> PoderoOrg:
        """The organisation owning a valid access token, else 401."""
        org = None
        if token is not None:
            org = token_holder(self._orgs.values(), _tokens_of, token, self.clock.now())
        if org is not None:
            return org
        raise PoderoError(401, "Unauthorized")

    def revoke_tokens(self, org_id: str) -> None:
        """Invalidate every token of an organisation (forces a new token request)."""
        self.org(org_id).tokens.clear()

    def acquire(self, org_id: str) -> None:
        """Spend one request of the organisation's budget or raise PoderoRateLimited."""
        wait = self.spend(org_id, self.settings.requests_per_minute, self.settings.burst)
        if wait is not None:
            raise PoderoRateLimited(wait)


def _tokens_of(org: PoderoOrg) -> dict[str, float]:
    return org.tokens
