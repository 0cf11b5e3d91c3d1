"""Fixture of the platform tests: conftest's Wallbox account with its entry set up.

A Garage charging a car and an Office without one (``wallbox_account``), the entry set
up against the simulator (``init_integration``).
"""

from __future__ import annotations

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from .conftest import RunningSimulator
from .platform_helpers import WallboxHome


@pytest.fixture
def wallbox_home(
    init_integration: MockConfigEntry, simulator: RunningSimulator, wallbox_account: list[int]
) -> WallboxHome:
    """The account with its entry set up."""
    garage, office = wallbox_account
    return WallboxHome(simulator.sim.wallbox, simulator.sim.requests, garage, office)
