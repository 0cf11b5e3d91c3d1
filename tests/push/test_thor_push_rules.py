"""Thor notifications as untrusted input, through the integration: what the user sees.

The simulated Thor posts its notifications to the entry's webhook over HTTP (shaped as
the documented variants, see simulator PushShape), or a test posts a body itself. A
notice can come late, twice, out of order, or from someone who found the URL; the
entities must show only what is true.
"""

from __future__ import annotations

from datetime import timedelta
import json
import logging
import math
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNKNOWN
from homeassistant.core import HomeAssistant
import pytest

from custom_components.ev_charger_cloud.push import JUNK_WARNING_EVERY
from simulator import Simulator
from simulator.thor.push import stop_payload
from tests.conftest import advance, state_of, value
from tests.thor_entry_fixtures import (
    API_KEY,
    GARAGE_ID,
    GARAGE_TAG,
    PARKING_HISTORY_WH,
    PARKING_ID,
    ThorWebhook,
)

pytest_plugins = ["tests.thor_entry_fixtures"]

GARAGE = "sensor.garage"
P1 = "sensor.parking_a_connector_1"
P2 = "sensor.parking_a_connector_2"
MINUTE = timedelta(minutes=1)


def read_kwh(sim: Simulator, box_id: str, connector: int = 1) -> float:
    """The running charge's energy as a read lists it (whole Wh), in kWh."""
    charge = sim.thor.running_charge(box_id, connector)
    assert charge is not None
    return math.floor(charge.energy_wh) / 1000


def index_of(sim: Simulator, kind: str, nth: int = 0) -> int:
    """The position of the nth delivery of a kind (`start`, `stop`, `meters`)."""
    positions = [
        i for i, d in enumerate(sim.thor.account(API_KEY).push.deliveries) if d.kind == kind
    ]
    return positions[nth]


@pytest.fixture
def webhook_connected(thor_entry_sim: Simulator, thor_webhook: ThorWebhook) -> None:
    """Thor pushes to the entry's webhook from the test's start."""
    thor_webhook.connect(thor_entry_sim)


async def next_garage_charge(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, sim: Simulator
) -> None:
    """The garage charge ends and another begins (both notified), read for two minutes."""
    sim.thor.stop_local(GARAGE_ID, 1)
    sim.thor.start_local(GARAGE_ID, 1, GARAGE_TAG)
    await advance(hass, freezer, MINUTE, times=2)


async def first_meters_push(
    hass: HomeAssistant, sim: Simulator, webhook: ThorWebhook, **shape: str
) -> None:
    """The webhook connected, Thor pushes the garage's meters once, in the shape given."""
    webhook.connect(sim)
    sim.thor.set_push_shape(API_KEY, **shape)
    assert state_of(hass, f"{GARAGE}_charging_power") == STATE_UNKNOWN  # one read: no rise yet
    sim.thor.push_meters(API_KEY, GARAGE_ID)
    await webhook.delivered(sim)


def assert_still_charging(hass: HomeAssistant, power: str) -> None:
    """The garage charges on at the power it showed before the notice."""
    assert state_of(hass, f"{GARAGE}_status") == "charging"
    assert state_of(hass, f"{GARAGE}_charging_power") == power


def garage_meters(**fields: Any) -> bytes:
    body = {"type": "meters", "chargebox": GARAGE_ID, "connector": 1, "idTag": GARAGE_TAG}
    return json.dumps(body | fields).encode()


def power_row(value: Any, uom: str = "kW") -> list[dict[str, Any]]:
    return [{"measurand": "Power.Active.Import", "uom": uom, "value": value}]


# --- the documented shapes, end to end ------------------------------------------------


