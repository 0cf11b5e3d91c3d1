"""Thor (thor.tools integration API): the HTTP client, its answers and push notifications.

And the mapping of all of it to the neutral model. Where each part lives:

- client.py: ThorClient, the requests (through the shared api/http.py transport);
  refusals.py maps Thor's error statuses and message names onto the typed errors;
- parse.py (with values.py) and models.py: the defensive reading of the JSON answers;
- cloud.py: ThorCloud, the neutral client (what a poll reads, the commands);
  chargers.py: what a read shows of each box and connector;
- reads.py, history.py: the optional third request of a poll and the energy history;
- push.py (with push_values.py) and live.py: notifications and the live charge state.
"""
