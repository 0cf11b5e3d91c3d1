"""Notifications ("requests from Thor") POSTed to the URLs an account configured.

Deliveries are fire-and-forget tasks with a short timeout: a URL that is down, slow or
answers an error never blocks or fails the request that caused the notification. Each
attempt is recorded on the account (`PushState`) for the control API.

The payload functions build a notification as a dict, with `time` as the transaction's
duration in seconds; `render` writes it as the account's `PushShape` asks (the
documented variants), as raw JSON text: a start with a repeated `type`, as in the
vendor's examples, cannot be a dict.
"""

import asyncio
from dataclasses import fields
import json
from typing import Any

import aiohttp

from simulator.clock import Clock

from .model import (
    METER_ROWS,
    METER_VALUES,
    START_SHAPES,
    STOP_ENERGY_FIELDS,
    TIME_FORMATS,
    PushDelivery,
    PushShape,
    PushState,
    ThorAccount,
    ThorSettings,
)

PUSH_KINDS = ("start", "stop", "meters")
NO_LOOP = "no running event loop"
_SHAPE_CHOICES = {
    "start": START_SHAPES,
    "time": TIME_FORMATS,
    "stop_energy": STOP_ENERGY_FIELDS,
    "meters": METER_ROWS,
    "meter_value": METER_VALUES,
}


class PushShapeError(ValueError):
    """An unknown shape option or value."""


def start_payload(
    chargebox: str, connector: int, id_tag: str, transaction_id: int, mode: str, *, accepted: bool
) -> dict[str, Any]:
    """Start notification; `transaction_id` is 0 when the box rejected the start."""
    return {
        "type": "start",
        "accepted": accepted,
        "chargebox": chargebox,
        "id": id_tag,
        "connector": connector,
        "transaction_id": transaction_id if accepted else 0,
        "mode": mode,
    }


def stop_payload(
    chargebox: str,
    connector: int,
    id_tag: str,
    transaction_id: int,
    energy_wh: int,
    duration_s: float,
) -> dict[str, Any]:
    """Stop notification of a finished transaction (`kwh` holds Wh, as documented)."""
    return {
        "type": "stop_transaction",
        "accepted": True,
        "unlocked": True,
        "chargebox": chargebox,
        "idTag": id_tag,
        "connector": connector,
        "transaction_id": transaction_id,
        "kwh": energy_wh,
        "energy": energy_wh,
        "time": int(duration_s),
    }


def rejected_stop_payload(chargebox: str, connector: int, id_tag: str) -> dict[str, Any]:
    """A remote stop the box did not carry out (it is offline): `msg: "stop"`."""
    return {
        "msg": "stop",
        "accepted": False,
        "unlocked": False,
        "chargebox": chargebox,
        "idTag": id_tag,
        "connector": connector,
    }


def unlock_payload(chargebox: str, connector: int, energy_wh: int) -> dict[str, Any]:
    """A connector unlocked (`msg: "stop"`; `idTag` "" and `transaction_id` 0 as documented).

    `energy` ("used only with msg") carries the connector's last charge.
    """
    return {
        "type": "stop_transaction",
        "msg": "stop",
        "accepted": True,
        "unlocked": True,
        "chargebox": chargebox,
        "idTag": "",
        "connector": connector,
        "transaction_id": 0,
        "energy": energy_wh,
    }


def meters_payload(
    chargebox: str,
    connector: int,
    id_tag: str,
    register_wh: int,
    power_w: int,
    energy_wh: int,
    duration_s: float,
) -> dict[str, Any]:
    """Meter values: the connector's register and the power now; `kwh` is the charge's Wh."""
    return {
        "type": "meters",
        "chargebox": chargebox,
        "connector": connector,
        "meters": [
            {
                "measurand": "Energy.Active.Import.Register",
                "uom": "Wh",
                "phase": None,
                "value": str(register_wh),
            },
            {"measurand": "Power.Active.Import", "uom": "W", "phase": None, "value": str(power_w)},
        ],
        "idTag": id_tag,
        "time": str(int(duration_s)),
        "kwh": energy_wh,
    }


def shape_of(changes: dict[str, Any], current: PushShape | None = None) -> PushShape:
    """A PushShape from `current` (default: the defaults) with `changes`; checked."""
    shape = current or PushShape()
    values = {f.name: getattr(shape, f.name) for f in fields(PushShape)}
    for key, value in changes.items():
        if key not in _SHAPE_CHOICES:
            raise PushShapeError(f"unknown shape option {key!r}")
        if value not in _SHAPE_CHOICES[key]:
            raise PushShapeError(f"{key} must be one of {list(_SHAPE_CHOICES[key])}")
        values[key] = value
    return PushShape(**values)


