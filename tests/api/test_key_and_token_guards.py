"""Token renewals stay bounded whatever the TTLs say; a Thor key is wrong only when refused long."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import aiohttp
from freezegun.api import FrozenDateTimeFactory
import pytest

from custom_components.ev_charger_cloud.api.errors import (
    AuthenticationError,
    TokenRejectedError,
)
from custom_components.ev_charger_cloud.api.thor import client as thor
from custom_components.ev_charger_cloud.api.thor.client import KEY_REFUSAL_GRACE, ThorClient
from custom_components.ev_charger_cloud.api.tokens import (
    MAX_RENEWALS_PER_HOUR,
    MIN_TOKEN_AGE,
    RenewalGuard,
)
from simulator import Simulator
from simulator.faults import Fault
from tests.thor_helpers import API_KEY

pytest_plugins = ["tests.thor_fixtures"]

LOGGER = "tests.guard"


def make_guard(now: list[float]) -> RenewalGuard:
    import logging

    return RenewalGuard("Cloud", logging.getLogger(LOGGER), lambda: now[0])


def test_young_token_is_kept_and_anomaly_logged_once(
    freezer: FrozenDateTimeFactory, caplog: pytest.LogCaptureFixture
) -> None:
    """A token whose TTL is already over is young for MIN_TOKEN_AGE; one warning, no token."""
    now = [1_000_000.0]
    guard = make_guard(now)
    assert not guard.too_young()  # nothing issued yet
    guard.renewed(expires_at=now[0] - 3600)
    guard.renewed(expires_at=now[0] - 3600)
    assert guard.too_young()
    now[0] += MIN_TOKEN_AGE
    assert not guard.too_young()

    warnings = [r for r in caplog.records if r.name == LOGGER]
    assert len(warnings) == 1
    assert "Cloud issued a token that expires in -3600 s" in warnings[0].getMessage()


def test_renewals_per_hour_are_capped(
    freezer: FrozenDateTimeFactory, caplog: pytest.LogCaptureFixture
) -> None:
    """At most MAX_RENEWALS_PER_HOUR in any hour (monotonic); the budget frees up after it."""
    now = [1_000_000.0]
    guard = make_guard(now)
    for _ in range(MAX_RENEWALS_PER_HOUR):
        assert guard.may_renew()
        guard.renewed(expires_at=now[0] + 36_000)
    assert not guard.may_renew()
    assert not guard.may_renew()
    assert guard.renewals_last_hour == MAX_RENEWALS_PER_HOUR
    assert len([r for r in caplog.records if r.name == LOGGER]) == 1

    freezer.tick(3600)
    assert guard.may_renew()
    assert guard.renewals_last_hour == 0


# --- Thor: a refused key --------------------------------------------------------------


@pytest.fixture
def wall(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The wall clock the Thor client counts refusals with, moved by the test."""
    now = [2_000_000.0]
    monkeypatch.setattr(thor, "time", SimpleNamespace(time=lambda: now[0]))
    return now


def graced(session: aiohttp.ClientSession, url: str, kept: list[Any], **options: Any) -> ThorClient:
    return ThorClient(
        session,
        API_KEY,
        base_url=url,
        timeout=2.0,
        key_refusal_grace=KEY_REFUSAL_GRACE,
        on_key_refusal=kept.append,
        **options,
    )


@pytest.mark.parametrize(
    "fault",
    [Fault(status=401), Fault(status=403, malformed=True, body="APIKeyNotFound")],
)
async def test_refused_key_is_wrong_only_after_the_grace(
    thor_sim: Simulator,
    thor_session: aiohttp.ClientSession,
    thor_url: str,
    wall: list[float],
    fault: Fault,
) -> None:
    """Refusals for less than KEY_REFUSAL_GRACE: a glitch; from then on: the key is wrong."""
    kept: list[Any] = []
    client = graced(thor_session, thor_url, kept)
    thor_sim.thor.faults.add(fault)

    with pytest.raises(TokenRejectedError):
        await client.async_get_chargeboxes()
    wall[0] += KEY_REFUSAL_GRACE - 1
    with pytest.raises(TokenRejectedError):
        await client.async_get_chargeboxes()
    wall[0] += 1
    with pytest.raises(AuthenticationError):
        await client.async_get_chargeboxes()
    assert kept == [2_000_000.0]

    thor_sim.thor.faults.clear()  # accepted again: the count starts over
    await client.async_get_chargeboxes()
    assert kept == [2_000_000.0, None]
    assert client.key_refused_since is None


async def test_refusal_count_survives_a_restart_and_a_clock_going_back(
    thor_sim: Simulator, thor_session: aiohttp.ClientSession, thor_url: str, wall: list[float]
) -> None:
    """A kept start continues the count; a start in the future (clock set back) restarts it."""
    thor_sim.thor.faults.add(Fault(status=401))
    kept: list[Any] = []
    restarted = graced(thor_session, thor_url, kept, key_refused_since=wall[0] - KEY_REFUSAL_GRACE)
    with pytest.raises(AuthenticationError):
        await restarted.async_get_chargeboxes()
    assert kept == []

    ahead = graced(thor_session, thor_url, kept, key_refused_since=wall[0] + 3600)
    with pytest.raises(TokenRejectedError):
        await ahead.async_get_chargeboxes()
    assert kept == [wall[0]]


async def test_bare_client_refuses_at_once(thor_sim: Simulator, thor_client: ThorClient) -> None:
    """Without a grace (the default) a refused key is wrong at once."""
    thor_sim.thor.faults.add(Fault(status=401))
    with pytest.raises(AuthenticationError):
        await thor_client.async_get_chargeboxes()
