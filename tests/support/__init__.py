"""Test support: database servers and stores for both backends."""
