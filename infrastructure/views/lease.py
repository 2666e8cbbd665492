"""Which process runs a SQLite file's projections: the one holding an exclusive ``flock`` on
a file beside it. The kernel lets go of the lock when that process ends, however it ends,
so a standby takes over at its next try. (PostgreSQL's worker holds advisory locks.)"""

from __future__ import annotations

import fcntl
import os
import threading
from pathlib import Path

from infrastructure.database import DatabaseConfig


def lease_path(database: DatabaseConfig) -> Path | None:
    """The lock file of a SQLite file's projections, beside the file that ``sqlite_path``
    names however it is reached (as the writers' queue is keyed); None for PostgreSQL and
    ``:memory:`` (one process only)."""
    if database.kind != "sqlite" or database.is_memory:
        return None
    assert database.sqlite_path is not None
    return Path(f"{os.path.realpath(database.sqlite_path)}.projections.lock")


class FileLease:
    """An exclusive, non-blocking ``flock``. Two leases on one path conflict even in one
    process (a ``flock`` belongs to the open file, not to the process)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        self._guard = threading.Lock()

    @property
    def held(self) -> bool:
        return self._fd is not None

    def try_acquire(self) -> bool:
        """Take the lease if no one holds it; True while this lease holds it. A lease whose
        lock file was removed or replaced is given up and taken afresh, since another
        process may lock the new file."""
        with self._guard:
            if self._fd is not None:
                if self._still_the_file(self._fd):
                    return True
                self._close()
            # Read-only is enough for flock, and lets processes of other users in the
            # database's group share the file (umask decides its mode).
            fd = os.open(self.path, os.O_RDONLY | os.O_CREAT, 0o666)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                return False
            except BaseException:
                os.close(fd)
                raise
            if not self._still_the_file(fd):  # removed between the open and the lock
                os.close(fd)
                return False
            self._fd = fd
            return True

    def _still_the_file(self, fd: int) -> bool:
        try:
            here, there = os.fstat(fd), os.stat(self.path)
        except FileNotFoundError:
            return False
        return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)

    def release(self) -> None:
        with self._guard:
            self._close()

    def _close(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)  # closing the file lets go of its lock
