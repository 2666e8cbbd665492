"""The demo's steps, executed in business-date order across the whole dataset."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, cast
from uuid import UUID

from application.commands.base import CaseCommand, DonorCommand
from application.commands.catalog import command_type
from application.commands.opening import OpenCase, RegisterDonor
from application.services import Services
from domain.values import Actor

ProgressCallback = Callable[[int, int], None]


class DemoStepError(RuntimeError):
    """A step of the demo was refused (a bug in the dataset, or another writer got there)."""


@dataclass
class Step:
    on: date
    seq: int
    kind: str  # "donor", "open_case", "case", "register"
    target: UUID | None
    command: str
    actor: Actor
    kwargs: dict[str, Any]


class Schedule:
    """Every step of every donor and case, run through the ordinary services."""

    def __init__(self, services: Services, today: date, seed: int) -> None:
        self.services, self.today = services, today
        self.rng = random.Random(seed)  # noqa: S311 (demo data, not security)
        self.steps: list[Step] = []
        self.cutoff: dict[str, date] = {}  # donor code -> certificate suspended/revoked on

    def ago(self, days: int) -> date:
        return self.today - timedelta(days=days)

    def add(self, on: date, kind: str, target: UUID | None, command: str, actor: Actor, /,
            **kwargs: Any) -> None:
        if on > self.today:
            raise AssertionError(f"demo step {command} dated {on} is after {self.today}")
        self.steps.append(Step(on, len(self.steps), kind, target, command, actor, kwargs))

    def run(self, progress: ProgressCallback | None) -> tuple[int, dict[str, int]]:
        services = self.services
        versions: dict[UUID, int] = {}
        status: dict[UUID, str] = {}
        ordered = sorted(self.steps, key=lambda s: (s.on, s.seq))
        total = len(ordered)
        for done, step in enumerate(ordered, 1):
            kwargs = {**step.kwargs, "effective_date": step.on}
            try:
                if step.kind == "register":
                    result = services.register_donor(RegisterDonor(actor=step.actor, **kwargs))
                elif step.kind == "open_case":
                    result = services.open_case(OpenCase(actor=step.actor, **kwargs))
                elif step.kind == "donor":
                    assert step.target is not None
                    donor_command = cast(type[DonorCommand], command_type(step.command))
                    result = services.handle_donor(donor_command(
                        donor_id=step.target, actor=step.actor, **kwargs))
                else:
                    assert step.target is not None
                    case_command = cast(type[CaseCommand], command_type(step.command))
                    result = services.handle_case(case_command(
                        case_id=step.target, actor=step.actor, **kwargs))
            except Exception as exc:  # say which step, and how far the load went
                on = step.target or kwargs.get("reference") or kwargs.get("code")
                raise DemoStepError(f"demo step {step.command} dated {step.on} on {on} failed "
                                    f"after {done - 1} of {total} steps: {exc}") from exc
            if step.kind in ("open_case", "case"):
                status[result.id] = result.status
            versions[result.id] = result.version
            if progress is not None:
                progress(done, total)
        return sum(versions.values()), dict(Counter(status.values()))

