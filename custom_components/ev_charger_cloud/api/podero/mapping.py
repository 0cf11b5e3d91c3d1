"""Podero's wallboxes, vehicles and charging configuration in the neutral model.

Podero has no device names and reports a wallbox's state as a ``mode`` pill
plus flags. A wallbox becomes a Charger with one connector "1"; its status, in
this order:

===============================================  ==========================
Podero                                           ChargerStatus
===============================================  ==========================
``mode`` UNAVAILABLE (offline, lost upstream)    DISCONNECTED
``is_pause_power_active``                        PAUSED (also without a car:
                                                 the pause can be lifted)
``mode`` CHARGING                                CHARGING
``mode`` PLUGGED_IN, ``is_fully_charged``        WAITING_FOR_CAR_DEMAND
``mode`` PLUGGED_IN                              WAITING (Podero's schedule
                                                 or the sun decides)
``mode`` READY                                   READY
``mode`` UNKNOWN or absent: the same from        as above
``is_charging`` / ``is_plugged_in``
nothing tells                                    UNKNOWN
===============================================  ==========================

A vehicle becomes a Vehicle, and the user's charging configuration the
account's settings (an AccountSettings device).
"""

from __future__ import annotations

from typing import Any

from ..models import (
    AccountSettings,
    BoostState,
    Charger,
    ChargerStatus,
    ChargingMode,
    Connector,
    Device,
    DeviceKind,
    Feature,
    Health,
    Vehicle,
)
from .models import (
    PoderoActionCode,
    PoderoChargingConfig,
    PoderoChargingMode,
    PoderoConnection,
    PoderoDevice,
    PoderoMode,
    PoderoVehicle,
    PoderoWallbox,
)

CONNECTOR_ID = "1"
ACCOUNT_NAME = "Podero"
UNKNOWN_MANUFACTURER = "Unknown"


def to_device(device: PoderoDevice) -> Device:
    """The neutral model of a Podero wallbox or vehicle."""
    if isinstance(device, PoderoWallbox):
        return to_charger(device)
    if isinstance(device, PoderoVehicle):
        return to_vehicle(device)
    raise TypeError(f"Not a Podero wallbox or vehicle: {type(device).__name__}")


def device_kind(device: PoderoDevice) -> DeviceKind:
    """A wallbox is a charger, anything else a vehicle."""
    return DeviceKind.CHARGER if isinstance(device, PoderoWallbox) else DeviceKind.VEHICLE


def device_name(device: PoderoDevice) -> str:
    """Podero has no device names: the partner's comment, else the make and model."""
    if device.comment:
        return device.comment.strip()
    make_model = " ".join(part for part in (device.manufacturer, device.model) if part)
    if make_model:
        return make_model
    return "Wallbox" if isinstance(device, PoderoWallbox) else "Electric vehicle"


def _identity(device: PoderoDevice) -> dict[str, Any]:
    """What wallboxes and vehicles tell alike about themselves, as model fields."""
    return {
        "device_id": device.id,
        "name": device_name(device),
        "manufacturer": device.manufacturer or UNKNOWN_MANUFACTURER,
        "model": device.model,
        "reconnect_needed": reconnect_needed(device),
    }


def _mode(device: PoderoDevice) -> PoderoMode | None:
    """The ``mode`` pill; when absent or unknown, the same from the flags (None: no telling)."""
    if device.mode is not None and device.mode is not PoderoMode.UNKNOWN:
        return device.mode
    if device.is_charging:
        return PoderoMode.CHARGING
    if device.is_plugged_in is not None:
        return PoderoMode.PLUGGED_IN if device.is_plugged_in else PoderoMode.READY
    return None


_MODE_STATUS: dict[PoderoMode | None, ChargerStatus] = {
    PoderoMode.CHARGING: ChargerStatus.CHARGING,
    # Plugged in, not charging, not paused: Podero's schedule or the sun decides.
    PoderoMode.PLUGGED_IN: ChargerStatus.WAITING,
    PoderoMode.READY: ChargerStatus.READY,
}


