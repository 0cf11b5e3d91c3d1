"""The Thor chargebox of the seed document (GET /chargeboxes/{chargebox_id}), parsed.

The seed has a field table but no example payload ("Example response" is empty):
`fixtures/thor_chargebox_seed.json` is assembled from that table, one value of
the documented type per field, "<string>" where any text will do and made-up
Nayax secrets for `terminal_id` and `token`. The table is the contract: every
field it lists is read, and the two Nayax secrets are dropped.
"""

from __future__ import annotations

import copy
from dataclasses import asdict
from datetime import UTC, datetime
import json
from typing import Any

import pytest

from custom_components.ev_charger_cloud.api.errors import UnexpectedResponseError
from custom_components.ev_charger_cloud.api.thor.models import (
    ThorChargebox,
    ThorConnector,
    ThorConnectorFormat,
    ThorConnectorType,
    ThorCoordinates,
    ThorMessageFormat,
    ThorOcppVersion,
    ThorPowerType,
    ThorVehicleType,
)
from custom_components.ev_charger_cloud.api.thor.parse import parse_chargebox, parse_chargeboxes
from tests.paths import FIXTURES

FIXTURE = FIXTURES / "thor_chargebox_seed.json"

# Every field of the seed's table, as dotted paths ("[]" marks the connectors' items).
SEED_FIELDS = {
    "active",
    "alias",
    "connected",
    "public",
    "reservable",
    "connectors",
    "connectors[].power",
    "connectors[].type",
    "connectors[].format",
    "connectors[].max_amperage",
    "connectors[].power_type",
    "connectors[].terminal_id",
    "connectors[].token",
    "coordinates",
    "coordinates.latitude",
    "coordinates.longitude",
    "id",
    "last_heartbeat",
    "timezone",
    "type",
    "type.vehicle",
    "type.msg",
    "type.version",
    "occupied_connectors",
    "reserved_connectors",
}


@pytest.fixture
def seed() -> dict[str, Any]:
    """The chargebox assembled from the seed's field table."""
    data: dict[str, Any] = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return data


def _paths(data: dict[str, Any]) -> set[str]:
    paths: set[str] = set()
    for key, value in data.items():
        paths.add(key)
        if isinstance(value, dict):
            paths.update(f"{key}.{sub}" for sub in _paths(value))
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            paths.update(f"{key}[].{sub}" for sub in _paths(value[0]))
    return paths


def test_fixture_has_exactly_the_seed_fields(seed: dict[str, Any]) -> None:
    """The fixture is the table: no field left out, none invented."""
    assert _paths(seed) == SEED_FIELDS


def test_seed_chargebox(seed: dict[str, Any]) -> None:
    """Every field of the table lands in the model, typed."""
    box = parse_chargebox(seed)

    assert box == ThorChargebox(
        id="<string>",
        alias="<string>",
        active=True,
        connected=True,
        public=False,
        reservable=True,
        last_heartbeat=datetime(2024, 10, 27, 3, 33, 20, tzinfo=UTC),
        timezone="Europe/Rome",
        coordinates=ThorCoordinates(latitude=45.0703, longitude=7.6869),
        vehicle_type=ThorVehicleType.CAR,
        message_format=ThorMessageFormat.JSON,
        ocpp_version=ThorOcppVersion.V1_6,
        connectors=(
            ThorConnector(
                number=1,
                rated_power_w=22000.0,
                type=ThorConnectorType.TYPE_2,
                format=ThorConnectorFormat.SOCKET,
                max_amperage=32,
                power_type=ThorPowerType.AC_3_PHASE,
            ),
            ThorConnector(
                number=2,
                rated_power_w=50000.0,
                type=ThorConnectorType.CCS,
                format=ThorConnectorFormat.CABLE,
                max_amperage=125,
                power_type=ThorPowerType.DC,
            ),
        ),
        occupied_connectors=(1,),
        reserved_connectors=(),
    )
    assert box.connector(2) is box.connectors[1]
    assert box.connector(3) is None


def test_nayax_secrets_are_dropped(seed: dict[str, Any]) -> None:
    """Neither the Nayax token nor the terminal id survive parsing, anywhere."""
    secrets = [
        value
        for connector in seed["connectors"]
        for value in (connector["token"], connector["terminal_id"])
    ]
    box = parse_chargebox(seed)
    listed = parse_chargeboxes([seed])

    for text in (repr(box), str(asdict(box)), repr(listed), str([asdict(b) for b in listed])):
        for secret in secrets:
            assert secret not in text
        assert "token" not in text
        assert "terminal" not in text


def test_coordinates_stay_out_of_repr(seed: dict[str, Any]) -> None:
    """The location of a (home) chargebox is personal: not in a logged repr."""
    text = repr(parse_chargebox(seed))
    assert "45.07" not in text
    assert "7.68" not in text
    assert "coordinates" not in text


def test_list_items_have_no_connector_states(seed: dict[str, Any]) -> None:
    """The list answer has no occupied/reserved connectors: None, not "none occupied"."""
    listed = copy.deepcopy(seed)
    del listed["occupied_connectors"], listed["reserved_connectors"]

    (box,) = parse_chargeboxes([listed])

    assert box.occupied_connectors is None
    assert box.reserved_connectors is None
    assert box.connectors == parse_chargebox(seed).connectors


def test_seed_shape_broken(seed: dict[str, Any]) -> None:
    """The seed object where a list is expected, and vice versa, is a payload error."""
    with pytest.raises(UnexpectedResponseError):
        parse_chargeboxes(seed)
    with pytest.raises(UnexpectedResponseError):
        parse_chargebox([seed])
