"""A poll writes the states of the entities whose values changed, and no others."""

from __future__ import annotations

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import EVENT_STATE_CHANGED, EVENT_STATE_REPORTED
from homeassistant.core import Event, HomeAssistant, callback
from pytest_homeassistant_custom_component.common import MockConfigEntry

from tests.conftest import advance

pytest_plugins = ["tests.thor_entry_fixtures"]

IDLE = "parking_a_connector_2_"
CHARGING = "garage_"


async def test_only_changed_entities_are_written(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, thor_entry: MockConfigEntry
) -> None:
    """The idle connector's entities are not even re-reported; the charging one's change."""
    written: list[str] = []

    def record(event: Event) -> None:
        written.append(event.data["entity_id"])

    hass.bus.async_listen(EVENT_STATE_CHANGED, record)
    hass.bus.async_listen(EVENT_STATE_REPORTED, record, event_filter=callback(lambda _: True))

    await advance(hass, freezer, timedelta(minutes=1))

    assert not [entity_id for entity_id in written if IDLE in entity_id]
    assert f"sensor.{CHARGING}session_energy" in written
