"""Domain errors: each has a stable machine-readable ``code`` that the HTTP edge reports."""

from __future__ import annotations

from typing import Any


class CodedError(Exception):
    """An error with a human ``detail``, a stable ``code`` and extra facts for the client."""

    code = "error"

    def __init__(self, detail: str, *, code: str | None = None, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        if code is not None:
            self.code = code
        self.extra = extra


class DomainError(CodedError):
    """Base of every refusal the domain can give."""

    code = "domain_error"


class InvalidInputError(DomainError):
    """Malformed or inconsistent input (HTTP 422): currency, percentages, date order..."""

    code = "invalid_input"

    def __init__(
        self,
        detail: str,
        *,
        code: str | None = None,
        field: str | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail, code=code, **extra)
        self.field = field


class NotFoundError(DomainError):
    """The thing does not exist, or not for this caller (HTTP 404)."""

    code = "not_found"


class ProcessGuardError(DomainError):
    """The order of the procedure forbids the command (HTTP 409). Always refuses."""

    code = "transition_not_allowed"

    def __init__(
        self,
        detail: str,
        *,
        code: str | None = None,
        state: str | None = None,
        allowed_commands: list[str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail, code=code, **extra)
        self.state = state
        self.allowed_commands = allowed_commands or []


class RuleViolationError(DomainError):
    """A legal or financial rule refuses the command (HTTP 409).

    Unlike a process guard, the same command may be repeated with an explicit
    ``deviation`` (reason and evidence); the fact is then recorded and flagged.
    """

    code = "rule_violation"

    def __init__(
        self,
        detail: str,
        *,
        code: str,
        flag: str,
        rule_ref: str,
        basis_verified: bool,
        **extra: Any,
    ) -> None:
        super().__init__(detail, code=code, **extra)
        self.flag = flag
        self.rule_ref = rule_ref
        self.basis_verified = basis_verified


class ConflictError(DomainError):
    """A uniqueness or concurrency conflict (HTTP 409)."""

    code = "conflict"
