"""ViewCounts keeps a bounded number of questions, the least recently asked going first, and
keeps none when it may keep none."""

from __future__ import annotations

from typing import Any

from application.projections.view_counts import ViewCounts


class Tracking:
    """A view transaction that answers only the tracking row, at a position set by hand."""

    dialect = "sqlite"

    def __init__(self) -> None:
        self.position = 1

    def fetchall(self, sql: str, params: Any = ()) -> list[tuple[Any, ...]]:
        assert sql.startswith("SELECT position, updated_at FROM projection_tracking")
        return [(self.position, "2026-12-02T00:00:00+00:00")]


def test_the_least_recently_asked_question_goes_first_when_the_room_is_full() -> None:
    counts, tx, made = ViewCounts(entries=2), Tracking(), []
    def ask(question: str) -> str:
        def count() -> str:
            made.append(question)
            return question
        return counts.get(tx, "v", question, count)

    for question in ("a", "b", "a", "c", "a", "b"):
        ask(question)
    assert made == ["a", "b", "c", "b"]  # "b" went when "c" came; "a" was asked since


def test_a_new_position_is_counted_again_and_no_room_keeps_nothing() -> None:
    tx = Tracking()
    kept, none = ViewCounts(), ViewCounts(entries=0)
    for counts in (kept, none):
        counts.get(tx, "v", "q", lambda: 1)
        counts.get(tx, "v", "q", lambda: 1)
    assert (kept.counted, none.counted) == (1, 2)
    tx.position = 2
    assert kept.get(tx, "v", "q", lambda: 2) == 2 and kept.counted == 2
