"""Aggregates as of each event a projection reads, so views derive from the domain's state.

A bounded LRU cache keeps rebuild memory flat; a cached aggregate is used only when it is
exactly one version behind the event, so a rolled-back batch cannot leave it wrong.
"""

from __future__ import annotations

import inspect
from collections import OrderedDict
from collections.abc import Callable
from typing import Any
from uuid import UUID

from eventsourcing.domain import (
    CanMutateAggregate,
    DecoratedFuncCaller,
    OriginatorIDError,
    OriginatorVersionError,
    decorated_funcs,
)

from application.projections.base import StoredNotification

CASE_TOPIC = "domain.case:AidCase."
DONOR_TOPIC = "domain.donor:Donor."

# Per event class: the function its ``@event`` decorated and the parameter names it takes,
# or None when the class mutates in some other way (then ``event.mutate`` is called).
_Plan = tuple[Callable[..., None], frozenset[str]] | None
_plans: dict[type, _Plan] = {}


def _plan(cls: type) -> _Plan:
    if cls in _plans:
        return _plans[cls]
    plan: _Plan = None
    if (issubclass(cls, DecoratedFuncCaller) and cls in decorated_funcs
            and getattr(cls, "mutate", None) is CanMutateAggregate.mutate
            and getattr(cls, "apply", None) is DecoratedFuncCaller.apply):
        mro = cls.__mro__
        after = next((k.__dict__["apply"] for k in mro[mro.index(DecoratedFuncCaller) + 1:]
                      if "apply" in k.__dict__), None)
        func = decorated_funcs[cls]
        # The super().apply() it ends with must do nothing, and the function must bind as a
        # plain method does.
        if after is CanMutateAggregate.apply and inspect.isfunction(func):
            plan = (func, frozenset(inspect.signature(func).parameters))
    _plans[cls] = plan
    return plan


def mutate(event: Any, aggregate: Any) -> Any:
    """``event.mutate(aggregate)``, the same checks and effects, without the library's
    per-event dispatch (a signature filter and a bound method per event): a rebuild replays
    every event of the log through here."""
    plan = _plan(type(event))
    if plan is None or aggregate is None:
        return event.mutate(aggregate)
    func, names = plan
    state = event.__dict__
    if event.originator_id != aggregate.id:
        raise OriginatorIDError(event.originator_id, aggregate.id)
    if event.originator_version != aggregate.version + 1:
        raise OriginatorVersionError(event.originator_version, aggregate.version + 1)
    func(aggregate, **{k: v for k, v in state.items() if k in names})
    aggregate.version = event.originator_version
    aggregate.modified_on = state["timestamp"]
    return aggregate


class AggregateReplay:
    def __init__(self, app: Any, capacity: int = 5000) -> None:
        self._app = app
        self._capacity = capacity
        self._cache: OrderedDict[UUID, Any] = OrderedDict()

    def after(self, n: StoredNotification) -> Any:
        """The aggregate as it was right after event ``n``."""
        key = n.originator_id if isinstance(n.originator_id, UUID) else UUID(n.originator_id)
        aggregate = self._cache.pop(key, None)
        if aggregate is not None and aggregate.version == n.originator_version - 1:
            aggregate = mutate(n.event, aggregate)
        elif n.originator_version == 1:
            aggregate = n.event.mutate(None)
        else:
            aggregate = self._app.repository.get(key, version=n.originator_version)
        self._cache[key] = aggregate
        if len(self._cache) > self._capacity:
            self._cache.popitem(last=False)
        return aggregate

    def current(self, aggregate_id: UUID) -> Any:
        """The aggregate now (for facts from another aggregate, e.g. a case's donor)."""
        cached = self._cache.get(aggregate_id)
        return cached if cached is not None else self._app.repository.get(aggregate_id)

    def forget(self) -> None:
        self._cache.clear()


def is_case_event(n: StoredNotification) -> bool:
    return n.topic.startswith(CASE_TOPIC)


def is_donor_event(n: StoredNotification) -> bool:
    return n.topic.startswith(DONOR_TOPIC)
