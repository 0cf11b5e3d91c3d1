"""Which server URLs an entry may send its credentials to.

The ``advanced`` section's Server URL replaces a cloud's own server (for the
simulator, or Podero's sandbox). Every request carries a credential, so the
URL must be https; plain http only to this computer (the loopback addresses
and ``localhost``), where nothing travels over a network. A URL with a user
name or password, a query or a fragment is refused as well: the clients append
paths to it, and aiohttp would refuse credentials in it beside their own.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

LOCALHOST = "localhost"


def server_url_allowed(url: str) -> bool:
    """Whether credentials may be sent to the server at ``url`` (see the module)."""
    try:
        parts = urlsplit(url)
        _port = parts.port  # a port that is no number in range raises ValueError
    except ValueError:
        return False
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in url):
        return False
    if "@" in parts.netloc or "?" in url or "#" in url:  # userinfo, a query, a fragment
        return False
    return scheme == "https" or is_loopback(parts.hostname)


def is_loopback(host: str) -> bool:
    """Whether ``host`` is this computer: ``localhost``, 127.0.0.0/8 or ::1."""
    if host.lower() == LOCALHOST:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
