"""The benchmarks use the test fixtures: the simulator and Home Assistant."""

from tests.conftest import *  # noqa: F403
