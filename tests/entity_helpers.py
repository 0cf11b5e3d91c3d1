"""Service calls of the entity tests, made as the user makes them from the UI.

Each call blocks until the integration has handled it. With ``settle`` (the default)
the test also waits for the state writes that follow, so it reads what the user sees
next; without it, it reads the state the command itself left.
"""

from __future__ import annotations

from datetime import time

from homeassistant.components.number import ATTR_VALUE, SERVICE_SET_VALUE
from homeassistant.components.time import ATTR_TIME
from homeassistant.const import ATTR_ENTITY_ID, SERVICE_TURN_OFF, SERVICE_TURN_ON
from homeassistant.core import HomeAssistant


async def call(
    hass: HomeAssistant,
    domain: str,
    service: str,
    entity_id: str,
    *,
    settle: bool = True,
    **data: object,
) -> None:
    """One service call on one entity."""
    await hass.services.async_call(
        domain, service, {ATTR_ENTITY_ID: entity_id, **data}, blocking=True
    )
    if settle:
        await hass.async_block_till_done()


async def turn(hass: HomeAssistant, entity_id: str, on: bool, *, settle: bool = True) -> None:
    """Turn a switch on or off."""
    await call(
        hass, "switch", SERVICE_TURN_ON if on else SERVICE_TURN_OFF, entity_id, settle=settle
    )


async def press(hass: HomeAssistant, entity_id: str) -> None:
    """Press a button."""
    await call(hass, "button", "press", entity_id)


async def set_number(hass: HomeAssistant, entity_id: str, number: float) -> None:
    """Set a number entity."""
    await call(hass, "number", SERVICE_SET_VALUE, entity_id, **{ATTR_VALUE: number})


async def set_time(hass: HomeAssistant, entity_id: str, moment: time) -> None:
    """Set a time entity."""
    await call(hass, "time", "set_value", entity_id, **{ATTR_TIME: moment})
