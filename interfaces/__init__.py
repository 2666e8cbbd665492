"""Delivery: HTTP API, CLI and worker. Composition roots live here."""
