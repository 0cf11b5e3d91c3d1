"""Entity bases per device kind, entity creation by feature, and running commands.

An entity has a subject: the Charger, one Connector of a Charger, the
Vehicle, or the account's settings it shows. Its description says which subjects it applies to
(``supported_fn``) and when it can be used (``available_fn``).
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable, Coroutine, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from homeassistant.const import UnitOfEnergy
from homeassistant.core import callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.device_registry import ChildDeviceInfo
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .api import (
    AccountSettings,
    AuthenticationError,
    BoostRefusalReason,
    BoostRefusedError,
    Charger,
    ChargerCloudClient,
    ChargerCloudError,
    ChargeRefusalReason,
    ChargeRefusedError,
    CommandNotSupportedError,
    CommandRejectedError,
    Connector,
    Device,
    DeviceGoneError,
    Feature,
    NotPermittedError,
    RateLimitedError,
    Target,
    Vehicle,
)
from .const import DOMAIN
from .coordinator import ChargerCloudCoordinator, EVChargerCloudConfigEntry
from .devices import connector_identifier, device_info, registered_device_id

type Subject = Device | Connector
type Command = Callable[[ChargerCloudClient, Target], Coroutine[Any, Any, Device | None]]


@dataclass(frozen=True, kw_only=True)
class EVChargerCloudEntityDescription[SubjectT: Subject](EntityDescription):
    """Which subjects get the entity and when it can be used.

    By default a subject gets the entity when it reports ``feature``.
    """

    feature: Feature | None = None
    supported_fn: Callable[[SubjectT], bool] | None = None
    available_fn: Callable[[SubjectT], bool] = lambda _: True

    def supports(self, subject: SubjectT) -> bool:
        """Whether the subject gets this entity."""
        if self.supported_fn is not None:
            return self.supported_fn(subject)
        return self.feature is not None and self.feature in subject.features


@dataclass(frozen=True, kw_only=True)
class KeyTranslatedDescription[SubjectT: Subject](EVChargerCloudEntityDescription[SubjectT]):
    """A description whose translation key is its key unless it names another.

    Spares every sensor, switch, number and time the same key twice.
    """

    def __post_init__(self) -> None:
        """Take the key as the translation key (the dataclass is frozen, hence setattr)."""
        if self.translation_key is None:
            object.__setattr__(self, "translation_key", self.key)


class EVChargerCloudEntity[SubjectT: Subject](CoordinatorEntity[ChargerCloudCoordinator]):
    """An entity of one device of an account, fed by the account's coordinator."""

    _attr_has_entity_name = True
    entity_description: EVChargerCloudEntityDescription[SubjectT]

    def __init__(
        self,
        coordinator: ChargerCloudCoordinator,
        target: Target,
        description: EVChargerCloudEntityDescription[SubjectT],
    ) -> None:
        """Address the entity's subject; name it after its device and description."""
        super().__init__(coordinator)
        self.entity_description = description
        self.target = target
        self._last_device = coordinator.data[target.device_id]
        self._last_subject = dict(self.subjects(self._last_device))[target]
        self._subject_of: Device = self._last_device  # the reading _last_subject comes from
        # Availability and subject at the last state write (None: not written yet).
        self._shown: tuple[bool, SubjectT] | None = None
        provider = coordinator.client.provider
        self._attr_unique_id = f"{provider}_{target.device_id}_{description.key}"
        self._attr_device_info = device_info(provider, self._last_device)

    @staticmethod
    @abstractmethod
    def subjects(device: Device) -> Iterator[tuple[Target, SubjectT]]:
        """The subjects of this kind a device has, each with its address."""

    @property
    def device(self) -> Device:
        """The latest reading of this entity's device (the last one if it left)."""
        device = self.coordinator.data.get(self.target.device_id)
        if device is not None:
            self._last_device = device
        return self._last_device

    @property
    def subject(self) -> SubjectT:
        """What this entity shows, from the latest reading of its device."""
        device = self.device
        if device is not self._subject_of:
            # Looked up once per reading, not at every property a state write asks for.
            self._subject_of = device
            self._last_subject = dict(self.subjects(device)).get(self.target, self._last_subject)
        return self._last_subject

    @property
    def available(self) -> bool:
        """Unavailable when the poll failed, the device left or the description says so."""
        return (
            super().available
            and self.target.device_id in self.coordinator.data
            and self.entity_description.available_fn(self.subject)
        )

    async def async_added_to_hass(self) -> None:
        """Remember what the first state shows (Home Assistant writes it right after)."""
        await super().async_added_to_hass()
        self._shown = (self.available, self.subject)

    @callback
    def _handle_coordinator_update(self) -> None:
        """Write the state only when what the entity shows may have changed.

        A poll of a large account changes few devices, and the subject (a frozen
        dataclass) compares far cheaper than a state write of every entity.
        """
        shown = (self.available, self.subject)
        if shown == self._shown:
            return
        self._shown = shown
        super()._handle_coordinator_update()

    async def async_run(self, command: Command) -> None:
        """Run a command; failures reach the user as translated errors."""
        coordinator = self.coordinator
        try:
            result = await command(coordinator.client, self.target)
        except ChargerCloudError as err:
            if isinstance(err, AuthenticationError):
                coordinator.config_entry.async_start_reauth(self.hass)
            raise command_error(err) from err
        coordinator.async_command_done(self.target, result)


