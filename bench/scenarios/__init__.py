"""One module per measurement, each writing its rows and facts into a ``Bench``."""
