"""Logs: no secret and no personal detail, at DEBUG, over polls that work and one that fails.

A Wallbox, a Podero and a Thor entry run side by side against the simulator. Secrets
(passwords, tokens, keys, client credentials) and personal details (emails, names,
places, RFID tags) must appear in no log line; serial numbers and account ids in none
but the request lines the HTTP layers write (checked apart, see below).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
import logging
import re

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import CONF_API_KEY
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ev_charger_cloud.api.http import loggable_url
from custom_components.ev_charger_cloud.const import (
    CONF_THOR_STATE,
    CONF_TOKENS,
    CONF_WEBHOOK_ID,
    DOMAIN,
)
from simulator import Simulator
from simulator.faults import Fault
from tests.podero_helpers import ACCOUNT, CLIENT_ID, CLIENT_SECRET, ORG_ID, USER_ID
from tests.thor_entry_fixtures import API_KEY, GARAGE_ID, GARAGE_TAG, PARKING_ID, PARKING_TAG

from .conftest import EMAIL, PASSWORD, RunningSimulator, advance

pytest_plugins = ["tests.podero_entry_fixtures", "tests.thor_entry_fixtures"]

# Longer than every provider's poll interval (Podero's is the longest: 5 minutes).
STEP = timedelta(minutes=5, seconds=1)
# The loggers whose lines name the URL of each request.
REQUEST_LOGGERS = frozenset(
    {
        "custom_components.ev_charger_cloud.api.http",
        "custom_components.ev_charger_cloud.api.thor.client",
    }
)


@dataclass
class Accounts:
    """The three entries, set up, and the simulators behind them."""

    wallbox: MockConfigEntry
    podero: MockConfigEntry
    thor: MockConfigEntry
    wallbox_sim: Simulator
    podero_sim: Simulator
    thor_sim: Simulator

    @property
    def entries(self) -> tuple[MockConfigEntry, ...]:
        return self.wallbox, self.podero, self.thor

    def secrets(self) -> set[str]:
        """What must never be logged: credentials and every token handed out."""
        wallbox = self.wallbox_sim.wallbox.account(EMAIL)
        return {
            PASSWORD,
            *wallbox.access_tokens,
            *wallbox.refresh_tokens,
            self.wallbox.data[CONF_TOKENS]["token"],
            self.wallbox.data[CONF_TOKENS]["refresh_token"],
            CLIENT_ID,
            CLIENT_SECRET,
            *self.podero_sim.podero.org(ORG_ID).tokens,
            self.podero.data[CONF_TOKENS]["access_token"],
            API_KEY,
            self.thor.data[CONF_WEBHOOK_ID],
            *self.thor.data.get(CONF_THOR_STATE, {}).get("id_tags", {}).values(),
        }

    def personal(self) -> set[str]:
        """Who the accounts belong to and where their devices are."""
        wallbox = self.wallbox_sim.wallbox.account(EMAIL)
        user = self.podero_sim.podero.user(USER_ID)
        vehicles = [self.podero_sim.podero.vehicle(v) for v in user.vehicle_ids]
        boxes = [self.thor_sim.thor.chargebox(box) for box in (GARAGE_ID, PARKING_ID)]
        return {
            EMAIL,
            wallbox.display_name,
            self.wallbox.title,
            user.email,
            user.first_name,
            user.last_name,
            self.podero.title,
            self.thor_sim.thor.account(API_KEY).name,
            GARAGE_TAG,
            PARKING_TAG,
            *(f"{place.latitude}" for place in [*vehicles, *boxes]),
            *(f"{place.longitude}" for place in [*vehicles, *boxes]),
        }

    def identifiers(self) -> set[str]:
        """Serial numbers and account ids: Wallbox's charger ids are its serials."""
        wallbox = self.wallbox_sim.wallbox
        account = wallbox.account(EMAIL)
        chargers = [wallbox.charger(charger_id) for charger_id in account.charger_ids]
        user = self.podero_sim.podero.user(USER_ID)
        return {
            *(charger.serial_number for charger in chargers),
            *(charger.uid for charger in chargers),
            str(account.user_id),
            str(account.group_id),
            account.group_uid,
            ORG_ID,
            USER_ID,
            ACCOUNT,
            *user.wallbox_ids,
            *user.vehicle_ids,
            GARAGE_ID,
            PARKING_ID,
        }


def named(value: str, text: str) -> bool:
    """Whether ``text`` names ``value`` as a word of its own (not inside a longer number)."""
    return re.search(rf"(?<![\w.]){re.escape(value)}(?![\w])", text) is not None