class ChargerEntity(EVChargerCloudEntity[Charger]):
    """An entity of a charger as a whole (its lock, its settings)."""

    @staticmethod
    def subjects(device: Device) -> Iterator[tuple[Target, Charger]]:
        """A charger is its own subject."""
        if isinstance(device, Charger):
            yield Target(device.device_id), device

    @property
    def charger(self) -> Charger:
        """The charger (the last reading if it left)."""
        return self.subject


class ConnectorEntity(EVChargerCloudEntity[Connector]):
    """An entity of one connector of a charger (its session).

    The connector of a single-connector charger is the charger to the user: its
    entities sit on the charger's device. Several connectors get a device each.
    """

    def __init__(
        self,
        coordinator: ChargerCloudCoordinator,
        target: Target,
        description: EVChargerCloudEntityDescription[Connector],
    ) -> None:
        """Place the entity on the charger's device, or on its connector's own."""
        super().__init__(coordinator, target, description)
        charger = self._last_device
        if isinstance(charger, Charger) and len(charger.connectors) > 1:
            provider = coordinator.client.provider
            self._attr_unique_id = (
                f"{provider}_{target.device_id}_{target.connector_id}_{description.key}"
            )
            # A child device names its parent by registry id (the charger is registered
            # at setup). Home Assistant puts the charger's name before the child's in entity ids.
            self._attr_device_info = ChildDeviceInfo(
                identifiers={connector_identifier(provider, target)},
                parent_device_id=registered_device_id(
                    coordinator.hass, coordinator.config_entry.entry_id, provider, charger.device_id
                ),
                translation_key="connector",
                translation_placeholders={"connector": str(target.connector_id)},
            )

    @staticmethod
    def subjects(device: Device) -> Iterator[tuple[Target, Connector]]:
        """Every connector of a charger."""
        if isinstance(device, Charger):
            for connector in device.connectors:
                yield Target(device.device_id, connector.connector_id), connector

    @property
    def connector(self) -> Connector:
        """The connector (the last reading if it left)."""
        return self.subject


class VehicleEntity(EVChargerCloudEntity[Vehicle]):
    """An entity of an electric vehicle."""

    @staticmethod
    def subjects(device: Device) -> Iterator[tuple[Target, Vehicle]]:
        """A vehicle is its own subject."""
        if isinstance(device, Vehicle):
            yield Target(device.device_id), device


