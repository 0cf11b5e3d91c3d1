"""The shape of what differs per cloud on the Home Assistant side.

``ProviderSpec`` holds the credentials form (its ``CredentialField``s), how the
account is recognised (the errors meaning "no access to it", the fields or
devices telling one account from another, an ``AccountChoice`` between the
accounts some credentials open), the options form and how an entry becomes a
client (``ClientInputs``). providers.py fills one in per cloud; the config flow,
its errors and the setup read them and name no cloud.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import aiohttp
from homeassistant.data_entry_flow import section
from homeassistant.helpers.selector import TextSelector, TextSelectorConfig, TextSelectorType
import probatio

from .api import ChargerCloudClient, ChargerCloudError, Provider
from .const import CONF_ADVANCED, CONF_API_URL, CONF_TOKENS

# Called with entry-data updates the client wants kept (e.g. fresh tokens).
type DataSink = Callable[[dict[str, Any]], None]
# (session, entry data, entry options, sink for data to keep) -> client
type ClientBuilder = Callable[
    [aiohttp.ClientSession, Mapping[str, Any], Mapping[str, Any], DataSink | None],
    ChargerCloudClient,
]


class _Storable(Protocol):
    def as_dict(self) -> dict[str, Any]: ...


@dataclass(frozen=True, slots=True)
class ClientInputs:
    """What an entry's client is built from, with the readings every cloud shares."""

    session: aiohttp.ClientSession
    data: Mapping[str, Any]
    options: Mapping[str, Any]
    sink: DataSink | None

    @property
    def base_url(self) -> str | None:
        """The entry's own server URL; None: the cloud's."""
        return self.data.get(CONF_API_URL) or None

    def kept(self, key: str) -> Mapping[str, Any] | None:
        """What the entry keeps for its client under ``key``; None when nothing usable is."""
        value = self.data.get(key)
        return value if isinstance(value, Mapping) else None

    def keep(self, key: str) -> Callable[[Mapping[str, Any]], None] | None:
        """Where a client hands what the entry keeps under ``key`` (None: nothing is kept)."""
        sink = self.sink
        return None if sink is None else lambda kept: sink({key: kept})

    def keep_tokens(self) -> Callable[[_Storable], None] | None:
        """Where a client hands fresh tokens: the entry's ``tokens`` (None: not kept)."""
        sink = self.sink
        return None if sink is None else lambda tokens: sink({CONF_TOKENS: tokens.as_dict()})


def client_builder(build: Callable[[ClientInputs], ChargerCloudClient]) -> ClientBuilder:
    """The builder a spec holds, around one that reads the entry through ClientInputs."""

    def builder(
        session: aiohttp.ClientSession,
        data: Mapping[str, Any],
        options: Mapping[str, Any],
        sink: DataSink | None,
    ) -> ChargerCloudClient:
        return build(ClientInputs(session, data, options, sink))

    return builder


@dataclass(frozen=True, slots=True)
class CredentialField:
    """One field of a credentials form: its key, how it is typed, whether it is a secret.

    An identity field names the account and is trimmed and shown back; a secret is
    taken exactly as typed, never shown back, and is all re-authentication asks for.
    """

    key: str
    type: TextSelectorType = TextSelectorType.TEXT
    autocomplete: str | None = None
    secret: bool = False
    # Another value is another account, whatever the cloud says (Podero: the organisation).
    names_account: bool = False

    def selector(self) -> TextSelector:
        """The text box the field is typed into."""
        config = TextSelectorConfig(type=self.type)
        if self.autocomplete is not None:
            config["autocomplete"] = self.autocomplete
        return TextSelector(config)


@dataclass(frozen=True, slots=True, kw_only=True)
class AccountOption:
    """One of the accounts some credentials open, as the choice offers it."""

    # Kept in the entry's data under the choice's key.
    value: str
    # The account's unique id (without the provider), as ``Account.unique_id`` has it.
    unique_id: str
    title: str
    label: str