def connector_status(wallbox: PoderoWallbox) -> ChargerStatus:
    """A wallbox's status in the shared vocabulary (see the module's table)."""
    mode = _mode(wallbox)
    if mode is PoderoMode.UNAVAILABLE:
        return ChargerStatus.DISCONNECTED
    if wallbox.is_pause_power_active:
        # The user's pause wins over a charge the cloud has not caught up with yet.
        return ChargerStatus.PAUSED
    if mode is PoderoMode.PLUGGED_IN and wallbox.is_fully_charged:
        return ChargerStatus.WAITING_FOR_CAR_DEMAND
    return _MODE_STATUS.get(mode, ChargerStatus.UNKNOWN)


def to_charger(wallbox: PoderoWallbox) -> Charger:
    """A wallbox: one connector with its status and power; pause and resume always work.

    ``total_energy_delivered_wh`` is taken as the cloud's own meter reading: Podero
    does not say whether it counts the wallbox's lifetime, so the Total energy
    sensor is ``total_increasing`` and a drop reads as a new meter cycle.
    """
    total = wallbox.total_energy_delivered_wh
    connector_values: dict[Feature, Any] = {
        Feature.TOTAL_ENERGY: total,
        Feature.PLUGGED_IN: wallbox.is_plugged_in,
        Feature.CHARGING_STATE: wallbox.is_charging,
        **_energy_and_remaining_features(wallbox),
    }
    connector = Connector(
        connector_id=CONNECTOR_ID,
        status=connector_status(wallbox),
        charging_power=wallbox.charge_rate_w,
        total_energy=None if total is None else total / 1000,
        plugged_in=wallbox.is_plugged_in,
        charging=wallbox.is_charging,
        **_energy_and_remaining(wallbox),
        features=_known(connector_values) | {Feature.CHARGING_POWER, Feature.PAUSE_RESUME},
    )
    values: dict[Feature, Any] = {
        Feature.CONNECTIVITY: _online(wallbox),
        Feature.MAX_CHARGING_POWER: wallbox.charge_power_max_w,
        Feature.PHASES: wallbox.phases,
        Feature.SMART_OPTIMIZATION: wallbox.is_smart_optimization_active,
    }
    return Charger(
        **_identity(wallbox),
        firmware_version=wallbox.firmware_version,
        # Every wallbox takes a boost; a switch where its state is reported, else buttons.
        features=_known(values) | {Feature.CLOUD_HEALTH, Feature.BOOST},
        online=values[Feature.CONNECTIVITY],
        connection_status=Health(wallbox.connection_status.value),
        monitoring_status=Health(wallbox.monitoring_status.value),
        steering_status=Health(wallbox.steering_status.value),
        max_charging_power=wallbox.charge_power_max_w,
        phases=wallbox.phases,
        smart_optimization=wallbox.is_smart_optimization_active,
        boost_state=None if wallbox.boost_state is None else BoostState(wallbox.boost_state.value),
        connectors=(connector,),
    )


def _online(device: PoderoDevice) -> bool | None:
    """``connection``: online or not; None when Podero does not know."""
    if device.connection is None or device.connection is PoderoConnection.UNKNOWN:
        return None
    return device.connection is PoderoConnection.ONLINE


def _energy_and_remaining(device: PoderoDevice) -> dict[str, Any]:
    """The rolling energy windows and the time to the charge target, as model fields."""
    remaining = device.charge_time_remaining
    return {
        "energy_last_day": device.consumption_last_day_kwh,
        "energy_last_week": device.consumption_last_week_kwh,
        "energy_last_month": device.consumption_last_month_kwh,
        "charge_time_remaining": None if remaining is None else float(remaining),
    }


def _energy_and_remaining_features(device: PoderoDevice) -> dict[Feature, Any]:
    """The features those fields stand for (a feature counts once its value is known)."""
    windows = (
        device.consumption_last_day_kwh,
        device.consumption_last_week_kwh,
        device.consumption_last_month_kwh,
    )
    return {
        Feature.ENERGY_HISTORY: next((value for value in windows if value is not None), None),
        Feature.CHARGE_TIME_REMAINING: device.charge_time_remaining,
    }


