"""The guard that makes Home Assistant's deprecation reports fail the tests must work."""

from __future__ import annotations

from pathlib import Path
import subprocess
import sys
import warnings

from homeassistant.core import HomeAssistant
import pytest

from custom_components.ev_charger_cloud.config_flow import EVChargerCloudConfigFlow

from .conftest import DeprecationReports


async def test_a_deprecated_call_is_reported(
    hass: HomeAssistant, fail_on_deprecation_reports: DeprecationReports
) -> None:
    """Advanced mode was deprecated in 2026.6: reading it is caught as a report."""
    flow = EVChargerCloudConfigFlow()
    flow.hass = hass
    assert flow.show_advanced_options is True
    assert len(fail_on_deprecation_reports.reports) == 1
    assert "show_advanced_options" in fail_on_deprecation_reports.reports[0]
    fail_on_deprecation_reports.reports.clear()  # this one was on purpose


def test_python_deprecation_warnings_are_errors() -> None:
    """setup.cfg turns DeprecationWarning into an error."""
    with pytest.raises(DeprecationWarning):
        warnings.warn("old", DeprecationWarning, stacklevel=1)


# Run in a fresh interpreter: by the time a test runs, conftest has imported the
# integration already, and whatever it would report while importing has been logged.
_IMPORT_ALL = """
import importlib, logging, pkgutil, sys, warnings
warnings.filterwarnings("error", category=DeprecationWarning, module="custom_components")
reports = []
class Collect(logging.Handler):
    def emit(self, record):
        reports.append(record.getMessage())
logging.getLogger().addHandler(Collect(logging.WARNING))
import homeassistant
import custom_components.ev_charger_cloud as package
for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
    importlib.import_module(module.name)
print("\\n".join(reports))
"""


def test_importing_the_integration_reports_nothing() -> None:
    """No module of the integration uses anything deprecated at import time."""
    result = subprocess.run(
        [sys.executable, "-c", _IMPORT_ALL],
        cwd=Path(__file__).parents[1],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
