"""Shared fixtures and values of the Thor client and parser tests.

The simulated account and its clients come from tests/thor_fixtures.py (each test
module names it in ``pytest_plugins``); here are the two boxes it holds by name and
the instant the example answers are stamped with.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

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
