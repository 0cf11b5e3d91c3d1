"""The errors a credentials form shows: one key per kind of failure, alike for every cloud.

Only refused credentials are worded per cloud (each names its own form's fields),
read from the cloud's ``ProviderSpec`` like the errors meaning "no access to this
account".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
import uuid

from .api import (
    AccountWithoutDevicesError,
    AuthenticationError,
    ChargerCloudError,
    CloudConnectionError,
    RateLimitedError,
    RedirectRefusedError,
    ServiceDisabledError,
    ServiceDisabledReason,
    WrongServerError,
)
from .const import CONF_API_URL, CONF_ORG_ID, LOGGER
from .provider_spec import ProviderSpec
from .server_url import server_url_allowed

_SERVICE_DISABLED_ERRORS: Mapping[ServiceDisabledReason, dict[str, str]] = {
    ServiceDisabledReason.REST_API_DISABLED: {"base": "rest_api_disabled"},
    ServiceDisabledReason.IP_NOT_ALLOWED: {"base": "ip_not_allowed"},
}


def form_errors(
    err: ChargerCloudError, doing: str, spec: ProviderSpec, *, secrets_only: bool = False
) -> dict[str, str]:
    """The form's error for a failed request; only an unexpected one is logged.

    ``secrets_only``: the form asks for the secret alone (re-authentication).
    """
    if isinstance(err, AuthenticationError):
        errors = {"base": spec.invalid_secret if secrets_only else spec.invalid_auth}
    elif isinstance(err, ServiceDisabledError):
        # Thor: the key is good; the dashboard must allow the REST API, or this address.
        errors = dict(_SERVICE_DISABLED_ERRORS[err.reason])
    elif isinstance(err, spec.no_access):
        # Podero: the organisation (or the entry's user) is not there for these credentials.
        errors = {"base": "org_not_found"}
    elif isinstance(err, AccountWithoutDevicesError):
        # Thor: an account is known by its chargeboxes; one without any cannot be told apart.
        errors = {"base": "no_chargebox"}
    elif isinstance(err, WrongServerError):
        errors = {"base": "wrong_server"}
    elif isinstance(err, RedirectRefusedError):
        errors = {"base": "redirect_refused"}
    elif isinstance(err, RateLimitedError):
        errors = {"base": "rate_limited"}
    elif isinstance(err, CloudConnectionError):
        errors = {"base": "cannot_connect"}
    else:
        LOGGER.exception("Unexpected answer while %s", doing)
        errors = {"base": "unknown"}
    return errors


def input_errors(data: dict[str, Any]) -> dict[str, str]:
    """Check what can be checked without a request; a Podero org id is made canonical.

    The server URL must be one the credentials may go to (server_url.py).
    """
    if CONF_API_URL in data and not server_url_allowed(data[CONF_API_URL]):
        return {"base": "invalid_api_url"}
    if CONF_ORG_ID in data:
        try:
            data[CONF_ORG_ID] = str(uuid.UUID(data[CONF_ORG_ID]))
        except ValueError:
            return {CONF_ORG_ID: "invalid_org_id"}
    return {}
