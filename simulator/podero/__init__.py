"""The simulated podero cloud: its state, answers, physics, routes and control API."""
