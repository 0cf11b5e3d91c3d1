"""For test modules that need no Home Assistant at all (the parsers' tests).

conftest's autouse ``auto_enable_custom_integrations`` starts Home Assistant for every
test. A module that imports the fixture below, of the same name, overrides it there.
"""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """None is started: the tests need none, and it would double their run time."""
