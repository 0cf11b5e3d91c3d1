"""Thor push notification bodies as the webhook receives them, for the parser's tests.

Built by the simulator's own payload functions and sent through a JSON round trip, so
the tests read what the simulator (and, as far as documented, Thor) posts.
"""

from __future__ import annotations

from datetime import timedelta
import json
from typing import Any

from custom_components.ev_charger_cloud.api.thor.push import ThorMeterNotice, parse_notification
from simulator.thor.push import meters_payload, start_payload, stop_payload

TAG = "RFID-SECRET-42"
DURATION_S = 930  # how long the transaction ran (`time`)
DURATION = timedelta(seconds=DURATION_S)


def wire(body: Any) -> Any:
    """The body as the webhook decodes it."""
    return json.loads(json.dumps(body))


def start_body(**changes: Any) -> dict[str, Any]:
    """An accepted local start on CB-1 connector 1 (transaction 5001), with ``changes``."""
    body = wire(start_payload("CB-1", 1, TAG, 5001, "local", accepted=True))
    body.update(changes)
    return body


def stop_body(**changes: Any) -> dict[str, Any]:
    """The stop of transaction 5001 on CB-1 connector 2 (7360 Wh), with ``changes``."""
    body = wire(stop_payload("CB-1", 2, TAG, 5001, 7360, DURATION_S))
    body.update(changes)
    return body


def meters_body(**changes: Any) -> dict[str, Any]:
    """Meter values of CB-1 connector 1 (register, power, transaction energy), with ``changes``."""
    body = wire(meters_payload("CB-1", 1, TAG, 12345, 7360, 2500, DURATION_S))
    body.update(changes)
    return body


def meters_of(*rows: dict[str, Any]) -> ThorMeterNotice:
    """The meter notice of a body with these ``meters`` rows."""
    notice = parse_notification(meters_body(meters=list(rows)))
    assert isinstance(notice, ThorMeterNotice)
    return notice
