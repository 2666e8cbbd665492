"""Structured logging: JSON outside a terminal, console on one; stdlib and uvicorn alike."""

from __future__ import annotations

import logging
import os
import sys
import traceback
from collections.abc import MutableMapping
from typing import Any

import structlog

# Keys whose values never reach a log line, wherever they appear.
_SECRET_KEYS = {"authorization", "token", "password", "secret", "jwt", "cipher_key", "body"}


def _redact(_: Any, __: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    for key in list(event_dict):
        if key.lower() in _SECRET_KEYS:
            event_dict[key] = "[redacted]"
    return event_dict


def _pid(_: Any, __: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    event_dict["pid"] = os.getpid()  # tells the processes of `serve --workers N` apart
    return event_dict


def _exception(exc_info: Any) -> BaseException | None:
    if isinstance(exc_info, BaseException):
        return exc_info
    if isinstance(exc_info, tuple):
        return exc_info[1]  # type: ignore[no-any-return]
    return sys.exc_info()[1] if exc_info else None


def _format_exc_info(_: Any, __: str, event_dict: MutableMapping[str, Any]
                     ) -> MutableMapping[str, Any]:
    """Tracebacks without exception messages: a message may quote request data (a title, a
    database row), while the stack and the types are enough to find the fault."""
    exc = _exception(event_dict.pop("exc_info", None))
    if exc is None:
        return event_dict
    parts, seen = [], set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        parts.append("Traceback (most recent call last):\n"
                     + "".join(traceback.format_tb(exc.__traceback__))
                     + f"{type(exc).__module__}.{type(exc).__qualname__} (message withheld)")
        exc = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)
    event_dict["exception"] = "\n\nThe above was raised while handling:\n\n".join(parts)
    return event_dict


def configure_logging(fmt: str = "auto", level: str = "INFO") -> None:
    use_json = fmt == "json" or (fmt == "auto" and not sys.stderr.isatty())
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _pid,
        _redact,
    ]
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if use_json
        else structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty())
    )
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            _format_exc_info,
            renderer,
        ],
    )
    # No line of ours shows where it was logged from, or the thread: skip finding them out
    # for every record (the "Optimization" section of Python's logging HOWTO).
    logging._srcfile = None  # type: ignore[attr-defined]
    logging.logThreads = False
    logging.logProcesses = False  # our own `pid` processor adds it where wanted
    logging.logMultiprocessing = False
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # uvicorn's own loggers go through the same processors; its access log is replaced by
    # our one summary line per request.
    for name in ("uvicorn", "uvicorn.error", "eventsourcing"):
        lg = logging.getLogger(name)
        lg.handlers[:] = []
        lg.propagate = True
    logging.getLogger("uvicorn.access").disabled = True


def get_logger(name: str) -> Any:
    return structlog.stdlib.get_logger(name)
