"""The read models: each projection in its own module, their registry in ``registry``, the
reads over them in ``queries`` and ``queries_compliance``, keyset pages in ``paging``."""
