"""A bounded HTTP/1.1 load generator on raw asyncio sockets (keep-alive, N connections).

Raw sockets rather than httpx: on a 2-core machine the client shares the CPU with the
server, and httpx costs several times more per request than the server's own framing.
Only 127.0.0.1 is allowed; every run stops at ``max_requests`` or at ``seconds``.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import uvloop  # from uvicorn[standard], as the server runs it

# (method, path, body or None) for request number i
RequestFor = Callable[[int], tuple[str, str, bytes | None]]
OnResponse = Callable[[int, int, bytes, float], None]


@dataclass
class LoadResult:
    seconds: float
    latencies: list[float] = field(default_factory=list)  # seconds, successful requests only
    statuses: dict[int, int] = field(default_factory=dict)
    errors: int = 0

    @property
    def ok(self) -> int:
        return len(self.latencies)

    @property
    def throughput(self) -> float:
        return self.ok / self.seconds if self.seconds > 0 else 0.0

    def percentile(self, p: float) -> float:
        return percentile(self.latencies, p)


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def _check_local(base_url: str) -> tuple[str, int]:
    parts = urlsplit(base_url)
    if parts.hostname != "127.0.0.1" or parts.scheme != "http":
        raise ValueError(f"the load generator only targets http://127.0.0.1, not {base_url}")
    return parts.hostname, int(parts.port or 80)


def _encode(method: str, path: str, body: bytes | None, headers: dict[str, str]) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    if body is not None:
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + (body or b"")


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    status_line, _, rest = head.partition(b"\r\n")
    status = int(status_line.split(b" ", 2)[1])
    length = None
    chunked = False
    for line in rest.split(b"\r\n"):
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value.strip())
        elif name == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
    if chunked:
        body = bytearray()
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip().split(b";")[0], 16)
            chunk = await reader.readexactly(size + 2)
            if size == 0:
                break
            body += chunk[:-2]
        return status, bytes(body)
    return status, await reader.readexactly(length or 0)


async def _run(base_url: str, request_for: RequestFor, headers: dict[str, str],
               concurrency: int, max_requests: int, seconds: float, rate: float | None,
               on_response: OnResponse | None, warmup: int) -> LoadResult:
    host, port = _check_local(base_url)
    counter = iter(range(max_requests + warmup))
    result = LoadResult(seconds=0.0)
    start = time.perf_counter()
    # Until the warm-up is over, a generous bound; then exactly ``seconds`` of measurement.
    measured_from = [start] if warmup == 0 else []
    stop_at = [start + seconds + (0.0 if warmup == 0 else 10.0)]

    async def client() -> None:
        reader, writer = await asyncio.open_connection(host, port)
        try:
            for i in counter:
                now = time.perf_counter()
                if i == warmup and warmup:
                    measured_from.append(now)
                    stop_at[0] = now + seconds
                if now >= stop_at[0]:
                    return
                if rate and i >= warmup and measured_from:
                    due = measured_from[0] + (i - warmup) / rate
                    if due > now:
                        await asyncio.sleep(due - now)
                method, path, body = request_for(i)
                sent = time.perf_counter()
                try:
                    writer.write(_encode(method, path, body, headers))
                    status, payload = await _read_response(reader)
                except (OSError, asyncio.IncompleteReadError, ValueError):
                    result.errors += 1
                    writer.close()
                    reader, writer = await asyncio.open_connection(host, port)
                    continue
                took = time.perf_counter() - sent
                if i < warmup:
                    continue
                result.statuses[status] = result.statuses.get(status, 0) + 1
                if 200 <= status < 300:
                    result.latencies.append(took)
                else:
                    result.errors += 1
                if on_response:
                    on_response(i - warmup, status, payload, time.perf_counter())
        finally:
            writer.close()

    await asyncio.gather(*(client() for _ in range(concurrency)))
    end = time.perf_counter()
    result.seconds = end - (measured_from[0] if measured_from else start)
    return result


def run_load(base_url: str, request_for: RequestFor, *, headers: dict[str, str] | None = None,
             concurrency: int = 16, max_requests: int = 100_000, seconds: float = 10.0,
             rate: float | None = None, on_response: OnResponse | None = None,
             warmup: int = 0) -> LoadResult:
    """Closed loop (``rate`` None: each connection sends as soon as it has its answer) or
    paced (request i is not sent before ``i / rate`` seconds after the first measured)."""
    return uvloop.run(_run(base_url, request_for, dict(headers or {}), concurrency, max_requests,
                       seconds, rate, on_response, warmup))


def json_body(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()
