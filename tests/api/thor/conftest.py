"""Shared fixtures and values of the Thor client and parser tests.

The simulated account and its clients come from tests/thor_fixtures.py (each test
module names it in ``pytest_plugins``); here are the two boxes it holds by name, the
start of a charge at a box, and the instant the example answers are stamped with.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from simulator import Simulator

# The example answers' timestamp: epoch milliseconds, and the instant they stand for.
MS = 1_730_000_000_000
AT = datetime(2024, 10, 27, 3, 33, 20, tzinfo=UTC)


@pytest.fixture
def garage_id(thor_boxes: tuple[str, str]) -> str:
    """The "Garage" box of the simulated account (one 22 kW connector)."""
    return thor_boxes[0]


@pytest.fixture
def parking_id(thor_boxes: tuple[str, str]) -> str:
    """The "Parking" box of the simulated account (two 11 kW, 16 A connectors)."""
    return thor_boxes[1]


def charge_locally(
    sim: Simulator, box_id: str, connector: int = 1, tag: str = "RFID-1", **car: Any
) -> None:
    """A car plugs in (``car``: plug_in's max_power_w, full_after_wh) and charges by RFID."""
    sim.thor.plug_in(box_id, connector, **car)
    sim.thor.start_local(box_id, connector, tag)
