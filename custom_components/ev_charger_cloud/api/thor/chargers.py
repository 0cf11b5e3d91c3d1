"""Thor's chargeboxes in the neutral model: a Charger per box, a Connector per connector.

What a connector shows comes from three places of the package: the live state of
its charge (live.py: transaction, session energy, power), the optional reads
(reads.py: reservations and the lifetime totals) and the energy history
(history.py: the newest finished charge). ThorCloud (cloud.py) decides when to
read; this module only tells what a read shows.

Connector status: the box offline → DISCONNECTED; a running charge → CHARGING;
an active reservation → RESERVED; else READY (available). Thor reports no OCPP
status, so a car plugged into an idle connector is not seen.
"""

from __future__ import annotations

from datetime import datetime

from ..models import Charger, ChargerStatus, Connector, Feature
from .history import ThorEnergyHistory, connector_key
from .live import ThorLive
from .models import ThorChargebox, ThorConnector
from .reads import ThorOptionalReads

# What every Thor connector offers, whatever its box tells of it.
_CONNECTOR_FEATURES = frozenset(
    {
        Feature.CHARGING_POWER,
        Feature.SESSION_ENERGY,
        Feature.SESSION_STARTED,
        Feature.START_STOP,
        Feature.TOTAL_ENERGY,
    }
)


class ThorChargers:
    """Builds the neutral Charger of a chargebox from what the account knows of it."""

    def __init__(
        self, live: ThorLive, reads: ThorOptionalReads, history: ThorEnergyHistory
    ) -> None:
        """Show the state kept in ``live``, ``reads`` and ``history`` (shared, not copied)."""
        self._live = live
        self._reads = reads
        self._history = history
        # The newest finished charge per connector; the history changes only in a poll's
        # third request, so this is worked out once after it (not per connector shown).
        self.finished = history.newest_finished()

    def history_read(self) -> None:
        """The history may have changed (a poll's third request): its newest charges again."""
        self.finished = self._history.newest_finished()

    def charger(self, box: ThorChargebox, now: datetime, *, today_due: bool) -> Charger:
        """The box and its connectors; ``today_due``: today's finished charges are unread."""
        connectors = tuple(
            self._connector(box, connector, now, today_due) for connector in box.connectors
        )
        features = {Feature.LAST_HEARTBEAT} if box.last_heartbeat is not None else set()
        if box.connected is not None:
            features.add(Feature.CONNECTIVITY)
        return Charger(
            device_id=box.id,
            name=charger_name(box),
            manufacturer=None,
            model=_model(box),
            features=frozenset(features),
            online=box.connected,
            last_heartbeat=box.last_heartbeat,
            connectors=connectors,
        )

    def _connector(
        self, box: ThorChargebox, connector: ThorConnector, now: datetime, today_due: bool
    ) -> Connector:
        key = connector_key(box.id, connector.number)
        session = self._live.running(key)
        status = self._status(box, key, session is not None, now)
        energy_wh = self._last_session_wh(key, today_due) if session is None else session.energy_wh
        # Total energy is unknown (None) until the history reaches back to the
        # account's first charge and today's finished charges are read (after that,
        # while they are due, the value shown last): a partial sum would count as
        # energy delivered.
        running_wh = None if session is None else session.read_wh
        lifetime = self._reads.lifetime_kwh(key, running_wh, today_due)
        features = set(_CONNECTOR_FEATURES)
        if connector.rated_power_w is not None:
            features.add(Feature.RATED_POWER)
        if connector.max_amperage is not None:
            features.add(Feature.MAX_CURRENT)
        return Connector(
            connector_id=str(connector.number),
            status=status,
            charging_power=self._live.power_w(key, now),
            session_energy=None if energy_wh is None else energy_wh / 1000,
            total_energy=lifetime,
            session_started=None if session is None else session.started,
            charging=None if session is None else True,
            rated_power=connector.rated_power_w,
            max_current=None if connector.max_amperage is None else float(connector.max_amperage),
            features=frozenset(features),
        )

    def _last_session_wh(self, key: str, today_due: bool) -> float | None:
        """The energy of the connector's last charge: its own, or None (never another's).

        A charge seen ending since start-up shows its finished energy once read, else the
        last energy known of it. The newest finished charge read counts instead when it
        is newer (Thor numbers transactions progressively). Without either, the history's
        last charge is shown only once every day up to today is read: while the back-fill
        runs, the charges it has are older than those of the days not read yet.
        """
        ended = self._live.ended(key)
        newest = self.finished.get(key)
        if ended is not None:
            if newest is not None and newest[0] > ended.transaction_id:
                return newest[1]
            if newest is not None and newest[0] == ended.transaction_id:
                # Never below what was shown of it (a total_increasing sensor).
                return max(newest[1], ended.energy_wh or 0.0)
            return ended.energy_wh
        if not self._history.complete or today_due:
            return None
        return newest[1] if newest is not None else self._history.last_charge_wh.get(key)

    def _status(self, box: ThorChargebox, key: str, charging: bool, now: datetime) -> ChargerStatus:
        if box.connected is None:
            return ChargerStatus.UNKNOWN
        if not box.connected:
            return ChargerStatus.DISCONNECTED
        if charging:
            return ChargerStatus.CHARGING
        if self._reads.reserved(key, now):
            return ChargerStatus.RESERVED
        return ChargerStatus.READY


def charger_name(box: ThorChargebox) -> str:
    """The box's alias, else its id."""
    return (box.alias or "").strip() or box.id


def _model(box: ThorChargebox) -> str:
    """What Thor tells of the box: the OCPP version it speaks."""
    if box.ocpp_version is None:
        return "OCPP chargebox"
    return f"OCPP {box.ocpp_version.value} chargebox"
