"""What the profiles of earlier runs found behind each target: done, and what is left."""

from __future__ import annotations

# Known causes, found with the profiles this harness records (see the Profiles section).
WHY = {
    "pg_cpu": (
        "PostgreSQL's CPU per command is the append function's work (table lock, key check, "
        "insert, notify) plus a commit (WAL flush) per transaction: group commit shares the "
        "commit and the round trip among the commands of a batch, so it falls with the batch "
        "size, which on this machine the server's own CPU keeps small (few commands are ready "
        "while one batch commits). "),
    "scaling": (
        "At concurrency 1 a command's latency is its CPU (the server's, then PostgreSQL's "
        "commit) and nothing overlaps; at 16 the two cores are shared by the server process, "
        "PostgreSQL and the load generator, so throughput can grow at most by the idle share "
        "of the cores at concurrency 1 (about 2x on 2 cores when one process is CPU-bound): "
        "3x needs more cores than this machine has, or less CPU per command. "),
    "commands": (
        "Done (server CPU per command went from ~3.5 ms in the first measured run to the "
        "figure above): a command starts from the state its process saved last, without a "
        "query (a conflict at the save, or a refusal, sends it round again on a full load), "
        "instead of replaying the history; a snapshot due at "
        "its version is taken from that state, not from a reload; events are appended by one "
        "server-side function call (one round trip; the table lock is held only inside the "
        "server, no longer while the client thread waits for the GIL); verified tokens are "
        "cached; the auth and services dependencies no longer hop through the thread pool; "
        "`serve --workers N` gives each process its own SO_REUSEPORT socket (with uvicorn's "
        "--workers one process took all 16 keep-alive connections); command routes are "
        "async, the caller is verified once, the case routes are one level deep and the "
        "error handlers async; a route index finds the route; and with group commit a "
        "command runs on the event loop in a greenlet, handing only its save to the writer "
        "(no command thread: compare the rows \"server context switches per command\" "
        "with group commit on and off). What is "
        "left per command (profile below): uvicorn's protocol, FastAPI's request handling, "
        "validation and the middleware, the domain and the mapper, the hand-over to the "
        "writer and its answer, the response and the log line. A bare FastAPI endpoint "
        "served the same way costs the CPU of its baseline row per request: the framework "
        "alone takes a good part of the budget."),
    "rebuild": (
        "A rebuild replays every event into domain aggregates for six projections (the "
        "profile below: replay, compliance evaluation and the case rows lead, none alone "
        "large). Done: the log read directly in binary, a faster decoder and replay (same "
        "objects as the library's), COPY for new rows and no read-back for cases opened "
        "within the page, pages growing from 500 to 4,000 events, fewer garbage collections "
        "during long catch-ups (together ~1.8x). Reaching the target needs the CPU per event "
        "roughly halved, which means projections that do not replay domain aggregates (a "
        "redesign); splitting it over processes by aggregate (each with its own tracking) "
        "is bounded by the ceiling above."),
    "get": "",
    "views": "",
    "pages": "",
    "lag": "",
    "verify": "",
    "memory": "",
}
