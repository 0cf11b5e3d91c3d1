"""Parsing of Wallbox's answers: the status JSON into a Charger, the groups, the write answers.

``GET chargers/status/{id}`` becomes the neutral Charger (one connector, "1");
``GET v3/chargers/groups`` the chargers' refs; what a 2xx write answer confirms
becomes ChargerData (``PUT v2/charger``) or ConfigData (``POST chargers/config``).
A status or groups answer of another shape is UnexpectedResponseError; a write
answer of another shape confirms nothing, since the cloud applied the change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
import re
from typing import Any

from ..errors import UnexpectedResponseError
from ..models import Charger, ChargerStatus, Connector, DeviceKind, DeviceRef, EcoSmartMode, Feature
from ..parse import as_bool, as_float, as_int, as_mapping as _mapping, as_str as _str

# status_id -> status, after my.wallbox.com's chargerStatuses.js; 4 and 5 as
# third-party clients name them (homebridge-my-wallbox: COMPLETED, OFFLINE).
STATUS_CODES: Mapping[int, ChargerStatus] = {
    0: ChargerStatus.DISCONNECTED,
    4: ChargerStatus.COMPLETED,
    5: ChargerStatus.OFFLINE,
    14: ChargerStatus.ERROR,
    15: ChargerStatus.ERROR,
    161: ChargerStatus.READY,
    162: ChargerStatus.READY,
    163: ChargerStatus.DISCONNECTED,
    164: ChargerStatus.WAITING,
    165: ChargerStatus.LOCKED,
    166: ChargerStatus.UPDATING,
    177: ChargerStatus.SCHEDULED,
    178: ChargerStatus.PAUSED,
    179: ChargerStatus.SCHEDULED,
    180: ChargerStatus.WAITING_FOR_CAR_DEMAND,
    181: ChargerStatus.WAITING_FOR_CAR_DEMAND,
    182: ChargerStatus.PAUSED,
    183: ChargerStatus.WAITING_POWER_SHARING,
    184: ChargerStatus.WAITING_POWER_SHARING,
    185: ChargerStatus.WAITING_POWER_BOOST,
    186: ChargerStatus.WAITING_POWER_BOOST,
    187: ChargerStatus.WAITING_MID_FAILED,
    188: ChargerStatus.WAITING_MID_SAFETY_MARGIN,
    189: ChargerStatus.WAITING_ECO_SMART,
    193: ChargerStatus.CHARGING,
    194: ChargerStatus.CHARGING,
    195: ChargerStatus.CHARGING,
    196: ChargerStatus.DISCHARGING,
    209: ChargerStatus.LOCKED,
    210: ChargerStatus.LOCKED_CAR_CONNECTED,
}

# Part-number prefix -> marketing name; the status JSON carries no model name.
# PLP1 and PLP2 rest on captured answers (PLP1: "PulsarPlus SN ..." names and
# plp1 firmware; PLP2: "Pulsar MAX ..." names and plp2 firmware), PUP1-3 on
# Wallbox's installation guides, QS on the Quasar's negative currents (Home
# Assistant core); CMX2, CPB and CPP are not documented in public material.
MODEL_PREFIXES: tuple[tuple[str, str], ...] = (
    ("PLP1", "Pulsar Plus"),
    ("PLP2", "Pulsar Max"),
    ("PUP1", "Pulsar Plus"),
    ("PUP2", "Pulsar Plus"),
    ("PUP3", "Pulsar Pro"),
    ("CMX2", "Commander 2"),
    ("CPB", "Copper C"),
    ("CPP", "Copper SB"),
    ("QS", "Quasar"),
)
# A part number of no known prefix: the charger is a Wallbox all the same.
UNKNOWN_MODEL = "Wallbox charger"
# The name the cloud gives a new charger: its chargerType and serial ("PulsarPlus SN 1").
_DEFAULT_NAME = re.compile(r"([A-Za-z][A-Za-z0-9]*) SN \d+")
# Where a chargerType's words meet: "PulsarMax" -> "Pulsar Max", "Commander2" -> "Commander 2".
_WORD_BREAK = re.compile(r"(?<=[a-z])(?=[A-Z0-9])")

# A Wallbox is a charger with one connector; the cloud does not name it.
CONNECTOR_ID = "1"

CONNECTOR_FEATURES = frozenset(
    {
        Feature.CHARGING_POWER,
        Feature.SESSION_ENERGY,
        Feature.SESSION_ENERGY_SPLIT,
        Feature.ADDED_RANGE,
        Feature.CHARGING_TIME,
        Feature.PAUSE_RESUME,
    }
)
CHARGER_FEATURES = frozenset(
    {
        Feature.MAX_AVAILABLE_CURRENT,
        Feature.FIRMWARE,
        Feature.LOCK,
        Feature.MAX_CHARGING_CURRENT,
        Feature.ENERGY_PRICE,
        Feature.RESUME_SCHEDULE,
        Feature.RESTART,
    }
)


def status_from_code(code: int | None) -> ChargerStatus:
    """Map a status_id; codes Wallbox adds later become UNKNOWN, never a crash."""
    if code is None:
        return ChargerStatus.DISCONNECTED
    return STATUS_CODES.get(code, ChargerStatus.UNKNOWN)


def model_from_part_number(part_number: str | None, name: str | None = None) -> str | None:
    """Name the model from the part number's prefix.

    An unknown prefix (or no part number) falls back to the chargerType in a
    default name ("PulsarMax SN 1" -> "Pulsar Max"), then to UNKNOWN_MODEL (or
    None without a part number: nothing tells that there is a model to name).
    """
    upper = (part_number or "").upper()
    for prefix, model in MODEL_PREFIXES:
        if upper.startswith(prefix):
            return model
    default_name = _DEFAULT_NAME.fullmatch(name.strip()) if name else None
    if default_name is not None and default_name.group(1).lower() != "wallbox":
        return _WORD_BREAK.sub(" ", default_name.group(1))
    return UNKNOWN_MODEL if part_number else None


def is_bidirectional(part_number: str | None) -> bool:
    """Quasar chargers can discharge the car, so their current may go negative."""
    return bool(part_number) and str(part_number).upper().startswith("QS")


def icp_sign(value: Any) -> int | None:
    """The sign of ``icp_max_current`` as the cloud has it: -1, 1, or None for 0 or junk.

    Seed 003: positive while power boost is on (``home_sharing`` 1), negative
    while it is off; the magnitude is the supply limit either way.
    """
    icp = as_float(value)
    if not icp:
        return None
    return -1 if icp < 0 else 1


def status_icp_sign(payload: Mapping[str, Any]) -> int | None:
    """The sign of the power-boost limit in a status JSON that parse_status accepted."""
    return icp_sign(payload["config_data"].get("icp_max_current"))


def eco_smart_mode(raw: Any) -> EcoSmartMode | None:
    """Read ``config_data.ecosmart``; None when the model has no Eco-Smart."""
    if not isinstance(raw, Mapping):
        return None
    if not as_bool(raw.get("enabled")):  # "0" is off; so is anything unreadable
        return EcoSmartMode.OFF
    return EcoSmartMode.FULL_SOLAR if as_int(raw.get("mode")) == 1 else EcoSmartMode.ECO_MODE


def plan_features(plan: Mapping[str, Any]) -> frozenset[str]:
    """The names in ``plan.features``; none when it is not a list (e.g. ``true``)."""
    features = plan.get("features")
    if not isinstance(features, list):
        return frozenset()
    return frozenset(item for item in features if isinstance(item, str))


def status_code_of(value: Any) -> int:
    """``status_id`` as a whole number (also as text); raise when there is none.

    Not finite (``1e999``), beyond any float (``10**309``), a fraction, a boolean,
    an object or a list: UnexpectedResponseError, never a Python error.
    """
    number = as_float(value)
    if number is None or not number.is_integer():
        raise UnexpectedResponseError("Status answer without a valid status_id")
    return int(number)


def parse_status(charger_id: str, payload: Any) -> Charger:
    """Turn the status JSON into a Charger; raise on a payload of another shape."""
    if not isinstance(payload, Mapping) or not isinstance(payload.get("config_data"), Mapping):
        raise UnexpectedResponseError("Status answer without config_data")
    config: Mapping[str, Any] = payload["config_data"]
    software = _mapping(config.get("software"))
    currency = _mapping(config.get("currency"))
    plan = _mapping(config.get("plan"))
    part_number = _str(config.get("part_number"))
    max_available = as_float(payload.get("max_available_power"))
    if max_available is None:
        max_available = as_float(config.get("max_available_current"))
    icp = as_float(config.get("icp_max_current"))
    bidirectional = is_bidirectional(part_number)

    features = set(CHARGER_FEATURES)
    connector_features = set(CONNECTOR_FEATURES)
    eco_smart = eco_smart_mode(config.get("ecosmart"))
    if eco_smart is not None:
        features.add(Feature.ECO_SMART)
    state_of_charge = as_float(payload.get("state_of_charge"))
    if state_of_charge is not None:
        # Most chargers never learn the car's battery level: no sensor until one does.
        connector_features.add(Feature.STATE_OF_CHARGE)
    if icp and "POWER_BOOST" in plan_features(plan):
        # A negative limit is power boost switched off, the limit kept (seed 003).
        features.add(Feature.ICP_MAX_CURRENT)
    if bidirectional:
        connector_features.add(Feature.DISCHARGED_ENERGY)

    power_kw = as_float(payload.get("charging_power"))
    charging_power = None if power_kw is None else as_float(round(power_kw * 1000, 1))
    min_current = 6.0
    if bidirectional and max_available is not None:
        min_current = -max_available
    status_code = status_code_of(payload.get("status_id"))

    connector = Connector(
        connector_id=CONNECTOR_ID,
        status=status_from_code(status_code),
        status_code=status_code,
        charging_power=charging_power,  # None when kW -> W overflows
        session_energy=as_float(payload.get("added_energy")),
        session_green_energy=as_float(payload.get("added_green_energy")),
        session_grid_energy=as_float(payload.get("added_grid_energy")),
        session_discharged_energy=(
            as_float(payload.get("added_discharged_energy")) if bidirectional else None
        ),
        added_range=as_float(payload.get("added_range")),
        charging_time=as_float(payload.get("charging_time")),
        state_of_charge=state_of_charge,
        features=frozenset(connector_features),
    )
    name = _str(payload.get("name")) or _str(config.get("name")) or charger_id
    return Charger(
        device_id=charger_id,
        name=name,
        manufacturer="Wallbox",
        model=model_from_part_number(part_number, name),
        model_id=part_number,
        serial_number=_str(config.get("serial_number")) or charger_id,
        firmware_version=_str(software.get("currentVersion")),
        latest_firmware_version=_str(software.get("latestVersion")),
        update_available=as_bool(software.get("updateAvailable")),
        max_available_current=max_available,
        min_charging_current=min_current,
        max_charging_current=as_float(config.get("max_charging_current")),
        locked=as_bool(config.get("locked")),
        energy_price=as_float(config.get("energy_price")),
        currency=_str(currency.get("code")),
        icp_max_current=None if icp is None else abs(icp),
        eco_smart=eco_smart,
        features=frozenset(features),
        connectors=(connector,),
    )


# --- answers other than the status ---------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class ChargerData:
    """What a ``PUT v2/charger`` answer confirms (``data.chargerData``); None: not confirmed."""

    locked: bool | None = None
    max_charging_current: float | None = None
    status_code: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ConfigData:
    """What a ``POST chargers/config`` answer confirms.

    ``values``: ``energy_price`` and ``icp_max_current`` (the limit, without its
    sign) as far as the answer has them; ``icp_sign``: the sign the cloud keeps
    on the limit (-1 while power boost is off), None when it does not tell.
    """

    values: Mapping[str, float]
    icp_sign: int | None = None


def parse_groups(body: Any) -> list[DeviceRef]:
    """The chargers of every group of ``GET v3/chargers/groups``.

    ``result.groups`` must be a list, and each charger an object with an id (a
    whole number or text). A group that is not an object (``null``) or has no
    charger list holds no chargers.
    """
    result = body.get("result") if isinstance(body, Mapping) else None
    groups = result.get("groups") if isinstance(result, Mapping) else None
    if not isinstance(groups, list):
        raise UnexpectedResponseError("Groups answer of an unknown shape")
    refs: list[DeviceRef] = []
    for group in groups:
        chargers = group.get("chargers") if isinstance(group, Mapping) else None
        for charger in chargers if isinstance(chargers, list) else ():
            device_id = _charger_id(charger.get("id")) if isinstance(charger, Mapping) else None
            if device_id is None:
                raise UnexpectedResponseError("Groups answer with a charger without an id")
            name = charger.get("name")
            refs.append(
                DeviceRef(
                    device_id=device_id,
                    name=name if isinstance(name, str) and name else device_id,
                    kind=DeviceKind.CHARGER,
                )
            )
    return refs


def _charger_id(value: Any) -> str | None:
    """A charger id: a whole number (Wallbox's) or a non-empty text."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, str)):
        return _str(value)
    return None


def parse_charger_data(answer: Any) -> ChargerData:
    """What ``data.chargerData`` of a ``PUT v2/charger`` answer confirms.

    The answer is a success (2xx): a field missing or unreadable confirms
    nothing (None) but is no error, whatever the shape of the answer.
    """
    data = answer.get("data") if isinstance(answer, Mapping) else None
    charger = data.get("chargerData") if isinstance(data, Mapping) else None
    if not isinstance(charger, Mapping):
        return ChargerData()
    try:
        status_code: int | None = status_code_of(charger.get("status"))
    except UnexpectedResponseError:
        status_code = None
    return ChargerData(
        locked=as_bool(charger.get("locked")),
        max_charging_current=as_float(charger.get("maxChargingCurrent")),
        status_code=status_code,
    )


def parse_config_answer(answer: Any, sent: Mapping[str, Any]) -> dict[str, float]:
    """The values a ``POST chargers/config`` answer confirms (none: an empty dict).

    The answer is a success (2xx), so a value missing, even the one just set
    (``sent``), is no error: it is simply not confirmed.
    """
    if not isinstance(answer, Mapping):
        return {}
    values = {key: as_float(answer.get(key)) for key in ("energy_price", "icp_max_current")}
    icp = values["icp_max_current"]
    if icp is not None:
        values["icp_max_current"] = abs(icp)  # the limit; its sign is power boost off
    return {key: value for key, value in values.items() if value is not None}


def parse_config_data(answer: Any, sent: Mapping[str, Any]) -> ConfigData:
    """The values and the power-boost sign a ``POST chargers/config`` answer confirms."""
    icp = answer.get("icp_max_current") if isinstance(answer, Mapping) else None
    return ConfigData(values=parse_config_answer(answer, sent), icp_sign=icp_sign(icp))
