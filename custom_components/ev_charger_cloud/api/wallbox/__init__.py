"""Wallbox (myWallbox cloud), in the same shape as every cloud's package.

client.py speaks HTTP and knows the vendor's JSON (WallboxClient), auth.py its
tokens, parse.py its answers, and cloud.py maps them to the neutral model
(WallboxCloud, the ChargerCloudClient).
"""
