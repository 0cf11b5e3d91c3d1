"""A person's first minutes with the integration, in a real browser.

Log in, add the simulator's demo Wallbox account through the config flow (translated
form, the server URL in its collapsed "Advanced" section, a wrong password first), look
at a charger's device page, pause and resume it, change its maximum current, open the
shipped dashboard. Command effects are checked
on the simulator's control API: the integration reads the cloud only every 90 s.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
import re
import time
from typing import Any

from playwright.sync_api import Page, expect

from devstack import DEMO_LOGIN, Stack
from simulator.wallbox_demo import DEMO_EMAIL, DEMO_PASSWORD

# The demo's first charger ("Garage", charging); the simulator numbers chargers from 100001.
GARAGE_ID = 100001
DOMAIN = "ev_charger_cloud"
TWO_FRAMES = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


class Steps:
    """Numbered screenshots of the steps, in e2e/artifacts/."""

    def __init__(self, page: Page, artifacts: Path) -> None:
        """Screenshots of ``page``."""
        self._page = page
        self._artifacts = artifacts
        self._count = 0

    def shot(self, name: str, *, height: int | None = None) -> None:
        """Save the page as ``NN-name.png``, optionally in a taller window.

        Home Assistant scrolls inside its own layout, so a full-page screenshot shows
        no more than the window; a taller window does.
        """
        self._count += 1
        path = self._artifacts / f"{self._count:02d}-{name}.png"
        size = self._page.viewport_size
        if height is None or size is None:
            self._page.screenshot(path=path, animations="disabled")
            return
        self._page.set_viewport_size({"width": size["width"], "height": height})
        try:
            # Let the layout settle into the new size (two frames) before the picture.
            self._page.wait_for_function(f"window.innerHeight === {height}")
            self._page.evaluate(TWO_FRAMES)
            self._page.screenshot(path=path, animations="disabled")
        finally:
            self._page.set_viewport_size(size)


def garage_state(stack: Stack) -> dict[str, Any]:
    """The simulator's internal state of the Garage charger."""
    state: dict[str, Any] = stack.simulator_json(f"/_sim/wallbox/chargers/{GARAGE_ID}")
    return state


def wait_for_charger(
    stack: Stack, what: str, condition: Callable[[dict[str, Any]], bool], timeout: float = 15.0
) -> dict[str, Any]:
    """Poll the simulator's view of the Garage charger until ``condition`` holds."""
    deadline = time.monotonic() + timeout
    while True:
        state = garage_state(stack)
        if condition(state):
            return state
        if time.monotonic() > deadline:
            raise AssertionError(f"the simulated charger never got {what}: {state}")
        time.sleep(0.2)


def log_in(page: Page, steps: Steps) -> None:
    """The real login page, with the documented demo login."""
    page.goto("/")
    page.get_by_role("textbox", name="Username").fill(DEMO_LOGIN.username)
    page.get_by_role("textbox", name="Password").fill(DEMO_LOGIN.password)
    steps.shot("login")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Sidebar toggle")).to_be_visible()


def add_wallbox_account(page: Page, stack: Stack, steps: Steps) -> None:
    """Settings > Integrations > Add integration > EV Charger Cloud > Wallbox."""
    page.goto("/config/integrations/dashboard")
    page.get_by_role("button", name="Add integration").click()
    # The search field has no label, only a placeholder.
    page.get_by_placeholder("Search for a brand name").fill("EV Charger")
    brand = page.get_by_text("EV Charger Cloud", exact=True)
    expect(brand).to_be_visible()
    steps.shot("add-integration")
    brand.click()

    # The menu step, with its translated title, description and option.
    expect(page.get_by_text("Add an EV charger cloud account").first).to_be_visible()
    expect(page.get_by_text("Which cloud do your chargers live in?")).to_be_visible()
    wallbox = page.get_by_text("Wallbox (myWallbox)")
    steps.shot("choose-cloud")
    wallbox.click()

    # The form: translated labels and help texts, no raw keys. The server URL sits in
    # the "Advanced" section, collapsed at first: a person opens it to type the URL.
    expect(page.get_by_text("Sign in to myWallbox").first).to_be_visible()
    email = page.get_by_role("textbox", name=re.compile(r"^Email\*?$"))
    password = page.get_by_role("textbox", name=re.compile(r"^Password\*?$"))
    server = page.get_by_role("textbox", name=re.compile(r"^Server URL\*?$"))
    advanced = page.get_by_role("button", name="Advanced", exact=True)
    for field in (email, password, advanced):
        expect(field).to_be_visible()
    expect(advanced).to_have_attribute("aria-expanded", "false")
    expect(server).to_be_hidden()
    expect(page.get_by_text("The email address of your myWallbox account.")).to_be_visible()
    steps.shot("sign-in-form")

    advanced.click()
    expect(advanced).to_have_attribute("aria-expanded", "true")
    expect(server).to_be_visible()
    expect(page.get_by_text("Only for testing: a server that stands in")).to_be_visible()
    for raw_key in ("email", "password", "api_url", "advanced"):
        expect(page.get_by_role("textbox", name=raw_key, exact=True)).to_have_count(0)
        expect(page.get_by_text(raw_key, exact=True)).to_have_count(0)
    expect(page.get_by_text("api_url")).to_have_count(0)
    steps.shot("advanced-section")

    email.fill(DEMO_EMAIL)
    password.fill("not-the-password")
    server.fill(f"{stack.simulator_url}/wallbox")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_text("The email or password is not correct.")).to_be_visible()
    steps.shot("wrong-password")

    password.fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Submit").click()
    # The success step lists the chargers read so far as new devices.
    expect(page.get_by_text("Pulsar Plus")).to_be_visible()
    steps.shot("devices-created")
    finish = page.get_by_role("button", name=re.compile("finish", re.IGNORECASE))
    finish.click()
    # The dialog closes (the frontend then shows the integration's page, which lists the
    # devices again).
    expect(finish).to_be_hidden()

    entries = stack.ha_json(f"/api/config/config_entries/entry?domain={DOMAIN}")
    assert [(entry["title"], entry["state"]) for entry in entries] == [(DEMO_EMAIL, "loaded")]


