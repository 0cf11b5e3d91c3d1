"""Config flow: pick a cloud, sign in, one entry per account."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.config_entries import SOURCE_REAUTH, ConfigFlow, ConfigFlowResult
from homeassistant.const import CONF_EMAIL
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from .api import (
    AuthenticationError,
    ChargerCloudError,
    CloudConnectionError,
    Provider,
    RateLimitedError,
)
from .const import (
    CONF_ADVANCED,
    CONF_API_URL,
    CONF_CHARGERS,
    CONF_PROVIDER,
    CONF_TOKENS,
    DOMAIN,
    LOGGER,
)
from .providers import PROVIDERS, ProviderSpec


class EVChargerCloudConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add a cloud account, re-authenticate it or change its credentials."""

    VERSION = 1

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask which cloud the account belongs to."""
        return self.async_show_menu(
            step_id="user", menu_options=[provider.value for provider in PROVIDERS]
        )

    async def async_step_wallbox(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Sign in to a myWallbox account."""
        return await self._async_step_account(PROVIDERS[Provider.WALLBOX], user_input)

    async def _async_step_account(
        self, spec: ProviderSpec, user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
        errors: dict[str, str] = {}
        if user_input is not None:
            data = {CONF_PROVIDER: spec.provider.value, **_clean(user_input)}
            errors, unique_id, title = await self._async_validate(spec, data)
            if not errors:
                await self.async_set_unique_id(f"{spec.provider}_{unique_id}")
                self._abort_if_unique_id_configured()
                return self.async_create_entry(title=title, data=data)
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
            data |= _clean(user_input)
            # Stored tokens would prove nothing about the new credentials.
            data.pop(CONF_TOKENS, None)
            errors, unique_id, title = await self._async_validate(spec, data)
            if not errors:
                await self.async_set_unique_id(f"{spec.provider}_{unique_id}")
                self._abort_if_unique_id_mismatch(reason="wrong_account")
                return self.async_update_reload_and_abort(entry, title=title, data=data)
        return self.async_show_form(
            step_id=step_id,
            data_schema=spec.credentials_schema(entry.data, secrets_only=secrets_only),
            description_placeholders={"account": entry.title},
            errors=errors,
        )

    async def _async_validate(
        self, spec: ProviderSpec, data: dict[str, Any]
    ) -> tuple[dict[str, str], str, str]:
        """Sign in and list the chargers; fill ``data`` with what the entry keeps."""
        updates: dict[str, Any] = {}
        client = spec.build_client(async_get_clientsession(self.hass), data, updates.update)
        try:
            account = await client.async_authenticate()
            chargers = await client.async_discover()
        except AuthenticationError:
            return {"base": "invalid_auth"}, "", ""
        except RateLimitedError:
            return {"base": "rate_limited"}, "", ""
        except CloudConnectionError:
            return {"base": "cannot_connect"}, "", ""
        except ChargerCloudError:
            LOGGER.exception("Unexpected answer while adding an account")
            return {"base": "unknown"}, "", ""
        data.update(updates)
        data[CONF_CHARGERS] = [device.device_id for device in chargers]
        return {}, account.unique_id, account.title


def _clean(user_input: Mapping[str, Any]) -> dict[str, Any]:
    """The form's answer as an entry keeps it.

    The server URL comes out of its section; the account name and URL are trimmed (never
    a secret), and an empty URL is dropped.
    """
    cleaned = dict(user_input)
    cleaned.update(cleaned.pop(CONF_ADVANCED, None) or {})
    for key in (CONF_EMAIL, CONF_API_URL):
        if isinstance(cleaned.get(key), str):
            cleaned[key] = cleaned[key].strip()
    if not cleaned.get(CONF_API_URL):
        cleaned.pop(CONF_API_URL, None)
    return cleaned
