"""Thor's charges, reservations, start answers and error names, parsed defensively.

Running and finished charges share their fields and skip items without a transaction
id; users, clients and payment data stay out of every repr. An error's message name
is found in JSON or text (refusals.py maps it onto the typed errors).
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

import pytest

from custom_components.ev_charger_cloud.api.thor.models import (
    ThorCharge,
    ThorFinishedCharge,
    ThorReservation,
)
from custom_components.ev_charger_cloud.api.thor.parse import (
    error_name,
    parse_finished_charges,
    parse_id_tag,
    parse_reservations,
    parse_running_charges,
)

from .conftest import AT, MS

# Where and when the first charge of each list answer ran.
CHARGE = {"chargebox": "CB-1", "connector": 1, "date_started": MS}


def test_running_charges() -> None:
    """`{count, items[], users{}}`: typed charges; payment and users are not kept."""
    charges = parse_running_charges(
        {
            "count": 2,
            "items": [
                CHARGE
                | {
                    "id": 5678,
                    "energy": 1234,
                    "id_tag": None,
                    "type": "api",
                    "user": "u-1",
                    "payment": {"nayaxID": "NX-SECRET", "machineID": "M-1", "siteID": "S-1"},
                },
                {"id": "5679", "chargebox": 7, "connector": "2", "energy": "12.5", "id_tag": 42},
            ],
            "users": {"u-1": {"email": "jane@example.com"}},
        }
    )
    assert charges == [
        ThorCharge(
            id=5678,
            chargebox="CB-1",
            connector=1,
            date_started=AT,
            energy_wh=1234.0,
            type="api",
            user="u-1",
        ),
        ThorCharge(id=5679, chargebox="7", connector=2, energy_wh=12.5, id_tag="42"),
    ]
    text = repr(charges) + str([asdict(c) for c in charges])
    assert "NX-SECRET" not in text
    assert "jane@example.com" not in text
    assert "u-1" not in repr(charges)


@pytest.mark.parametrize(
    ("user", "expected"), [({"id": "u-2", "email": "x@example.com"}, "u-2"), (7, "7"), ([], None)]
)
def test_charge_user_shapes(user: Any, expected: str | None) -> None:
    """The user reference: an id, or an object with an id."""
    (charge,) = parse_running_charges({"items": [{"id": 1, "user": user}]})
    assert charge.user == expected


def test_charges_without_a_transaction_id_are_skipped() -> None:
    """Without a transaction id a charge cannot be told apart or stopped exactly."""
    payload = {"items": [{"id": None}, {"id": "abc"}, {"connector": 1}, {"id": 3}]}
    assert [charge.id for charge in parse_running_charges(payload)] == [3]
    assert [charge.id for charge in parse_finished_charges(payload)] == [3]


def test_empty_charge_lists() -> None:
    """No charges: an empty list in any of the plausible shapes."""
    payloads: list[Any] = [
        {"count": 0, "items": [], "users": {}},
        {"count": 0},
        [],
        {"items": None},
    ]
    for payload in payloads:
        assert parse_running_charges(payload) == []


def test_finished_charges() -> None:
    """Finished charges add the end and the payment's price; odd values become None."""
    charges = parse_finished_charges(
        {
            "count": 2,
            "items": [
                CHARGE
                | {
                    "id": 1,
                    "date_finished": MS + 3_600_000,
                    "energy": 7400,
                    "id_tag": "RFID1",
                    "payment": {"currency": "EUR", "price": "3.20", "success": True},
                },
                {"id": 2, "date_finished": "soon", "payment": "free"},
            ],
            "users": {},
        }
    )
    assert charges == [
        ThorFinishedCharge(
            id=1,
            chargebox="CB-1",
            connector=1,
            date_started=AT,
            energy_wh=7400.0,
            id_tag="RFID1",
            date_finished=datetime(2024, 10, 27, 4, 33, 20, tzinfo=UTC),
            price=3.2,
            currency="EUR",
        ),
        ThorFinishedCharge(id=2),
    ]


def test_reservations() -> None:
    """Reservations: typed, with the user and client out of repr and no payment."""
    reservations = parse_reservations(
        {
            "count": 2,
            "items": [
                {
                    "date_accepted": MS,
                    "payment": {"method": "stripe", "transaction": "pi_SECRET"},
                    "user": "u-1",
                    "id_tag": "RES1",
                    "expiry_date": str(MS + 600_000),
                    "client": "thor-app",
                    "status": "1",
                    "chargebox": "CB-1",
                    "connector": 2,
                },
                {},
            ],
        }
    )
    assert reservations == [
        ThorReservation(
            chargebox="CB-1",
            connector=2,
            id_tag="RES1",
            status=1,
            date_accepted=AT,
            expiry_date=datetime(2024, 10, 27, 3, 43, 20, tzinfo=UTC),
            user="u-1",
            client="thor-app",
        ),
        ThorReservation(),
    ]
    assert "pi_SECRET" not in str([asdict(r) for r in reservations])
    assert "thor-app" not in repr(reservations)


def test_reservations_as_one_bare_object() -> None:
    """The page's example shape: one reservation; `{}` is none (not a wrong answer)."""
    item = {"chargebox": "CB-1", "connector": "2", "expiry_date": MS + 600_000}
    assert (
        parse_reservations(item)
        == parse_reservations([item])
        == [
            ThorReservation(
                chargebox="CB-1",
                connector=2,
                expiry_date=datetime(2024, 10, 27, 3, 43, 20, tzinfo=UTC),
            )
        ]
    )
    assert parse_reservations({}) == parse_reservations([]) == []
    assert parse_reservations({"count": 0}) == []


def test_id_tag() -> None:
    """The start answer's tag, also as a number."""
    assert parse_id_tag({"id_tag": "API1234"}) == "API1234"
    assert parse_id_tag({"id_tag": 1234}) == "1234"


# --- error names ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"message": "RestAPINotEnabled"}, "RestAPINotEnabled"),
        ({"error": "InvalidSourceIPAddr"}, "InvalidSourceIPAddr"),
        ({"error": {"message": "ChargeboxNotFound"}}, "ChargeboxNotFound"),
        ({"code": 403, "name": "APIKeyNotFound"}, "APIKeyNotFound"),
        ({"message": "Error: chargeboxnotactive (see dashboard)"}, "ChargeboxNotActive"),
        ("RestAPINotEnabled", "RestAPINotEnabled"),
        ("403 Forbidden: InvalidSourceIPAddr\n", "InvalidSourceIPAddr"),
        ("NotInTransaction", "NotInTransaction"),
        ("AlreadyInTransaction", "AlreadyInTransaction"),
        ("ChargeboxNotFree", "ChargeboxNotFree"),
        ({"message": "SomethingNew"}, "SomethingNew"),
        ({"message": "  "}, None),
        ({"message": "x" * 500}, "x" * 200),
        ("<html>Forbidden</html>", None),
        ({"detail": 5}, None),
        ({}, None),
        (None, None),
        ([], None),
        (42, None),
    ],
)
def test_error_name(body: Any, expected: str | None) -> None:
    """The message name from JSON or text; an undocumented JSON message passes through."""
    assert error_name(body) == expected
