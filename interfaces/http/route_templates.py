"""Path templates compared: whether two routes may take the same request path.

Two templates may take the same path when they have as many segments and every pair of
segments is equal or one is a parameter; a ``path`` parameter or a mount takes any longer
path too. "May" is all that is known (a convertor may refuse a value): the route index
(``route_index.py``) only looks up a route that no earlier route may take first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PARAM = re.compile(r"\{[^}]*\}")
ANY = None  # a segment that takes any value


@dataclass(frozen=True)
class Template:
    """A path template's segments (``None`` for a parameter) and whether it takes any longer
    path too (a ``path`` parameter, a mount)."""
    segments: tuple[str | None, ...]
    open_end: bool

    @classmethod
    def of(cls, path: str, *, mount: bool = False) -> Template:
        parts = path.strip("/").split("/") if path.strip("/") else []
        segments: list[str | None] = []
        for part in parts:
            if part.endswith(":path}"):
                return cls(tuple(segments), True)
            segments.append(ANY if _PARAM.search(part) else part)
        return cls(tuple(segments), mount)

    def may_share_a_path_with(self, other: Template) -> bool:
        for mine, theirs in zip(self.segments, other.segments, strict=False):
            if mine is not ANY and theirs is not ANY and mine != theirs:
                return False
        if len(self.segments) == len(other.segments):
            return True
        shorter = self if len(self.segments) < len(other.segments) else other
        return shorter.open_end


@dataclass(frozen=True)
class Seen:
    """A route before the one being indexed: the methods it takes (None: every method),
    its template (None: it may take any path)."""
    methods: frozenset[str] | None
    template: Template | None

    def may_take(self, method: str, template: Template) -> bool:
        if self.methods is not None and method not in self.methods:
            return False  # a route of another method only makes a PARTIAL match
        return self.template is None or self.template.may_share_a_path_with(template)


