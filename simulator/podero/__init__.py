"""The simulated Podero cloud.

`cloud.SimulatedPodero` is put together from state.py, tokens.py, devices.py,
reads.py, world.py and commands.py; routes.py and control.py serve it over HTTP.
"""
