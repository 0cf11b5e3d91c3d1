"""Config flow: pick a cloud, sign in, one entry per account."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.config_entries import (
    SOURCE_REAUTH,
    SOURCE_RECONFIGURE,
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
)
from homeassistant.const import CONF_CLIENT_ID, CONF_CLIENT_SECRET
from homeassistant.core import callback
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.selector import (
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
)
import probatio

from .api import (
    Account,
    ChargerCloudError,
    NotPermittedError,
    PoderoClient,
    Provider,
    ServiceDisabledError,
)
from .api.podero.models import PoderoUser
from .const import (
    CONF_ADVANCED,
    CONF_API_URL,
    CONF_DEVICE_IDS,
    CONF_ORG_ID,
    CONF_PROVIDER,
    CONF_TOKENS,
    CONF_USER_ID,
    DOMAIN,
)
from .flow_errors import form_errors, input_errors
from .options_flow import EVChargerCloudOptionsFlow, spec_of
from .providers import PROVIDERS, ProviderSpec


class EVChargerCloudConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add a cloud account, re-authenticate it or change its credentials."""

    VERSION = 1

    def __init__(self) -> None:
        """Start with nothing known about the account."""
        # Podero: the organisation's credentials (and token) and its users, between steps.
        self._podero_data: dict[str, Any] = {}
        self._podero_users: dict[str, PoderoUser] = {}

    @classmethod
    @callback
    def async_supports_options_flow(cls, config_entry: ConfigEntry) -> bool:
        """Clouds with settings of their own have options; clouds that push show the URL there."""
        spec = spec_of(config_entry)
        return spec.options_schema is not None or spec.notifications

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> EVChargerCloudOptionsFlow:
        """The options of the entry's cloud."""
        return EVChargerCloudOptionsFlow()

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask which cloud the account belongs to."""
        return self.async_show_menu(
            step_id="user", menu_options=[provider.value for provider in PROVIDERS]
        )

    async def async_step_wallbox(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Sign in to a myWallbox account."""
        spec = PROVIDERS[Provider.WALLBOX]
        errors: dict[str, str] = {}
        if user_input is not None:
            data = {CONF_PROVIDER: spec.provider.value, **_clean(spec, user_input)}
            errors, account = await self._async_validate(spec, data)
            if account is not None:
                await self.async_set_unique_id(f"{spec.provider}_{account.unique_id}")
                self._abort_if_unique_id_configured()
                return self.async_create_entry(title=account.title, data=data)
        return self._credentials_form(spec, user_input, errors)

    async def async_step_thor(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Check a Thor API key by listing the account's chargeboxes."""
        spec = PROVIDERS[Provider.THOR]
        errors: dict[str, str] = {}
        if user_input is not None:
            data = {CONF_PROVIDER: spec.provider.value, **_clean(spec, user_input)}
            errors, account = await self._async_validate(spec, data)
            if account is not None:
                await self.async_set_unique_id(f"{spec.provider}_{account.unique_id}")
                self._abort_if_unique_id_configured()
                if self._thor_boxes_configured(data[CONF_DEVICE_IDS]):
                    return self.async_abort(reason="already_configured")
                return self.async_create_entry(title=account.title, data=data)
        return self._credentials_form(spec, user_input, errors)

    def _thor_boxes_configured(self, box_ids: list[str]) -> bool:
        """Whether another entry shows one of these chargeboxes (the same account, another id)."""
        return any(
            set(box_ids) & set(entry.data.get(CONF_DEVICE_IDS, ()))
            for entry in self._async_current_entries(include_ignore=False)
            if entry.data.get(CONF_PROVIDER) == Provider.THOR
        )

    async def async_step_podero(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Get a token for a Podero partner organisation and list its users."""
        spec = PROVIDERS[Provider.PODERO]
        errors: dict[str, str] = {}
        if user_input is not None:
            data = {CONF_PROVIDER: spec.provider.value, **_clean(spec, user_input)}
            errors = input_errors(data) or await self._async_list_podero_users(data)
            if not errors and len(self._podero_users) == 1:
                # Only one user: nothing to choose.
                (user,) = self._podero_users.values()
                if result := await self._async_add_podero_user(user, errors):
                    return result
            elif not errors:
                return await self.async_step_podero_user()
        return self._credentials_form(spec, user_input, errors)

    async def async_step_podero_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Pick the organisation's user whose devices the entry shows."""
        configured = self._async_current_ids(include_ignore=False)
        org_id = self._podero_data[CONF_ORG_ID]
        users = [
            user
            for user in self._podero_users.values()
            if _podero_unique_id(org_id, user.id) not in configured
        ]
        if not users:
            return self.async_abort(reason="already_configured")
        errors: dict[str, str] = {}
        if user_input is not None:
            user = self._podero_users[user_input[CONF_USER_ID]]
            if result := await self._async_add_podero_user(user, errors):
                return result
        options = [SelectOptionDict(value=user.id, label=_user_label(user)) for user in users]
        return self.async_show_form(
            step_id="podero_user",
            data_schema=self.add_suggested_values_to_schema(
                probatio.Schema(
                    {
                        probatio.Required(CONF_USER_ID): SelectSelector(
                            SelectSelectorConfig(options=options, mode=SelectSelectorMode.LIST)
                        )
                    }
                ),
                user_input or {},
            ),
            errors=errors,
        )

    async def _async_list_podero_users(self, data: dict[str, Any]) -> dict[str, str]:
        """Get a token and the organisation's users; keep both, with ``data``, for the next step."""
        client = PoderoClient(
            async_get_clientsession(self.hass),
            data[CONF_CLIENT_ID],
            data[CONF_CLIENT_SECRET],
            data[CONF_ORG_ID],
            base_url=data.get(CONF_API_URL) or None,
        )
        try:
            users = await client.async_get_users()
        except ChargerCloudError as err:
            return form_errors(
                err, "listing the users of an organisation", PROVIDERS[Provider.PODERO]
            )
        if not users:
            return {"base": "no_users"}
        # Kept, so the next requests of this flow need no token request of their own.
        token = client.token
        assert token is not None  # a request was answered, so a token was issued
        self._podero_data = data | {CONF_TOKENS: token.as_dict()}
        self._podero_users = {user.id: user for user in users}
        return {}

    async def _async_add_podero_user(
        self, user: PoderoUser, errors: dict[str, str]
    ) -> ConfigFlowResult | None:
        """Create the entry of one user; None when it failed, with the reason in ``errors``."""
        spec = PROVIDERS[Provider.PODERO]
        data = self._podero_data | {CONF_USER_ID: user.id}
        await self.async_set_unique_id(_podero_unique_id(data[CONF_ORG_ID], user.id))
        self._abort_if_unique_id_configured()
        found, account = await self._async_validate(spec, data)
        if account is None:
            errors.update(found)
            return None
        return self.async_create_entry(title=_user_name(user), data=data)

    def _credentials_form(
        self, spec: ProviderSpec, user_input: dict[str, Any] | None, errors: dict[str, str]
    ) -> ConfigFlowResult:
        return self.async_show_form(
            step_id=spec.provider.value,
            data_schema=self.add_suggested_values_to_schema(
                spec.credentials_schema({}),
                # Show back what was typed, except the secrets.
                {k: v for k, v in (user_input or {}).items() if k not in spec.secret_keys},
            ),
            errors=errors,
        )

    async def async_step_reauth(self, entry_data: Mapping[str, Any]) -> ConfigFlowResult:
        """The cloud refused the stored credentials."""
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the secret again; the account must stay the same."""
        return await self._async_step_credentials("reauth_confirm", user_input, secrets_only=True)

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the credentials (or server) of the same account."""
        return await self._async_step_credentials("reconfigure", user_input, secrets_only=False)

    async def _async_step_credentials(
        self, step_id: str, user_input: dict[str, Any] | None, *, secrets_only: bool
    ) -> ConfigFlowResult:
        entry = (
            self._get_reauth_entry()
            if self.source == SOURCE_REAUTH
            else self._get_reconfigure_entry()
        )
        spec = PROVIDERS[Provider(entry.data[CONF_PROVIDER])]
        errors: dict[str, str] = {}
        if user_input is not None:
            data = dict(entry.data)
            if not secrets_only:
                data.pop(CONF_API_URL, None)  # the field was shown: left empty, it goes
            data |= _clean(spec, user_input)
            # Stored tokens would prove nothing about the new credentials.
            data.pop(CONF_TOKENS, None)
            errors = input_errors(data)
            if not errors and data.get(CONF_ORG_ID) != entry.data.get(CONF_ORG_ID):
                # A Podero user belongs to one organisation: another one is another account.
                return self.async_abort(reason="wrong_account")
            if not errors:
                errors, account = await self._async_validate(spec, data)
                if not errors:
                    if account is None:
                        return self.async_abort(reason="wrong_account")
                    if not _thor_same_boxes(entry.data, data):
                        await self.async_set_unique_id(f"{spec.provider}_{account.unique_id}")
                        self._abort_if_unique_id_mismatch(reason="wrong_account")
                    return self.async_update_reload_and_abort(entry, title=account.title, data=data)
        return self.async_show_form(
            step_id=step_id,
            data_schema=spec.credentials_schema(entry.data, secrets_only=secrets_only),
            # Where the secret goes: the cloud's own server, or the entry's server URL.
            description_placeholders={"account": entry.title, "server": spec.server(entry.data)},
            errors=errors,
        )

    async def _async_validate(
        self, spec: ProviderSpec, data: dict[str, Any]
    ) -> tuple[dict[str, str], Account | None]:
        """Sign in and list the devices; fill ``data`` with what the entry keeps.

        No errors and no account: the credentials work, but not for the entry's account
        (re-authentication and reconfiguration only). Nothing is sent before the input
        passed its checks (a server URL the credentials may go to).
        """
        if errors := input_errors(data):
            return errors, None
        updates: dict[str, Any] = {}
        client = spec.build_client(async_get_clientsession(self.hass), data, {}, updates.update)
        try:
            account = await client.async_authenticate()
            devices = await client.async_discover()
        except ChargerCloudError as err:
            if not isinstance(err, ServiceDisabledError) and (
                isinstance(err, NotPermittedError)
                and self.source
                in (
                    SOURCE_REAUTH,
                    SOURCE_RECONFIGURE,
                )
            ):
                # Podero: the credentials are good, for another organisation.
                return {}, None
            return form_errors(
                err, "adding an account", spec, secrets_only=self.source == SOURCE_REAUTH
            ), None
        data.update(updates)
        data[CONF_DEVICE_IDS] = [device.device_id for device in devices]
        data.update(account.identity)
        return {}, account


def _clean(spec: ProviderSpec, user_input: Mapping[str, Any]) -> dict[str, Any]:
    """The form's answer as an entry keeps it.

    The server URL comes out of its section; the account's identity fields and the URL
    are trimmed (never a secret), and an empty URL is dropped.
    """
    cleaned = dict(user_input)
    cleaned.update(cleaned.pop(CONF_ADVANCED, None) or {})
    for key in (*spec.identity_keys, CONF_API_URL):
        if isinstance(cleaned.get(key), str):
            cleaned[key] = cleaned[key].strip()
    if not cleaned.get(CONF_API_URL):
        cleaned.pop(CONF_API_URL, None)
    return cleaned


def _thor_same_boxes(before: Mapping[str, Any], after: Mapping[str, Any]) -> bool:
    """A Thor key listing a chargebox of the entry opens the same account.

    (Its unique id, a digest of one box, changes when that box was removed.)
    """
    if before.get(CONF_PROVIDER) != Provider.THOR:
        return False
    return bool(set(before.get(CONF_DEVICE_IDS, ())) & set(after.get(CONF_DEVICE_IDS, ())))


def _podero_unique_id(org_id: str, user_id: str) -> str:
    return f"{Provider.PODERO}_{org_id}_{user_id}"


def _user_name(user: PoderoUser) -> str:
    """How a Podero user is called: their name, else their email, else their id."""
    name = " ".join(part.strip() for part in (user.first_name, user.last_name) if part)
    return name.strip() or user.email or user.id


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
    name = _user_name(user)
    return f"{name} ({', '.join(counts)})" if counts else name