def open_garage(page: Page, steps: Steps) -> None:
    """The integration's page, then the Garage device with its values and units."""
    page.goto(f"/config/integrations/integration/{DOMAIN}")
    page.get_by_text("Garage", exact=True).click()
    expect(page.get_by_role("heading", name="Device info")).to_be_visible()
    expect(page.get_by_text("Pulsar Plus (PLP1-M-2-4-9-002-F)")).to_be_visible()
    readings = {
        "Charging power": re.compile(r"\d+(\.\d+)?\s*kW\b"),
        "Session energy": re.compile(r"\d+(\.\d+)?\s*kWh"),
        "Total energy": re.compile(r"\d+(\.\d+)?\s*kWh"),
        "State of charge": re.compile(r"\d+(\.\d+)?\s*%"),
        "Status": re.compile(r"\bCharging\b"),
    }
    for name, value in readings.items():
        # hui-sensor-entity-row: one row of the device page's "Sensors" card.
        row = page.locator("hui-sensor-entity-row").filter(has_text=name)
        expect(row).to_contain_text(value)
    expect(page.get_by_text("Maximum charging current")).to_be_visible()
    expect(page.get_by_text("Solar charging", exact=True)).to_be_visible()
    steps.shot("device-page", height=1250)


def pause_and_resume(page: Page, stack: Stack, steps: Steps) -> None:
    """The charging switch pauses and resumes the simulated charger."""
    # The switch of the Controls card's "Charging" row. Its input has no accessible name
    # and lies under the drawn switch (2026.10 frontend): the state is read on the input,
    # the click goes to the ha-switch that a person sees.
    row = page.locator("hui-toggle-entity-row").filter(has_text=re.compile(r"^\s*Charging\s*$"))
    switch = row.get_by_role("switch")
    toggle = row.locator("ha-switch")
    expect(switch).to_be_checked()
    toggle.click()
    wait_for_charger(stack, "paused", lambda state: state["paused"] is True)
    expect(switch).not_to_be_checked()
    steps.shot("paused")
    toggle.click()
    wait_for_charger(stack, "resumed", lambda state: state["paused"] is False)
    expect(switch).to_be_checked()


def raise_max_current(page: Page, stack: Stack, steps: Steps) -> None:
    """One step up on the maximum current slider, with the keyboard."""
    before = int(garage_state(stack)["max_charging_current"])
    slider = page.get_by_role("slider")
    expect(slider).to_have_attribute("aria-valuenow", str(before))
    slider.focus()
    slider.press("ArrowRight")
    wait_for_charger(
        stack,
        f"a maximum current of {before + 1} A",
        lambda state: state["max_charging_current"] == before + 1,
    )
    expect(slider).to_have_attribute("aria-valuenow", str(before + 1))
    steps.shot("max-current")


def show_dashboard(page: Page, steps: Steps) -> None:
    """The shipped YAML dashboard shows the Garage charger's readings and controls.

    The setup reads all three demo chargers, so every section's entities exist: no
    card of the dashboard says "Entity not found".
    """
    page.goto("/ev-chargers/chargers")
    garage = page.locator("hui-grid-section").filter(has_text="Garage")
    expect(garage).to_have_count(1)
    expect(garage.locator("hui-gauge-card")).to_contain_text(re.compile(r"\d+(\.\d+)?\s*kW"))
    tiles = {
        "Session": "kWh",
        "Total": "kWh",
        "Status": "Charging",
        "Charging": "On",
        "Lock": "Unlocked",
        "Maximum charging current": "A",
        "Solar charging (Eco-Smart)": "Off",
    }
    for name, value in tiles.items():
        starts_with_name = re.compile(rf"^\s*{re.escape(name)}")
        tile = garage.locator("hui-tile-card").filter(has_text=starts_with_name)
        expect(tile.first).to_contain_text(value)
    for other in ("Carport", "Office"):
        expect(page.locator("hui-grid-section").filter(has_text=other)).to_have_count(1)
    expect(page.locator("hui-error-card")).to_have_count(0)
    steps.shot("dashboard", height=1700)


def integration_errors(stack: Stack) -> list[str]:
    """ERROR lines of Home Assistant's log that concern the integration."""
    log = stack.config_dir / "home-assistant.log"
    return [
        line
        for line in log.read_text(errors="replace").splitlines()
        if " ERROR " in line and DOMAIN in line
    ]


def test_add_account_and_control_a_charger(page: Page, stack: Stack, artifacts: Path) -> None:
    """From login to a paused, resumed and re-limited charger and the dashboard."""
    steps = Steps(page, artifacts)
    log_in(page, steps)
    add_wallbox_account(page, stack, steps)
    open_garage(page, steps)
    pause_and_resume(page, stack, steps)
    raise_max_current(page, stack, steps)
    show_dashboard(page, steps)
    assert integration_errors(stack) == []
