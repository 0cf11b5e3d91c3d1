"""Switches: pause and resume, smart optimisation, the charge policy and boost."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import (
    ACTIVE_BOOST_STATES,
    Charger,
    ChargerCloudClient,
    ChargerStatus,
    Connector,
    Device,
    Feature,
    Target,
    Vehicle,
)
from .const import DOMAIN
from .coordinator import EVChargerCloudConfigEntry
from .entity import (
    ChargerEntity,
    ConnectorEntity,
    EVChargerCloudEntity,
    KeyTranslatedDescription,
    Subject,
    VehicleEntity,
    async_add_entities_for,
)

PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class EVChargerCloudSwitchDescription[SubjectT: Subject](
    KeyTranslatedDescription[SubjectT], SwitchEntityDescription
):
    """A switch: its state from the subject, one command to turn it on or off."""

    is_on_fn: Callable[[SubjectT], bool | None]
    set_fn: Callable[[ChargerCloudClient, Target, bool], Coroutine[Any, Any, Device | None]]
    # Raises, before anything is sent, when the cloud would refuse to switch on or off.
    check_fn: Callable[[SubjectT, bool], None] = lambda _subject, _on: None


LOCKED_STATUSES = frozenset({ChargerStatus.LOCKED, ChargerStatus.LOCKED_CAR_CONNECTED})
# Out of the cloud's reach: no command gets through.
UNREACHABLE_STATUSES = frozenset({ChargerStatus.DISCONNECTED, ChargerStatus.OFFLINE})


def _check_pause_or_resume(connector: Connector, on: bool) -> None:
    """Refuse what the cloud would: pause or resume without a session (no car, locked...)."""
    if connector.can_pause_or_resume:
        return
    if connector.status in LOCKED_STATUSES:
        raise HomeAssistantError(
            translation_domain=DOMAIN, translation_key="charger_locked_no_pause_resume"
        )
    if on:
        raise HomeAssistantError(translation_domain=DOMAIN, translation_key="no_session_to_resume")
    raise HomeAssistantError(translation_domain=DOMAIN, translation_key="no_session_to_pause")


CHARGING = EVChargerCloudSwitchDescription[Connector](
    key="charging",
    feature=Feature.PAUSE_RESUME,
    # Without a session (no car, locked...) the switch is off, not unavailable: users read
    # "unavailable" as a fault. Commands the cloud would refuse there fail with a reason.
    available_fn=lambda c: c.status not in UNREACHABLE_STATUSES,
    is_on_fn=lambda c: c.charging_enabled,
    set_fn=lambda client, target, on: client.async_set_charging(target, on),
    check_fn=_check_pause_or_resume,
)


# Thor-like clouds start and stop sessions on a connector (no pause of a running one).
START_STOP = EVChargerCloudSwitchDescription[Connector](
    key="charging",
    feature=Feature.START_STOP,
    # An offline box takes no command; an idle connector can always be asked to start.
    available_fn=lambda c: c.status not in UNREACHABLE_STATUSES,
    is_on_fn=lambda c: c.status is ChargerStatus.CHARGING,
    set_fn=lambda client, target, on: client.async_set_charging(target, on),
)


def _smart_optimization[S: Charger | Vehicle]() -> EVChargerCloudSwitchDescription[S]:
    """The cloud optimising when to charge: the same switch on chargers and vehicles."""
    return EVChargerCloudSwitchDescription[S](
        key="smart_optimization",
        feature=Feature.SMART_OPTIMIZATION,
        entity_category=EntityCategory.CONFIG,
        is_on_fn=lambda s: s.smart_optimization,
        set_fn=lambda client, target, on: client.async_set_smart_optimization(target, on),
    )


def _boost[S: Charger | Vehicle]() -> EVChargerCloudSwitchDescription[S]:
    """Charge now, on while a boost is asked for or running; where the cloud reports it."""
    return EVChargerCloudSwitchDescription[S](
        key="boost",
        supported_fn=lambda s: Feature.BOOST in s.features and s.boost_state is not None,
        is_on_fn=lambda s: s.boost_state in ACTIVE_BOOST_STATES,
        set_fn=lambda client, target, on: (
            client.async_boost(target) if on else client.async_cancel_boost(target)
        ),
    )


CHARGER_SWITCHES: tuple[EVChargerCloudSwitchDescription[Charger], ...] = (
    _smart_optimization(),
    _boost(),
)

VEHICLE_SWITCHES: tuple[EVChargerCloudSwitchDescription[Vehicle], ...] = (
    EVChargerCloudSwitchDescription[Vehicle](
        key="charging",
        feature=Feature.PAUSE_RESUME,
        # On unless the user's pause is in force: off pauses, on resumes.
        is_on_fn=lambda v: None if v.paused is None else not v.paused,
        set_fn=lambda client, target, on: client.async_set_charging(target, on),
    ),
    _smart_optimization(),
    EVChargerCloudSwitchDescription[Vehicle](
        key="charge_policy",
        feature=Feature.CHARGE_POLICY,
        entity_category=EntityCategory.CONFIG,
        is_on_fn=lambda v: v.charge_policy_enabled,
        set_fn=lambda client, target, on: client.async_set_charge_policy(target, on),
    ),
    _boost(),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: EVChargerCloudConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the switches of every connector, charger and vehicle."""
    async_add_entities_for(entry, async_add_entities, ChargingSwitch, (CHARGING, START_STOP))
    async_add_entities_for(entry, async_add_entities, ChargerSwitch, CHARGER_SWITCHES)
    async_add_entities_for(entry, async_add_entities, VehicleSwitch, VEHICLE_SWITCHES)


class EVChargerCloudSwitch[SubjectT: Subject](EVChargerCloudEntity[SubjectT], SwitchEntity):
    """A switch whose description says what it shows and sends."""

    entity_description: EVChargerCloudSwitchDescription[SubjectT]

    @property
    def is_on(self) -> bool | None:
        """The state the subject reports."""
        return self.entity_description.is_on_fn(self.subject)

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Switch on."""
        await self._async_set(True)

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Switch off."""
        await self._async_set(False)

    async def _async_set(self, on: bool) -> None:
        self.entity_description.check_fn(self.subject, on)
        set_fn = self.entity_description.set_fn
        await self.async_run(lambda client, target: set_fn(client, target, on))


class ChargingSwitch(EVChargerCloudSwitch[Connector], ConnectorEntity):
    """On while a connector's session runs; off while it is paused or there is none."""


class ChargerSwitch(EVChargerCloudSwitch[Charger], ChargerEntity):
    """A switch of a charger as a whole."""


class VehicleSwitch(EVChargerCloudSwitch[Vehicle], VehicleEntity):
    """A switch of an electric vehicle."""
