"""The error every simulated cloud raises for a request it refuses."""


class CloudError(Exception):
    """A refusal with the HTTP status the cloud answers; each cloud renders its own body."""

    def __init__(self, status: int, title: str) -> None:
        super().__init__(title)
        self.status = status
        self.title = title
