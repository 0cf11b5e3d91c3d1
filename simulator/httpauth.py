"""Reading the credentials of an Authorization header, shared by every cloud's routes."""

import base64

from aiohttp import web


def bearer_token(request: web.Request) -> str | None:
    """The token of `Authorization: Bearer <token>`, or None when absent or another scheme."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def basic_credentials(request: web.Request) -> tuple[str, str] | None:
    """User and password of an HTTP Basic header (Latin-1, as sent), or None if unusable.

    Decoded by hand: aiohttp's `BasicAuth.decode` is deprecated.
    """
    scheme, _, encoded = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("latin1")
    except ValueError:
        return None
    user, colon, password = decoded.partition(":")
    return (user, password) if colon else None
