"""Fixtures shared by the Podero client and cloud tests (the simulator is podero_fixtures')."""

from __future__ import annotations

import pytest

from simulator import Simulator
from simulator.podero.model import PoderoWallbox as SimWallbox
from tests.podero_helpers import USER_ID


@pytest.fixture
def garage(podero_sim: Simulator) -> SimWallbox:
    """A wallbox with a half-full car charging."""
    cloud = podero_sim.podero
    wallbox = cloud.add_wallbox(USER_ID, name="Garage")
    vehicle = cloud.add_vehicle(USER_ID, battery_level=50.0)
    cloud.plug_in(vehicle.id, wallbox.id)
    return wallbox
