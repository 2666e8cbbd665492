"""The AidTrail domain model: aggregates, value objects, pure rules. No I/O, no clock."""
