"""The simulated clock."""

import time

from freezegun import freeze_time
import pytest

from simulator.clock import Clock


def test_advance_adds_to_real_time() -> None:
    clock = Clock()
    before = time.time()
    clock.advance(100)
    assert clock.now() >= before + 100
    with pytest.raises(ValueError, match="backwards"):
        clock.advance(-1)


def test_follows_freezegun() -> None:
    clock = Clock()
    clock.advance(10)
    with freeze_time("2030-01-01 00:00:00") as frozen:
        start = clock.now()
        assert start == pytest.approx(1893456000 + 10)
        frozen.tick(60)
        assert clock.now() == pytest.approx(start + 60)
