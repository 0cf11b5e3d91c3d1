"""The benchmarks use the test fixtures: the simulator and Home Assistant."""

from collections.abc import Iterator
import logging

import pytest

from tests.conftest import *  # noqa: F403


@pytest.fixture(autouse=True)
def quiet_logs() -> Iterator[None]:
    """Keep the printed numbers readable: warnings and errors only.

    Moving frozen time by hours also makes every poll look like a slow callback to
    asyncio's debug mode, which the Home Assistant test plugin turns on.
    """
    levels = {"": logging.WARNING, "asyncio": logging.ERROR}
    loggers = {name: logging.getLogger(name) for name in levels}
    before = {name: logger.level for name, logger in loggers.items()}
    for name, logger in loggers.items():
        logger.setLevel(levels[name])
    yield
    for name, logger in loggers.items():
        logger.setLevel(before[name])


@pytest.fixture(autouse=True)
def instant_commands() -> Iterator[None]:
    """Benchmarks measure the real merge window of number values (the tests skip it)."""
    return
