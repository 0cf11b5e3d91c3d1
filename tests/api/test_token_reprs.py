"""No token class shows its secret in repr or str, so neither does a log line or a traceback."""

from __future__ import annotations

import dataclasses
import importlib
import logging
import pkgutil
import time

import pytest

from custom_components.ev_charger_cloud import api
from custom_components.ev_charger_cloud.api import PoderoToken, ThorCharge, WallboxTokens
from custom_components.ev_charger_cloud.api.thor.models import ThorReservation

ACCESS = "eyJhbGciOi.access-token-secret"
REFRESH = "eyJhbGciOi.refresh-token-secret"
USER_ID = "424242"
TAG = "RFID-04A2B3C4D5"
LATER = time.time() + 3600

SECRET_FIELDS = frozenset(
    {"token", "access_token", "refresh_token", "id_tag", "password", "client_secret", "api_key"}
)

OBJECTS = [
    (
        WallboxTokens(
            token=ACCESS,
            expires_at=LATER,
            refresh_token=REFRESH,
            refresh_expires_at=LATER,
            user_id=USER_ID,
        ),
        (ACCESS, REFRESH, USER_ID),
    ),
    (PoderoToken(access_token=ACCESS, expires_at=LATER), (ACCESS,)),
    (ThorCharge(id=7, chargebox="CB-1", connector=1, id_tag=TAG), (TAG,)),
    (ThorReservation(chargebox="CB-1", connector=1, id_tag=TAG), (TAG,)),
]


@pytest.mark.parametrize(("value", "secrets"), OBJECTS, ids=lambda v: type(v).__name__)
def test_repr_str_and_log_lines_hide_the_secrets(
    value: object, secrets: tuple[str, ...], caplog: pytest.LogCaptureFixture
) -> None:
    logger = logging.getLogger("custom_components.ev_charger_cloud.test")
    with caplog.at_level(logging.DEBUG, logger.name):
        logger.debug("kept %s", value)
        logger.debug("kept %r", value)
        try:
            raise ValueError(f"could not use {value!r}")
        except ValueError:
            logger.exception("failed")
    shown = (repr(value), str(value), caplog.text)
    assert type(value).__name__ in repr(value)
    for text in shown:
        for secret in secrets:
            assert secret not in text


def test_every_secret_field_of_the_clients_is_out_of_repr() -> None:
    """Any dataclass of the vendor clients with a token, tag, password or key field hides it.

    A token class added later is held to the same rule.
    """
    checked = 0
    for module_info in pkgutil.walk_packages(api.__path__, prefix=f"{api.__name__}."):
        module = importlib.import_module(module_info.name)
        for value in vars(module).values():
            if not (isinstance(value, type) and dataclasses.is_dataclass(value)):
                continue
            for field in dataclasses.fields(value):
                if field.name in SECRET_FIELDS:
                    checked += 1
                    assert field.repr is False, f"{value.__name__}.{field.name}"
    # WallboxTokens (2), PoderoToken, ThorCharge (and its subclass), ThorReservation, pushes.
    assert checked >= 6
