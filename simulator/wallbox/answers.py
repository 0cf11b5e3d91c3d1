"""JSON documents of the Wallbox API, built from the model (shapes follow the real cloud)."""

import time
from typing import Any

from .model import (
    CURRENCIES,
    ListShape,
    StatusShape,
    TokenGrant,
    WallboxAccount,
    WallboxCharger,
)
from .physics import Flow, added_range_km


def _utc(at: float, fmt: str) -> str:
    return time.strftime(fmt, time.gmtime(at))


def token_json(grant: TokenGrant) -> dict[str, Any]:
    """Answer of sign-in and refresh; ttl values are epoch milliseconds."""
    return {
        "data": {
            "attributes": {
                "token": grant.token,
                "ttl": grant.ttl_ms,
                "refresh_token": grant.refresh_token,
                "refresh_token_ttl": grant.refresh_ttl_ms,
                "user_id": grant.user_id,
            }
        }
    }


def error_json(status: int, title: str) -> dict[str, Any]:
    """Error body the cloud uses for every failure."""
    return {"errors": [{"status": status, "title": title}]}


def list_entry_json(charger: WallboxCharger, flow: Flow) -> dict[str, Any]:
    """A charger's entry of the account's list, with what its ListShape carries."""
    entry: dict[str, Any] = {
        "id": charger.id,
        "uid": charger.uid,
        "name": charger.name,
        "chargerType": charger.charger_type,
        "softwareVersion": charger.firmware,
    }
    if charger.list_shape is ListShape.NO_STATUS:
        return entry
    entry["status"] = int(flow.status)
    if charger.list_shape is ListShape.LIVE:
        session = charger.session
        entry |= {
            "chargingPower": round(flow.power_kw, 2),  # kW, as in the status JSON
            "addedEnergy": round(session.added_energy, 3),  # kWh
            "chargingTime": int(session.charging_time),
            "locked": int(charger.locked),
            "maxChargingCurrent": charger.max_charging_current,
            # The seed's config_data value; what the list sends is not documented.
            "connectionType": 1,
        }
    return entry


def groups_json(
    account: WallboxAccount, chargers: list[WallboxCharger], flows: dict[int, Flow]
) -> dict[str, Any]:
    """`GET v3/chargers/groups`: one group per account holding all its chargers."""
    return {
        "result": {
            "groups": [
                {
                    "id": account.group_id,
                    "uid": account.group_uid,
                    "name": f"{account.display_name}'s chargers",
                    "chargers": [list_entry_json(c, flows[c.id]) for c in chargers],
                }
            ]
        }
    }


def config_data_json(
    charger: WallboxCharger, account: WallboxAccount, now: float
) -> dict[str, Any]:
    """`config_data` of the status JSON, also the answer of `POST chargers/config/{id}`."""
    currency_name, currency_symbol, currency_code = CURRENCIES[charger.currency_id]
    data: dict[str, Any] = {
        "charger_id": charger.id,
        "uid": charger.uid,
        "serial_number": charger.serial_number,
        "name": charger.name,
        "locked": int(charger.locked),
        "auto_lock": 0,
        "auto_lock_time": 60,
        "multiuser": 0,
        "max_charging_current": charger.max_charging_current,
        **_since_2024(
            charger,
            {"max_charging_unit": "amp", "max_charging_value": charger.max_charging_current},
        ),
        "language": "EN",
        "icp_max_current": charger.icp_max_current,
        "grid_type": 1,
        "energy_price": charger.energy_price,
        "energyCost": {"value": charger.energy_price, "inheritedGroupId": None},
        "unlock_user_id": account.user_id,
        "power_sharing_config": 256,
        "purchased_power": 0,
        "show_name": 1,
        "show_lastname": 1,
        "show_email": 1,
        "show_profile": 1,
        "show_default_user": 1,
        "gesture_status": 7,
        "home_sharing": int(charger.home_sharing),
        "dca_status": 0,
        "connection_type": 1,
        "max_available_current": charger.max_available_current,
        "live_refresh_time": 30,
        "update_refresh_time": 300,
        "owner_id": account.user_id,
        "remote_action": 0,
        "rfid_type": None,
        "charger_has_image": 0,
        "sha256_charger_image": None,
        "plan": {"plan_name": "Basic", "features": charger.plan_features},
        "sync_timestamp": int(now),
        "currency": {
            "id": charger.currency_id,
            "name": currency_name,
            "symbol": currency_symbol,
            "code": currency_code,
        },
        "charger_load_type": "Private",
        "contract_charging_available": False,
        "country": {
            "id": 4,
            "code": "DEU",
            "iso2": "DE",
            "name": "ALEMANIA",
            "phone_code": "49",
        },
        "state": None,
        "timezone": "Europe/Berlin",
        "part_number": charger.part_number,
        "software": {
            "updateAvailable": charger.update_available,
            "currentVersion": charger.firmware,
            "latestVersion": charger.latest_firmware,
            "fileName": _firmware_file(charger),
        },
        "available": 1,
        "operation_mode": _operation_mode(charger),
        "ocpp_ready": "ocpp_1.6j",
        "tariffs": [],
        "mid_enabled": 0,
        "mid_margin": 1,
        "mid_margin_unit": 1,
        "mid_serial_number": "",
        "mid_status": 1,
        "session_segment_length": 0,
        "group_id": account.group_id,
        "user_socket_locking": 0,
        "sim_iccid": None,
        **_since_2024(charger, {"home_power_export_setpoint": None}),
    }
    if charger.status_shape is StatusShape.CAPTURED_2026:
        data["phase_switch"] = {"enabled": False}
        data["zipcode"] = None
    if charger.eco_smart is not None:
        # A boolean here although the PUT body uses 0/1, as in the real API.
        data["ecosmart"] = {
            "enabled": charger.eco_smart.enabled,
            "mode": int(charger.eco_smart.mode),
            "percentage": charger.eco_smart.percentage,
        }
    return data


