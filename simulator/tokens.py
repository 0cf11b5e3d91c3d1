"""Bearer tokens and secrets, as the clouds that hand out tokens (Wallbox, Podero) keep them.

A holder (account, organisation) keeps its tokens as a dict of token to expiry in
clock seconds. An expired token is forgotten when it is shown, or when new ones are
issued.
"""

from collections.abc import Callable, Iterable
import secrets


def secret_matches(given: str, expected: str) -> bool:
    """Whether a password or client secret is right (in constant time)."""
    return secrets.compare_digest(given.encode(), expected.encode())


def token_holder[H](
    holders: Iterable[H], tokens_of: Callable[[H], dict[str, float]], token: str, now: float
) -> H | None:
    """The holder of a live `token`, else None (an expired one is forgotten on the way)."""
    for holder in holders:
        tokens = tokens_of(holder)
        expiry = tokens.get(token)
        if expiry is not None:
            if expiry > now:
                return holder
            del tokens[token]
            return None
    return None


def drop_expired(tokens: dict[str, float], now: float) -> None:
    """Forget the tokens whose expiry has come."""
    for token in [t for t, expiry in tokens.items() if expiry <= now]:
        del tokens[token]
