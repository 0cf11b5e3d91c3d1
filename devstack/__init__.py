"""The development stack: the cloud simulator and Home Assistant running the integration.

`python -m devstack` (what `scripts/develop` runs) keeps it up until Ctrl-C; the browser
test starts it with ``Stack(StackOptions(...))`` on a temporary configuration.
"""

from .accounts import DEMO_ACCOUNTS, DEMO_LOGIN, DemoAccount, HomeAssistantLogin
from .processes import StackError
from .stack import Stack, StackOptions, free_port

__all__ = [
    "DEMO_ACCOUNTS",
    "DEMO_LOGIN",
    "DemoAccount",
    "HomeAssistantLogin",
    "Stack",
    "StackError",
    "StackOptions",
    "free_port",
]
