"""Options: a cloud's own settings, or the URL a cloud that pushes sends its notifications to."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigEntry, ConfigFlowResult, OptionsFlowWithReload
from homeassistant.helpers.selector import BooleanSelector
import probatio

from .api import Provider
from .const import CONF_CLOUDHOOK_URL, CONF_PROVIDER
from .provider_spec import ProviderSpec
from .providers import PROVIDERS
from .push import async_new_webhook
from .push_url import (
    CloudhookUnavailableError,
    async_add_cloudhook,
    async_drop_cloudhook,
    cloudhooks_offered,
    push_address,
)

# The push step's choices: a new URL (the old one stops working), a Home Assistant
# Cloud URL (offered while a subscription is active, or while one is in use).
CONF_NEW_URL = "new_url"
CONF_USE_CLOUDHOOK = "use_cloudhook"


class EVChargerCloudOptionsFlow(OptionsFlowWithReload):
    """The entry's cloud-specific settings; the entry reloads to apply them."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Show and save the options."""
        if spec_of(self.config_entry).notifications:
            return await self.async_step_push()
        schema = spec_of(self.config_entry).options_schema
        assert schema is not None  # only offered for clouds with options
        if user_input is not None:
            # Number boxes answer floats; the settings are whole numbers.
            options = {key: _whole(value) for key, value in user_input.items()}
            return self.async_create_entry(data={**self.config_entry.options, **options})
        return self.async_show_form(step_id="init", data_schema=schema(self.config_entry.options))

    async def async_step_push(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Show the URL to paste into the cloud's settings for its notifications."""
        return await self._async_push(user_input)

    async def async_step_push_not_public(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The same, with a warning: the cloud cannot reach the URL Home Assistant knows."""
        return await self._async_push(user_input)

    async def _async_push(self, user_input: dict[str, Any] | None) -> ConfigFlowResult:
        """Apply a change of the URL and show it again; without a change, close.

        The entry does not reload: its webhook moves to the new id at once, and
        the options (none for Thor) stay as they are.
        """
        entry = self.config_entry
        using_cloud = CONF_CLOUDHOOK_URL in entry.data
        errors: dict[str, str] = {}
        if user_input is not None:
            new_url = bool(user_input.get(CONF_NEW_URL))
            use_cloud = bool(user_input.get(CONF_USE_CLOUDHOOK, using_cloud))
            if not new_url and use_cloud == using_cloud:
                return self.async_create_entry(data=dict(entry.options))
            try:
                if new_url:
                    await async_new_webhook(self.hass, entry, use_cloudhook=use_cloud)
                elif use_cloud:
                    await async_add_cloudhook(self.hass, entry)
                else:
                    await async_drop_cloudhook(self.hass, entry)
            except CloudhookUnavailableError:
                errors = {"base": "cloud_not_connected"}
        address = push_address(self.hass, entry)
        schema: dict[probatio.Marker, Any] = {
            probatio.Optional(CONF_NEW_URL, default=False): BooleanSelector()
        }
        if cloudhooks_offered(self.hass, entry):
            schema[
                probatio.Optional(CONF_USE_CLOUDHOOK, default=CONF_CLOUDHOOK_URL in entry.data)
            ] = BooleanSelector()
        return self.async_show_form(
            step_id="push" if address.reachable else "push_not_public",
            data_schema=probatio.Schema(schema),
            description_placeholders={"webhook_url": address.url},
            errors=errors,
        )


def spec_of(entry: ConfigEntry) -> ProviderSpec:
    """The cloud of an entry."""
    return PROVIDERS[Provider(entry.data[CONF_PROVIDER])]


def _whole(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value