class AccountEntity(EVChargerCloudEntity[AccountSettings]):
    """An entity of the account's settings (a service device)."""

    @staticmethod
    def subjects(device: Device) -> Iterator[tuple[Target, AccountSettings]]:
        """The account's settings are their own subject."""
        if isinstance(device, AccountSettings):
            yield Target(device.device_id), device

    @property
    def settings(self) -> AccountSettings:
        """The account's settings (the last reading if they left)."""
        return self.subject


# Error class -> translation key; the first match wins, so subclasses come first.
_COMMAND_ERRORS: tuple[tuple[type[ChargerCloudError], str], ...] = (
    (AuthenticationError, "authentication_error"),
    (DeviceGoneError, "device_gone"),
    (RateLimitedError, "rate_limited"),
    (NotPermittedError, "not_permitted"),
    (CommandRejectedError, "command_rejected"),
    (CommandNotSupportedError, "not_supported"),
)


# Why a cloud refused a boost -> translation key (reasons it adds later: a generic one).
_BOOST_REFUSALS: dict[BoostRefusalReason, str] = {
    BoostRefusalReason.ALREADY_CHARGING: "boost_already_charging",
    BoostRefusalReason.FULLY_CHARGED: "boost_fully_charged",
    BoostRefusalReason.NO_ACTIVE_SESSION: "boost_no_active_session",
    BoostRefusalReason.INTERNAL_ERROR: "boost_internal_error",
}


# Why a cloud refused to start or stop a charge -> translation key.
_CHARGE_REFUSALS: dict[ChargeRefusalReason, str] = {
    ChargeRefusalReason.CHARGEBOX_NOT_FREE: "charge_not_free",
    ChargeRefusalReason.ALREADY_IN_TRANSACTION: "charge_already_running",
    ChargeRefusalReason.NOT_IN_TRANSACTION: "charge_not_running",
    ChargeRefusalReason.WRONG_TRANSACTION: "charge_wrong_transaction",
    ChargeRefusalReason.CONNECTOR_NOT_VALID: "charge_connector_not_valid",
    ChargeRefusalReason.CHARGEBOX_NOT_ACTIVE: "charge_box_not_active",
    ChargeRefusalReason.TOO_MANY_REQUESTS: "charge_too_many_starts",
}


def price_unit(charger: Charger) -> str | None:
    """Energy prices are per kWh in the account's currency."""
    return f"{charger.currency}/{UnitOfEnergy.KILO_WATT_HOUR}" if charger.currency else None


def command_error(err: ChargerCloudError) -> HomeAssistantError:
    """The translated error a user sees for a failed command."""
    if isinstance(err, BoostRefusedError):
        key = _BOOST_REFUSALS.get(err.reason, "boost_refused")
    elif isinstance(err, ChargeRefusedError):
        key = _CHARGE_REFUSALS.get(err.reason, "command_rejected")
    else:
        key = next(
            (key for cls, key in _COMMAND_ERRORS if isinstance(err, cls)), "communication_error"
        )
    return HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders={"error": str(err)},
    )


def async_add_entities_for[SubjectT: Subject](
    entry: EVChargerCloudConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    entity_class: type[EVChargerCloudEntity[SubjectT]],
    descriptions: Iterable[EVChargerCloudEntityDescription[SubjectT]],
) -> None:
    """Add the entities the subjects' features call for, now and whenever more appear.

    Devices found later and features a subject starts reporting later (a car
    that tells its state of charge) get their entities at the poll that shows them.
    """
    coordinator = entry.runtime_data.coordinator
    descriptions = tuple(descriptions)
    added: set[tuple[Target, str]] = set()

    @callback
    def add_new() -> None:
        new = [
            (target, description)
            for device in coordinator.data.values()
            for target, subject in entity_class.subjects(device)
            for description in descriptions
            if (target, description.key) not in added and description.supports(subject)
        ]
        if not new:
            return
        added.update((target, description.key) for target, description in new)
        async_add_entities(entity_class(coordinator, target, d) for target, d in new)

    add_new()
    entry.async_on_unload(coordinator.async_add_listener(add_new))
