"""Config flow: pick a cloud, sign in, one entry per account.

The steps are the same for every cloud; what differs (the credentials form, how an
account is recognised, a choice between the accounts some credentials open) is read
from the cloud's ``ProviderSpec`` in providers.py. Each cloud's first step is named
after it (``async_step_<provider>``), and so is its choice step, if it declares one.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Mapping
from typing import Any

from homeassistant.config_entries import (
    SOURCE_REAUTH,
    SOURCE_RECONFIGURE,
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
)
from homeassistant.core import callback
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.selector import (
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
)
import probatio

from .api import Account, ChargerCloudError, NotPermittedError, Provider, ServiceDisabledError
from .const import CONF_ADVANCED, CONF_API_URL, CONF_DEVICE_IDS, CONF_PROVIDER, CONF_TOKENS, DOMAIN
from .flow_errors import form_errors, input_errors
from .options_flow import EVChargerCloudOptionsFlow, spec_of
from .provider_spec import AccountChoice, AccountOption, ProviderSpec
from .providers import PROVIDERS

type StepHandler = Callable[
    ["EVChargerCloudConfigFlow", dict[str, Any] | None], Coroutine[Any, Any, ConfigFlowResult]
]


class EVChargerCloudConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add a cloud account, re-authenticate it or change its credentials.

    Besides the steps below, every cloud has its first step (its credentials form)
    and, if it declares one, its choice step: both are added after the class.
    """

    VERSION = 1

    def __init__(self) -> None:
        """Start with nothing known about the account."""
        # A choice between accounts: the credentials (and what to keep) and the options.
        self._choice_data: dict[str, Any] = {}
        self._choice_options: dict[str, AccountOption] = {}

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

    async def _async_step_sign_in(
        self, spec: ProviderSpec, user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
        """The cloud's credentials form; checked, it adds the account (or offers a choice)."""
        errors: dict[str, str] = {}
        if user_input is not None:
            data = {CONF_PROVIDER: spec.provider.value, **_clean(spec, user_input)}
            if spec.account_choice is None:
                if result := await self._async_add(spec, data, None, errors):
                    return result
            elif not (errors := input_errors(data)):
                errors = await self._async_list_accounts(spec, spec.account_choice, data)
                if not errors and len(self._choice_options) == 1:
                    # Only one account: nothing to choose.
                    (option,) = self._choice_options.values()
                    if result := await self._async_add(spec, self._choice_data, option, errors):
                        return result
                elif not errors:
                    return await self._async_step_choice(spec, spec.account_choice, None)
        return self.async_show_form(
            step_id=spec.provider.value,
            data_schema=self.add_suggested_values_to_schema(
                spec.credentials_schema({}),
                # Show back what was typed, except the secrets.
                {k: v for k, v in (user_input or {}).items() if k not in spec.secret_keys},
            ),
            errors=errors,
        )

    async def _async_step_choice(
        self, spec: ProviderSpec, choice: AccountChoice, user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
        """Pick which of the credentials' accounts the entry shows (those not added yet)."""
        configured = self._async_current_ids(include_ignore=False)
        options = [
            option
            for option in self._choice_options.values()
            if f"{spec.provider}_{option.unique_id}" not in configured
        ]
        if not options:
            return self.async_abort(reason="already_configured")
        errors: dict[str, str] = {}
        if user_input is not None:
            option = self._choice_options[user_input[choice.key]]
            if result := await self._async_add(spec, self._choice_data, option, errors):
                return result
        offered = [SelectOptionDict(value=option.value, label=option.label) for option in options]
        return self.async_show_form(
            step_id=choice.step_id,
            data_schema=self.add_suggested_values_to_schema(
                probatio.Schema(
                    {
                        probatio.Required(choice.key): SelectSelector(
                            SelectSelectorConfig(options=offered, mode=SelectSelectorMode.LIST)
                        )
                    }
                ),
                user_input or {},
            ),
            errors=errors,
        )

    async def _async_list_accounts(
        self, spec: ProviderSpec, choice: AccountChoice, data: dict[str, Any]
    ) -> dict[str, str]:
        """List the accounts the credentials open; keep them, with ``data``, for the next step."""
        try:
            options, kept = await choice.list_accounts(async_get_clientsession(self.hass), data)
        except ChargerCloudError as err:
            return form_errors(err, choice.doing, spec)
        if not options:
            # The credentials open no account yet (Podero: an organisation without users).
            return {"base": "no_users"}
        self._choice_data = data | kept
        self._choice_options = {option.value: option for option in options}
        return {}

    async def _async_add(
        self,
        spec: ProviderSpec,
        data: dict[str, Any],
        option: AccountOption | None,
        errors: dict[str, str],
    ) -> ConfigFlowResult | None:
        """Create the entry of the account (or of the chosen one); None when it failed.

        A chosen account is known before any request, so a duplicate aborts at once;
        otherwise the account says who it is when signed in to.
        """
        if option is not None:
            assert spec.account_choice is not None
            data = data | {spec.account_choice.key: option.value}
            await self.async_set_unique_id(f"{spec.provider}_{option.unique_id}")
            self._abort_if_unique_id_configured()
        found, account = await self._async_validate(spec, data)
        if account is None:
            errors.update(found)
            return None
        await self.async_set_unique_id(f"{spec.provider}_{account.unique_id}")
        self._abort_if_unique_id_configured()
        if self._same_account_configured(spec, data):
            return self.async_abort(reason="already_configured")
        return self.async_create_entry(
            title=account.title if option is None else option.title, data=data
        )

    def _same_account_configured(self, spec: ProviderSpec, data: Mapping[str, Any]) -> bool:
        """Whether another entry of the cloud is the same account under another unique id."""
        same_account = spec.same_account
        return same_account is not None and any(
            same_account(entry.data, data)
            for entry in self._async_current_entries(include_ignore=False)
            if entry.data.get(CONF_PROVIDER) == spec.provider
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
            if not errors and any(data.get(k) != entry.data.get(k) for k in spec.account_keys):
                return self.async_abort(reason="wrong_account")
            if not errors:
                errors, account = await self._async_validate(spec, data)
                if not errors:
                    if account is None:
                        return self.async_abort(reason="wrong_account")
                    if spec.same_account is None or not spec.same_account(entry.data, data):
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
            if (
                self.source in (SOURCE_REAUTH, SOURCE_RECONFIGURE)
                and isinstance(err, NotPermittedError)
                and isinstance(err, spec.no_access)
                and not isinstance(err, ServiceDisabledError)
            ):
                # Good credentials, refused the entry's account: another account's.
                return {}, None
            return form_errors(
                err, "adding an account", spec, secrets_only=self.source == SOURCE_REAUTH
            ), None
        data.update(updates)
        data[CONF_DEVICE_IDS] = [device.device_id for device in devices]
        data.update(account.identity)
        return {}, account


def _sign_in_step(spec: ProviderSpec) -> StepHandler:
    async def step(
        flow: EVChargerCloudConfigFlow, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        return await flow._async_step_sign_in(spec, user_input)

    step.__doc__ = f"Sign in to a {spec.provider.value} account."
    return step


def _choice_step(spec: ProviderSpec, choice: AccountChoice) -> StepHandler:
    async def step(
        flow: EVChargerCloudConfigFlow, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        return await flow._async_step_choice(spec, choice, user_input)

    step.__doc__ = f"Choose which {spec.provider.value} account the entry shows."
    return step


# Home Assistant finds a step by its method name: one per cloud, one per declared choice.
for _spec in PROVIDERS.values():
    setattr(EVChargerCloudConfigFlow, f"async_step_{_spec.provider.value}", _sign_in_step(_spec))
    if _spec.account_choice is not None:
        setattr(
            EVChargerCloudConfigFlow,
            f"async_step_{_spec.account_choice.step_id}",
            _choice_step(_spec, _spec.account_choice),
        )


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
