"""What differs per cloud on the Home Assistant side.

The credentials form and how an entry's data becomes a client; everything else is shared.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import aiohttp
from homeassistant.const import CONF_EMAIL, CONF_PASSWORD
from homeassistant.data_entry_flow import section
from homeassistant.helpers.selector import (
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
import probatio

from .api import ChargerCloudClient, Provider, WallboxClient, WallboxTokens
from .const import CONF_ADVANCED, CONF_API_URL, CONF_TOKENS

# Called with entry-data updates the client wants kept (e.g. fresh tokens).
type DataSink = Callable[[dict[str, Any]], None]


@dataclass(frozen=True, slots=True, kw_only=True)
class ProviderSpec:
    """How one cloud is configured and connected."""

    provider: Provider
    # Fields of the credentials form: the account identifier and its secrets.
    identity_key: str
    secret_keys: tuple[str, ...]
    build_client: Callable[
        [aiohttp.ClientSession, Mapping[str, Any], DataSink | None], ChargerCloudClient
    ]

    def credentials_schema(
        self, defaults: Mapping[str, Any], *, secrets_only: bool = False
    ) -> probatio.Schema:
        """The form asking for this cloud's credentials.

        ``secrets_only`` (re-authentication) asks for the secrets alone: the account and
        its server stay as they are.
        """
        fields: dict[probatio.Marker, Any] = {}
        if not secrets_only:
            fields[
                probatio.Required(
                    self.identity_key,
                    default=defaults.get(self.identity_key, probatio.UNDEFINED),
                )
            ] = TextSelector(
                TextSelectorConfig(type=TextSelectorType.EMAIL, autocomplete="username")
            )
        for key in self.secret_keys:
            fields[probatio.Required(key)] = TextSelector(
                TextSelectorConfig(type=TextSelectorType.PASSWORD, autocomplete="current-password")
            )
        if not secrets_only:
            fields[probatio.Required(CONF_ADVANCED)] = server_section(defaults.get(CONF_API_URL))
        return probatio.Schema(fields)


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
    session: aiohttp.ClientSession, data: Mapping[str, Any], sink: DataSink | None
) -> ChargerCloudClient:
    stored = data.get(CONF_TOKENS)
    return WallboxClient(
        session,
        data[CONF_EMAIL],
        data[CONF_PASSWORD],
        base_url=data.get(CONF_API_URL) or None,
        tokens=WallboxTokens.from_dict(stored) if isinstance(stored, Mapping) else None,
        on_tokens=None if sink is None else lambda tokens: sink({CONF_TOKENS: tokens.as_dict()}),
    )


PROVIDERS: Mapping[Provider, ProviderSpec] = {
    Provider.WALLBOX: ProviderSpec(
        provider=Provider.WALLBOX,
        identity_key=CONF_EMAIL,
        secret_keys=(CONF_PASSWORD,),
        build_client=_wallbox_client,
    ),
}
