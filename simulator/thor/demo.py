"""A ready-made Thor account for trying the integration by hand (`--demo`)."""

from .cloud import SimulatedThor

DEMO_API_KEY = "demo-thor-key"
DEMO_GARAGE_ID = "CB-GARAGE"
DEMO_PARKING_ID = "CB-PARKING-A"
DEMO_BARN_ID = "CB-BARN"
DEMO_USER_ID = "driver-1"
DEMO_RFID = "RFID-DEMO-01"

_DAY = 86_400.0


def seed_thor_demo(cloud: SimulatedThor) -> None:
    """Garage charging, Parking A half busy, Barn offline; weeks of history.

    See simulator/README.md.
    """
    cloud.add_account(DEMO_API_KEY, "Demo Thor customer")
    cloud.add_user(DEMO_API_KEY, DEMO_USER_ID, "Demo Driver", "driver@example.com")
    cloud.add_chargebox(
        DEMO_API_KEY,
        id=DEMO_GARAGE_ID,
        alias="Garage",
        power=22_000,
        type="type_2",
        format="SOCKET",
        max_amperage=32,
        power_type="AC_3_PHASE",
        free=True,
    )
    cloud.add_chargebox(
        DEMO_API_KEY,
        id=DEMO_PARKING_ID,
        alias="Parking A",
        # Public: each connector has a Nayax payment terminal (the token is a secret).
        connectors=[
            {"terminal_id": "NAYAX-0042-1", "token": "demo-nayax-token-1"},
            {"terminal_id": "NAYAX-0042-2", "token": "demo-nayax-token-2"},
        ],
        power=11_000,
        type="type_2",
        format="SOCKET",
        max_amperage=16,
        power_type="AC_3_PHASE",
        public=True,
        reservable=True,
        free=True,
        latitude=45.0625,
        longitude=7.6781,
    )
    cloud.add_chargebox(
        DEMO_API_KEY,
        id=DEMO_BARN_ID,
        alias="Barn",
        power=7_400,
        type="type_2",
        format="CABLE",
        max_amperage=32,
        power_type="AC_1_PHASE",
        free=False,
        price_per_kwh=0.35,
        latitude=45.1012,
        longitude=7.7311,
        version="1.5",
        msg="soap",
    )

    now = cloud.clock.now()
    # Three weeks of evening charges in the garage and a few at the parking and barn.
    for days_ago in range(21, 0, -1):
        start = now - days_ago * _DAY - 4 * 3600
        cloud.add_finished_charge(
            DEMO_GARAGE_ID,
            1,
            start,
            start + 2 * 3600,
            8_000 + 250 * (days_ago % 7),
            id_tag=DEMO_RFID,
            user=DEMO_USER_ID,
        )
    for days_ago, connector in ((12, 1), (9, 2), (5, 1), (2, 2)):
        start = now - days_ago * _DAY - 6 * 3600
        cloud.add_finished_charge(DEMO_PARKING_ID, connector, start, start + 5400, 9_500)
    cloud.add_finished_charge(DEMO_BARN_ID, 1, now - 15 * _DAY, now - 15 * _DAY + 3 * 3600, 14_000)

    cloud.plug_in(DEMO_GARAGE_ID, 1, max_power_w=11_000)
    cloud.start_local(DEMO_GARAGE_ID, 1, DEMO_RFID, DEMO_USER_ID)
    cloud.plug_in(DEMO_PARKING_ID, 1, max_power_w=7_400)
    cloud.start_local(DEMO_PARKING_ID, 1, "RFID-VISITOR-7", mode="remote")
    cloud.set_connected(DEMO_BARN_ID, False)
