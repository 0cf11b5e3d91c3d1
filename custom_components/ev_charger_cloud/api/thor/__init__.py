"""Thor (thor.tools integration API): the HTTP client, its answers and push notifications.

And the mapping of all of it to the neutral model.
"""
