"""One frozen type per command, grouped by the phase of the case it belongs to."""
