"""The examples of Thor's own REST pages (requests to Thor), verbatim, as contracts.

The raw text of each example block is in `fixtures/thor_docs/` (see its README for the
pages): read as text, never re-serialized, fed through the parser, and served by the
simulator over HTTP to the real integration.

- https://develop.thor.tools/api/requests-to-thor/get-reservations: the example answer
  is one bare reservation object (the page's text says "an array", its table
  `{count, items}`); it must not take the account down, and it reserves its connector
  until its `expiry_date`.
- https://develop.thor.tools/api/requests-to-thor/stop-charge: the request schema; the
  body the integration sends to stop a charge must satisfy it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
import json
from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ev_charger_cloud.api.thor.models import ThorReservation
from custom_components.ev_charger_cloud.api.thor.parse import parse_reservations
from simulator import Simulator
from simulator.faults import Fault
from tests.thor_account_entry import entity_states, thor_account_entry

from .conftest import advance, state_of

DOCS = Path(__file__).parent / "fixtures" / "thor_docs"
RESERVATIONS_EXAMPLE = DOCS / "get-reservations_example-response.txt"
STOP_SCHEMA = DOCS / "stop-charge_request-schema.txt"
API_KEY = "thor-docs-key-41c2"
# The example's box, connector and times.
BOX = "smartbit-17490adfa4f"
ACCEPTED = datetime(2021, 10, 15, 13, 42, 53, 64_000, tzinfo=UTC)
EXPIRES = datetime(2021, 10, 15, 19, 42, 32, tzinfo=UTC)
POLL = timedelta(minutes=1)


def raw(path: Path) -> str:
    """The example as the page has it (no newline added at the end)."""
    return path.read_text(encoding="utf-8")


def test_the_examples_are_kept_verbatim() -> None:
    """Flush-left JSON lines, as the stored page: a reformatting would show here."""
    example = raw(RESERVATIONS_EXAMPLE)
    assert len(example) == 262
    assert example.startswith('{\n"date_accepted": 1634305373064,\n"payment": {\n')
    assert example.endswith('"connector": 1\n}')
    schema = raw(STOP_SCHEMA)
    assert len(schema) == 1052
    assert schema.startswith('{\n"$schema": "http://json-schema.org/draft-04/schema",\n')


def test_reservations_example_parsed() -> None:
    """The bare object is one reservation; every field of the example is read."""
    assert parse_reservations(json.loads(raw(RESERVATIONS_EXAMPLE))) == [
        ThorReservation(
            chargebox=BOX,
            connector=1,
            id_tag="17c8430f387t7tim5m",
            status=None,  # the table lists it, the example has none
            date_accepted=ACCEPTED,
            expiry_date=EXPIRES,
            user="test-12",
            client="test",
        )
    ]


@pytest.mark.parametrize(
    "wrapped",
    [
        pytest.param(lambda item: [item], id="array"),
        pytest.param(lambda item: {"count": 1, "items": [item]}, id="count-items"),
    ],
)
def test_reservations_example_in_the_other_documented_shapes(wrapped: Any) -> None:
    """The same reservation in the page's two other shapes: the same result."""
    item = json.loads(raw(RESERVATIONS_EXAMPLE))
    assert parse_reservations(wrapped(item)) == parse_reservations(item)


# --- through the integration ------------------------------------------------------------


@pytest.fixture
def docs_sim() -> Simulator:
    """The example's box (reservable, free, two connectors) on an account of its own."""
    sim = Simulator()
    sim.thor.add_account(API_KEY, "Docs customer")
    sim.thor.add_chargebox(API_KEY, id=BOX, alias="Smartbit", reservable=True, connectors=2)
    return sim


@pytest.fixture
async def docs_entry(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, docs_sim: Simulator, socket_enabled: None
) -> AsyncIterator[MockConfigEntry]:
    """The entry of that account, set up against the simulator on 127.0.0.1."""
    async with thor_account_entry(hass, docs_sim, API_KEY, [BOX]) as entry:
        yield entry


@pytest.mark.freeze_time("2021-10-15 15:00:00+00:00")
async def test_reservations_example_served_to_the_integration(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    docs_sim: Simulator,
    docs_entry: MockConfigEntry,
) -> None:
    """The verbatim answer: connector 1 reserved until the example's expiry, nothing down."""
    docs_sim.thor.faults.add(
        Fault(path="/reservations", malformed=True, body=raw(RESERVATIONS_EXAMPLE))
    )
    for _ in range(5):  # the back-fill (three windows), then the reservations
        await advance(hass, freezer, POLL)
        states = entity_states(hass, docs_entry)
        assert STATE_UNAVAILABLE not in states.values(), states

    assert docs_sim.requests.count(provider="thor", path_contains="/reservations", status=200) == 1
    assert state_of(hass, "sensor.smartbit_connector_1_status") == "reserved"
    assert state_of(hass, "sensor.smartbit_connector_2_status") == "ready"

    freezer.move_to(EXPIRES + timedelta(minutes=1))
    await advance(hass, freezer, POLL)

    assert state_of(hass, "sensor.smartbit_connector_1_status") == "ready"
    assert STATE_UNAVAILABLE not in entity_states(hass, docs_entry).values()


def satisfies(schema: dict[str, Any], body: Any) -> list[str]:
    """What in ``body`` breaks the draft-04 keywords the schema uses (type, required, properties).

    Only those keywords: the page's schema has no others.
    """
    types = {"object": dict, "string": str, "integer": int}
    problems = []
    kind = types[schema["type"]]
    if not isinstance(body, kind) or isinstance(body, bool):
        return [f"not {schema['type']}"]
    if isinstance(body, dict):
        problems += [f"{key} missing" for key in schema.get("required", []) if key not in body]
        for key, sub in schema.get("properties", {}).items():
            if key in body:
                problems += [f"{key}: {p}" for p in satisfies(sub, body[key])]
        if schema.get("additionalProperties") is False:
            problems += [f"{key} not allowed" for key in body if key not in schema["properties"]]
    return problems


def test_the_schema_check_finds_what_breaks_it() -> None:
    """The check itself: a body without id_tag or with a text connector is refused."""
    schema = json.loads(raw(STOP_SCHEMA))
    assert satisfies(schema, {"chargebox": "CB", "connector": 1, "id_tag": "T"}) == []
    assert satisfies(schema, {"chargebox": "CB", "connector": "1"}) == [
        "id_tag missing",
        "connector: not integer",
    ]
    assert satisfies(schema, {"chargebox": "CB", "connector": True, "id_tag": "T"}) == [
        "connector: not integer"
    ]
    assert satisfies(schema, [1]) == ["not object"]


async def test_the_stop_the_integration_sends_satisfies_the_schema(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    docs_sim: Simulator,
    docs_entry: MockConfigEntry,
) -> None:
    """Switched off from Home Assistant: `{chargebox, connector, id_tag, transaction}`."""
    schema = json.loads(raw(STOP_SCHEMA))
    docs_sim.thor.plug_in(BOX, 2)
    docs_sim.thor.start_local(BOX, 2, "RFID-DOCS-1")
    await advance(hass, freezer, POLL)
    assert state_of(hass, "switch.smartbit_connector_2_charging") == "on"

    await hass.services.async_call(
        "switch", "turn_off", {"entity_id": "switch.smartbit_connector_2_charging"}, blocking=True
    )

    (stop,) = docs_sim.thor.account(API_KEY).commands
    assert (stop["kind"], stop["status"]) == ("stop", 200)
    assert satisfies(schema, stop["body"]) == []
    assert set(stop["body"]) == set(schema["properties"])
