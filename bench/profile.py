"""py-spy sampling of a running process (its summary: ``bench/frames.py``)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path


def py_spy() -> str | None:
    local = Path(sys.executable).with_name("py-spy")
    return str(local) if local.exists() else shutil.which("py-spy")


class Sampler:
    """``py-spy record`` attached to ``pid`` (all threads, idle frames excluded)."""

    def __init__(self, pid: int, out: Path, seconds: float, rate: int = 200) -> None:
        exe = py_spy()
        self.out = out
        self.proc: subprocess.Popen[bytes] | None = None
        if exe is None:
            return
        out.parent.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen(
            [exe, "record", "--pid", str(pid), "--duration", str(max(1, int(seconds))),
             "--rate", str(rate), "--format", "raw", "--nonblocking", "--subprocesses",
             "-o", str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def wait(self, timeout: float = 60.0) -> Path | None:
        if self.proc is None:
            return None
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.terminate()
            self.proc.wait(5)
        return self.out if self.out.exists() else None
