"""Podero (Partner API v2.0): the HTTP client, its answers, and the mapping to the neutral model.

``client.py`` speaks HTTP (tokens in ``auth.py``), ``parse.py`` reads Podero's
JSON into the typed answers of ``models.py``, ``mapping.py`` turns those into
the neutral model, and ``cloud.py`` is the ChargerCloudClient built on them.
"""
