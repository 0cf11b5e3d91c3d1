"""The simulated Wallbox cloud.

`cloud.SimulatedWallbox` is put together from state.py, tokens.py, chargers.py,
reads.py and commands.py; routes.py and control.py serve it over HTTP.
"""