def _since_2024(charger: WallboxCharger, keys: dict[str, Any]) -> dict[str, Any]:
    """Keys real answers carry since 2024 (none in the 2023 community doc's shape)."""
    return {} if charger.status_shape is StatusShape.COMMUNITY_2023 else keys


def _grid_and_pru(charger: WallboxCharger) -> dict[str, Any]:
    """`grid` and `pru`: null statuses in 2024 answers, 0 in 2026 ones (meaning unknown)."""
    status = 0 if charger.status_shape is StatusShape.CAPTURED_2026 else None
    return {"grid": {"status": status}, "pru": {"status": status}}


def _operation_mode(charger: WallboxCharger) -> str:
    return "wallbox" if charger.status_shape is StatusShape.CAPTURED_2024 else "ocpp"


def _firmware_file(charger: WallboxCharger) -> str:
    """`plp1_5.17.59.tar` in 2023 and 2024 answers, `plp1.tar` in 2026 ones."""
    if charger.status_shape is StatusShape.CAPTURED_2026:
        return f"{charger.firmware_prefix}.tar"
    return f"{charger.firmware_prefix}_{charger.latest_firmware}.tar"


def _total_energy(charger: WallboxCharger) -> float | str:
    """`resume.totalEnergy` of v2/charger: a number in the 2023 shape, text since."""
    total = round(charger.total_energy, 3)
    return total if charger.status_shape is StatusShape.COMMUNITY_2023 else f"{total:.3f}"


def state_of_charge(charger: WallboxCharger) -> int | None:
    """Car SoC in %, only from chargers that can read it and with a car plugged in."""
    if not charger.reports_soc or charger.car is None:
        return None
    return round(charger.car.soc_percent)


def status_json(
    charger: WallboxCharger, account: WallboxAccount, flow: Flow, now: float
) -> dict[str, Any]:
    """`GET chargers/status/{id}`."""
    session = charger.session
    return {
        "user_id": account.user_id,
        "user_name": account.display_name,
        "car_id": 1,
        "car_plate": "",
        "depot_price": charger.energy_price,
        "last_sync": _utc(now, "%Y-%m-%d %H:%M:%S"),
        "power_sharing_status": 0,
        "mid_status": 1,
        "status_id": int(flow.status),
        "name": charger.name,
        "charging_power": round(flow.power_kw, 2),
        "max_available_power": charger.max_available_current,
        "depot_name": f"{account.display_name}'s home",
        # Unit undocumented; real answers send 0, also while charging at 11 kW.
        "charging_speed": 0,
        "added_range": added_range_km(charger),
        "added_energy": round(session.added_energy, 3),
        "added_green_energy": round(session.added_green_energy, 3),
        "added_discharged_energy": round(session.added_discharged_energy, 3),
        "added_grid_energy": round(session.added_grid_energy, 3),
        "charging_time": int(session.charging_time),
        "finished": session.finished,
        "cost": round(session.cost, 2),
        "current_mode": 3,
        "preventive_discharge": False,
        "state_of_charge": state_of_charge(charger),
        **_since_2024(charger, _grid_and_pru(charger)),
        "ocpp_status": 4,
        "config_data": config_data_json(charger, account, now),
    }


