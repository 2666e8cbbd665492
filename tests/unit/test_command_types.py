"""Every command is one type with one role rule, one handler and one route of its own name."""

from __future__ import annotations

import dataclasses
import inspect
from pathlib import Path

import pytest

from application.commands.base import CaseCommand, DonorCommand
from application.commands.catalog import BY_NAME, command_type
from application.handlers.registry import CASE_HANDLERS, DONOR_HANDLERS
from application.roles import COMMAND_ROLES
from domain.case import AidCase
from domain.donor import Donor
from infrastructure.settings import Settings
from interfaces.http.app import create_app


def test_every_case_and_donor_command_has_exactly_its_own_handler() -> None:
    typed = [k for k in COMMAND_ROLES if issubclass(k, CaseCommand | DonorCommand)]
    assert sorted(k.__name__ for k in typed) == sorted(
        k.__name__ for k in [*CASE_HANDLERS, *DONOR_HANDLERS])
    for kind, handler in [*CASE_HANDLERS.items(), *DONOR_HANDLERS.items()]:
        assert handler.__name__ == kind.snake_name()
        assert inspect.signature(handler).parameters["command"].annotation.endswith(kind.__name__)


def test_each_handler_calls_the_domain_method_of_the_same_name() -> None:
    for kind, handler in [*CASE_HANDLERS.items(), *DONOR_HANDLERS.items()]:
        aggregate = AidCase if kind in CASE_HANDLERS else Donor
        assert callable(getattr(aggregate, kind.snake_name()))
        assert f".{kind.snake_name()}(" in inspect.getsource(handler)


def test_a_commands_fields_are_the_domain_methods_arguments_less_what_the_handler_supplies(
) -> None:
    supplied = {"actor", "effective_date", "donor", "profile", "today", "focal", "self"}
    for kind in [*CASE_HANDLERS, *DONOR_HANDLERS]:
        aggregate = AidCase if kind in CASE_HANDLERS else Donor
        method = inspect.signature(getattr(aggregate, kind.snake_name()))
        fields = {f.name for f in dataclasses.fields(kind)} - {
            "actor", "effective_date", "case_id", "donor_id", "expected_version"}
        assert fields == set(method.parameters) - supplied, kind.__name__


def test_every_command_route_is_named_after_its_command_and_every_command_has_a_route(
        tmp_path: Path) -> None:
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'a.sqlite'}",
                              jwt_secret="s" * 40))
    operations = [op["operationId"] for path in app.openapi()["paths"].values()
                  for op in path.values()]
    for name in BY_NAME:
        assert operations.count(name) == 1, name


def test_a_command_is_frozen() -> None:
    kind = command_type("resume")
    command = kind(**{f.name: None for f in dataclasses.fields(kind)})
    with pytest.raises(dataclasses.FrozenInstanceError):
        command.actor = None  # type: ignore[misc]


def test_an_unknown_command_name_is_refused() -> None:
    with pytest.raises(KeyError, match="nosuch"):
        command_type("nosuch")