@dataclass(frozen=True, slots=True, kw_only=True)
class AccountChoice:
    """A step after the credentials: they open several accounts, an entry follows one.

    With a single account there is nothing to choose and the entry is added at once.
    """

    step_id: str
    # The choice's form field, and where the entry keeps the chosen value.
    key: str
    # What the listing does, for the log of an unexpected answer.
    doing: str
    # (session, entry data) -> the accounts, and entry data to keep (e.g. a token).
    list_accounts: Callable[
        [aiohttp.ClientSession, Mapping[str, Any]],
        Awaitable[tuple[list[AccountOption], dict[str, Any]]],
    ]


@dataclass(frozen=True, slots=True, kw_only=True)
class ProviderSpec:
    """How one cloud is configured and connected."""

    provider: Provider
    # The credentials form's fields in the order shown: the account's identity and secrets.
    fields: tuple[CredentialField, ...]
    build_client: ClientBuilder
    # The options form for the entry's current options; None: the cloud has no options.
    options_schema: Callable[[Mapping[str, Any]], probatio.Schema] | None = None
    # The cloud posts its events to a webhook (its URL is shown in the options).
    notifications: bool = False
    # Where the credentials go when the entry names no server URL of its own.
    default_server: str
    # The form errors of refused credentials, naming this cloud's own fields: on the
    # first form and on reconfiguration, and on re-authentication (the secret alone).
    invalid_auth: str
    invalid_secret: str
    # Errors of the sign-in meaning the credentials give no access to the account the
    # form names; on an entry, a NotPermittedError of them means another account's.
    no_access: tuple[type[ChargerCloudError], ...] = ()
    # Whether two entries' data are the same account although their unique ids differ.
    same_account: Callable[[Mapping[str, Any], Mapping[str, Any]], bool] | None = None
    account_choice: AccountChoice | None = None

    def server(self, data: Mapping[str, Any]) -> str:
        """The server an entry's credentials are sent to: its own URL, else the cloud's."""
        return str(data.get(CONF_API_URL) or self.default_server)

    @property
    def identity_keys(self) -> tuple[str, ...]:
        """The fields naming the account (trimmed, shown back, kept on re-authentication)."""
        return tuple(field.key for field in self.fields if not field.secret)

    @property
    def secret_keys(self) -> tuple[str, ...]:
        """The fields holding secrets (taken as typed, never shown back)."""
        return tuple(field.key for field in self.fields if field.secret)

    @property
    def account_keys(self) -> tuple[str, ...]:
        """The fields whose change makes another account, without asking the cloud."""
        return tuple(field.key for field in self.fields if field.names_account)

    def credentials_schema(
        self, defaults: Mapping[str, Any], *, secrets_only: bool = False
    ) -> probatio.Schema:
        """The form asking for this cloud's credentials.

        ``secrets_only`` (re-authentication) asks for the secrets alone: the account and
        its server stay as they are.
        """
        schema: dict[probatio.Marker, Any] = {}
        for field in self.fields:
            if field.secret:
                schema[probatio.Required(field.key)] = field.selector()
            elif not secrets_only:
                schema[
                    probatio.Required(
                        field.key, default=defaults.get(field.key, probatio.UNDEFINED)
                    )
                ] = field.selector()
        if not secrets_only:
            schema[probatio.Required(CONF_ADVANCED)] = server_section(defaults.get(CONF_API_URL))
        return probatio.Schema(schema)


def server_section(api_url: str | None) -> section:
    """The collapsed ``advanced`` section holding the server URL, shared by every cloud.

    It opens by itself when the entry already points at another server.
    """
    return section(
        probatio.Schema(
            {
                probatio.Optional(
                    CONF_API_URL, description={"suggested_value": api_url}
                ): TextSelector(TextSelectorConfig(type=TextSelectorType.URL))
            }
        ),
        {"collapsed": not api_url},
    )
