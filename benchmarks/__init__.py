"""Benchmarks: numbers about the integration, printed rather than asserted."""