async def test_the_vendors_start_with_a_repeated_type_shows_at_once(
    hass: HomeAssistant, thor_entry_sim: Simulator, thor_webhook: ThorWebhook
) -> None:
    """`"type": "start"` ... `"type": "local"`: a start, not a notice of kind "local"."""
    thor_webhook.connect(thor_entry_sim)
    thor_entry_sim.thor.set_push_shape(API_KEY, start="repeated_type")
    before = thor_entry_sim.requests.count(provider="thor")
    thor_entry_sim.thor.plug_in(PARKING_ID, 2)
    thor_entry_sim.thor.start_local(PARKING_ID, 2, "0012847382")
    await thor_webhook.delivered(thor_entry_sim)

    assert (
        thor_entry_sim.thor.account(API_KEY).push.deliveries[-1].body.endswith('"type": "local"}')
    )
    assert state_of(hass, f"{P2}_status") == "charging"
    assert state_of(hass, f"{P2}_session_energy") == "0.0"
    assert thor_entry_sim.requests.count(provider="thor") == before  # no read needed


@pytest.mark.parametrize("form", ["seconds", "ms", "hms", "iso", "none"])
async def test_power_from_register_only_meter_values_in_every_time_form(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    thor_entry_sim: Simulator,
    thor_webhook: ThorWebhook,
    form: str,
) -> None:
    """The register's rise over the minute between arrivals: the car's 11 kW."""
    await first_meters_push(hass, thor_entry_sim, thor_webhook, meters="register", time=form)
    freezer.tick(MINUTE)  # no poll in between: the power can only come from the notices
    thor_entry_sim.thor.push_meters(API_KEY, GARAGE_ID)
    await thor_webhook.delivered(thor_entry_sim)

    assert value(hass, f"{GARAGE}_charging_power") == pytest.approx(11.0, abs=0.1)


@pytest.mark.parametrize("reading", ["text", "number", "table"])
async def test_pushed_power_in_every_documented_reading(
    hass: HomeAssistant, thor_entry_sim: Simulator, thor_webhook: ThorWebhook, reading: str
) -> None:
    """`value` as text or as a number (the page's example), or `Value` (its field table)."""
    await first_meters_push(hass, thor_entry_sim, thor_webhook, meters="power", meter_value=reading)

    assert value(hass, f"{GARAGE}_charging_power") == pytest.approx(11.0)


async def test_time_is_a_duration_never_a_clock(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, thor_webhook: ThorWebhook
) -> None:
    """The issue's case: `time` "930" then "990", 60 s and 100 Wh apart: 6.0 kW, not 6,000 kW."""
    register = "Energy.Active.Import.Register"
    for wh, duration in ((25_000, "930"), (25_100, "990")):
        meters = [{"measurand": register, "uom": "Wh", "value": wh}]
        assert await thor_webhook.post(garage_meters(meters=meters, time=duration)) == 200
        freezer.tick(MINUTE)
    assert state_of(hass, f"{GARAGE}_charging_power") == "6.0"


async def test_msg_stop_is_no_stop_of_the_charge(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    thor_entry_sim: Simulator,
    thor_webhook: ThorWebhook,
) -> None:
    """An unlock, or `msg: "stop"` with `accepted` true and the running transaction."""
    await advance(hass, freezer, MINUTE)
    power = state_of(hass, f"{GARAGE}_charging_power")
    thor_webhook.connect(thor_entry_sim)
    thor_entry_sim.thor.push_unlock(GARAGE_ID, 1)
    await thor_webhook.delivered(thor_entry_sim)
    running = thor_entry_sim.thor.running_charge(GARAGE_ID, 1)
    assert running is not None
    body = {"msg": "stop", "accepted": True, "chargebox": GARAGE_ID, "connector": 1}
    await thor_webhook.post(json.dumps(body | {"transaction_id": running.id}).encode())

    assert_still_charging(hass, power)


# --- late, repeated, out of order -------------------------------------------------------


@pytest.mark.usefixtures("webhook_connected")
async def test_a_stop_of_an_earlier_transaction_leaves_the_charge_running(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    thor_entry_sim: Simulator,
    thor_webhook: ThorWebhook,
) -> None:
    """Yesterday's stop on the same connector, posted again: still charging at 11 kW."""
    await next_garage_charge(hass, freezer, thor_entry_sim)
    assert value(hass, f"{GARAGE}_charging_power") == pytest.approx(11.0, abs=0.1)
    power = state_of(hass, f"{GARAGE}_charging_power")

    thor_entry_sim.thor.replay_push(API_KEY, index_of(thor_entry_sim, "stop"))
    await thor_webhook.delivered(thor_entry_sim)
    # And the stop of the garage's charge of two days ago (in the history read at setup).
    (old,) = [c for c in thor_entry_sim.thor.finished_charges(API_KEY) if c.id_tag == GARAGE_TAG][
        :1
    ]
    stale = stop_payload(GARAGE_ID, 1, GARAGE_TAG, old.id, int(old.energy_wh), 3600)
    assert await thor_webhook.post(json.dumps(stale).encode()) == 200

    assert_still_charging(hass, power)


