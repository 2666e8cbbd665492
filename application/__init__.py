"""Use cases: the event-sourced application, projections and the ports they need."""
