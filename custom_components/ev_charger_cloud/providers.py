"""What differs per cloud on the Home Assistant side, declared once per cloud.

One ``ProviderSpec`` (provider_spec.py) per cloud: its credentials form, how its
account is recognised and chosen, its options and how an entry becomes its client.
The config flow and the setup read these and hold nothing of any one cloud.
"""

from __future__ import annotations

from collections.abc import Mapping
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
from homeassistant.helpers.selector import (
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    TextSelectorType,
)
import probatio

from .api import (
    PODERO_DEFAULT_URL,
    THOR_DEFAULT_URL,
    WALLBOX_SIGN_IN_URL,
    AccountNotFoundError,
    ChargerCloudClient,
    NotPermittedError,
    PoderoClient,
    PoderoCloud,
    PoderoToken,
    PoderoUser,
    Provider,
    ThorCloud,
    WallboxClient,
    WallboxCloud,
    WallboxTokens,
)
from .const import (
    CONF_ACCOUNT_BOX,
    CONF_API_URL,
    CONF_DEVICE_IDS,
    CONF_ORG_ID,
    CONF_PAUSE_MINUTES,
    CONF_THOR_STATE,
    CONF_TOKENS,
    CONF_USER_ID,
    DEFAULT_PAUSE_MINUTES,
)
from .provider_spec import (
    AccountChoice,
    AccountOption,
    ClientInputs,
    CredentialField,
    ProviderSpec,
    client_builder,
)


def _wallbox_client(entry: ClientInputs) -> ChargerCloudClient:
    tokens = entry.kept(CONF_TOKENS)
    return WallboxCloud(
        WallboxClient(
            entry.session,
            entry.data[CONF_EMAIL],
            entry.data[CONF_PASSWORD],
            base_url=entry.base_url,
            tokens=None if tokens is None else WallboxTokens.from_dict(tokens),
            on_tokens=entry.keep_tokens(),
        )
    )


def _podero_client(entry: ClientInputs) -> ChargerCloudClient:
    token = entry.kept(CONF_TOKENS)
    pause_minutes = float(entry.options.get(CONF_PAUSE_MINUTES, DEFAULT_PAUSE_MINUTES))
    client = PoderoClient(
        entry.session,
        entry.data[CONF_CLIENT_ID],
        entry.data[CONF_CLIENT_SECRET],
        entry.data[CONF_ORG_ID],
        user_id=entry.data[CONF_USER_ID],
        base_url=entry.base_url,
        token=None if token is None else PoderoToken.from_dict(token),
        on_token=entry.keep_tokens(),
    )
    return PoderoCloud(client, pause_duration=timedelta(minutes=pause_minutes))


def _thor_client(entry: ClientInputs) -> ChargerCloudClient:
    return ThorCloud.resumed(
        entry.session,
        entry.data[CONF_API_KEY],
        entry.kept(CONF_THOR_STATE),
        base_url=entry.base_url,
        account_box=entry.data.get(CONF_ACCOUNT_BOX),
        on_state=entry.keep(CONF_THOR_STATE),
    )


async def _podero_users(
    session: aiohttp.ClientSession, data: Mapping[str, Any]
) -> tuple[list[AccountOption], dict[str, Any]]:
    """The organisation's users, and its token: the flow's next requests need no other."""
    client = PoderoClient(
        session,
        data[CONF_CLIENT_ID],
        data[CONF_CLIENT_SECRET],
        data[CONF_ORG_ID],
        base_url=data.get(CONF_API_URL) or None,
    )
    users = await client.async_get_users()
    if not users:
        return [], {}
    token = client.token
    assert token is not None  # a request was answered, so a token was issued
    options = [
        AccountOption(
            value=user.id,
            unique_id=f"{data[CONF_ORG_ID]}_{user.id}",
            title=user.display_name,
            label=_user_label(user),
        )
        for user in users
    ]
    return options, {CONF_TOKENS: token.as_dict()}


def _user_label(user: PoderoUser) -> str:
    """A user in the picker: name, then how many wallboxes and vehicles they have."""
    counts = [
        f"{count} {singular if count == 1 else plural}"
        for count, singular, plural in (
            (user.num_wallboxes, "wallbox", "wallboxes"),
            (user.num_electric_vehicles, "vehicle", "vehicles"),
        )
        if count is not None
    ]
    name = user.display_name
    return f"{name} ({', '.join(counts)})" if counts else name


def _share_a_chargebox(before: Mapping[str, Any], after: Mapping[str, Any]) -> bool:
    """Thor: keys listing a common chargebox open the same account.

    (Its unique id, a digest of one box, changes when that box was removed.)
    """
    return bool(set(before.get(CONF_DEVICE_IDS, ())) & set(after.get(CONF_DEVICE_IDS, ())))


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
        build_client=client_builder(_wallbox_client),
        default_server=WALLBOX_SIGN_IN_URL.rstrip("/"),
        invalid_auth="invalid_auth_wallbox",
        invalid_secret="invalid_password",
    ),
    Provider.PODERO: ProviderSpec(
        provider=Provider.PODERO,
        # A partner app's client credentials and its organisation; the user is picked later.
        fields=(
            CredentialField(CONF_CLIENT_ID),
            CredentialField(CONF_CLIENT_SECRET, TextSelectorType.PASSWORD, "off", secret=True),
            # Its users belong to it: another organisation is another account.
            CredentialField(CONF_ORG_ID, names_account=True),
        ),
        build_client=client_builder(_podero_client),
        options_schema=_pause_options,
        default_server=PODERO_DEFAULT_URL,
        invalid_auth="invalid_auth_podero",
        invalid_secret="invalid_client_secret",
        # A 403: the app is another organisation's; a 404: no such organisation or user.
        no_access=(NotPermittedError, AccountNotFoundError),
        account_choice=AccountChoice(
            step_id="podero_user",
            key=CONF_USER_ID,
            doing="listing the users of an organisation",
            list_accounts=_podero_users,
        ),
    ),
    Provider.THOR: ProviderSpec(
        provider=Provider.THOR,
        # The key of the account's REST API integration (Thor dashboard, Development page).
        fields=(CredentialField(CONF_API_KEY, TextSelectorType.PASSWORD, "off", secret=True),),
        build_client=client_builder(_thor_client),
        notifications=ThorCloud.accepts_notifications,
        default_server=THOR_DEFAULT_URL,
        invalid_auth="invalid_api_key",
        invalid_secret="invalid_api_key",
        same_account=_share_a_chargebox,
    ),
}
