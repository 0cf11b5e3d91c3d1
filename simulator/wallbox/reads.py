"""The JSON documents the Wallbox API reads answer, and what a charger shows now."""

from typing import Any

from .answers import (
    charger_data_json,
    charger_state_json,
    config_data_json,
    eco_smart_json,
    groups_json,
    status_json,
)
from .physics import Flow, flow_at
from .state import WallboxState


class WallboxReads(WallboxState):
    """Status, data, config, groups and Eco-Smart as the API shows them."""

    def flow(self, charger_id: int) -> Flow:
        charger = self.charger(charger_id)
        return flow_at(charger, self.clock.now())

    def status_id(self, charger_id: int) -> int:
        return int(self.flow(charger_id).status)

    def charging_power_kw(self, charger_id: int) -> float:
        return self.flow(charger_id).power_kw

    def status_json(self, charger_id: int) -> dict[str, Any]:
        charger = self.charger(charger_id)
        now = self.clock.now()
        return status_json(charger, self._owner(charger), flow_at(charger, now), now)

    def charger_data_json(self, charger_id: int) -> dict[str, Any]:
        charger = self.charger(charger_id)
        now = self.clock.now()
        return charger_data_json(charger, self._owner(charger), flow_at(charger, now), now)

    def config_data_json(self, charger_id: int) -> dict[str, Any]:
        charger = self.charger(charger_id)
        return config_data_json(charger, self._owner(charger), self.clock.now())

    def groups_json(self, email: str) -> dict[str, Any]:
        account = self.account(email)
        chargers = self.chargers_of(email)
        now = self.clock.now()
        return groups_json(account, chargers, {c.id: flow_at(c, now) for c in chargers})

    def eco_smart_json(self, charger_id: int) -> dict[str, Any]:
        return eco_smart_json(self.charger(charger_id))

    def state_json(self, charger_id: int) -> dict[str, Any]:
        charger = self.charger(charger_id)
        return charger_state_json(charger, flow_at(charger, self.clock.now()))