def _known(values: dict[Feature, Any]) -> frozenset[Feature]:
    """The features whose value is known."""
    return frozenset(feature for feature, value in values.items() if value is not None)


def to_vehicle(vehicle: PoderoVehicle) -> Vehicle:
    """A vehicle; it reports a feature once its value is known."""
    capacity = vehicle.battery_capacity_kwh
    boost = None if vehicle.boost_state is None else BoostState(vehicle.boost_state.value)
    values: dict[Feature, Any] = {
        Feature.BATTERY_LEVEL: vehicle.battery_level,
        Feature.DRIVING_RANGE: vehicle.driving_range,
        Feature.CHARGING_POWER: vehicle.charge_rate_w,
        Feature.PLUGGED_IN: vehicle.is_plugged_in,
        Feature.CHARGING_STATE: vehicle.is_charging,
        Feature.CHARGE_LIMIT: vehicle.minimum_charge_limit,
        Feature.CHARGE_DEADLINE: vehicle.charge_deadline_at,
        # Podero sends 0 for a capacity it does not know.
        Feature.BATTERY_CAPACITY: capacity if capacity else None,
        Feature.SMART_OPTIMIZATION: vehicle.is_smart_optimization_active,
        Feature.CHARGE_POLICY: vehicle.is_charge_policy_enabled,
        Feature.PAUSE_RESUME: vehicle.is_pause_power_active,
        Feature.BOOST: boost,
        Feature.LOCATION: None if vehicle.longitude is None else vehicle.latitude,
        **_energy_and_remaining_features(vehicle),
    }
    limit = vehicle.minimum_charge_limit
    return Vehicle(
        **_identity(vehicle),
        features=_known(values),
        battery_level=vehicle.battery_level,
        driving_range=vehicle.driving_range,
        charging_power=vehicle.charge_rate_w,
        plugged_in=vehicle.is_plugged_in,
        charging=vehicle.is_charging,
        fully_charged=vehicle.is_fully_charged,
        minimum_charge_limit=None if limit is None else float(limit),
        charge_deadline=vehicle.charge_deadline_at,
        charge_policy_enabled=vehicle.is_charge_policy_enabled,
        smart_optimization=vehicle.is_smart_optimization_active,
        paused=vehicle.is_pause_power_active,
        boost_state=boost,
        battery_capacity=values[Feature.BATTERY_CAPACITY],
        latitude=vehicle.latitude,
        longitude=vehicle.longitude,
        **_energy_and_remaining(vehicle),
    )


def reconnect_needed(device: PoderoDevice) -> bool:
    """Podero lost access to the device at its maker: a ``reauthenticate`` action is pending.

    Vehicle lists carry only ``action_needed`` (the details add the actions), which
    Podero sets for actions the partner must take before the device works again.
    """
    return device.action_needed is True or any(
        action.code is PoderoActionCode.REAUTHENTICATE for action in device.actions
    )


def to_account(device_id: str, config: PoderoChargingConfig) -> AccountSettings:
    """The user's charging configuration as the account's settings.

    Podero lists which modes can be chosen now; when it lists none, all can.
    """
    known = [mode for mode in ChargingMode if mode is not ChargingMode.UNKNOWN]
    listed = [
        ChargingMode(option.mode.value)
        for option in config.available_modes
        if option.mode is not PoderoChargingMode.UNKNOWN
    ]
    available = tuple(
        mode for mode in (listed or known) if config.is_available(PoderoChargingMode(mode.value))
    )
    mode = None if config.mode is None else ChargingMode(config.mode.value)
    return AccountSettings(
        device_id=device_id,
        name=ACCOUNT_NAME,
        manufacturer=ACCOUNT_NAME,
        model="Account",
        features=frozenset({Feature.CHARGING_MODE}),
        charging_mode=mode,
        available_charging_modes=available,
    )
