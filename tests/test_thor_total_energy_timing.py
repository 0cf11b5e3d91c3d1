"""How soon a new Thor entry shows Total energy, and what the first hour costs in requests.

Total energy stays unknown until the history of finished charges reaches back to
the account's start (api/thor/history.py). The back-fill reads a month per request
while it finds charges and longer windows once they are empty, so:

- an account without any charge shows 0 two minutes after setup (three windows:
  the setup's read and two polls);
- the demo account (three weeks of history) shows its totals three minutes after
  setup (one window with charges, then three empty ones);

and neither sends more than three requests a poll. Each test prints what it measured.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNKNOWN
from homeassistant.core import HomeAssistant
import pytest

from simulator import Simulator
from simulator.thor.demo import (
    DEMO_API_KEY,
    DEMO_BARN_ID,
    DEMO_GARAGE_ID,
    DEMO_PARKING_ID,
    seed_thor_demo,
)
from tests.thor_account_entry import thor_account_entry

from .conftest import advance, state_of, value

POLL = timedelta(minutes=1)
HOUR_OF_POLLS = 60
# An hour that does not cross midnight (a new day adds a read of the day before).
MORNING = "2030-06-15 10:00:00+00:00"


async def minutes_until_known(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, entity_id: str
) -> int:
    """Poll once a minute until the entity is known; the minutes after setup that took."""
    for minute in range(30):
        if state_of(hass, entity_id) != STATE_UNKNOWN:
            return minute
        await advance(hass, freezer, POLL)
    pytest.fail(f"{entity_id} stayed unknown for 30 minutes")


def kinds(sim: Simulator) -> Counter[str]:
    """Requests by their path after the API root."""
    return Counter(record.path.rsplit("/integration/", 1)[-1] for record in sim.requests)


@pytest.mark.freeze_time(MORNING)
async def test_an_account_without_charges_shows_zero_within_two_minutes(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, socket_enabled: None
) -> None:
    """No charge ever: 0 kWh two minutes after setup; at most 3 requests a poll."""
    sim = Simulator()
    sim.thor.add_account("empty-key", "New customer")
    sim.thor.add_chargebox("empty-key", id="CB-NEW", alias="New box")
    async with thor_account_entry(hass, sim, "empty-key", ["CB-NEW"]):
        minutes = await minutes_until_known(hass, freezer, "sensor.new_box_total_energy")
        assert value(hass, "sensor.new_box_total_energy") == 0.0
        await advance(hass, freezer, POLL, HOUR_OF_POLLS - minutes)
        requests = kinds(sim)

    print(
        f"\nThor, no charges: Total energy known {minutes} min after setup; first hour {requests}"
    )
    assert minutes == 2
    assert requests["charges/finished"] == 3  # the three windows, nothing due after them
    assert requests["chargeboxes"] == requests["charges/running"] == HOUR_OF_POLLS + 1
    assert sum(requests.values()) == 2 * (HOUR_OF_POLLS + 1) + 3


@pytest.mark.freeze_time(MORNING)
async def test_the_demo_account_shows_its_totals_within_three_minutes(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, socket_enabled: None
) -> None:
    """Three weeks of charges: exact totals three minutes after setup."""
    sim = Simulator()
    seed_thor_demo(sim.thor)
    boxes = [DEMO_GARAGE_ID, DEMO_PARKING_ID, DEMO_BARN_ID]
    finished = {
        box: sum(c.energy_wh for c in sim.thor.finished_charges(DEMO_API_KEY) if c.chargebox == box)
        for box in boxes
    }
    async with thor_account_entry(hass, sim, DEMO_API_KEY, boxes):
        minutes = await minutes_until_known(hass, freezer, "sensor.garage_total_energy")
        garage = sim.thor.running_charge(DEMO_GARAGE_ID, 1)
        assert garage is not None
        assert value(hass, "sensor.garage_total_energy") == pytest.approx(
            (finished[DEMO_GARAGE_ID] + int(garage.energy_wh)) / 1000
        )
        assert value(hass, "sensor.barn_total_energy") == finished[DEMO_BARN_ID] / 1000
        await advance(hass, freezer, POLL, HOUR_OF_POLLS - minutes)
        requests = kinds(sim)

    print(
        f"\nThor demo account: Total energy known {minutes} min after setup; first hour {requests}"
    )
    assert minutes == 3
    # Four windows, then the reservations (the one reservable box) every 5 minutes.
    assert requests["charges/finished"] == 4
    assert requests["reservations"] == 12
    assert sum(requests.values()) <= 3 * (HOUR_OF_POLLS + 1)
