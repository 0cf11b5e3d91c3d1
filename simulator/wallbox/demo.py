"""A ready-made Wallbox account for trying the integration by hand (`--demo`)."""

from .cloud import SimulatedWallbox
from .model import Car

DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "demo-password"


def seed_wallbox_demo(cloud: SimulatedWallbox) -> None:
    """Three chargers in different situations; see simulator/README.md."""
    cloud.add_account(DEMO_EMAIL, DEMO_PASSWORD)
    garage = cloud.add_charger(
        DEMO_EMAIL,
        name="Garage",
        part_number="PLP1-M-2-4-9-002-F",
        eco_smart=True,
        power_boost=True,
        reports_soc=True,
    )
    cloud.set_solar(garage.id, 1.5)
    cloud.plug_in(garage.id, Car(soc_percent=35.0, target_soc=90.0))
    cloud.add_charger(
        DEMO_EMAIL,
        name="Carport",
        part_number="CMX2-0-2-4-8-002-A",
        phases=3,
        eco_smart=True,
    )
    cloud.add_charger(
        DEMO_EMAIL,
        name="Office",
        part_number="CPB1-S-2-4-9-001-F",
        locked=True,
        latest_firmware="5.18.3",
    )
    # Developers reload UIs and restart HA often; a bigger burst keeps them under the limit.
    cloud.settings.get_burst = 10
