"""The neutral read-all: a client without lists of full devices reads them one by one."""

from __future__ import annotations

from typing import Any

from custom_components.ev_charger_cloud.api import (
    Account,
    Charger,
    ChargerCloudClient,
    Device,
    DeviceKind,
    DeviceRef,
    Vehicle,
)

DEVICES: dict[str, Device] = {
    "c": Charger(device_id="c", name="Charger", manufacturer="Acme"),
    "v": Vehicle(device_id="v", name="Car", manufacturer="Acme"),
}


class ListingClient(ChargerCloudClient):
    """Discovery and single reads only; counts the reads."""

    def __init__(self) -> None:
        self.reads: list[str] = []

    async def async_authenticate(self) -> Account:
        return Account(unique_id="a", title="a")

    async def async_discover(self) -> list[DeviceRef]:
        return [DeviceRef(device_id=d, name=d, kind=DEVICES[d].kind) for d in DEVICES]

    async def async_get_device(self, device_id: str) -> Device:
        self.reads.append(device_id)
        return DEVICES[device_id]

    def diagnostics(self) -> dict[str, Any]:
        return {}


async def test_read_all_falls_back_to_discovery_and_reads() -> None:
    """Every discovered device, read in the order found."""
    client = ListingClient()
    devices = await client.async_read_all()
    assert devices == list(DEVICES.values())
    assert client.reads == ["c", "v"]
    assert [d.kind for d in devices] == [DeviceKind.CHARGER, DeviceKind.VEHICLE]
