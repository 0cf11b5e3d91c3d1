"""Fixtures of the config flow tests: each cloud's account in the simulator.

Wallbox's account is the suite's ``wallbox_account`` (tests/conftest.py); Podero's
organisation (``podero_org``) and Thor's account (``thor_account``) are here, and
``default_cloud`` points Wallbox's built-in cloud URLs at the simulator. What the
tests type into each cloud's forms is in wallbox_forms.py, podero_forms.py and
thor_forms.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from unittest.mock import patch

import pytest

from tests.conftest import RunningSimulator
from tests.podero_helpers import CLIENT_ID, CLIENT_SECRET, EMAIL as USER_EMAIL, ORG_ID, USER_ID
from tests.thor_entry_fixtures import add_thor_account


@pytest.fixture
def default_cloud(simulator: RunningSimulator) -> Iterator[None]:
    """Point the client's built-in cloud URLs (used when no server URL is set) at the simulator."""
    root = simulator.wallbox_url + "/"
    with (
        patch("custom_components.ev_charger_cloud.api.wallbox.client.AUTH_URL", root),
        patch("custom_components.ev_charger_cloud.api.wallbox.client.DATA_URL", root),
    ):
        yield


@pytest.fixture
def podero_org(simulator: RunningSimulator) -> RunningSimulator:
    """An organisation with one user, who has a wallbox and a vehicle."""
    cloud = simulator.sim.podero
    cloud.add_org(CLIENT_ID, CLIENT_SECRET, org_id=ORG_ID)
    cloud.add_user(ORG_ID, USER_EMAIL, first_name="Jane", last_name="Driver", user_id=USER_ID)
    cloud.add_wallbox(USER_ID)
    cloud.add_vehicle(USER_ID)
    return simulator


@pytest.fixture
def thor_account(simulator: RunningSimulator) -> RunningSimulator:
    """The account of thor_entry_fixtures: Garage and Parking A."""
    add_thor_account(simulator.sim)
    return simulator
