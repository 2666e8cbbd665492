"""What the application needs from outside, declared here and implemented in infrastructure."""

from __future__ import annotations

from datetime import date
from typing import Protocol

from domain.rules import RuleProfile


class RuleBookPort(Protocol):
    def in_force(self, on: date, province: str | None = None) -> RuleProfile: ...

    def by_ref(self, ref: str) -> RuleProfile | None: ...
