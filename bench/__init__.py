"""``make bench``: measurements of AidTrail against same-run baselines (see bench/run.py)."""