def render(payload: dict[str, Any], shape: PushShape) -> tuple[dict[str, Any], str]:
    """The payload written as `shape` asks: as a dict, and as the exact text to post."""
    payload = dict(payload)
    kind = payload.get("type")
    if "time" in payload:
        _write_time(payload, shape.time)
    if kind == "stop_transaction" and "msg" not in payload:
        _write_stop_energy(payload, shape.stop_energy)
    if kind == "meters":
        payload["meters"] = [
            _meter_value(row, shape.meter_value)
            for row in _meter_rows(payload["meters"], shape.meters)
        ]
    if kind == "start" and shape.start == "repeated_type":
        pairs = [(key, value) for key, value in payload.items() if key != "mode"]
        pairs.append(("type", payload.get("mode")))
        return payload, _object_text(pairs)
    return payload, json.dumps(payload)


def _write_time(payload: dict[str, Any], form: str) -> None:
    seconds = int(payload["time"])
    as_text = payload.get("type") == "meters"  # a String on the meter page, else an Integer
    hours, rest = divmod(seconds, 3600)
    if form == "none":
        del payload["time"]
    elif form == "hms":
        payload["time"] = f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"
    elif form == "iso":
        payload["time"] = f"PT{hours}H{rest // 60}M{rest % 60}S"
    else:
        value = seconds * 1000 if form == "ms" else seconds
        payload["time"] = str(value) if as_text else value


def _write_stop_energy(payload: dict[str, Any], form: str) -> None:
    if form == "kwh":
        payload.pop("energy", None)
    elif form == "energy":
        payload.pop("kwh", None)
    elif form == "zero":
        payload["kwh"] = 0
        payload.pop("energy", None)


def _meter_rows(rows: list[dict[str, Any]], form: str) -> list[dict[str, Any]]:
    if form == "both":
        return rows
    measurand = "Energy.Active.Import.Register" if form == "register" else "Power.Active.Import"
    return [row for row in rows if row.get("measurand") == measurand]


def _meter_value(row: dict[str, Any], form: str) -> dict[str, Any]:
    if form == "text":
        return row
    reading = {**row}
    number = float(reading.pop("value"))
    reading["Value" if form == "table" else "value"] = number
    return reading


def _object_text(pairs: list[tuple[str, Any]]) -> str:
    """A JSON object of the pairs in order, a key repeated where the pairs repeat it."""
    return "{" + ", ".join(f"{json.dumps(key)}: {json.dumps(value)}" for key, value in pairs) + "}"


class ThorPusher:
    """Sends notifications in the background and keeps count per account."""

    def __init__(self, settings: ThorSettings, clock: Clock) -> None:
        self.settings = settings
        self.clock = clock
        self._tasks: set[asyncio.Task[None]] = set()

    def send(self, account: ThorAccount, kind: str, payload: dict[str, Any]) -> None:
        """Schedule a POST to the account's URL for `kind`, if it configured one."""
        payload, body = render(payload, account.push.shape)
        self._post(account, kind, payload, body)

    def resend(self, account: ThorAccount, index: int) -> PushDelivery | None:
        """Post an earlier delivery's body again, as it was (a late or repeated notice).

        `index` counts the kept deliveries from the oldest (negative: from the newest);
        IndexError when there is none. None when the kind has no URL any more.
        """
        delivery = list(account.push.deliveries)[index]
        return self._post(account, delivery.kind, delivery.payload, delivery.body)

    def _post(
        self, account: ThorAccount, kind: str, payload: dict[str, Any], body: str
    ) -> PushDelivery | None:
        state = account.push
        url = state.urls.get(kind)
        if url is None:
            return None
        delivery = PushDelivery(kind=kind, url=url, payload=payload, at=self.clock.now(), body=body)
        state.deliveries.append(delivery)
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            # Driven from plain Python without an event loop: nothing can be sent.
            _failed(state, delivery, NO_LOOP)
            return delivery
        state.pending += 1
        task = loop.create_task(self._deliver(state, delivery))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return delivery

    async def _deliver(self, state: PushState, delivery: PushDelivery) -> None:
        timeout = aiohttp.ClientTimeout(total=self.settings.push_timeout)
        try:
            async with (
                aiohttp.ClientSession(timeout=timeout) as session,
                session.post(
                    delivery.url,
                    data=delivery.body.encode(),
                    headers={"Content-Type": "application/json"},
                ) as response,
            ):
                delivery.status = response.status
            if 200 <= response.status < 300:
                state.sent += 1
            else:
                _failed(state, delivery, f"HTTP {response.status}")
        except asyncio.CancelledError:
            _failed(state, delivery, "cancelled")
            raise
        except TimeoutError:
            _failed(state, delivery, "timeout")
        except Exception as exc:  # a notification must never break anything
            _failed(state, delivery, f"{type(exc).__name__}: {exc}")
        finally:
            state.pending -= 1

    @property
    def pending(self) -> int:
        return len(self._tasks)

    async def drain(self) -> None:
        """Wait until every scheduled notification was delivered or failed."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def close(self) -> None:
        """Cancel deliveries still under way (server shutdown)."""
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def _failed(state: PushState, delivery: PushDelivery, error: str) -> None:
    delivery.error = error
    state.failed += 1
    state.last_error = error
