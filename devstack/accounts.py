"""The demo logins: Home Assistant's own and one cloud account per supported provider.

A new provider adds its simulator demo account to ``DEMO_ACCOUNTS``; `python -m devstack`
then adds it to Home Assistant through the config flow like the Wallbox one (and, for a
cloud that pushes notifications, points the simulator at the entry's webhook).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from simulator.podero.demo import (
    DEMO_CLIENT_ID as PODERO_DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET as PODERO_DEMO_CLIENT_SECRET,
    DEMO_ORG_ID as PODERO_DEMO_ORG_ID,
    DEMO_USER_ID as PODERO_DEMO_USER_ID,
)
from simulator.thor.demo import DEMO_API_KEY as THOR_DEMO_API_KEY
from simulator.wallbox.demo import (
    DEMO_EMAIL as WALLBOX_DEMO_EMAIL,
    DEMO_PASSWORD as WALLBOX_DEMO_PASSWORD,
)


@dataclass(frozen=True, slots=True)
class HomeAssistantLogin:
    """The owner account that onboarding creates."""

    name: str
    username: str
    password: str
    language: str = "en"


@dataclass(frozen=True, slots=True)
class DemoAccount:
    """A cloud account seeded by `python -m simulator --demo`.

    ``provider`` is both the config flow's menu option (and form step) and the
    simulator's URL prefix; ``credentials`` are the form's fields without the server URL.
    ``follow_up`` answers the forms that may follow the credentials, by step id (e.g.
    which user of a Podero organisation to add); a step not shown is simply not asked.
    ``api_path`` follows the provider's prefix in the server URL (Thor's API lives under
    ``/thor/latest/integration``). ``push_control`` is the simulator's control path that
    sets where the account's notifications go (``{"url": ...}``), for a cloud that pushes
    them to the entry's webhook; None when it pushes nothing.
    """

    provider: str
    credentials: Mapping[str, str]
    follow_up: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    api_path: str = ""
    push_control: str | None = None

    @property
    def label(self) -> str:
        """How the account is named in messages: provider and account identifier."""
        identity = next(iter(self.credentials.values()), "")
        return f"{self.provider} {identity}".strip()

    def api_url(self, simulator_url: str) -> str:
        """The base URL the integration uses for this provider on the simulator."""
        return f"{simulator_url.rstrip('/')}/{self.provider}{self.api_path}"


DEMO_LOGIN = HomeAssistantLogin(name="Demo", username="demo", password="demo-password")

DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(
        provider="wallbox",
        credentials={"email": WALLBOX_DEMO_EMAIL, "password": WALLBOX_DEMO_PASSWORD},
    ),
    DemoAccount(
        provider="podero",
        credentials={
            "client_id": PODERO_DEMO_CLIENT_ID,
            "client_secret": PODERO_DEMO_CLIENT_SECRET,
            "org_id": PODERO_DEMO_ORG_ID,
        },
        # The organisation's main user ("Demo Driver"), when the flow asks which one.
        follow_up={"podero_user": {"user_id": PODERO_DEMO_USER_ID}},
    ),
    DemoAccount(
        provider="thor",
        credentials={"api_key": THOR_DEMO_API_KEY},
        api_path="/latest/integration",
        # Start, stop and meter-value notifications go to the entry's webhook.
        push_control=f"/_sim/thor/accounts/{THOR_DEMO_API_KEY}/push",
    ),
)
