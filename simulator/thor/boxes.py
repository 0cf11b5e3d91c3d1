"""Thor chargeboxes: creation (also in bulk), validation of their fields, changes, going offline."""

from collections.abc import Mapping
import hashlib
from typing import Any

from .errors import ThorError, check_choice
from .model import (
    CONNECTOR_FORMATS,
    CONNECTOR_TYPES,
    OCPP_MESSAGE_FORMATS,
    OCPP_VERSIONS,
    POWER_TYPES,
    VEHICLES,
    ThorChargebox,
    ThorConnector,
)
from .state import ThorState

_BOX_FIELDS = frozenset(
    {
        "alias",
        "active",
        "connected",
        "public",
        "reservable",
        "free",
        "price_per_kwh",
        "latitude",
        "longitude",
        "timezone",
        "vehicle",
        "msg",
        "version",
    }
)
_CONNECTOR_FIELDS = frozenset(
    {"power", "type", "format", "max_amperage", "power_type", "terminal_id", "token", "meter_wh"}
)
# Creating a box takes its fields, an id, and connectors (a count or a list of objects);
# the connector fields at the top level are the defaults of every connector.
CHARGEBOX_FIELDS = _BOX_FIELDS | _CONNECTOR_FIELDS | {"id", "connectors"}
# What the control API may change on an existing box.
CHARGEBOX_UPDATES = _BOX_FIELDS


class ThorBoxes(ThorState):
    """The chargeboxes of the accounts, as the dashboard and the control API set them up."""

    def _new_box_id(self) -> str:
        while True:
            self._box_counter += 1
            box_id = f"CB-{self._box_counter:04d}"
            if box_id not in self._boxes:
                return box_id

    def add_chargebox(self, api_key: str, **options: Any) -> ThorChargebox:
        """A chargebox with `connectors` connectors (a count, default 1, or field dicts)."""
        account = self.account(api_key)
        unknown = set(options) - CHARGEBOX_FIELDS
        if unknown:
            raise ThorError(400, f"unknown chargebox fields: {sorted(unknown)}")
        box_id = options.pop("id", None) or self._new_box_id()
        if box_id in self._boxes:
            raise ThorError(409, f"chargebox {box_id} already exists")
        defaults = {key: options.pop(key) for key in list(options) if key in _CONNECTOR_FIELDS}
        spec = options.pop("connectors", 1)
        if isinstance(spec, bool) or not isinstance(spec, int | list):
            raise ThorError(400, "connectors must be a count or a list of objects")
        specs: list[Any] = [{}] * spec if isinstance(spec, int) else spec
        if not specs:
            raise ThorError(400, "a chargebox needs at least one connector")
        connectors = [
            self._connector(number, defaults, item) for number, item in enumerate(specs, 1)
        ]
        options.setdefault("alias", f"Chargebox {box_id}")
        box = ThorChargebox(id=box_id, api_key=api_key, connectors=connectors, **options)
        self._validate_box(box)
        box.heartbeat_at = self.clock.now()
        self._boxes[box.id] = box
        account.box_ids.append(box.id)
        return box

    def _connector(self, number: int, defaults: Mapping[str, Any], item: Any) -> ThorConnector:
        if not isinstance(item, Mapping):
            raise ThorError(400, "each connector must be an object")
        unknown = set(item) - _CONNECTOR_FIELDS
        if unknown:
            raise ThorError(400, f"unknown connector fields: {sorted(unknown)}")
        connector = ThorConnector(number, **{**defaults, **item})
        self._nayax_secrets(connector)
        check_choice(connector.type, CONNECTOR_TYPES, "type")
        check_choice(connector.format, CONNECTOR_FORMATS, "format")
        check_choice(connector.power_type, POWER_TYPES, "power_type")
        for value, name in ((connector.power, "power"), (connector.max_amperage, "max_amperage")):
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise ThorError(400, f"{name} must be a positive integer")
        return connector

    def _nayax_secrets(self, connector: ThorConnector) -> None:
        """A Nayax terminal id and token (documented as strings) where none were given."""
        if connector.terminal_id is None or connector.token is None:
            self._terminal_counter += 1
            digest = hashlib.sha256(f"nayax-{self._terminal_counter}".encode()).hexdigest()
        if connector.terminal_id is None:
            connector.terminal_id = f"NX{self._terminal_counter:08d}"
        if connector.token is None:
            connector.token = f"nxt_{digest[:24]}"

    @staticmethod
    def _validate_box(box: ThorChargebox) -> None:
        check_choice(box.vehicle, VEHICLES, "vehicle")
        check_choice(box.msg, OCPP_MESSAGE_FORMATS, "msg")
        check_choice(box.version, OCPP_VERSIONS, "version")
        if not isinstance(box.alias, str):
            raise ThorError(400, "alias must be a string")
        for flag in ("active", "connected", "public", "reservable", "free"):
            if not isinstance(getattr(box, flag), bool):
                raise ThorError(400, f"{flag} must be a boolean")
        for number in ("price_per_kwh", "latitude", "longitude"):
            value = getattr(box, number)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ThorError(400, f"{number} must be a number")

    def add_chargeboxes(
        self, api_key: str, count: int, connectors: int = 1, **options: Any
    ) -> list[ThorChargebox]:
        """Many boxes at once (load tests): aliases `Bulk N`, spread over a small area."""
        if count < 1 or connectors < 1:
            raise ThorError(400, "count and connectors must be at least 1")
        boxes = []
        for index in range(count):
            box_options = {
                "alias": f"Bulk {index + 1}",
                "latitude": 45.0 + (index % 100) * 0.001,
                "longitude": 7.6 + (index // 100) * 0.001,
                **options,
            }
            boxes.append(self.add_chargebox(api_key, connectors=connectors, **box_options))
        return boxes

    def update_chargebox(self, box_id: str, **changes: Any) -> ThorChargebox:
        """Dashboard and physical changes: alias, active, connected (offline), free and more."""
        box = self.chargebox(box_id)
        unknown = set(changes) - CHARGEBOX_UPDATES
        if unknown:
            raise ThorError(400, f"unknown chargebox fields: {sorted(unknown)}")
        connected = changes.pop("connected", None)
        previous = {key: getattr(box, key) for key in changes}
        for key, value in changes.items():
            setattr(box, key, value)
        try:
            self._validate_box(box)
        except ThorError:
            for key, value in previous.items():
                setattr(box, key, value)
            raise
        if connected is not None:
            self.set_connected(box_id, bool(connected))
        return box

    def set_connected(self, box_id: str, connected: bool) -> ThorChargebox:
        """Offline: `connected` false, the heartbeat stops and running charges freeze."""
        box = self.chargebox(box_id)  # integrates up to now with the old state
        if box.connected and not connected:
            box.heartbeat_at = self.clock.now()
        box.connected = connected
        return box
