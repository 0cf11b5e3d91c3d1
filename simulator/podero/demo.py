"""A ready-made Podero organisation for trying the integration by hand (`--demo`)."""

from .cloud import SimulatedPodero

DEMO_CLIENT_ID = "demo-client"
DEMO_CLIENT_SECRET = "demo-secret"
DEMO_ORG_ID = "9d3b1a52-4c1e-4f0a-8a7e-2b6c5d4e3f21"
DEMO_USER_ID = "1f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b"
DEMO_WALLBOX_ID = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"
DEMO_ID4_ID = "b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e"
DEMO_MODEL3_ID = "c3d4e5f6-a7b8-4c9d-8e1f-2a3b4c5d6e7f"
# A second user of the organisation, so that adding it asks which user to add.
DEMO_NEIGHBOUR_ID = "2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d"
DEMO_EV6_ID = "d4e5f6a7-b8c9-4d0e-9f1a-2b3c4d5e6f7a"


def seed_podero_demo(cloud: SimulatedPodero) -> None:
    """Demo Driver: a charging ID.4 in the driveway and a Model 3 away; a neighbour's EV6.

    See simulator/README.md.
    """
    cloud.add_org(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_ORG_ID, "Demo Partner")
    cloud.add_user(DEMO_ORG_ID, "driver@example.com", "Demo", "Driver", DEMO_USER_ID)
    cloud.add_wallbox(
        DEMO_USER_ID,
        id=DEMO_WALLBOX_ID,
        name="Driveway",
        manufacturer="Wallbox",
        model="Pulsar Plus",
        charge_power_max_w=11_000,
        phases=3,
        supports_phase_switching=True,
    )
    cloud.add_vehicle(
        DEMO_USER_ID,
        id=DEMO_ID4_ID,
        manufacturer="Volkswagen",
        model="ID.4",
        battery_capacity_kwh=77.0,
        battery_level=42.0,
        expected_max_charge_power=11_000,
        is_smart_optimization_active=True,
    )
    cloud.add_vehicle(
        DEMO_USER_ID,
        id=DEMO_MODEL3_ID,
        manufacturer="Tesla",
        model="Model 3",
        year=2021,
        battery_capacity_kwh=57.5,
        battery_level=68.0,
        range_per_percent=4.9,
        latitude=47.0707,  # Graz, away from home
        longitude=15.4395,
    )
    cloud.plug_in(DEMO_ID4_ID, DEMO_WALLBOX_ID)
    cloud.add_user(DEMO_ORG_ID, "neighbour@example.com", "Sam", "Neighbour", DEMO_NEIGHBOUR_ID)
    cloud.add_vehicle(
        DEMO_NEIGHBOUR_ID,
        id=DEMO_EV6_ID,
        manufacturer="Kia",
        model="EV6",
        battery_capacity_kwh=77.4,
        battery_level=55.0,
    )
