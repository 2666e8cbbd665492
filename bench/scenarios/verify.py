"""``audit verify`` in a process of its own: the hash chain checked over the whole log."""

from __future__ import annotations

from bench.harness import Bench


def verify(bench: Bench, env: dict[str, str]) -> None:
    results = [bench.child("verify", env, [], None) for _ in range(bench.sizes.repeats)]
    if bench.profile:
        bench.child("verify", env, [], "audit verify")
    if not all(r["ok"] for r in results):
        raise RuntimeError("audit verify reported a broken chain")
    bench.facts["verify"] = bench.row("verify", f"audit verify, {results[0]['events']:,} events",
                                      "events/s",
                                      [r["events"] / r["seconds"] for r in results]).median
