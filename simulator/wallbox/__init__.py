"""The simulated wallbox cloud: its state, answers, physics, routes and control API."""
