"""What a device or connector reports or lets the user control, in the shared vocabulary.

A client names a device's features once their values are known; the Home
Assistant side creates an entity per feature. Part of the neutral model
(``models.py`` re-exports it).
"""

from __future__ import annotations

from enum import StrEnum


class Feature(StrEnum):
    """What a device or connector reports or lets the user control; entities follow these."""

    CHARGING_POWER = "charging_power"
    SESSION_ENERGY = "session_energy"
    SESSION_ENERGY_SPLIT = "session_energy_split"
    ADDED_RANGE = "added_range"
    CHARGING_TIME = "charging_time"
    STATE_OF_CHARGE = "state_of_charge"
    MAX_AVAILABLE_CURRENT = "max_available_current"
    FIRMWARE = "firmware"
    PAUSE_RESUME = "pause_resume"
    LOCK = "lock"
    MAX_CHARGING_CURRENT = "max_charging_current"
    ENERGY_PRICE = "energy_price"
    ICP_MAX_CURRENT = "icp_max_current"
    ECO_SMART = "eco_smart"
    RESUME_SCHEDULE = "resume_schedule"
    RESTART = "restart"
    BATTERY_LEVEL = "battery_level"
    DRIVING_RANGE = "driving_range"
    BATTERY_CAPACITY = "battery_capacity"
    PLUGGED_IN = "plugged_in"
    # Whether a vehicle is charging and whether it is full.
    CHARGING_STATE = "charging_state"
    # A vehicle's charge target: the minimum level to reach and the time to reach it by.
    CHARGE_LIMIT = "charge_limit"
    CHARGE_DEADLINE = "charge_deadline"
    # A meter reading kept by the cloud (not summed up from sessions by the integration).
    TOTAL_ENERGY = "total_energy"
    # Energy a bidirectional charger took from the car (per session, reset like session energy).
    DISCHARGED_ENERGY = "discharged_energy"
    # Energy used over the last day, week and month (rolling windows).
    ENERGY_HISTORY = "energy_history"
    CHARGE_TIME_REMAINING = "charge_time_remaining"
    # The cloud's own view of a device: connection, monitoring and steering health.
    CLOUD_HEALTH = "cloud_health"
    # Whether the device is online at the cloud.
    CONNECTIVITY = "connectivity"
    MAX_CHARGING_POWER = "max_charging_power"
    PHASES = "phases"
    # The cloud's smart optimisation of a device (on or off).
    SMART_OPTIMIZATION = "smart_optimization"
    # Whether a vehicle's charge target (limit and deadline) is in force.
    CHARGE_POLICY = "charge_policy"
    # Charge now: a switch where the cloud reports the boost state, else buttons.
    BOOST = "boost"
    # A session a connector starts and stops (not a pause of a running session).
    START_STOP = "start_stop"
    # When the running session started.
    SESSION_STARTED = "session_started"
    # When the charger last reported to its cloud.
    LAST_HEARTBEAT = "last_heartbeat"
    # What a connector is built for: its rated power and current.
    RATED_POWER = "rated_power"
    MAX_CURRENT = "max_current"
    # Where a vehicle is (personal data: its entity starts disabled).
    LOCATION = "location"
    # How the account's cloud decides when its devices charge (one mode for all).
    CHARGING_MODE = "charging_mode"
