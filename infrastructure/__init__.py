"""Adapters: storage, settings, logging, rule-profile loading."""
