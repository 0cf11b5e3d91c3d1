"""Notifications ("requests from Thor") POSTed to the URLs an account configured.

Deliveries are fire-and-forget tasks with a short timeout: a URL that is down, slow or
answers an error never blocks or fails the request that caused the notification. Each
attempt is recorded on the account (`PushState`) for the control API.
"""

import asyncio
from typing import Any

import aiohttp

from .clock import Clock
from .thor_model import PushDelivery, PushState, ThorAccount, ThorSettings, ms

PUSH_KINDS = ("start", "stop", "meters")
NO_LOOP = "no running event loop"


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
    chargebox: str, connector: int, id_tag: str, transaction_id: int, energy_wh: int, now: float
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
        "time": ms(now),
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


def meters_payload(
    chargebox: str,
    connector: int,
    id_tag: str,
    register_wh: int,
    power_w: int,
    energy_wh: int,
    now: float,
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
        "time": ms(now),
        "kwh": energy_wh,
    }


class ThorPusher:
    """Sends notifications in the background and keeps count per account."""

    def __init__(self, settings: ThorSettings, clock: Clock) -> None:
        self.settings = settings
        self.clock = clock
        self._tasks: set[asyncio.Task[None]] = set()

    def send(self, account: ThorAccount, kind: str, payload: dict[str, Any]) -> None:
        """Schedule a POST to the account's URL for `kind`, if it configured one."""
        state = account.push
        url = state.urls.get(kind)
        if url is None:
            return
        delivery = PushDelivery(kind=kind, url=url, payload=payload, at=self.clock.now())
        state.deliveries.append(delivery)
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            # Driven from plain Python without an event loop: nothing can be sent.
            _failed(state, delivery, NO_LOOP)
            return
        state.pending += 1
        task = loop.create_task(self._deliver(state, delivery))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _deliver(self, state: PushState, delivery: PushDelivery) -> None:
        timeout = aiohttp.ClientTimeout(total=self.settings.push_timeout)
        try:
            async with (
                aiohttp.ClientSession(timeout=timeout) as session,
                session.post(delivery.url, json=delivery.payload) as response,
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
