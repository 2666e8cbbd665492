"""A py-spy profile summarised as its top frames (self and inclusive samples)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path


def _frame_name(frame: str) -> str:
    # "function (path/to/file.py:123)" -> "function (file.py:123)" keeping the package dir
    name, _, where = frame.partition(" (")
    where = where.rstrip(")")
    path, _, line = where.rpartition(":")
    parts = Path(path).parts
    short = "/".join(parts[-2:]) if len(parts) >= 2 else path
    for marker in ("site-packages",):
        if marker in parts:
            short = "/".join(parts[parts.index(marker) + 1:])
    return f"{name} ({short}:{line})" if path else frame


def top_frames(collapsed: Path, limit: int = 15) -> str:
    """A markdown summary: the frames with most self samples and most inclusive samples."""
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    total = 0
    for line in collapsed.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        frames = [_frame_name(f) for f in stack.split(";")]
        frames = [f for f in frames if not f.startswith("process ") and
                  not f.startswith("thread ")]
        if not frames:
            continue
        total += n
        own[frames[-1]] += n
        for f in set(frames):
            inclusive[f] += n
    if not total:
        return "_no samples_"
    lines = [f"{total} samples (all threads, busy only).", "",
             "| self % | frame | | inclusive % | frame |", "|---:|---|---|---:|---|"]
    selfs = own.most_common(limit)
    # inclusive: skip the frames every sample passes through (thread bootstraps, run loops)
    incl = [(f, n) for f, n in inclusive.most_common(limit * 4) if n < total * 0.97][:limit]
    for i in range(max(len(selfs), len(incl))):
        a = selfs[i] if i < len(selfs) else ("", 0)
        b = incl[i] if i < len(incl) else ("", 0)
        lines.append(f"| {100 * a[1] / total:.1f} | `{a[0]}` | | {100 * b[1] / total:.1f} | "
                     f"`{b[0]}` |")
    return "\n".join(lines)
