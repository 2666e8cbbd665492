"""Request and response bodies, kept at the edge."""
