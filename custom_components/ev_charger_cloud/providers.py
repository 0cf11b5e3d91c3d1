"""What differs per cloud on the Home Assistant side.

The credentials form, the options form and how an entry becomes a client; everything
else is shared.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import aiohttp
from homeassistant.const import (
    CONF_API_KEY,
    CONF_CLIENT_ID,
    CONF_CLIENT_SECRET,
    CONF_EMAIL,
    CONF_PASSWORD,
    UnitOfTime,
)
from homeassistant.data_entry_flow import section
from homeassistant.helpers.selector import (
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
import probatio

from .api import ChargerCloudClient, PoderoToken, Provider, WallboxCloud, WallboxTokens
from .api.parse import as_float
from .api.podero.client import DEFAULT_BASE_URL as PODERO_SERVER
from .api.podero.cloud import PoderoCloud
from .api.thor.client import DEFAULT_BASE_URL as THOR_SERVER
from .api.thor.cloud import ThorCloud
from .api.thor.history import ThorEnergyHistory
from .api.wallbox.client import AUTH_URL as WALLBOX_SIGN_IN_SERVER
from .const import (
    CONF_ACCOUNT_BOX,
    CONF_ADVANCED,
    CONF_API_URL,
    CONF_ORG_ID,
    CONF_PAUSE_MINUTES,
    CONF_THOR_STATE,
    CONF_TOKENS,
    CONF_USER_ID,
    DEFAULT_PAUSE_MINUTES,
)

# Called with entry-data updates the client wants kept (e.g. fresh tokens).
type DataSink = Callable[[dict[str, Any]], None]


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

    def selector(self) -> TextSelector:
        """The text box the field is typed into."""
        config = TextSelectorConfig(type=self.type)
        if self.autocomplete is not None:
            config["autocomplete"] = self.autocomplete
        return TextSelector(config)


@dataclass(frozen=True, slots=True, kw_only=True)
class ProviderSpec:
    """How one cloud is configured and connected."""

    provider: Provider
    # The credentials form's fields in the order shown: the account's identity and secrets.
    fields: tuple[CredentialField, ...]
    # (session, entry data, entry options, sink for data to keep) -> client
    build_client: Callable[
        [aiohttp.ClientSession, Mapping[str, Any], Mapping[str, Any], DataSink | None],
        ChargerCloudClient,
    ]
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


def _wallbox_client(
    session: aiohttp.ClientSession,
    data: Mapping[str, Any],
    options: Mapping[str, Any],
    sink: DataSink | None,
) -> ChargerCloudClient:
    stored = data.get(CONF_TOKENS)
    return WallboxCloud(
        session,
        data[CONF_EMAIL],
        data[CONF_PASSWORD],
        base_url=data.get(CONF_API_URL) or None,
        tokens=WallboxTokens.from_dict(stored) if isinstance(stored, Mapping) else None,
        on_tokens=None if sink is None else lambda tokens: sink({CONF_TOKENS: tokens.as_dict()}),
    )


def _podero_client(
    session: aiohttp.ClientSession,
    data: Mapping[str, Any],
    options: Mapping[str, Any],
    sink: DataSink | None,
) -> ChargerCloudClient:
    stored = data.get(CONF_TOKENS)
    return PoderoCloud(
        session,
        data[CONF_CLIENT_ID],
        data[CONF_CLIENT_SECRET],
        data[CONF_ORG_ID],
        data[CONF_USER_ID],
        base_url=data.get(CONF_API_URL) or None,
        token=PoderoToken.from_dict(stored) if isinstance(stored, Mapping) else None,
        on_token=None if sink is None else lambda token: sink({CONF_TOKENS: token.as_dict()}),
        pause_duration=timedelta(
            minutes=float(options.get(CONF_PAUSE_MINUTES, DEFAULT_PAUSE_MINUTES))
        ),
    )


def _thor_client(
    session: aiohttp.ClientSession,
    data: Mapping[str, Any],
    options: Mapping[str, Any],
    sink: DataSink | None,
) -> ChargerCloudClient:
    state = data.get(CONF_THOR_STATE)
    state = state if isinstance(state, Mapping) else {}
    history = state.get("history")
    tags = state.get("id_tags")
    return ThorCloud(
        session,
        data[CONF_API_KEY],
        base_url=data.get(CONF_API_URL) or None,
        account_box=data.get(CONF_ACCOUNT_BOX),
        history=ThorEnergyHistory.from_dict(history) if isinstance(history, Mapping) else None,
        id_tags=dict(tags) if isinstance(tags, Mapping) else None,
        on_state=None if sink is None else lambda kept: sink({CONF_THOR_STATE: kept}),
        key_refused_since=as_float(state.get("key_refused_since")),
    )


def _pause_options(options: Mapping[str, Any]) -> probatio.Schema:
    """How long "charging off" pauses a device (Podero pauses until a time, then resumes)."""
    return probatio.Schema(
        {
            probatio.Required(
                CONF_PAUSE_MINUTES, default=options.get(CONF_PAUSE_MINUTES, DEFAULT_PAUSE_MINUTES)
            ): NumberSelector(
                NumberSelectorConfig(
                    min=15,
                    max=24 * 60,
                    step=15,
                    unit_of_measurement=UnitOfTime.MINUTES,
                    mode=NumberSelectorMode.BOX,
                )
            )
        }
    )


PROVIDERS: Mapping[Provider, ProviderSpec] = {
    Provider.WALLBOX: ProviderSpec(
        provider=Provider.WALLBOX,
        fields=(
            CredentialField(CONF_EMAIL, TextSelectorType.EMAIL, "username"),
            CredentialField(
                CONF_PASSWORD, TextSelectorType.PASSWORD, "current-password", secret=True
            ),
        ),
        build_client=_wallbox_client,
        default_server=WALLBOX_SIGN_IN_SERVER.rstrip("/"),
        invalid_auth="invalid_auth_wallbox",
        invalid_secret="invalid_password",
    ),
    Provider.PODERO: ProviderSpec(
        provider=Provider.PODERO,
        # A partner app's client credentials and its organisation; the user is picked later.
        fields=(
            CredentialField(CONF_CLIENT_ID),
            CredentialField(CONF_CLIENT_SECRET, TextSelectorType.PASSWORD, "off", secret=True),
            CredentialField(CONF_ORG_ID),
        ),
        build_client=_podero_client,
        options_schema=_pause_options,
        default_server=PODERO_SERVER,
        invalid_auth="invalid_auth_podero",
        invalid_secret="invalid_client_secret",
    ),
    Provider.THOR: ProviderSpec(
        provider=Provider.THOR,
        # The key of the account's REST API integration (Thor dashboard, Development page).
        fields=(CredentialField(CONF_API_KEY, TextSelectorType.PASSWORD, "off", secret=True),),
        build_client=_thor_client,
        notifications=ThorCloud.accepts_notifications,
        default_server=THOR_SERVER,
        invalid_auth="invalid_api_key",
        invalid_secret="invalid_api_key",
    ),
}
