"""The ``aidtrail`` command line."""
