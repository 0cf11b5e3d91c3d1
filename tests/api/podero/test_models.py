"""Podero users, charging configuration, boost refusals and tokens, parsed defensively."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from custom_components.ev_charger_cloud.api.errors import (
    BoostRefusalReason,
    BoostRefusedError,
    CommandRejectedError,
    UnexpectedResponseError,
)
from custom_components.ev_charger_cloud.api.podero import auth as podero_auth
from custom_components.ev_charger_cloud.api.podero.auth import FALLBACK_LIFETIME, PoderoToken
from custom_components.ev_charger_cloud.api.podero.models import (
    PoderoChargingConfig,
    PoderoChargingMode,
    PoderoModeAvailability,
    PoderoRole,
    PoderoUser,
)
from custom_components.ev_charger_cloud.api.podero.parse import (
    as_enum,
    boost_refused,
    parse_charging_config,
    parse_user,
    parse_users,
)
from custom_components.ev_charger_cloud.api.tokens import EXPIRY_MARGIN

# A user as GET /org/{org_id}/users lists it (fields of the reference).
USER: dict[str, Any] = {
    "id": "0b7e6c1a-9a43-4f0e-8f57-1f1f7a1d2c3b",
    "role": "admin",
    "email": "jane@example.com",
    "num_wallboxes": 1,
    "num_electric_vehicles": "2",
    "num_heat_pumps": 0,
    "num_inverters": 0,
    "external_user_id": None,
    "first_name": "Jane",
    "last_name": "Doe",
    "is_onboarded": True,
}


@pytest.fixture
def now(monkeypatch: pytest.MonkeyPatch) -> SimpleNamespace:
    """The clock podero_auth reads, set by the test."""
    clock = SimpleNamespace(value=1_000_000.0)
    monkeypatch.setattr(podero_auth, "time", SimpleNamespace(time=lambda: clock.value))
    return clock


# --- users --------------------------------------------------------------------------


def test_user_field_by_field() -> None:
    """Id, e-mail, names, role and device counts (also as text)."""
    assert parse_users([USER]) == [
        PoderoUser(
            id=USER["id"],
            email="jane@example.com",
            first_name="Jane",
            last_name="Doe",
            role=PoderoRole.ADMIN,
            num_wallboxes=1,
            num_electric_vehicles=2,
        )
    ]


def test_user_of_unknown_role_and_nulls() -> None:
    """A new role is unknown; null names and counts are None."""
    user = parse_user({"id": "u1", "role": "partner_viewer", "email": None})
    assert user == PoderoUser(id="u1", role=PoderoRole.UNKNOWN)


def test_user_repr_hides_personal_data() -> None:
    """E-mail and names stay out of logs."""
    text = repr(parse_user(USER))
    assert "jane" not in text.lower()
    assert "Doe" not in text


@pytest.mark.parametrize("payload", [None, {"users": []}, [{"email": "x"}], ["u1"]])
def test_users_of_another_shape_are_unexpected(payload: Any) -> None:
    """Not a list of users with ids."""
    with pytest.raises(UnexpectedResponseError):
        parse_users(payload)


# --- charging configuration -----------------------------------------------------------


def test_charging_config_as_the_reference_describes_it() -> None:
    """Mode, available modes with reason codes, band minimum, thresholds and solar status."""
    config = parse_charging_config(
        {
            "mode": "spot",
            "available_modes": [
                {"mode": "none", "available": True, "reasons": []},
                {"mode": "spot", "available": True, "reasons": []},
                {"mode": "hems", "available": False, "reasons": ["no_inverter"]},
                {
                    "mode": "hems_and_spot",
                    "available": False,
                    "reasons": ["no_inverter", "wallbox_not_modulating"],
                },
            ],
            "min_band_w": 1380,
            "hems_min_export_to_start_w": "2000",
            "hems_max_import_before_stopping_w": 4000,
            "solar_charging_status": "inactive",
        }
    )
    assert config.mode is PoderoChargingMode.SPOT
    assert config.available_modes[2] == PoderoModeAvailability(
        mode=PoderoChargingMode.HEMS, available=False, reasons=("no_inverter",)
    )
    assert config.min_band_w == 1380.0  # W
    assert config.hems_min_export_to_start_w == 2000.0  # W
    assert config.hems_max_import_before_stopping_w == 4000.0  # W
    assert config.solar_charging_status == "inactive"
    assert config.is_available(PoderoChargingMode.SPOT)
    assert not config.is_available(PoderoChargingMode.HEMS)


def test_charging_config_other_shapes() -> None:
    """A mapping of modes, bare names, a single reason, nested solar status, unknown mode."""
    config = parse_charging_config(
        {
            "mode": "solar_only",
            "available_modes": {
                "spot": {"available": False, "reason": "no_ev"},
                "none": True,
                "future": None,
            },
            "solar_charging": {"status": "charging"},
        }
    )
    assert config.mode is PoderoChargingMode.UNKNOWN
    assert config.available_modes == (
        PoderoModeAvailability(mode=PoderoChargingMode.SPOT, available=False, reasons=("no_ev",)),
        PoderoModeAvailability(mode=PoderoChargingMode.NONE, available=True),
        PoderoModeAvailability(mode=PoderoChargingMode.UNKNOWN),
    )
    assert config.solar_charging_status == "charging"
    assert not config.is_available(PoderoChargingMode.HEMS)  # not listed

    names = parse_charging_config({"available_modes": ["none", "spot", 3]})
    assert [m.mode for m in names.available_modes] == [
        PoderoChargingMode.NONE,
        PoderoChargingMode.SPOT,
    ]
    assert names.mode is None


def test_empty_charging_config() -> None:
    """Nothing known: no mode, every mode assumed available."""
    config = parse_charging_config({"available_modes": "all"})
    assert config == PoderoChargingConfig()
    assert config.is_available(PoderoChargingMode.HEMS)


def test_charging_config_that_is_no_object_is_unexpected() -> None:
    """Only a body of the wrong shape is an error."""
    with pytest.raises(UnexpectedResponseError):
        parse_charging_config([])


# --- boost refusals ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reason", "expected"),
    [
        ("already_charging", BoostRefusalReason.ALREADY_CHARGING),
        ("fully_charged", BoostRefusalReason.FULLY_CHARGED),
        ("no_active_session", BoostRefusalReason.NO_ACTIVE_SESSION),
        ("internal_error", BoostRefusalReason.INTERNAL_ERROR),
        ("too_cold", BoostRefusalReason.UNKNOWN),
        (None, BoostRefusalReason.UNKNOWN),
    ],
)
def test_boost_refusal_reasons(reason: str | None, expected: BoostRefusalReason) -> None:
    """The 409 body's reason as an enum, its state kept; a refusal is a rejected command."""
    error = boost_refused({"state": "unavailable", "reason": reason})
    assert isinstance(error, BoostRefusedError)
    assert isinstance(error, CommandRejectedError)
    assert error.reason is expected
    assert error.state == "unavailable"
    assert expected.value in str(error)


