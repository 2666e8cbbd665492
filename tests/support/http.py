"""One TLS context for every httpx client the tests build. Building a client builds a context
by default, loading the CA bundle: 51 ms of CPU each, and the load tests' threads each build a
client (61 s of CPU in a full run). The tests' servers speak plain HTTP: nothing is verified."""

from __future__ import annotations

import httpx

TLS = httpx.create_ssl_context()
