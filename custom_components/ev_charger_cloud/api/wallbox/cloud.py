"""Wallbox as a ChargerCloudClient: the myWallbox account in the neutral model.

The HTTP, tokens and the vendor's JSON live in client.py (WallboxClient) and
parse.py; here is what the neutral contract needs: the poll plan for a budget
of about one GET a minute per account, each status read mapped to a Charger
(kept for diagnostics), and commands whose write answers echo only part of the
state, patched onto the last reading and marked unconfirmed where they do not
tell. The power-boost limit keeps the sign the cloud last showed for it.
"""

from __future__ import annotations

from collections.abc import Mapping
import dataclasses
from datetime import timedelta
from typing import Any, ClassVar

from ..base import ChargerCloudClient
from ..models import (
    BUSY_STATUSES,
    Account,
    Charger,
    ChargerStatus,
    DeviceRef,
    EcoSmartMode,
    PollPlan,
    Provider,
    Target,
)
from .auth import WallboxTokens
from .client import RemoteAction, WallboxClient
from .parse import (
    CONNECTOR_ID,
    ChargerData,
    ConfigData,
    parse_status,
    status_from_code,
    status_icp_sign,
)


class WallboxCloud(ChargerCloudClient):
    """One myWallbox account."""

    provider: ClassVar[Provider] = Provider.WALLBOX
    # Since 2025-09 Wallbox allows about one GET a minute per account, shared by all
    # its chargers, with a small burst on top. Read one charger every 90 s (40 an
    # hour): the busy ones first. What the cloud allows beyond that (up to 60 an
    # hour) carries the rest when there is room: an idle charger at least every
    # 15 min, the hourly discovery (a charger added in the app shows within the
    # hour) and the read that confirms a command, at once from the burst (3 at
    # first, up to 5 as learned).
    poll_plan: ClassVar[PollPlan] = PollPlan(
        interval=timedelta(seconds=90),
        min_spacing=timedelta(seconds=60),
        devices_per_poll=1,
        rediscover_every=timedelta(hours=1),
        cloud_reads_per_minute=1.0,
        burst=3,
        burst_max=5,
        idle_staleness=timedelta(minutes=15),
    )

    def __init__(
        self,
        client: WallboxClient,
    ) -> None:
        """The neutral view of ``client``, the WallboxClient of one account."""
        self.wallbox = client
        self._chargers: dict[str, Charger] = {}
        self._raw_status: dict[str, Any] = {}
        # The sign of each charger's power-boost limit: -1 while power boost is off.
        self._icp_signs: dict[str, int] = {}

    @property
    def tokens(self) -> WallboxTokens | None:
        """The tokens in use (stored by the caller so restarts need no sign-in)."""
        return self.wallbox.tokens

    async def async_authenticate(self) -> Account:
        """Sign in (or reuse valid tokens) and name the account."""
        tokens = await self.wallbox.async_authenticate()
        return Account(unique_id=tokens.user_id, title=self.wallbox.email)

    # --- reads ----------------------------------------------------------------

    async def async_discover(self) -> list[DeviceRef]:
        """List the chargers in all groups of the account."""
        return await self.wallbox.async_get_chargers()

    async def async_get_device(self, device_id: str) -> Charger:
        """Read the extended status of one charger."""
        body = await self.wallbox.async_get_status(device_id)
        charger = parse_status(device_id, body)
        self._raw_status[device_id] = body
        self._remember_icp_sign(device_id, status_icp_sign(body))
        self._chargers[device_id] = charger
        return charger

    def diagnostics(self) -> dict[str, Any]:
        """The last status JSON of each charger."""
        return {"status": dict(self._raw_status)}

    # --- commands -------------------------------------------------------------

    def _patched(
        self,
        charger_id: str,
        changes: Mapping[str, Any],
        connector: Mapping[str, Any] | None = None,
    ) -> Charger | None:
        """The last reading with what a write answer confirmed (``connector``: its values)."""
        current = self._chargers.get(charger_id)
        if current is None:
            return None
        updated = dataclasses.replace(current, **changes)
        if connector:
            updated = updated.with_connector(CONNECTOR_ID, **connector)
        updated = _consistent(current, updated)
        self._chargers[charger_id] = updated
        return updated

    def _charger_data_patched(
        self, charger_id: str, data: ChargerData, sent: str
    ) -> Charger | None:
        """The reading with what a ``PUT v2/charger`` answer confirms (``sent``: the field set).

        A 2xx means the change was applied: what the answer confirms is shown, an
        answer confirming nothing gives None (the caller reads again), and a value
        sent but not confirmed leaves the reading unconfirmed.
        """
        changes: dict[str, Any] = {}
        if data.locked is not None:
            changes["locked"] = data.locked
        if data.max_charging_current is not None:
            changes["max_charging_current"] = data.max_charging_current
        connector: dict[str, Any] = {}
        if data.status_code is not None:
            connector = {
                "status": status_from_code(data.status_code),
                "status_code": data.status_code,
            }
        if not changes and not connector:
            return None
        if sent not in changes:
            changes["confirmed"] = False
        return self._patched(charger_id, changes, connector)

    def _config_patched(self, charger_id: str, data: ConfigData, sent: str) -> Charger | None:
        """The reading with what a ``POST chargers/config`` answer confirms; see above."""
        self._remember_icp_sign(charger_id, data.icp_sign)
        values: dict[str, Any] = dict(data.values)
        if not values:
            return None
        if sent not in values:
            values["confirmed"] = False
        return self._patched(charger_id, values)

    def _remember_icp_sign(self, charger_id: str, sign: int | None) -> None:
        if sign is not None:
            self._icp_signs[charger_id] = sign

    async def async_set_charging(self, target: Target, enabled: bool) -> Charger | None:
        """Resume or pause; the answer does not carry the new status.

        Both are shown at once and read again: what a resume leads to (charging,
        waiting for the car or the sun) only the next read tells.
        """
        action = RemoteAction.RESUME if enabled else RemoteAction.PAUSE
        await self.wallbox.async_remote_action(target.device_id, action)
        # Resumed, the session runs again: "waiting" until a read tells whether the car
        # draws power (the switch shows on at once and does not spring back).
        status = ChargerStatus.WAITING if enabled else ChargerStatus.PAUSED
        return self._patched(
            target.device_id,
            {"confirmed": False},
            {"status": status, "status_code": None, "charging_power": 0.0},
        )

    async def async_set_locked(self, target: Target, locked: bool) -> Charger | None:
        """Lock or unlock."""
        data = await self.wallbox.async_set_locked(target.device_id, locked)
        return self._charger_data_patched(target.device_id, data, "locked")

    async def async_set_max_charging_current(
        self, target: Target, current: float
    ) -> Charger | None:
        """Set the maximum charging current (whole amps)."""
        data = await self.wallbox.async_set_max_charging_current(target.device_id, round(current))
        return self._charger_data_patched(target.device_id, data, "max_charging_current")

    async def async_set_energy_price(self, target: Target, price: float) -> Charger | None:
        """Set the energy price per kWh."""
        data = await self.wallbox.async_set_energy_price(target.device_id, round(price, 3))
        return self._config_patched(target.device_id, data, "energy_price")

    async def async_set_icp_max_current(self, target: Target, current: float) -> Charger | None:
        """Set the power-boost supply limit (whole amps), keeping power boost on or off.

        The cloud keeps the limit negative while power boost is off (seed 003):
        the new limit goes with the sign the charger has, so setting it never
        switches power boost on or off behind the user's back.
        """
        sign = self._icp_signs.get(target.device_id, 1)
        data = await self.wallbox.async_set_icp_max_current(
            target.device_id, sign * round(abs(current))
        )
        return self._config_patched(target.device_id, data, "icp_max_current")

    async def async_set_eco_smart(self, target: Target, mode: EcoSmartMode) -> Charger | None:
        """Switch Eco-Smart; a 2xx means accepted, so take the mode as set."""
        await self.wallbox.async_set_eco_smart(
            target.device_id,
            enabled=mode is not EcoSmartMode.OFF,
            full_solar=mode is EcoSmartMode.FULL_SOLAR,
        )
        # Wallbox answers with a status code only: show the mode, confirm by a read.
        return self._patched(target.device_id, {"eco_smart": mode, "confirmed": False})

    async def async_resume_schedule(self, target: Target) -> Charger | None:
        """Resume schedule and Eco-Smart after a manual stop."""
        await self.wallbox.async_remote_action(target.device_id, RemoteAction.RESUME_SCHEDULE)
        return None

    async def async_restart(self, target: Target) -> Charger | None:
        """Reboot; the charger is offline for a minute or two.

        The answer is empty: show the charger offline (as the cloud reports it
        while it reboots) at once, and let a read confirm it.
        """
        await self.wallbox.async_remote_action(target.device_id, RemoteAction.RESTART)
        return self._patched(
            target.device_id,
            {"confirmed": False},
            {"status": ChargerStatus.DISCONNECTED, "charging_power": 0.0},
        )

    async def async_install_update(self, target: Target) -> Charger | None:
        """Start the firmware update; the charger restarts when it is done.

        The answer is empty: show the charger updating (status 166 while it
        installs) at once, and let a read confirm it.
        """
        await self.wallbox.async_remote_action(target.device_id, RemoteAction.INSTALL_UPDATE)
        return self._patched(
            target.device_id,
            {"confirmed": False},
            {"status": ChargerStatus.UPDATING, "charging_power": 0.0},
        )


def _consistent(before: Charger, after: Charger) -> Charger:
    """A patched reading whose power does not contradict what a write answer changed.

    Power that starts (an unlock lets the car charge) or changes with a lower
    current limit is unknown until the next read, rather than a stale figure
    beside the new status; power that stops is 0.
    """
    old, new = before.connector(CONNECTOR_ID), after.connector(CONNECTOR_ID)
    if old is None or new is None or new.charging_power is None:
        return after
    was_busy, busy = old.status in BUSY_STATUSES, new.status in BUSY_STATUSES
    lowered = (
        after.max_charging_current is not None
        and before.max_charging_current is not None
        and after.max_charging_current < before.max_charging_current
    )
    if busy and (not was_busy or lowered):
        # Unknown until read: read it as soon as the budget allows.
        return dataclasses.replace(
            after.with_connector(CONNECTOR_ID, charging_power=None), confirmed=False
        )
    if was_busy and not busy:
        return after.with_connector(CONNECTOR_ID, charging_power=0.0)
    return after
