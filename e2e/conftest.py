"""Fixtures of the browser test: the stack on a temporary configuration and Chromium.

Run through `scripts/e2e`, which installs Debian's chromium and turns off the Home
Assistant test plugin (it blocks sockets). Screenshots and logs go to e2e/artifacts/.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
import os
from pathlib import Path
import re
import shutil

from playwright.sync_api import Browser, Page, expect, sync_playwright
import pytest

from devstack import Stack, StackOptions
from devstack.stack import HASS_LOG, REPO_ROOT, SIMULATOR_LOG

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = Path(os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Everything but the stack itself (brand icons, help links) is refused at once.
NOT_LOCAL = re.compile(r"^(?!https?://(127\.0\.0\.1|localhost)[:/])")
TIMEOUT_MS = 20_000

expect.set_options(timeout=TIMEOUT_MS)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Keep each phase's report on the item, so fixtures can tell a failure."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """An empty e2e/artifacts/ for this run's screenshots and logs."""
    if ARTIFACTS.exists():
        shutil.rmtree(ARTIFACTS)
    ARTIFACTS.mkdir(parents=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory, artifacts: Path) -> Iterator[Stack]:
    """Home Assistant (onboarded, no accounts) and the simulator on free ports."""
    config = tmp_path_factory.mktemp("ha-config")
    shutil.copy(REPO_ROOT / "config" / "configuration.yaml", config)
    shutil.copytree(REPO_ROOT / "config" / "dashboards", config / "dashboards")
    stack = Stack(
        StackOptions(
            config_dir=config,
            ha_port=0,
            simulator_port=0,
            add_accounts=False,
            progress=lambda message: print(f"[stack] {message}", flush=True),
        )
    )
    try:
        stack.start()
        yield stack
    finally:
        stack.stop()
        for name in ("home-assistant.log", HASS_LOG, SIMULATOR_LOG):
            if (config / name).exists():
                shutil.copy(config / name, artifacts / name)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, driven by Playwright (no browser download)."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/e2e, which installs it")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(
    browser: Browser, stack: Stack, artifacts: Path, request: pytest.FixtureRequest
) -> Iterator[Page]:
    """A fresh browser context; a screenshot of the page when the test fails."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="en-US", base_url=stack.ha_url
    )
    context.route(NOT_LOCAL, lambda route: route.abort())
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        yield page
    finally:
        report = getattr(request.node, "report_call", None)
        if report is None or report.failed:
            page.screenshot(
                path=artifacts / f"FAILED-{request.node.name}.png", animations="disabled"
            )
        context.close()
