"""The "requests from Thor" examples of the vendor's pages, verbatim, as the contract.

`fixtures/thor_docs/` keeps each example block character for character (see its
requests-from-thor.SOURCES.md for the pages). Each is parsed here, and posted as those
exact bytes to the webhook of an entry whose account has the examples' chargeboxes,
asserting what the user sees. The stored pages are cut at 2000 characters: the stop
and meter examples and the start page's whole schema block end mid-text, so as posted
they are no JSON and must change nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import logging

from homeassistant.core import HomeAssistant
import pytest

from custom_components.ev_charger_cloud.api.errors import UnexpectedResponseError
from custom_components.ev_charger_cloud.api.thor.push import (
    ThorMeterNotice,
    ThorStartNotice,
    decode_notification,
    parse_notification,
)
from simulator import Simulator
from tests.conftest import state_of
from tests.paths import FIXTURES
from tests.thor_entry_fixtures import API_KEY, ThorWebhook, add_thor_account

pytest_plugins = ["tests.thor_entry_fixtures"]

DOCS = FIXTURES / "thor_docs"
START_ACCEPTED = "requests-from-thor__start-charge__1_examples_0.txt"
START_REFUSED = "requests-from-thor__start-charge__1_examples_1.txt"
CUT_BLOCKS = (
    "requests-from-thor__start-charge__1.txt",
    "requests-from-thor__stop-charge__1.txt",
    "requests-from-thor__meter-values__1.txt",
)
# The examples' chargeboxes, added to the test account with these names.
BOX_1 = "EaJ7cU9NJ3YkTNgy"
BOX_2 = "XPHiIU27EFMViHat"
BOX_1_CONNECTOR_2 = "sensor.vendor_example_1_connector_2"
BOX_2_STATUS = "sensor.vendor_example_2_status"


def example(name: str) -> bytes:
    return (DOCS / name).read_bytes()


@pytest.fixture
def thor_entry_sim() -> Simulator:
    """The test account plus the examples' boxes (the first with two connectors)."""
    sim = Simulator()
    add_thor_account(sim)
    sim.thor.add_chargebox(API_KEY, id=BOX_1, alias="Vendor example 1", connectors=2)
    sim.thor.add_chargebox(API_KEY, id=BOX_2, alias="Vendor example 2")
    return sim


# --- parsed -----------------------------------------------------------------------------


def test_fixtures_are_the_vendors_text() -> None:
    """Kept as stored: repeated keys, flush-left lines, no newline added at the end."""
    accepted = example(START_ACCEPTED).decode()
    assert accepted.count('"type"') == 2
    assert accepted.startswith('{\n"type": "start",\n')
    assert accepted.endswith('"type": "local"\n}')
    assert example(START_ACCEPTED) in example(CUT_BLOCKS[0])
    assert example(START_REFUSED) in example(CUT_BLOCKS[0])


def test_accepted_start_example_parses_as_a_start_in_local_mode() -> None:
    notice = parse_notification(decode_notification(example(START_ACCEPTED)))
    assert notice == ThorStartNotice(
        chargebox=BOX_1,
        connector=2,
        accepted=True,
        transaction_id=52,
        id_tag="0012847382",
        mode="local",
    )


def test_refused_start_example_parses_as_a_refusal_in_api_mode() -> None:
    notice = parse_notification(decode_notification(example(START_REFUSED)))
    assert notice == ThorStartNotice(
        chargebox=BOX_2,
        connector=1,
        accepted=False,
        transaction_id=None,  # 0: "0 when accepted = false"
        id_tag="172osiu83hys82shy28j",
        mode="api",
    )


@pytest.mark.parametrize("name", CUT_BLOCKS)
def test_the_cut_blocks_are_no_json(name: str) -> None:
    with pytest.raises(UnexpectedResponseError):
        decode_notification(example(name))


def test_the_meter_example_up_to_its_first_complete_meter() -> None:
    """The page's meter notice, closed after its first (complete) meter: the only part kept.

    An energy register with a phase (`L1-N`) and a float value, in Wh.
    """
    text = example(CUT_BLOCKS[2]).decode()
    start = text.index('{\n"type":"meters"')
    first_meter_end = text.index("},", start) + 1
    notice = parse_notification(
        decode_notification((text[start:first_meter_end] + "\n]\n}").encode())
    )
    assert notice == ThorMeterNotice(chargebox=BOX_1, connector=2, energy_register_wh=24.5)


def test_the_payment_example_in_a_start_is_never_read() -> None:
    """The payment page's object, as a start's `payment` (its place per the field table)."""
    start = example(START_ACCEPTED)
    with_payment = (
        start[:-2]
        + b',\n"payment": '
        + example("requests-from-thor__payment__1_examples.txt")
        + b"\n}"
    )
    assert parse_notification(decode_notification(with_payment)) == parse_notification(
        decode_notification(start)
    )


# --- posted to the webhook ----------------------------------------------------------------


async def test_accepted_start_example_shows_the_charge(
    hass: HomeAssistant, thor_webhook: ThorWebhook, caplog: pytest.LogCaptureFixture
) -> None:
    assert state_of(hass, f"{BOX_1_CONNECTOR_2}_status") == "ready"
    with caplog.at_level(logging.WARNING, logger="custom_components.ev_charger_cloud"):
        assert await thor_webhook.post(example(START_ACCEPTED)) == 200

    assert state_of(hass, f"{BOX_1_CONNECTOR_2}_status") == "charging"
    assert state_of(hass, f"{BOX_1_CONNECTOR_2}_session_energy") == "0.0"
    started = datetime.fromisoformat(state_of(hass, f"{BOX_1_CONNECTOR_2}_session_started"))
    assert abs(started - datetime.now(UTC)) < timedelta(seconds=1)  # its arrival
    assert state_of(hass, "sensor.vendor_example_1_connector_1_status") == "ready"
    assert not [r for r in caplog.records if r.name.startswith("custom_components")]


async def test_refused_start_example_changes_nothing(
    hass: HomeAssistant, thor_webhook: ThorWebhook, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="custom_components.ev_charger_cloud"):
        assert await thor_webhook.post(example(START_REFUSED)) == 200
    assert state_of(hass, BOX_2_STATUS) == "ready"
    assert not [r for r in caplog.records if r.name.startswith("custom_components")]


@pytest.mark.parametrize("name", CUT_BLOCKS)
async def test_the_cut_blocks_change_nothing(
    hass: HomeAssistant, thor_webhook: ThorWebhook, caplog: pytest.LogCaptureFixture, name: str
) -> None:
    """Answered 200 (Thor need not send again), one warning, nothing shown."""
    with caplog.at_level(logging.WARNING, logger="custom_components.ev_charger_cloud"):
        assert await thor_webhook.post(example(name)) == 200
    assert [r.getMessage() for r in caplog.records if r.name.startswith("custom_components")] == [
        "Ignored a malformed notification: UnexpectedResponseError"
    ]
    assert state_of(hass, f"{BOX_1_CONNECTOR_2}_status") == "ready"
    assert state_of(hass, BOX_2_STATUS) == "ready"
