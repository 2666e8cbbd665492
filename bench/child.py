"""Work measured in a process of its own (peak RSS is per process): projection rebuild and
audit verification. ``python -m bench.child rebuild [--until N] | verify``; prints JSON."""

from __future__ import annotations

import argparse
import json
import resource
import time

from application.audit import verify_chain
from infrastructure.settings import Settings
from interfaces.container import build_container


def _maxrss_kib() -> int:
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)  # KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("task", choices=["rebuild", "verify"])
    parser.add_argument("--until", type=int, default=0, help="rebuild up to this position")
    parser.add_argument("--wait", type=float, default=0.0,
                        help="seconds to sleep first (lets a profiler attach)")
    args = parser.parse_args()
    container = build_container(Settings(inprocess_projections=False))
    try:
        runner = container.runner
        head = runner.head()
        until = min(args.until, head) if args.until else head
        names = list(runner.projections)
        if args.task == "rebuild":
            for name in names:  # empty every view, then one pass over the log feeds them all
                runner.reset(name)
            if args.wait:
                # A profiled run: the first events import and set up what the rest reuse;
                # that one-off cost is kept out of the profile (its timing is not used).
                runner.catch_up(until=min(until, 1000), names=names)
        if args.wait:
            print("ready", flush=True)  # the bench attaches its profiler now
            time.sleep(args.wait)
        before = _maxrss_kib()
        started, cpu = time.perf_counter(), time.process_time()
        result: dict[str, object]
        if args.task == "rebuild":
            runner.catch_up(until=until, names=names)
            seconds = time.perf_counter() - started
            result = {"events": until, "seconds": seconds,
                      "cpu_seconds": time.process_time() - cpu}
        else:
            runner.catch_up(names=["audit_ledger"])
            started = time.perf_counter()
            verified = verify_chain(runner)
            seconds = time.perf_counter() - started
            result = {"events": verified.count, "seconds": seconds, "ok": verified.ok}
        result.update({"maxrss_kib": _maxrss_kib(), "rss_before_kib": before,
                       "projections": sorted(runner.projections)})
        print(json.dumps(result))
    finally:
        container.close()


if __name__ == "__main__":
    main()
