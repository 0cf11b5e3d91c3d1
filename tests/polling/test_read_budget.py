"""The model of the cloud's read allowance: known refill rate, burst learned from answers."""

from __future__ import annotations

import math

from custom_components.ev_charger_cloud.coordinator.read_budget import (
    PROBE_AGAIN_AFTER,
    RECOVERY_PROBING,
    ReadBudget,
)


def spend(budget: ReadBudget, now: float, reads: int) -> None:
    for _ in range(reads):
        assert budget.can_read(now)
        budget.note_read(now)


def test_starts_full_and_refills_at_the_known_rate() -> None:
    """Three reads at once, then one a minute."""
    budget = ReadBudget(per_minute=1.0, burst=3, burst_max=5)
    spend(budget, 0.0, 3)
    assert not budget.can_read(0.0)
    assert budget.wait(0.0) == 60.0
    assert not budget.can_read(59.0)
    assert budget.can_read(60.0)
    assert budget.tokens(600.0) == 3.0  # never more than the burst


def test_looking_ahead_changes_nothing() -> None:
    """Asking about a later time must not move the model's clock."""
    budget = ReadBudget(per_minute=1.0, burst=1, burst_max=1)
    budget.note_read(0.0)
    assert budget.can_read(80.0)
    assert not budget.can_read(10.0)
    assert budget.wait(10.0) == 50.0


def test_a_probe_that_succeeds_teaches_a_larger_burst() -> None:
    """The cloud took a fourth read at once: from now on four go at once."""
    budget = ReadBudget(per_minute=1.0, burst=3, burst_max=5)
    spend(budget, 0.0, 3)
    assert budget.may_probe(0.0)
    budget.note_read(0.0)
    assert budget.burst == 4
    assert budget.tokens(240.0) == 4.0


def test_the_learned_burst_stays_within_the_plan() -> None:
    budget = ReadBudget(per_minute=1.0, burst=2, burst_max=3)
    for _ in range(5):
        budget.note_read(0.0)
    assert budget.burst == 3
    assert not budget.may_probe(0.0)


def test_a_refused_probe_stops_probing_for_hours() -> None:
    budget = ReadBudget(per_minute=1.0, burst=3, burst_max=5)
    spend(budget, 0.0, 3)
    budget.note_refused(0.0, retry_after=None, probe=True)
    assert budget.burst == 3
    assert not budget.may_probe(3600.0)
    assert budget.may_probe(PROBE_AGAIN_AFTER)


def test_refused_with_room_left_shrinks_the_burst() -> None:
    """Refused although two reads seemed left: the bucket is smaller than assumed."""
    budget = ReadBudget(per_minute=1.0, burst=3, burst_max=5)
    budget.note_read(0.0)
    budget.note_refused(0.0, retry_after=None, probe=False)
    assert budget.burst == 2
    assert not budget.can_read(0.0)


def test_refused_on_the_last_read_keeps_the_burst() -> None:
    """A refusal when one read seemed left tells nothing about the burst."""
    budget = ReadBudget(per_minute=1.0, burst=3, burst_max=5)
    spend(budget, 0.0, 2)
    budget.note_refused(0.0, retry_after=None, probe=False)
    assert budget.burst == 3


def test_retry_after_holds_reads_off() -> None:
    budget = ReadBudget(per_minute=1.0, burst=3, burst_max=3)
    budget.note_refused(0.0, retry_after=300.0, probe=False)
    assert budget.wait(0.0) == 300.0
    assert not budget.can_read(299.0)
    assert budget.can_read(300.0)


def test_no_known_limit_never_waits() -> None:
    budget = ReadBudget(per_minute=None, burst=1, burst_max=1)
    budget.note_read(0.0)
    budget.note_refused(0.0, retry_after=60.0, probe=False)
    assert budget.tokens(0.0) == math.inf
    assert budget.wait(0.0) == 0.0
    assert not budget.may_probe(0.0)


def test_refusals_after_waiting_as_told_are_an_outage() -> None:
    """Refused twice although a read was due: once reads pass again, probing resumes."""
    budget = ReadBudget(per_minute=1.0, burst=3, burst_max=3)
    budget.note_refused(0.0, retry_after=60.0, probe=False)  # the outage starts
    assert budget.burst == 2  # it might have been a smaller bucket...
    budget.note_refused(60.0, retry_after=60.0, probe=False)  # waited as told: refused again
    assert budget.burst == 3  # ...it was not
    assert not budget.may_probe(90.0)
    assert budget.can_read(120.0)
    budget.note_read(120.0)  # the outage is over
    assert not budget.can_read(120.0)
    assert budget.may_probe(120.0)
    budget.note_read(120.0)  # the bucket was fuller than modelled: its size stays
    assert budget.burst == 3
    assert budget.may_probe(120.0 + RECOVERY_PROBING - 1)
    assert not budget.may_probe(120.0 + RECOVERY_PROBING)


def test_a_refused_probe_ends_the_recovery() -> None:
    budget = ReadBudget(per_minute=1.0, burst=3, burst_max=3)
    budget.note_refused(0.0, retry_after=60.0, probe=False)
    budget.note_refused(60.0, retry_after=60.0, probe=False)
    budget.note_read(120.0)
    budget.note_refused(121.0, retry_after=None, probe=True)
    assert not budget.may_probe(200.0)


def test_a_refusal_right_after_our_own_reads_is_no_outage() -> None:
    """Refused when the model had no read left: our own use, no probing afterwards."""
    budget = ReadBudget(per_minute=1.0, burst=2, burst_max=2)
    spend(budget, 0.0, 2)
    budget.note_refused(0.0, retry_after=60.0, probe=False)
    budget.note_refused(30.0, retry_after=None, probe=False)
    budget.note_read(60.0)
    assert not budget.may_probe(60.0)
