"""What the full run found and what was done with it: the analysis written under its table."""

ANALYSIS = """
Findings and what was done with them (the table above is the evidence for this run):

1. **GET /cases/{id}** returns the whole case state, which grows with the history (330 KB of
   JSON at 1,000 events: decoding the snapshot, `state()` and encoding cost ~13 ms). Reads
   are served from a cache of rendered states keyed by (case id, version): every read asks
   the store for the case's head version (one indexed query), so nothing stale is served,
   and a version rendered once is not rendered again. The target rows measure repeated
   reads (a warm cache); the first read after each new event still pays the full render:
   the row "cold (unread version)" measures that. Keeping the aggregate small (the
   transaction list in a read model, the totals on the case) would remove that cost.
2. **Commands over HTTP.** See "Targets" (and "Targets not reached" if it misses). The
   rows "CPU per command" of the server, PostgreSQL and the load generator show where the
   ratio comes from: together they bound what the machine's cores can do at all. uvicorn's
   own `--workers` shares one listening socket, and on this machine one process took every
   keep-alive connection of the load generator (measured: 5 s of CPU in one worker, 1 s in
   the other); `aidtrail serve --workers N` therefore opens one SO_REUSEPORT socket per
   process and the kernel spreads the connections. uvloop (what `serve` runs) sets
   TCP_NODELAY on accepted sockets, so the ~40 ms keep-alive stalls of the plain asyncio
   loop do not occur.
3. **Projection rebuild.** See "Targets". Done: one transaction per page for all
   projections at the same position, synchronous_commit off for view writes (safe: tracking
   commits with the rows), `projections rebuild --all` in one pass, the log read directly in
   binary, COPY for new rows, pages growing to 4,000 events, fewer GC passes. The rows
   "rebuild process CPU" show it is bound by the CPU of one interpreter, not by waiting.
4. **psycopg pipeline stall on very large statements** (psycopg 3 in pipeline mode, which
   eventsourcing 9.5.6 uses for inserts, stalls when one statement carries roughly 500 KB
   or more over the Unix socket). Saves no longer use the pipeline (one function call, a
   4 MB save is tested); `aidtrail audit import` still inserts in chunks of at most 256 KB
   and the bench loader saves at most 400 events per `save()`.
5. **What passes** is the "Targets" list of this run, judged from its own figures (every
   filter, sort and search of each view on its own target per backend); this text does not
   say it ahead. Margins depend on how busy the machine is.
"""
