"""In-process imitation of the vendor clouds the integration talks to."""

from .app import SIMULATOR_KEY, Simulator, create_app

__all__ = ["SIMULATOR_KEY", "Simulator", "create_app"]
