"""The factories' wiring of group commit: each recorder that can commit batches gets the
process's writer (``infrastructure/group_commit.py``) when ``GROUP_COMMIT_WAIT_MS`` is set."""

from __future__ import annotations

from typing import Any

from infrastructure.group_commit import GroupCommit


class GroupCommitting:
    """A factory mixin: the recorder gets the process's group-commit writer when
    ``GROUP_COMMIT_WAIT_MS`` is set (0 or absent: each save commits on its own), and the
    writer stops with the factory."""

    env: Any

    def application_recorder(self) -> Any:
        recorder = super().application_recorder()  # type: ignore[misc]
        wait_ms = float(self.env.get("GROUP_COMMIT_WAIT_MS") or 0)
        if hasattr(recorder, "commit_batch") and wait_ms > 0:
            recorder.group_commit = GroupCommit(recorder.commit_batch, wait_ms / 1000,
                                                getattr(recorder, "commit_on_loop", None))
            self.__dict__.setdefault("_writers", []).append(recorder.group_commit)
            if hasattr(recorder, "close_loop_connections"):
                self.__dict__.setdefault("_loop_closers", []).append(
                    recorder.close_loop_connections)
        return recorder

    def close(self) -> None:
        for writer in self.__dict__.get("_writers", []):
            writer.close()
        for close_loop_connections in self.__dict__.get("_loop_closers", []):
            close_loop_connections()
        super().close()  # type: ignore[misc]
