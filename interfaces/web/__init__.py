"""The web workspace: server-rendered pages for the office at ``/`` (the API stays at
``/api/v1``). Pages call the same application services as the API."""
