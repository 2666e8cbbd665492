"""Reminders and alerts: subscriptions, the notices due, and the outbox they wait in."""
