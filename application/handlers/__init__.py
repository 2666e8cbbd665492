"""One function per command: what it needs, then the aggregate's method."""
