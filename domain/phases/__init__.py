"""The AidCase's phases: per phase, the pure guards that check a command and compute its
event's fields, and the functions that apply those events (they only assign)."""
