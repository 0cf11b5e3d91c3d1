"""The Thor client's reads and commands over HTTP against the simulated cloud on 127.0.0.1.

Each test checks what left the client (method, path, query, headers, body) and
what it made of the answer.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
import logging

import pytest

from custom_components.ev_charger_cloud.api.thor.client import ThorClient
from custom_components.ev_charger_cloud.api.thor.models import ThorConnectorType
from simulator import Simulator
from tests.thor_helpers import API_KEY, PREFIX, Sent

pytest_plugins = ["tests.thor_fixtures"]


def assert_headers(sent: Sent) -> None:
    """The API key goes in X-Api-Key, nowhere else; JSON is asked for."""
    assert sent.headers["X-Api-Key"] == API_KEY
    assert sent.headers["Accept"] == "application/json"
    assert "Authorization" not in sent.headers
    assert API_KEY not in sent.url


# --- reads ----------------------------------------------------------------------------


async def test_chargeboxes_all_of_them(
    thor_sim: Simulator, thor_client: ThorClient, thor_sent: list[Sent]
) -> None:
    """GET /chargeboxes?onlyactive=false: inactive boxes too (Thor's default hides them)."""
    garage = thor_sim.thor.add_chargebox(API_KEY, alias="Garage", connectors=2)
    thor_sim.thor.add_chargebox(API_KEY, alias="Old", active=False, type="schuko")

    boxes = await thor_client.async_get_chargeboxes()

    (sent,) = thor_sent
    assert (sent.method, sent.path, sent.query) == (
        "GET",
        f"{PREFIX}/chargeboxes",
        {"onlyactive": ["false"]},
    )
    assert_headers(sent)
    assert [(box.alias, box.active) for box in boxes] == [("Garage", True), ("Old", False)]
    assert [c.number for c in boxes[0].connectors] == [1, 2]
    assert boxes[0].id == garage.id
    assert boxes[1].connectors[0].type is ThorConnectorType.SCHUKO
    assert boxes[0].occupied_connectors is None  # the list answer does not have them


async def test_chargeboxes_only_active(
    thor_sim: Simulator, thor_client: ThorClient, thor_sent: list[Sent]
) -> None:
    """only_active=True asks for onlyactive=true."""
    thor_sim.thor.add_chargebox(API_KEY, alias="Garage")
    thor_sim.thor.add_chargebox(API_KEY, alias="Old", active=False)

    boxes = await thor_client.async_get_chargeboxes(only_active=True)

    assert thor_sent[0].query == {"onlyactive": ["true"]}
    assert [box.alias for box in boxes] == ["Garage"]


async def test_one_chargebox_with_connector_states(
    thor_sim: Simulator, thor_client: ThorClient, thor_sent: list[Sent]
) -> None:
    """GET /chargeboxes/{id}: occupied and reserved connectors as numbers."""
    cloud = thor_sim.thor
    box = cloud.add_chargebox(
        API_KEY, alias="Garage", connectors=3, token="NAYAX-TOKEN-1", terminal_id="TERM-1"
    )
    cloud.start_local(box.id, 2, "RFID1")
    cloud.add_reservation(box.id, 3, thor_sim.clock.now() + 600)

    found = await thor_client.async_get_chargebox(box.id)

    assert (thor_sent[0].method, thor_sent[0].path) == ("GET", f"{PREFIX}/chargeboxes/{box.id}")
    assert_headers(thor_sent[0])
    assert found.id == box.id
    assert found.connected is True
    assert found.last_heartbeat is not None
    assert abs(found.last_heartbeat.timestamp() - thor_sim.clock.now()) < 5
    assert found.occupied_connectors == (2,)
    assert found.reserved_connectors == (3,)
    assert "NAYAX-TOKEN-1" not in repr(found)
    assert "TERM-1" not in repr(found)


async def test_chargebox_id_is_escaped(
    thor_sim: Simulator, thor_client: ThorClient, thor_sent: list[Sent]
) -> None:
    """An id with a slash or a space stays one path segment."""
    box = thor_sim.thor.add_chargebox(API_KEY, id="Yard 1/A")

    found = await thor_client.async_get_chargebox(box.id)

    assert found.id == "Yard 1/A"
    assert thor_sent[0].url.endswith("/chargeboxes/Yard%201%2FA")


async def test_running_charges(
    thor_sim: Simulator, thor_client: ThorClient, thor_sent: list[Sent]
) -> None:
    """GET /charges/running, of all boxes (no query) or of one (?chargebox=)."""
    cloud = thor_sim.thor
    garage = cloud.add_chargebox(API_KEY, alias="Garage")
    yard = cloud.add_chargebox(API_KEY, alias="Yard")
    cloud.start_local(garage.id, 1, "RFID1", user="jane")
    cloud.start_local(yard.id, 1, "RFID2")

    everywhere = await thor_client.async_get_running_charges()
    in_yard = await thor_client.async_get_running_charges(yard.id)

    assert (thor_sent[0].path, thor_sent[0].query) == (f"{PREFIX}/charges/running", {})
    assert thor_sent[1].query == {"chargebox": [yard.id]}
    assert_headers(thor_sent[1])
    assert [(c.chargebox, c.connector, c.id_tag) for c in everywhere] == [
        (garage.id, 1, "RFID1"),
        (yard.id, 1, "RFID2"),
    ]
    assert everywhere[0].user == "jane"
    assert everywhere[0].id == cloud.running_charge(garage.id, 1).id  # type: ignore[union-attr]
    assert everywhere[0].date_started is not None
    assert everywhere[0].energy_wh == 0.0
    assert [c.chargebox for c in in_yard] == [yard.id]


async def test_finished_charges(
    thor_sim: Simulator, thor_client: ThorClient, thor_sent: list[Sent]
) -> None:
    """GET /charges/finished?from=YYYYMMDD&to=YYYYMMDD[&chargebox=]."""
    cloud = thor_sim.thor
    box = cloud.add_chargebox(API_KEY, alias="Garage", price_per_kwh=0.3)
    today = datetime.fromtimestamp(thor_sim.clock.now(), UTC).date()
    started = float(int(thor_sim.clock.now()) - 7200)
    first = datetime.fromtimestamp(started, UTC).date()
    cloud.add_finished_charge(box.id, 1, started, started + 3600, 7400, id_tag="RFID1")

    charges = await thor_client.async_get_finished_charges(first, today)
    await thor_client.async_get_finished_charges(first, today, chargebox=box.id)

    assert (thor_sent[0].path, thor_sent[0].query) == (
        f"{PREFIX}/charges/finished",
        {"from": [first.strftime("%Y%m%d")], "to": [today.strftime("%Y%m%d")]},
    )
    assert thor_sent[1].query["chargebox"] == [box.id]
    (charge,) = charges
    assert charge.energy_wh == 7400.0
    assert charge.id_tag == "RFID1"
    assert charge.date_finished == datetime.fromtimestamp(started + 3600, UTC)
    assert charge.price == pytest.approx(2.22)
    assert charge.currency == "EUR"


async def test_finished_charges_need_an_ordered_range(thor_client: ThorClient) -> None:
    """An end before the start is the caller's mistake, not a request."""
    with pytest.raises(ValueError, match="before"):
        await thor_client.async_get_finished_charges(date(2024, 5, 2), date(2024, 5, 1))


async def test_reservations(
    thor_sim: Simulator, thor_client: ThorClient, thor_sent: list[Sent]
) -> None:
    """GET /reservations[?chargebox=]."""
    cloud = thor_sim.thor
    box = cloud.add_chargebox(API_KEY, connectors=2)
    expiry = float(int(thor_sim.clock.now()) + 900)
    cloud.add_reservation(box.id, 2, expiry, id_tag="RES1", user="jane")

    reservations = await thor_client.async_get_reservations()
    await thor_client.async_get_reservations(box.id)

    assert (thor_sent[0].path, thor_sent[0].query) == (f"{PREFIX}/reservations", {})
    assert thor_sent[1].query == {"chargebox": [box.id]}
    (reservation,) = reservations
    assert (reservation.chargebox, reservation.connector, reservation.id_tag) == (
        box.id,
        2,
        "RES1",
    )
    assert reservation.user == "jane"
    assert reservation.expiry_date == datetime.fromtimestamp(expiry, UTC)


async def test_api_key_is_never_logged(
    thor_sim: Simulator, thor_client: ThorClient, caplog: pytest.LogCaptureFixture
) -> None:
    """Debug logging names the requests, never the key."""
    box = thor_sim.thor.add_chargebox(API_KEY)
    with caplog.at_level(logging.DEBUG, "custom_components.ev_charger_cloud"):
        await thor_client.async_get_chargeboxes()
        await thor_client.async_get_chargebox(box.id)
        await thor_client.async_start_charge(box.id, 1)
    assert "/chargeboxes" in caplog.text
    assert API_KEY not in caplog.text


# --- commands -------------------------------------------------------------------------


async def test_start_then_stop(
    thor_sim: Simulator, thor_client: ThorClient, thor_sent: list[Sent]
) -> None:
    """POST /charges/start answers the id tag; POST /charges/stop with it ends the charge."""
    cloud = thor_sim.thor
    box = cloud.add_chargebox(API_KEY, connectors=2)

    id_tag = await thor_client.async_start_charge(box.id, 2)

    start = thor_sent[-1]
    assert (start.method, start.path, start.query) == ("POST", f"{PREFIX}/charges/start", {})
    assert_headers(start)
    assert start.json() == {"chargebox": box.id, "connector": 2}
    running = cloud.running_charge(box.id, 2)
    assert running is not None
    assert id_tag == running.id_tag

    (charge,) = await thor_client.async_get_running_charges(box.id)
    result = await thor_client.async_stop_charge(box.id, 2, id_tag, charge.id)  # type: ignore[func-returns-value]

    stop = thor_sent[-1]
    assert result is None
    assert (stop.method, stop.path) == ("POST", f"{PREFIX}/charges/stop")
    assert_headers(stop)
    assert stop.json() == {
        "chargebox": box.id,
        "connector": 2,
        "id_tag": id_tag,
        "transaction": charge.id,
    }
    assert cloud.running_charge(box.id, 2) is None
    assert [c.id for c in cloud.finished_charges(API_KEY)] == [charge.id]


async def test_stop_without_transaction(
    thor_sim: Simulator, thor_client: ThorClient, thor_sent: list[Sent]
) -> None:
    """The transaction is optional: left out of the body when not given."""
    cloud = thor_sim.thor
    box = cloud.add_chargebox(API_KEY)
    cloud.start_local(box.id, 1, "RFID7")

    await thor_client.async_stop_charge(box.id, 1, "RFID7")

    assert thor_sent[-1].json() == {"chargebox": box.id, "connector": 1, "id_tag": "RFID7"}
    assert cloud.running_charge(box.id, 1) is None
