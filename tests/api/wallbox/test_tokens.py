"""Wallbox tokens (auth.py): the sign-in answer in epoch milliseconds, storage, and expiry."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import pytest

from custom_components.ev_charger_cloud.api.errors import UnexpectedResponseError
from custom_components.ev_charger_cloud.api.wallbox import auth as wallbox_auth
from custom_components.ev_charger_cloud.api.wallbox.auth import WallboxTokens

TOKEN_ANSWER = {
    "data": {
        "attributes": {
            "token": "access-jwt",
            "ttl": 1761234567000,
            "refresh_token": "refresh-jwt",
            "refresh_token_ttl": 1763826567123,
            "user_id": 123456,
        }
    }
}


def test_tokens_from_response_convert_milliseconds() -> None:
    """ttl and refresh_token_ttl are epoch milliseconds; the tokens keep epoch seconds."""
    tokens = WallboxTokens.from_response(TOKEN_ANSWER)

    assert tokens == WallboxTokens(
        token="access-jwt",
        expires_at=1761234567.0,
        refresh_token="refresh-jwt",
        refresh_expires_at=1763826567.123,
        user_id="123456",
    )


@pytest.mark.parametrize(
    "payload",
    [
        None,
        {},
        {"data": {}},
        {"data": {"attributes": {"token": "t", "ttl": 1, "refresh_token": "r", "user_id": 1}}},
        {
            "data": {
                "attributes": {
                    "token": "t",
                    "ttl": "soon",
                    "refresh_token": "r",
                    "refresh_token_ttl": 1,
                    "user_id": 1,
                }
            }
        },
    ],
)
def test_tokens_from_a_response_of_another_shape(payload: Any) -> None:
    """A token answer that misses a field is an unexpected response."""
    with pytest.raises(UnexpectedResponseError):
        WallboxTokens.from_response(payload)


def test_tokens_round_trip_through_a_dict() -> None:
    """What the entry stores restores the same tokens."""
    tokens = WallboxTokens.from_response(TOKEN_ANSWER)

    stored = tokens.as_dict()

    assert stored == {
        "token": "access-jwt",
        "expires_at": 1761234567.0,
        "refresh_token": "refresh-jwt",
        "refresh_expires_at": 1763826567.123,
        "user_id": "123456",
    }
    assert WallboxTokens.from_dict(json.loads(json.dumps(stored))) == tokens


@pytest.mark.parametrize(
    "stored",
    [
        {},
        {"token": "t", "expires_at": 1, "refresh_token": "r", "refresh_expires_at": 2},
        {
            "token": "t",
            "expires_at": "never",
            "refresh_token": "r",
            "refresh_expires_at": 2,
            "user_id": "1",
        },
    ],
)
def test_unusable_stored_tokens_are_none(stored: dict[str, Any]) -> None:
    """Broken stored data means: sign in again."""
    assert WallboxTokens.from_dict(stored) is None


def test_token_validity_keeps_a_safety_margin(monkeypatch: pytest.MonkeyPatch) -> None:
    """A token counts as expired EXPIRY_MARGIN seconds before its expiry."""
    tokens = WallboxTokens(
        token="t", expires_at=10_000.0, refresh_token="r", refresh_expires_at=20_000.0, user_id="1"
    )
    margin = wallbox_auth.EXPIRY_MARGIN
    assert margin > 0

    def at(now: float) -> None:
        monkeypatch.setattr(wallbox_auth, "time", SimpleNamespace(time=lambda: now))

    at(10_000.0 - margin - 1)
    assert (tokens.access_valid, tokens.refresh_valid) == (True, True)
    at(10_000.0 - margin)
    assert (tokens.access_valid, tokens.refresh_valid) == (False, True)
    at(20_000.0 - margin - 1)
    assert (tokens.access_valid, tokens.refresh_valid) == (False, True)
    at(20_000.0 - margin)
    assert (tokens.access_valid, tokens.refresh_valid) == (False, False)
