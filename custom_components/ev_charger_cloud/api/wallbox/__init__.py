"""Wallbox (myWallbox cloud): the HTTP client, its answers, and the mapping to the neutral model."""
