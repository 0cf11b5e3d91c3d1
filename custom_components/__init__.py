"""Custom integrations (a regular package, so it wins over the test plugin's own)."""