def test_boost_refusal_without_a_body() -> None:
    """A 409 without a body still is a boost refusal, reason unknown."""
    error = boost_refused(None)
    assert (error.reason, error.state) == (BoostRefusalReason.UNKNOWN, None)


def test_as_enum_accepts_unhashable_values() -> None:
    """Whatever the cloud sends, the answer is a member."""
    assert as_enum(PoderoRole, {"a": 1}, PoderoRole.UNKNOWN) is PoderoRole.UNKNOWN


# --- tokens -------------------------------------------------------------------------


def test_token_from_the_token_answer(now: SimpleNamespace) -> None:
    """`expires_in` (s) becomes an absolute expiry; the token stays out of repr."""
    token = PoderoToken.from_response(
        {"access_token": "PaZDOD5U", "expires_in": 36000, "token_type": "Bearer"}
    )
    assert token == PoderoToken(access_token="PaZDOD5U", expires_at=now.value + 36000)
    assert "PaZDOD5U" not in repr(token)


@pytest.mark.parametrize("expires_in", [None, "<string>", 0, -5])
def test_token_without_a_usable_lifetime(now: SimpleNamespace, expires_in: Any) -> None:
    """No lifetime: assume a short one rather than refuse the token."""
    token = PoderoToken.from_response({"access_token": "t", "expires_in": expires_in})
    assert token.expires_at == now.value + FALLBACK_LIFETIME


@pytest.mark.parametrize(
    "payload", [None, [], {"expires_in": 36000}, {"access_token": "", "expires_in": 1}]
)
def test_token_answer_without_a_token_is_unexpected(payload: Any) -> None:
    """No access token in a 2xx answer."""
    with pytest.raises(UnexpectedResponseError):
        PoderoToken.from_response(payload)


def test_token_round_trips_through_storage() -> None:
    """as_dict/from_dict keep the token and its expiry."""
    token = PoderoToken(access_token="abc", expires_at=123.5)
    assert token.as_dict() == {"access_token": "abc", "expires_at": 123.5}
    assert PoderoToken.from_dict(token.as_dict()) == token


@pytest.mark.parametrize(
    "stored",
    [
        {},
        {"access_token": "abc"},
        {"expires_at": 5},
        {"access_token": "abc", "expires_at": "soon"},
        {"access_token": None, "expires_at": 5},
    ],
)
def test_unusable_stored_token_is_none(stored: dict[str, Any]) -> None:
    """Broken stored data means: request a new token."""
    assert PoderoToken.from_dict(stored) is None


def test_stored_token_of_another_type_is_none() -> None:
    """Stored data that is no mapping at all."""
    assert PoderoToken.from_dict(["abc", 5]) is None  # type: ignore[arg-type]


def test_token_validity_keeps_a_safety_margin(now: SimpleNamespace) -> None:
    """A token counts as expired EXPIRY_MARGIN seconds before its expiry."""
    token = PoderoToken(access_token="t", expires_at=10_000.0)
    now.value = 10_000.0 - EXPIRY_MARGIN - 1
    assert token.valid
    now.value = 10_000.0 - EXPIRY_MARGIN
    assert not token.valid


@pytest.mark.parametrize(
    ("first", "last", "email", "called"),
    [
        (" Ada ", "Lovelace ", "ada@example.com", "Ada Lovelace"),
        (None, "Lovelace", None, "Lovelace"),
        ("  ", None, "ada@example.com", "ada@example.com"),
        (None, None, None, "user-1"),
    ],
)
def test_a_user_is_called_by_name_then_email_then_id(
    first: str | None, last: str | None, email: str | None, called: str
) -> None:
    """The account title and the user picker both name a user this way."""
    user = PoderoUser(id="user-1", email=email, first_name=first, last_name=last)
    assert user.display_name == called
