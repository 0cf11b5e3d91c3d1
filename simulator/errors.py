"""The error every simulated cloud raises for a request it refuses, and how the API answers it.

Each cloud renders its own body; the middleware adds `Retry-After` to refusals that
carry a wait (429s), where the cloud sends one.
"""

from collections.abc import Callable

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from .jsonbody import BodyError
from .ratelimit import retry_after_header


class CloudError(Exception):
    """A refusal with the HTTP status the cloud answers; each cloud renders its own body.

    `retry_after` is the wait in seconds of a refusal for too many requests.
    """

    def __init__(self, status: int, title: str, retry_after: float | None = None) -> None:
        super().__init__(title)
        self.status = status
        self.title = title
        self.retry_after = retry_after


def _always() -> bool:
    return True


def cloud_errors_middleware[E: CloudError](
    error_type: type[E],
    render: Callable[[E], web.Response],
    *,
    send_retry_after: Callable[[], bool] = _always,
    render_bad_body: Callable[[str], web.Response] | None = None,
) -> Middleware:
    """Answer a cloud's refusals with `render`; bad bodies too, where the cloud says how."""

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            return await handler(request)
        except error_type as exc:
            response = render(exc)
            if exc.retry_after is not None and send_retry_after():
                response.headers["Retry-After"] = retry_after_header(exc.retry_after)
            return response
        except BodyError as exc:
            if render_bad_body is None:
                raise
            return render_bad_body(str(exc))

    return middleware
