"""One TLS context for every httpx client the tests build. By default a client builds its own,
loading the CA bundle: about 50 ms of CPU each (``python -m bench.test_costs``), and the load
tests' threads each build a client (61 s of CPU in a py-spy profile of a full run). The tests'
servers speak plain HTTP: nothing is verified with it."""

from __future__ import annotations

import httpx

TLS = httpx.create_ssl_context()
