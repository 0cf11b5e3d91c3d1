"""The simulated thor cloud: its state, answers, physics, routes and control API."""
