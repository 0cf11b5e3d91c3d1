"""Wallbox's refusals (`WallboxError`, `WallboxRateLimited`) and the checks that raise them."""

from enum import StrEnum

from simulator.errors import CloudError

from .model import MAX_ICP_CURRENT, ListShape, StatusShape


class WallboxError(CloudError):
    """A request the Wallbox cloud refuses, with the HTTP status it answers."""


class WallboxRateLimited(WallboxError):
    """429, with the seconds until the account's bucket has a token again."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(429, "Too many requests", retry_after)


def check_icp(amps: int) -> None:
    """400 unless `amps` is a power boost limit (negative: the one with power boost off)."""
    if not 1 <= abs(amps) <= MAX_ICP_CURRENT:
        raise WallboxError(
            400,
            f"icp_max_current must be within 1..{MAX_ICP_CURRENT} "
            f"or -{MAX_ICP_CURRENT}..-1 (power boost off)",
        )


def to_shape[S: StrEnum](kind: type[S], value: str, field: str) -> S:
    """The member of `kind` named `value`, else 400 naming the control API's `field`."""
    try:
        return kind(value)
    except ValueError:
        shapes = ", ".join(shape.value for shape in kind)
        raise WallboxError(400, f"{field} must be one of {shapes}") from None


def to_status_shape(value: str) -> StatusShape:
    """The `StatusShape` named `value`, else 400."""
    return to_shape(StatusShape, value, "status_shape")


def to_list_shape(value: str) -> ListShape:
    """The `ListShape` named `value`, else 400."""
    return to_shape(ListShape, value, "list_shape")
