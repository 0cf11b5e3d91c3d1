"""A lifetime energy meter built from per-session counters.

Clouds like Wallbox report energy per session, resetting at every new session,
which the Energy dashboard cannot use as a meter. This sensor adds up what each
reading grew by and survives restarts through its restored state.

Clouds glitch: one answer may show a session energy of 0 (or an older, lower
value) in the middle of a session, and the next one the real value again. A
lifetime meter must never grow by energy that was not delivered, so a drop is
not taken as a new session on its own. The rule, reading by reading, against
the baseline (the last session reading that was counted):

* At or above the baseline: the same session grew, and only the growth is
  added. Except when the session clock shows a new session that is already
  past the old one (a car unplugged and plugged again between two reads): the
  charging time went down, or, where the cloud has no charging time, a
  no-car status (ready, disconnected) was seen since the baseline and the
  reading changed. That session's whole reading is then added.
* Below the baseline (a drop): a new session only when confirmed, adding the
  new session's whole reading:
  - at once when a no-car status was seen since the baseline, the reading is
    above 0 and the charging time (when known) went down too;
  - otherwise the lower reading is held (nothing added) and a later reading
    decides: still below the baseline and grown from the held value, or the
    same while not charging, confirms the new session; back at or above the
    baseline, it was a glitch and only the growth beyond the baseline is
    added (unless the charging time went down: see the first rule); lower
    still, it is held instead.
  Holding costs a new session at most a read of delay, never energy: its
  whole reading is added when confirmed.

The restored state keeps the baseline, its charging time, the held reading
and whether a no-car status was seen, so a restart continues the same rule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Self

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import UnitOfEnergy
from homeassistant.core import callback
from homeassistant.helpers.restore_state import ExtraStoredData, RestoreEntity

from .api import ChargerStatus, Connector, Feature
from .entity import ConnectorEntity, EVChargerCloudEntityDescription


def _charging(connector: Connector) -> bool:
    """Whether power may be flowing, so a session reading could still grow."""
    return connector.charging is True or connector.status is ChargerStatus.CHARGING


@dataclass(frozen=True, kw_only=True)
class TotalEnergyDescription(EVChargerCloudEntityDescription[Connector], SensorEntityDescription):
    """The lifetime energy meter of a connector, summed up from one session counter."""

    # The per-session counter the meter adds up, and whether it may be growing now.
    session_fn: Callable[[Connector], float | None] = lambda c: c.session_energy
    flowing_fn: Callable[[Connector], bool] = _charging


# Both meters: kWh that only grow, for the Energy dashboard.
_METER: dict[str, Any] = {
    "device_class": SensorDeviceClass.ENERGY,
    "state_class": SensorStateClass.TOTAL_INCREASING,
    "native_unit_of_measurement": UnitOfEnergy.KILO_WATT_HOUR,
    "suggested_display_precision": 2,
}

TOTAL_ENERGY = TotalEnergyDescription(
    key="total_energy",
    translation_key="total_energy",
    feature=Feature.SESSION_ENERGY,
    # A cloud that keeps its own meter gets the plain reading instead (sensor.py).
    supported_fn=lambda c: (
        Feature.SESSION_ENERGY in c.features and Feature.TOTAL_ENERGY not in c.features
    ),
    **_METER,
)

# What a bidirectional charger took from the car since first seen: the Energy
# dashboard's "returned" side, by the same rule as the delivered total.
TOTAL_DISCHARGED_ENERGY = TotalEnergyDescription(
    key="total_discharged_energy",
    translation_key="total_discharged_energy",
    feature=Feature.DISCHARGED_ENERGY,
    session_fn=lambda c: c.session_discharged_energy,
    flowing_fn=lambda c: c.status is ChargerStatus.DISCHARGING,
    **_METER,
)

# Statuses without a car: Wallbox resets the session counters at the next plug-in.
NO_CAR_STATUSES = frozenset({ChargerStatus.READY, ChargerStatus.DISCONNECTED})


@dataclass
class TotalEnergyData(ExtraStoredData):
    """The running total and the session reading it was last advanced from."""

    total: float
    last_session: float | None
    # Added later: data stored before restores with these defaults.
    last_charging_time: float | None = None
    pending: float | None = None  # a drop held until confirmed
    unplugged: bool = False  # a no-car status seen since last_session

    def as_dict(self) -> dict[str, Any]:
        """Store as plain data."""
        return {
            "total": self.total,
            "last_session": self.last_session,
            "last_charging_time": self.last_charging_time,
            "pending": self.pending,
            "unplugged": self.unplugged,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self | None:
        """Restore; None when the stored data is unusable."""
        try:
            return cls(
                float(data["total"]),
                _opt_float(data.get("last_session")),
                _opt_float(data.get("last_charging_time")),
                _opt_float(data.get("pending")),
                data.get("unplugged") is True,
            )
        except (KeyError, TypeError, ValueError):
            return None


def _opt_float(value: Any) -> float | None:
    return None if value is None else float(value)


class TotalEnergySensor(ConnectorEntity, SensorEntity, RestoreEntity):
    """Energy through a connector since the integration first saw it, in kWh.

    Delivered to the car, or taken from it: the description's session counter.
    """

    entity_description: TotalEnergyDescription
    _total = 0.0
    # A new meter starts with the energy of the session it first sees.
    _last_session: float | None = 0.0
    _last_charging_time: float | None = None
    _pending: float | None = None
    _unplugged = False

    async def async_added_to_hass(self) -> None:
        """Continue from the restored total, then take the current reading."""
        await super().async_added_to_hass()
        if (extra := await self.async_get_last_extra_data()) is not None and (
            restored := TotalEnergyData.from_dict(extra.as_dict())
        ) is not None:
            self._total, self._last_session = restored.total, restored.last_session
            self._last_charging_time = restored.last_charging_time
            self._pending, self._unplugged = restored.pending, restored.unplugged
        self._advance()

    @callback
    def async_entity_id_changed(self, old_entity_id: str) -> None:
        """Nothing here depends on the entity id: change it in place (Home Assistant 2026.11+).

        Without this hook, Home Assistant 2026.11 removes and re-adds the entity instead.
        """

    @callback
    def _handle_coordinator_update(self) -> None:
        self._advance()
        super()._handle_coordinator_update()

    def _advance(self) -> None:
        if self.target.device_id not in self.coordinator.data:
            return
        connector = self.connector
        session = self.entity_description.session_fn(connector)
        if session is None:
            return
        time = connector.charging_time
        no_car = connector.status in NO_CAR_STATUSES or connector.plugged_in is False
        base = self._last_session
        if base is None:
            # Nothing to compare with: this reading is where counting starts.
            self._count(0.0, session, time, no_car)
            return
        self._unplugged = self._unplugged or no_car
        clock_reset = (
            time < self._last_charging_time
            if time is not None and self._last_charging_time is not None
            else None
        )
        if session >= base:
            # Without a session clock, a no-car status and a changed reading tell.
            new = clock_reset if clock_reset is not None else self._unplugged and session != base
            self._count(session if new else session - base, session, time, no_car)
        elif session > 0 and self._unplugged and clock_reset is not False:
            self._count(session, session, time, no_car)  # unplugged, then a new session
        elif self._pending is not None and (
            session > self._pending
            or (session == self._pending and not self.entity_description.flowing_fn(connector))
        ):
            self._count(session, session, time, no_car)  # the lower reading held
        else:
            self._pending = session  # maybe a glitch: wait for the next reading

    def _count(self, grown: float, session: float, time: float | None, no_car: bool) -> None:
        """Add what was delivered and make this reading the baseline."""
        self._total += grown
        self._last_session, self._last_charging_time = session, time
        self._pending, self._unplugged = None, no_car

    @property
    def native_value(self) -> float:
        """The running total."""
        return round(self._total, 3)

    @property
    def extra_restore_state_data(self) -> TotalEnergyData:
        """What a restart needs to continue the total."""
        return TotalEnergyData(
            self._total,
            self._last_session,
            self._last_charging_time,
            self._pending,
            self._unplugged,
        )