@pytest.fixture(autouse=True)
def debug_logging(caplog: pytest.LogCaptureFixture) -> None:
    """The integration and the coordinator helper at DEBUG, from before the setup."""
    caplog.set_level(logging.DEBUG, "custom_components.ev_charger_cloud")
    caplog.set_level(logging.DEBUG, "homeassistant.helpers.update_coordinator")


@pytest.fixture
def accounts(
    init_integration: MockConfigEntry,
    simulator: RunningSimulator,
    entry: MockConfigEntry,
    podero_sim: Simulator,
    thor_entry: MockConfigEntry,
    thor_entry_sim: Simulator,
) -> Accounts:
    """The three entries, set up side by side."""
    return Accounts(init_integration, entry, thor_entry, simulator.sim, podero_sim, thor_entry_sim)


async def poll(hass: HomeAssistant, freezer: FrozenDateTimeFactory, accounts: Accounts) -> None:
    """A few polls of every entry; the third fails (500) for each, the next recover."""
    sims = (accounts.wallbox_sim.wallbox, accounts.podero_sim.podero, accounts.thor_sim.thor)
    await advance(hass, freezer, STEP, times=2)
    for cloud in sims:
        cloud.faults.add(Fault(status=500))
    await advance(hass, freezer, STEP)
    for entry in accounts.entries:
        assert not entry.runtime_data.coordinator.last_update_success
    for cloud in sims:
        cloud.faults.clear()
    await advance(hass, freezer, STEP, times=2)
    for entry in accounts.entries:
        assert entry.runtime_data.coordinator.last_update_success


def lines(caplog: pytest.LogCaptureFixture, *, requests: bool) -> Iterator[str]:
    """What setup and test logged (with tracebacks): of the request loggers, or all others."""
    for record in (*caplog.get_records("setup"), *caplog.get_records("call")):
        if (record.name in REQUEST_LOGGERS) == requests:
            yield record.getMessage()
            if record.exc_text:
                yield record.exc_text


async def test_logs_name_no_secret_and_no_person(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    accounts: Accounts,
) -> None:
    """Setup, polls, the failed poll and its recovery log neither credentials nor people."""
    setup_text = "\n".join(caplog.handler.format(r) for r in caplog.get_records("setup"))
    assert "GET" in setup_text
    await poll(hass, freezer, accounts)
    text = caplog.text
    # The failed poll was logged, under a name that tells the provider and entry only.
    for entry in accounts.entries:
        name = f"{DOMAIN} {entry.data['provider']} {entry.entry_id}"
        assert f"rror fetching {name} data" in text, name
        assert f"Fetching {name} data recovered" in text, name
    assert accounts.thor.data[CONF_API_KEY] == API_KEY
    for value in accounts.secrets() | accounts.personal():
        assert value
        assert value not in text, value
        assert value not in setup_text, value


@pytest.mark.parametrize(
    ("requests", "shown"),
    # The request lines tell the method; the others tell the failed poll.
    [(False, "Error fetching"), (True, "GET")],
    ids=["other-lines", "request-lines"],
)
async def test_logs_name_no_serial_number_or_account_id(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    accounts: Accounts,
    requests: bool,
    shown: str,
) -> None:
    """No log line names a charger serial or account id, the request lines neither."""
    await poll(hass, freezer, accounts)
    logged = "\n".join(lines(caplog, requests=requests))
    assert shown in logged
    for value in accounts.identifiers():
        # As a whole word: short numeric ids also occur inside ports and timings.
        assert not named(value, logged), value


@pytest.mark.parametrize(
    ("url", "logged"),
    [
        (
            "https://api.wall-box.com/chargers/status/100001",
            "https://api.wall-box.com/chargers/status/*",
        ),
        (
            "https://app.podero.com/api/partners/v2.0/org/9d0f3a52/users/5b3e/wallboxes?x=1",
            "https://app.podero.com/api/partners/v2.0/org/*/users/*/wallboxes",
        ),
        (
            "https://api.thor.tools/latest/integration/chargeboxes/CB-GARAGE",
            "https://api.thor.tools/latest/integration/chargeboxes/*",
        ),
        (
            "https://api.wall-box.com/v3/chargers/groups",
            "https://api.wall-box.com/v3/chargers/groups",
        ),
    ],
)
def test_request_urls_are_logged_without_ids(url: str, logged: str) -> None:
    """Ids in paths (serials, UUIDs, box ids) and queries are left out; versions stay."""
    assert loggable_url(url) == logged
