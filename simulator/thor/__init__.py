"""The simulated Thor cloud.

`cloud.SimulatedThor` is put together from state.py, keys.py, boxes.py, charges.py,
commands.py, reservations.py, reads.py and notifications.py; routes.py and
control.py serve it over HTTP, push.py sends its notifications.
"""
