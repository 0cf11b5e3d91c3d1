"""Binary sensors: a snapshot of each one of the demo accounts of the three clouds."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from homeassistant.const import Platform
import pytest

pytest_plugins = ["tests.demo_accounts"]


@pytest.fixture
def demo_platforms() -> list[Platform]:
    """Only the binary sensors."""
    return [Platform.BINARY_SENSOR]


async def test_demo_accounts(snapshot_demo: Callable[[], Awaitable[None]]) -> None:
    """Every binary sensor of the cloud's demo account: registry entry and state."""
    await snapshot_demo()