def charger_data_json(
    charger: WallboxCharger, account: WallboxAccount, flow: Flow, now: float
) -> dict[str, Any]:
    """`GET/PUT v2/charger/{id}`: camelCase, unlike the status JSON."""
    return {
        "data": {
            "chargerData": {
                "id": charger.id,
                "uid": charger.uid,
                "uniqueIdentifier": charger.uid[:8],
                "serialNumber": charger.serial_number,
                "name": charger.name,
                "group": account.group_id,
                "groupUid": account.group_uid,
                "chargerType": charger.charger_type,
                "softwareVersion": charger.firmware,
                "softwareUpdatedAt": int(charger.software_updated_at),
                "status": int(flow.status),
                "ocppConnectionStatus": 4,
                "ocppReady": "ocpp_1.6j",
                "stateOfCharge": state_of_charge(charger),
                "maxChgCurrent": None,
                "maxAvailableCurrent": charger.max_available_current,
                "maxChargingCurrent": charger.max_charging_current,
                "locked": int(charger.locked),
                "lastConnection": int(now),
                "lastSync": {
                    "date": _utc(now, "%Y-%m-%d %H:%M:%S.000000"),
                    "timezone_type": 3,
                    "timezone": "UTC",
                },
                "resume": {
                    "totalUsers": 1,
                    "totalSessions": charger.total_sessions,
                    "chargingTime": int(charger.total_charging_time),
                    "totalEnergy": _total_energy(charger),
                    "totalMidEnergy": 0,
                    "energyUnit": "kWh",
                },
            },
            "users": [
                {
                    "id": account.user_id,
                    "avatar": None,
                    "name": account.display_name,
                    "lastname": "Example",
                    "email": account.email,
                    "profile": "admin",
                    "isAdmin": True,
                }
            ],
        }
    }


def eco_smart_json(charger: WallboxCharger) -> dict[str, Any]:
    """Answer of the Eco-Smart PUT: the request's integer form."""
    eco = charger.eco_smart
    assert eco is not None  # callers reject chargers without Eco-Smart first
    return {
        "data": {
            "type": "eco_smart",
            "id": charger.id,
            "attributes": {
                "enabled": int(eco.enabled),
                "mode": int(eco.mode),
                "percentage": eco.percentage,
            },
        }
    }


def charger_state_json(charger: WallboxCharger, flow: Flow) -> dict[str, Any]:
    """Internal state for the control API (not a Wallbox document)."""
    car = charger.car
    eco = charger.eco_smart
    session = charger.session
    return {
        "id": charger.id,
        "account": charger.owner_email,
        "name": charger.name,
        "part_number": charger.part_number,
        "charger_type": charger.charger_type,
        "phases": charger.phases,
        "status_id": int(flow.status),
        "power_kw": flow.power_kw,
        "green_power_kw": flow.green_kw,
        "plugged": car is not None,
        "car": None
        if car is None
        else {
            "max_power_kw": car.max_power_kw,
            "battery_kwh": car.battery_kwh,
            "soc_percent": car.soc_percent,
            "target_soc": car.target_soc,
        },
        "locked": charger.locked,
        "paused": charger.paused,
        "restart_until": charger.restart_until,
        "forced_status": charger.forced_status,
        "max_charging_current": charger.max_charging_current,
        "max_available_current": charger.max_available_current,
        "solar_power_kw": charger.solar_power_kw,
        "eco_smart": None
        if eco is None
        else {
            "enabled": eco.enabled,
            "mode": int(eco.mode),
            "percentage": eco.percentage,
        },
        "power_boost": charger.power_boost,
        "icp_max_current": charger.icp_max_current,
        "home_sharing": charger.home_sharing,
        "energy_price": charger.energy_price,
        "currency_id": charger.currency_id,
        "firmware": charger.firmware,
        "latest_firmware": charger.latest_firmware,
        "reports_soc": charger.reports_soc,
        "status_shape": str(charger.status_shape),
        "list_shape": str(charger.list_shape),
        "session": {
            "added_energy": session.added_energy,
            "added_green_energy": session.added_green_energy,
            "added_grid_energy": session.added_grid_energy,
            "added_discharged_energy": session.added_discharged_energy,
            "added_range": added_range_km(charger),
            "charging_time": session.charging_time,
            "cost": session.cost,
            "finished": session.finished,
        },
        "updated_at": charger.updated_at,
    }
