"""Podero (Partner API v2.0): the HTTP client, its answers, and the mapping to the neutral model."""
