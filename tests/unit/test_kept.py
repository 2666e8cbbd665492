"""What the compliance projection keeps per aggregate is bounded in rows, and an aggregate
chosen at random is forgotten when it is full: a cycle a little longer than the bound keeps
most of its aggregates, where forgetting the least recently used would keep none."""

from __future__ import annotations

import random

from application.projections.kept import Kept


def _round(kept: Kept[str], keys: list[str]) -> int:
    """Each key looked up then kept, in turn; how many were found."""
    found = 0
    for key in keys:
        found += kept.get(key) is not None
        kept.put(key, key, 1)
    return found


def test_going_round_more_aggregates_than_fit_keeps_most_of_them() -> None:
    kept: Kept[str] = Kept(capacity=100)
    keys = [f"case-{n}" for n in range(110)]
    for _ in range(20):
        _round(kept, keys)
    assert _round(kept, keys) >= 0.6 * len(keys)  # least recently used would find 0
    assert len(kept) == 100


def test_a_few_aggregates_come_back_to_are_kept_among_many_seen_once() -> None:
    kept: Kept[str] = Kept(capacity=100)
    hot = [f"hot-{n}" for n in range(10)]
    for n in range(1_000):
        _round(kept, hot)
        kept.put(f"once-{n}", "x", 1)
    assert _round(kept, hot) >= 8


def test_what_is_put_is_kept_and_found_and_the_rows_kept_never_exceed_the_capacity() -> None:
    kept: Kept[int] = Kept(capacity=50)
    rng = random.Random(1)
    sizes: dict[str, int] = {}
    for step in range(5_000):
        key, size = f"k{rng.randrange(40)}", rng.randrange(0, 12)
        if rng.random() < 0.2:
            kept.pop(key)
        else:
            kept.put(key, step, size)
            assert (key in kept) == (size > 0) and (size == 0 or kept.get(key) == step)
        sizes = {k: size if k == key else sizes[k] for k in kept}
        assert len(kept) == sum(sizes.values()) <= 50


def test_nothing_is_kept_with_no_capacity_nor_a_value_larger_than_it() -> None:
    kept: Kept[str] = Kept(capacity=3)
    kept.put("big", "x", 4)
    none: Kept[str] = Kept(capacity=0)
    none.put("a", "x", 1)
    assert "big" not in kept and len(kept) == 0 and len(none) == 0
