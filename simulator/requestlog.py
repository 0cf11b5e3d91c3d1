"""Record of every request that reached a provider path, for assertions in tests."""

import asyncio
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any, TypedDict, Unpack

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from .clock import Clock

# Logged when the client went away before the answer (nginx uses the same code).
CLIENT_CLOSED_REQUEST = 499

# Provider handlers store the account the request was attributed to under this key.
ACCOUNT_KEY = "simulator.account"


class RequestFilters(TypedDict, total=False):
    """The filters of `RequestLog.matching`; None or left out: any."""

    provider: str | None
    method: str | None
    path_contains: str | None
    status: int | None
    account: str | None


@dataclass(frozen=True, slots=True)
class RequestRecord:
    """One request as seen by a simulated cloud."""

    provider: str
    method: str
    path: str
    status: int
    account: str | None
    at: float

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class RequestLog:
    """Ordered records with filters for tests; iterable and indexable like a list.

    Not a `list` subclass because `count` here filters by fields instead of
    counting equal items.
    """

    def __init__(self) -> None:
        self._records: list[RequestRecord] = []

    def __iter__(self) -> Iterator[RequestRecord]:
        return iter(self._records)

    def __len__(self) -> int:
        return len(self._records)

    def __getitem__(self, index: int) -> RequestRecord:
        return self._records[index]

    def append(self, record: RequestRecord) -> None:
        self._records.append(record)

    def clear(self) -> None:
        self._records.clear()

    def matching(
        self,
        *,
        provider: str | None = None,
        method: str | None = None,
        path_contains: str | None = None,
        status: int | None = None,
        account: str | None = None,
    ) -> list[RequestRecord]:
        """Records that satisfy every filter given."""
        return [
            record
            for record in self._records
            if (provider is None or record.provider == provider)
            and (method is None or record.method == method.upper())
            and (path_contains is None or path_contains in record.path)
            and (status is None or record.status == status)
            and (account is None or record.account == account)
        ]

    def count(self, **filters: Unpack[RequestFilters]) -> int:
        """Number of records that satisfy every filter given (those of `matching`)."""
        return len(self.matching(**filters))

    def to_json(self) -> list[dict[str, Any]]:
        return [record.to_json() for record in self._records]


def set_account(request: web.Request, email: str | None) -> None:
    """Attribute the request to an account in the log."""
    request[ACCOUNT_KEY] = email


def provider_of(path: str, providers: frozenset[str]) -> str | None:
    """The provider whose prefix (`/<name>`) the path lies under, if any."""
    first = path.lstrip("/").split("/", 1)[0]
    return first if first in providers else None


def request_log_middleware(log: RequestLog, clock: Clock, providers: frozenset[str]) -> Middleware:
    """Root-app middleware logging requests under any provider prefix.

    It sits on the root app so that it also sees requests that no route matched.
    """

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        provider = provider_of(request.path, providers)
        if provider is None:
            return await handler(request)
        status = 500
        try:
            response = await handler(request)
            status = response.status
            return response
        except web.HTTPException as exc:
            status = exc.status
            raise
        except asyncio.CancelledError:
            status = CLIENT_CLOSED_REQUEST
            raise
        finally:
            log.append(
                RequestRecord(
                    provider=provider,
                    method=request.method,
                    path=request.path,
                    status=status,
                    account=request.get(ACCOUNT_KEY),
                    at=clock.now(),
                )
            )

    return middleware
