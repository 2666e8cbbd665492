"""The CPU of a request summary line written our way (``configure_logging``) and through the
stdlib's record and structlog's formatter (as before), in turn: ``python -m bench.logline``."""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import tempfile
import time

import structlog

from infrastructure.logging import configure_logging


def _through_the_stdlib() -> None:  # the configuration before ``RootStreamLogger``
    shared = logging.getLogger().handlers[0].formatter.foreign_pre_chain  # type: ignore[union-attr]
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger, cache_logger_on_first_use=True)


def _per_line(lines: int) -> float:
    log = structlog.stdlib.get_logger("aidtrail.http")
    started = time.process_time()
    for _ in range(lines):
        log.info("request", method="POST", scheme="http", status=200, duration_ms=1.23,
                 path="/api/v1/cases/0a4f3c2e-8d1b-4a57-9e0c-2f6b7d9a1c35/disbursements")
    return (time.process_time() - started) / lines * 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.logline", description=__doc__)
    parser.add_argument("--lines", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    measured: dict[str, list[float]] = {"ours": [], "stdlib": []}
    with tempfile.TemporaryFile("w", encoding="utf-8") as sys.stderr:
        structlog.contextvars.bind_contextvars(request_id="0" * 32)
        for _ in range(args.rounds):
            configure_logging("json", "INFO")  # to sys.stderr: the file
            measured["ours"].append(_per_line(args.lines))
            _through_the_stdlib()
            measured["stdlib"].append(_per_line(args.lines))
    sys.stderr = sys.__stderr__
    logging.getLogger().handlers.clear()
    for way, values in measured.items():
        print(f"{way:>6}: {statistics.median(values):5.1f} µs of CPU per line "
              f"(median of {args.rounds} rounds of {args.lines:,})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
