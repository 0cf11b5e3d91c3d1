"""The Thor charging switch against the simulator: start, stop and every refusal.

Thor only *sends* commands: the switch shows the asked state at once (unconfirmed)
and the next read confirms it.
"""

from __future__ import annotations

from datetime import timedelta
import json
from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ev_charger_cloud.const import DOMAIN
from simulator import Simulator
from simulator.faults import Fault

from .conftest import advance, state_of
from .entity_helpers import turn
from .thor_entry_fixtures import API_KEY, GARAGE_ID, GARAGE_TAG, PARKING_ID

pytest_plugins = ["tests.thor_entry_fixtures"]

POLL = timedelta(minutes=1)
GARAGE = "switch.garage_charging"
P1 = "switch.parking_a_connector_1_charging"
P2 = "switch.parking_a_connector_2_charging"
EXCEPTIONS = json.loads(
    (
        Path(__file__).parents[1] / "custom_components" / DOMAIN / "translations" / "en.json"
    ).read_text(encoding="utf-8")
)["exceptions"]


async def switch(hass: HomeAssistant, entity_id: str, on: bool) -> None:
    """The state the command leaves, before any later write."""
    await turn(hass, entity_id, on, settle=False)


async def refused(hass: HomeAssistant, entity_id: str, on: bool) -> HomeAssistantError:
    """The command fails with a translated error the user can read."""
    with pytest.raises(HomeAssistantError) as caught:
        await switch(hass, entity_id, on)
    err = caught.value
    assert err.translation_domain == DOMAIN
    assert err.translation_key in EXCEPTIONS
    return err


async def refused_with(
    hass: HomeAssistant, sim: Simulator, entity_id: str, on: bool, key: str, message: str
) -> HomeAssistantError:
    """The command fails with the error `key`, Thor having answered with `message`."""
    err = await refused(hass, entity_id, on)
    assert err.translation_key == key
    assert commands(sim)[-1]["answer"] == {"message": message}
    return err


def commands(sim: Simulator) -> list[dict[str, Any]]:
    """What Thor's start and stop endpoints received and answered."""
    return sim.thor.account(API_KEY).commands


async def test_on_starts_a_charge(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    thor_entry_sim: Simulator,
    thor_entry: MockConfigEntry,
) -> None:
    """On: Thor starts a charge on that connector; shown at once, confirmed by the next read."""
    thor_entry_sim.thor.plug_in(PARKING_ID, 2, max_power_w=7_400)
    assert state_of(hass, P2) == STATE_OFF

    await switch(hass, P2, True)
    (start,) = commands(thor_entry_sim)
    assert (start["kind"], start["body"], start["status"]) == (
        "start",
        {"chargebox": PARKING_ID, "connector": 2},
        200,
    )
    charge = thor_entry_sim.thor.running_charge(PARKING_ID, 2)
    assert charge is not None
    assert (charge.mode, charge.id_tag) == ("api", start["answer"]["id_tag"])
    assert state_of(hass, P2) == STATE_ON
    assert state_of(hass, "sensor.parking_a_connector_2_status") == "charging"
    # Connector 1 is left alone.
    assert state_of(hass, P1) == STATE_ON

    await advance(hass, freezer, POLL)
    assert state_of(hass, P2) == STATE_ON
    assert state_of(hass, "sensor.parking_a_connector_2_status") == "charging"
    await advance(hass, freezer, POLL)
    assert float(state_of(hass, "sensor.parking_a_connector_2_charging_power")) == pytest.approx(
        7.4, abs=0.05
    )


async def test_off_stops_the_charge_with_the_kept_tag(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    thor_entry_sim: Simulator,
    thor_entry: MockConfigEntry,
) -> None:
    """Thor lists API charges without their tag: the stop names the one the start gave."""
    await switch(hass, P2, True)
    tag = commands(thor_entry_sim)[-1]["answer"]["id_tag"]
    assert tag.startswith("API")
    await advance(hass, freezer, POLL)
    charge = thor_entry_sim.thor.running_charge(PARKING_ID, 2)
    assert charge is not None

    await switch(hass, P2, False)
    assert commands(thor_entry_sim)[-1]["body"] == {
        "chargebox": PARKING_ID,
        "connector": 2,
        "id_tag": tag,
        "transaction": charge.id,
    }
    assert commands(thor_entry_sim)[-1]["status"] == 200
    assert thor_entry_sim.thor.running_charge(PARKING_ID, 2) is None
    assert state_of(hass, P2) == STATE_OFF

    await advance(hass, freezer, POLL)
    assert state_of(hass, P2) == STATE_OFF
    assert state_of(hass, "sensor.parking_a_connector_2_status") == "ready"


