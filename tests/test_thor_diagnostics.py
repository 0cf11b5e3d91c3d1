"""Thor diagnostics: boxes, charges and history, without the key, tags, webhook or places."""

from __future__ import annotations

import json

from homeassistant.components.diagnostics import REDACTED
from homeassistant.const import CONF_API_KEY
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.ev_charger_cloud.const import CONF_THOR_STATE, CONF_WEBHOOK_ID
from simulator import Simulator
from tests.thor_entry_fixtures import (
    API_KEY,
    GARAGE_ID,
    GARAGE_TAG,
    PARKING_ID,
    PARKING_TAG,
    UNIQUE_ID,
)

pytest_plugins = ["tests.thor_entry_fixtures"]


async def test_diagnostics_leave_secrets_and_places_out(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    thor_entry_sim: Simulator,
    thor_entry: MockConfigEntry,
) -> None:
    # A charge started from Home Assistant: its tag is kept with the entry.
    registry = er.async_get(hass)
    assert registry.async_get("switch.parking_a_connector_2_charging") is not None
    await hass.services.async_call(
        "switch",
        "turn_on",
        {"entity_id": "switch.parking_a_connector_2_charging"},
        blocking=True,
    )
    tags = thor_entry.data[CONF_THOR_STATE]["id_tags"]
    assert tags
    box = thor_entry_sim.thor.chargebox(PARKING_ID)

    result = await get_diagnostics_for_config_entry(hass, hass_client, thor_entry)
    text = json.dumps(result)

    account = thor_entry_sim.thor.account(API_KEY)
    secrets = {
        API_KEY,
        thor_entry.data[CONF_WEBHOOK_ID],
        GARAGE_TAG,
        PARKING_TAG,
        *tags.values(),
        # The box ids (Thor's OCPP identities), the account id derived from one, the customer.
        GARAGE_ID,
        PARKING_ID,
        UNIQUE_ID,
        UNIQUE_ID.removeprefix("thor_"),
        account.name,
    }
    for secret in secrets:
        assert secret not in text, secret
    assert str(box.latitude) not in text
    assert str(box.longitude) not in text
    data = result["entry"]["data"]
    assert data[CONF_API_KEY] == REDACTED
    assert data[CONF_WEBHOOK_ID] == REDACTED
    assert data[CONF_THOR_STATE]["id_tags"] == REDACTED
    # What helps debugging stays: the boxes, running charges and the history's totals.
    assert set(result["cloud"]["chargeboxes"]) == set(data["chargers"])
    assert result["cloud"]["running"]
    assert "totals_wh" in result["cloud"]["history"]


async def test_diagnostics_name_the_boxes_by_pseudonyms(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    thor_entry: MockConfigEntry,
) -> None:
    """A box has one pseudonym in ids, keys and connector keys ("charger_1/1") of the dump."""
    result = await get_diagnostics_for_config_entry(hass, hass_client, thor_entry)
    data = result["entry"]["data"]
    cloud = result["cloud"]
    # The boxes in the account's order; their aliases (names people gave) are pseudonyms.
    garage, parking = cloud["chargeboxes"]
    assert (garage, parking) == ("charger_1", "charger_2")
    assert "Garage" not in json.dumps(result)
    assert "Parking A" not in json.dumps(result)
    assert data["chargers"] == [garage, parking]
    # The box the account is known by is the garage (GARAGE_ID).
    assert data["account_box"] == garage
    assert set(result["devices"]) == {garage, parking}
    for pseudonym, dump in result["devices"].items():
        assert dump["device_id"] == pseudonym
        assert cloud["chargeboxes"][pseudonym]["id"] == pseudonym
        assert dump["name"] == cloud["chargeboxes"][pseudonym]["alias"] == pseudonym
    # Connector keys keep the connector number.
    assert set(cloud["running"]) == {f"{garage}/1", f"{parking}/1"}
    totals = {f"{garage}/1", f"{parking}/1"}
    assert set(cloud["history"]["totals_wh"]) == totals
    assert set(data[CONF_THOR_STATE]["history"]["totals_wh"]) == totals