@pytest.mark.usefixtures("webhook_connected")
async def test_a_replayed_start_resets_nothing(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    thor_entry_sim: Simulator,
    thor_webhook: ThorWebhook,
) -> None:
    """The session energy keeps rising (a total_increasing sensor), the start stays."""
    for _ in range(2):  # a charge that ends, then the one running
        await next_garage_charge(hass, freezer, thor_entry_sim)
    energy = state_of(hass, f"{GARAGE}_session_energy")
    started = state_of(hass, f"{GARAGE}_session_started")
    assert float(energy) > 0

    for nth in (1, 0):  # the running transaction's start, then the finished one's
        thor_entry_sim.thor.replay_push(API_KEY, index_of(thor_entry_sim, "start", nth))
        await thor_webhook.delivered(thor_entry_sim)
        assert state_of(hass, f"{GARAGE}_session_energy") == energy
        assert state_of(hass, f"{GARAGE}_session_started") == started
        assert state_of(hass, f"{GARAGE}_status") == "charging"


async def test_a_start_after_its_stop_shows_no_charge(
    hass: HomeAssistant, thor_entry_sim: Simulator, thor_webhook: ThorWebhook
) -> None:
    """The start's delivery fails, the stop arrives; the start, delivered late, is ignored."""
    thor_webhook.connect(thor_entry_sim)
    thor_entry_sim.thor.set_push_urls(API_KEY, {"start": "http://127.0.0.1:9/down"})
    thor_entry_sim.thor.start_local(PARKING_ID, 2, "RFID-LATE")
    thor_entry_sim.thor.stop_local(PARKING_ID, 2)
    await thor_webhook.delivered(thor_entry_sim)
    assert state_of(hass, f"{P2}_status") == "ready"

    thor_webhook.connect(thor_entry_sim)
    thor_entry_sim.thor.replay_push(API_KEY, index_of(thor_entry_sim, "start"))
    await thor_webhook.delivered(thor_entry_sim)

    assert state_of(hass, f"{P2}_status") == "ready"


async def test_a_pushed_power_holds_only_until_a_read_contradicts_it(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, thor_webhook: ThorWebhook
) -> None:
    """1.0 kW pushed while the car draws 11 kW: the next read that measures it wins."""
    await advance(hass, freezer, MINUTE)
    assert await thor_webhook.post(garage_meters(meters=power_row("1.0"))) == 200
    assert state_of(hass, f"{GARAGE}_charging_power") == "1.0"

    await advance(hass, freezer, MINUTE)

    assert value(hass, f"{GARAGE}_charging_power") == pytest.approx(11.0, abs=0.1)


# --- absurd values ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        garage_meters(meters=power_row(1e300)),
        garage_meters(meters=power_row("inf")),
        garage_meters(meters=power_row("NaN")),
        garage_meters(meters=power_row(-5)),
        garage_meters(meters=power_row(44.1)),  # beyond twice the connector's 22 kW
        b'{"type": "meters", "chargebox": "CB-GARAGE", "connector": 1,'
        b' "meters": [{"measurand": "Power.Active.Import", "value": Infinity}]}',
        garage_meters(meters=power_row("1e999", "W")),
    ],
)
async def test_absurd_values_are_not_shown(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    thor_webhook: ThorWebhook,
    caplog: pytest.LogCaptureFixture,
    raw: bytes,
) -> None:
    """Nothing changes, nothing is logged as an error (no "non-finite value")."""
    await advance(hass, freezer, MINUTE)
    power = state_of(hass, f"{GARAGE}_charging_power")
    energy = state_of(hass, f"{GARAGE}_session_energy")

    assert await thor_webhook.post(raw) == 200

    assert state_of(hass, f"{GARAGE}_charging_power") == power
    assert state_of(hass, f"{GARAGE}_session_energy") == energy
    # (aiohttp's access log fails under frozen time; that is the test harness, not us)
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not [r for r in errors if r.name.startswith(("homeassistant", "custom_components"))]
    assert await thor_webhook.post(garage_meters(meters=power_row(44.0))) == 200
    assert state_of(hass, f"{GARAGE}_charging_power") == "44.0"  # twice the rating: shown


