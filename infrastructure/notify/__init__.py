"""Delivery of notifications: SMTP and signed webhooks, the sender and its daily loop."""
