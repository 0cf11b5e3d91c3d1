"""What the simulated Podero cloud holds, and the lookups every part of it shares.

`PoderoState` keeps the organisations, users, wallboxes and EVs; the parts of
`SimulatedPodero` (tokens, devices, reads, world, commands) are mixins on top of it.
Every lookup of a device brings the EVs up to the clock first.
"""

from collections.abc import Mapping

from simulator.clock import Clock
from simulator.cloudstate import CloudState

from .errors import NOT_FOUND, PoderoError
from .model import (
    PoderoDevice,
    PoderoOrg,
    PoderoSettings,
    PoderoUser,
    PoderoVehicle,
    PoderoWallbox,
    stable_uuid,
)
from .physics import advance


class PoderoState(CloudState[PoderoSettings]):
    """The cloud's state, its reset and the lookups of organisations, users and devices."""

    name = "podero"

    def __init__(self, clock: Clock) -> None:
        super().__init__(clock, PoderoSettings)
        self._orgs: dict[str, PoderoOrg] = {}
        self._users: dict[str, PoderoUser] = {}
        self._wallboxes: dict[str, PoderoWallbox] = {}
        self._vehicles: dict[str, PoderoVehicle] = {}
        self._counter = 0

    def reset(self) -> None:
        """Forget everything (organisations, devices, tokens, faults, limits, settings)."""
        self._orgs.clear()
        self._users.clear()
        self._wallboxes.clear()
        self._vehicles.clear()
        self._counter = 0
        self.reset_shared()

    def _new_id(self, kind: str) -> str:
        self._counter += 1
        return stable_uuid(kind, self._counter)

    def org(self, org_id: str) -> PoderoOrg:
        return _found(self._orgs, org_id)

    def user(self, user_id: str) -> PoderoUser:
        return _found(self._users, user_id)

    def _sync(self) -> None:
        """Bring every EV (and the wallbox it is plugged into) up to the clock."""
        now = self.clock.now()
        for ev in self._vehicles.values():
            advance(ev, self._wallbox_of(ev), now, self.settings.boost_start_delay)

    def _wallbox_of(self, ev: PoderoVehicle) -> PoderoWallbox | None:
        return None if ev.wallbox_id is None else self._wallboxes[ev.wallbox_id]

    def _vehicle_in(self, wallbox: PoderoWallbox) -> PoderoVehicle | None:
        return None if wallbox.vehicle_id is None else self._vehicles[wallbox.vehicle_id]

    def wallbox(self, wallbox_id: str) -> PoderoWallbox:
        """The wallbox with its state brought up to the clock."""
        wallbox = _found(self._wallboxes, wallbox_id)
        self._sync()
        return wallbox

    def vehicle(self, vehicle_id: str) -> PoderoVehicle:
        """The EV with its state brought up to the clock."""
        vehicle = _found(self._vehicles, vehicle_id)
        self._sync()
        return vehicle

    def device(self, device_id: str) -> PoderoDevice:
        if device_id in self._wallboxes:
            return self.wallbox(device_id)
        return self.vehicle(device_id)

    def user_wallbox(self, user: PoderoUser, wallbox_id: str) -> PoderoWallbox:
        """A wallbox of this user, else 404."""
        return self.wallbox(listed_or_404(user.wallbox_ids, wallbox_id))

    def user_vehicle(self, user: PoderoUser, vehicle_id: str) -> PoderoVehicle:
        """An EV of this user, else 404."""
        return self.vehicle(listed_or_404(user.vehicle_ids, vehicle_id))

    def _devices_of(self, user: PoderoUser) -> tuple[list[PoderoWallbox], list[PoderoVehicle]]:
        return (
            [self._wallboxes[i] for i in user.wallbox_ids],
            [self._vehicles[i] for i in user.vehicle_ids],
        )

    def _plugged(self, device: PoderoDevice) -> bool:
        if isinstance(device, PoderoWallbox):
            return device.vehicle_id is not None
        return isinstance(device, PoderoVehicle) and device.plugged_in


def _found[K, V](table: Mapping[K, V], key: K) -> V:
    """The entry of `key`, else 404 Not found."""
    try:
        return table[key]
    except KeyError:
        raise PoderoError(404, NOT_FOUND) from None


def listed_or_404(ids: list[str], wanted: str) -> str:
    """`wanted` when it is one of `ids` (an owner's devices or users), else 404 Not found."""
    if wanted not in ids:
        raise PoderoError(404, NOT_FOUND)
    return wanted