async def test_off_stops_a_charge_started_at_the_box(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    thor_entry_sim: Simulator,
    thor_entry: MockConfigEntry,
) -> None:
    """An RFID charge: Thor lists its tag, which the stop names."""
    await switch(hass, GARAGE, False)
    assert commands(thor_entry_sim)[-1]["body"]["id_tag"] == GARAGE_TAG
    assert thor_entry_sim.thor.running_charge(GARAGE_ID, 1) is None
    assert state_of(hass, GARAGE) == STATE_OFF
    await advance(hass, freezer, POLL)
    assert state_of(hass, GARAGE) == STATE_OFF


async def test_off_right_after_on(
    hass: HomeAssistant, thor_entry_sim: Simulator, thor_entry: MockConfigEntry
) -> None:
    """Switched on by mistake and off again before the next read: the charge stops."""
    await switch(hass, P2, True)
    assert state_of(hass, P2) == STATE_ON
    await switch(hass, P2, False)
    assert thor_entry_sim.thor.running_charge(PARKING_ID, 2) is None
    assert state_of(hass, P2) == STATE_OFF


async def test_charge_started_by_another_api_client_cannot_be_stopped(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    thor_entry_sim: Simulator,
    thor_entry: MockConfigEntry,
) -> None:
    """Thor does not tell the tag of another system's API start: the stop is refused."""
    thor_entry_sim.thor.start_charge(
        thor_entry_sim.thor.account(API_KEY), {"chargebox": PARKING_ID, "connector": 2}
    )
    await advance(hass, freezer, POLL)
    assert state_of(hass, P2) == STATE_ON
    sent = len(commands(thor_entry_sim))

    err = await refused(hass, P2, False)
    assert err.translation_key == "command_rejected"
    assert "does not tell its id tag" in str(err.translation_placeholders)
    assert len(commands(thor_entry_sim)) == sent
    assert thor_entry_sim.thor.running_charge(PARKING_ID, 2) is not None
    assert state_of(hass, P2) == STATE_ON


# --- refusals ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("box", "key", "message"),
    [
        # 402: the API only charges on free boxes.
        ({"free": False}, "charge_not_free", "ChargeboxNotFree"),
        # 403 is a refused charge here, not a wrong key: no re-authentication.
        ({"active": False}, "charge_box_not_active", "ChargeboxNotActive"),
    ],
    ids=["paid-box", "inactive-box"],
)
async def test_start_on_a_box_that_takes_no_api_charge(
    hass: HomeAssistant,
    thor_entry_sim: Simulator,
    thor_entry: MockConfigEntry,
    box: dict[str, bool],
    key: str,
    message: str,
) -> None:
    """A paid or an inactive box refuses the start with its own message; nothing starts."""
    thor_entry_sim.thor.update_chargebox(PARKING_ID, **box)
    await refused_with(hass, thor_entry_sim, P2, True, key, message)
    assert thor_entry_sim.thor.running_charge(PARKING_ID, 2) is None
    assert state_of(hass, P2) == STATE_OFF
    assert hass.config_entries.flow.async_progress() == []


async def test_start_on_a_connector_already_charging(
    hass: HomeAssistant, thor_entry_sim: Simulator, thor_entry: MockConfigEntry
) -> None:
    """400 AlreadyInTransaction: a charge began at the box since the last read."""
    thor_entry_sim.thor.start_local(PARKING_ID, 2, "RFID-NEIGHBOUR")
    await refused_with(
        hass, thor_entry_sim, P2, True, "charge_already_running", "AlreadyInTransaction"
    )