async def test_a_register_rise_beyond_any_float_is_not_shown(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    thor_webhook: ThorWebhook,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """1 Wh, then 1.7e308 Wh a minute later: the rise per hour is inf, never a state."""
    power = state_of(hass, f"{GARAGE}_charging_power")
    for wh in (1, 1.7e308):
        meters = [{"measurand": "Energy.Active.Import.Register", "value": wh}]
        assert await thor_webhook.post(garage_meters(meters=meters)) == 200
        freezer.tick(MINUTE)
    assert state_of(hass, f"{GARAGE}_charging_power") == power
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not [r for r in errors if r.name.startswith(("homeassistant", "custom_components"))]


async def test_a_flood_of_junk_logs_one_warning_per_period(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    thor_webhook: ThorWebhook,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Oversized, malformed and foreign bodies: one WARNING, then one per period with a count."""
    junk = [
        b"{not json",
        b"x" * (64 * 1024 + 1),
        json.dumps({"type": "meters", "connector": 1}).encode(),
        json.dumps({"type": "start", "chargebox": "CB-ELSEWHERE", "connector": 1}).encode(),
    ]
    logger = "custom_components.ev_charger_cloud"
    with caplog.at_level(logging.DEBUG, logger=logger):
        for index in range(60):
            assert await thor_webhook.post(junk[index % len(junk)]) == 200
        freezer.tick(timedelta(seconds=JUNK_WARNING_EVERY))
        await thor_webhook.post(junk[0])

    ours = [r for r in caplog.records if r.name.startswith(logger) and "Ignored" in r.message]
    warnings = [r.getMessage() for r in ours if r.levelno == logging.WARNING]
    assert len(ours) == 61
    assert len(warnings) == 2
    assert warnings[1].endswith("(59 more ignored since the last such warning)")


# --- after a stop, the session energy is the charge's own --------------------------------


@pytest.mark.parametrize(
    ("stop_energy", "shown"),
    [("both", "stop"), ("kwh", "stop"), ("energy", "stop"), ("zero", "read"), (None, "read")],
)
async def test_a_stopped_session_shows_its_own_energy_right_after_setup(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    thor_entry_sim: Simulator,
    thor_webhook: ThorWebhook,
    stop_energy: str | None,
    shown: str,
) -> None:
    """While the history back-fill runs, not the 4.5 kWh charge of five days ago.

    The stop's energy where it is the running transaction's and plausible (`kwh`, else
    `energy`; not `kwh` 0); else, and without notifications (None), the last read.
    The back-fill reads a month a request here (longer windows are refused), so it runs.
    """
    thor_entry_sim.thor.settings.finished_max_days = 31
    if stop_energy is not None:
        thor_webhook.connect(thor_entry_sim)
        thor_entry_sim.thor.set_push_shape(API_KEY, stop_energy=stop_energy)
    await advance(hass, freezer, MINUTE, times=2)
    last_read = read_kwh(thor_entry_sim, PARKING_ID)
    assert value(hass, f"{P1}_session_energy") == last_read
    freezer.tick(timedelta(seconds=30))
    finished = thor_entry_sim.thor.stop_local(PARKING_ID, 1)
    await thor_webhook.delivered(thor_entry_sim)
    if stop_energy is None:
        await advance(hass, freezer, MINUTE)

    assert not thor_webhook.hass.config_entries.async_entries("ev_charger_cloud")[
        0
    ].runtime_data.client.history.complete
    assert state_of(hass, f"{P1}_status") == "ready"
    expected = int(finished.energy_wh) / 1000 if shown == "stop" else last_read
    assert value(hass, f"{P1}_session_energy") == pytest.approx(expected)
    assert value(hass, f"{P1}_session_energy") != PARKING_HISTORY_WH / 1000
