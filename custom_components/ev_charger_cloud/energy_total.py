"""A lifetime energy meter built from per-session counters.

Clouds like Wallbox report energy per session, resetting at every new session,
which the Energy dashboard cannot use as a meter. This sensor adds up what each
reading grew by and survives restarts through its restored state.
"""

from __future__ import annotations

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

from .api import Connector, Feature
from .entity import ConnectorEntity, EVChargerCloudEntityDescription


@dataclass(frozen=True, kw_only=True)
class TotalEnergyDescription(EVChargerCloudEntityDescription[Connector], SensorEntityDescription):
    """The lifetime energy meter of a connector."""


TOTAL_ENERGY = TotalEnergyDescription(
    key="total_energy",
    translation_key="total_energy",
    feature=Feature.SESSION_ENERGY,
    # A cloud that keeps its own meter gets the plain reading instead (sensor.py).
    supported_fn=lambda c: (
        Feature.SESSION_ENERGY in c.features and Feature.TOTAL_ENERGY not in c.features
    ),
    device_class=SensorDeviceClass.ENERGY,
    state_class=SensorStateClass.TOTAL_INCREASING,
    native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
    suggested_display_precision=2,
)


@dataclass
class TotalEnergyData(ExtraStoredData):
    """The running total and the session reading it was last advanced from."""

    total: float
    last_session: float | None

    def as_dict(self) -> dict[str, Any]:
        """Store as plain data."""
        return {"total": self.total, "last_session": self.last_session}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self | None:
        """Restore; None when the stored data is unusable."""
        try:
            last = data.get("last_session")
            return cls(float(data["total"]), None if last is None else float(last))
        except (KeyError, TypeError, ValueError):
            return None


class TotalEnergySensor(ConnectorEntity, SensorEntity, RestoreEntity):
    """Energy delivered through a connector since the integration first saw it, in kWh."""

    entity_description: TotalEnergyDescription
    _total = 0.0
    # A new meter starts with the energy of the session it first sees.
    _last_session: float | None = 0.0

    async def async_added_to_hass(self) -> None:
        """Continue from the restored total, then take the current reading."""
        await super().async_added_to_hass()
        if (extra := await self.async_get_last_extra_data()) is not None and (
            restored := TotalEnergyData.from_dict(extra.as_dict())
        ) is not None:
            self._total, self._last_session = restored.total, restored.last_session
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
        session = self.connector.session_energy
        if session is None:
            return
        if self._last_session is not None:
            # A drop means a new session began: all of its energy is new.
            grown = session - self._last_session
            self._total += grown if grown >= 0 else session
        self._last_session = session

    @property
    def native_value(self) -> float:
        """The running total."""
        return round(self._total, 3)

    @property
    def extra_restore_state_data(self) -> TotalEnergyData:
        """What a restart needs to continue the total."""
        return TotalEnergyData(self._total, self._last_session)