@pytest.mark.parametrize(
    ("replaced", "key", "message"),
    [
        # 400 NotInTransaction: the driver stopped at the box since the last read.
        (False, "charge_not_running", "NotInTransaction"),
        # 400 WrongTransaction: another charge began on the connector since the last read.
        (True, "charge_wrong_transaction", "WrongTransaction"),
    ],
    ids=["ended", "replaced-by-another"],
)
async def test_stop_of_a_charge_that_ended(
    hass: HomeAssistant,
    thor_entry_sim: Simulator,
    thor_entry: MockConfigEntry,
    replaced: bool,
    key: str,
    message: str,
) -> None:
    """The charge shown ended at the box: the stop is refused with its reason."""
    thor_entry_sim.thor.stop_local(GARAGE_ID, 1)
    if replaced:
        thor_entry_sim.thor.start_local(GARAGE_ID, 1, "RFID-SOMEONE-ELSE")
    await refused_with(hass, thor_entry_sim, GARAGE, False, key, message)
    assert (thor_entry_sim.thor.running_charge(GARAGE_ID, 1) is not None) is replaced


async def test_too_many_starts(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    thor_entry_sim: Simulator,
    thor_entry: MockConfigEntry,
) -> None:
    """429 TooManyRequests on repeated starts of one connector."""
    thor_entry_sim.thor.settings.start_limit = 1
    await switch(hass, P2, True)
    thor_entry_sim.thor.stop_local(PARKING_ID, 2)
    await advance(hass, freezer, timedelta(seconds=30))
    assert state_of(hass, P2) == STATE_OFF

    err = await refused(hass, P2, True)
    assert err.translation_key == "charge_too_many_starts"
    assert commands(thor_entry_sim)[-1]["status"] == 429
    assert commands(thor_entry_sim)[-1]["answer"] == {"message": "TooManyRequests"}
    assert state_of(hass, P2) == STATE_OFF


# Thor's refusals of a start that name their reason: (status, message, the error shown).
REFUSED_STARTS = {
    # The box's connectors changed on the dashboard.
    "connector-not-valid": (400, "ConnectorNotValid", "charge_connector_not_valid"),
    # The box left the account: its own message.
    "chargebox-not-found": (404, "ChargeboxNotFound", "device_gone"),
    # The key refused once on a command: a failed command, no re-authentication. It
    # counts as wrong only when refused for 15 minutes (test_thor_repairs.py).
    "key-refused-once": (403, "APIKeyNotFound", "communication_error"),
}


@pytest.mark.parametrize("refusal", list(REFUSED_STARTS))
async def test_refused_start_with_a_message(
    hass: HomeAssistant, thor_entry_sim: Simulator, thor_entry: MockConfigEntry, refusal: str
) -> None:
    """A start refused with Thor's message: its translated error; nothing starts."""
    status, message, key = REFUSED_STARTS[refusal]
    thor_entry_sim.thor.faults.add(
        Fault(
            status=status,
            malformed=True,
            body=json.dumps({"message": message}),
            path="/charges/start",
            times=1,
        )
    )
    err = await refused(hass, P2, True)
    assert err.translation_key == key
    assert state_of(hass, P2) == STATE_OFF
    await hass.async_block_till_done()
    assert hass.config_entries.flow.async_progress() == []


async def test_offline_box_makes_its_switches_unavailable(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    thor_entry_sim: Simulator,
    thor_entry: MockConfigEntry,
) -> None:
    """An offline box takes no command: its switches are unavailable, the others are not."""
    thor_entry_sim.thor.set_connected(PARKING_ID, False)
    await advance(hass, freezer, POLL)
    assert state_of(hass, P1) == STATE_UNAVAILABLE
    assert state_of(hass, P2) == STATE_UNAVAILABLE
    assert state_of(hass, GARAGE) == STATE_ON
    # Home Assistant does not pass a command to an unavailable entity.
    await switch(hass, P2, True)
    assert commands(thor_entry_sim) == []
    assert state_of(hass, P2) == STATE_UNAVAILABLE

    thor_entry_sim.thor.set_connected(PARKING_ID, True)
    await advance(hass, freezer, POLL)
    assert state_of(hass, P2) == STATE_OFF
    await switch(hass, P2, True)
    assert thor_entry_sim.thor.running_charge(PARKING_ID, 2) is not None
