"""Errors raised by use cases (beside the domain's own)."""

from __future__ import annotations

from domain.errors import CodedError


class ApplicationError(CodedError):
    code = "application_error"


class NotAuthenticatedError(ApplicationError):
    """No bearer token was given."""

    code = "not_authenticated"


class TokenRefusedError(NotAuthenticatedError):
    """A bearer token was given but is not acceptable (RFC 6750 ``invalid_token``)."""


class ForbiddenError(ApplicationError):
    code = "forbidden"


class IdentityProviderUnavailableError(ApplicationError):
    """The identity provider's keys (its JWKS URL) cannot be fetched to check a token."""

    code = "identity_provider_unavailable"


class MetricsTokenRequiredError(NotAuthenticatedError):
    """``GET /metrics`` is protected by its own bearer token, and it was not given."""

    code = "metrics_token_required"


class MetricsLoopbackOnlyError(ForbiddenError):
    """``GET /metrics`` without a metrics token is answered to loopback clients only."""

    code = "metrics_loopback_only"


class ProvincesNotEnoughError(ForbiddenError):
    """The request covers every province; the caller's token names only some."""

    code = "whole_store_requires_all_provinces"


class ProvinceNotInScopeError(ForbiddenError):
    """A report names a province outside the caller's provinces."""

    code = "province_not_in_scope"


class StaleVersionError(ApplicationError):
    """If-Match named a version that is no longer the case's current one."""

    code = "stale_version"


class ConcurrentWriteError(ApplicationError):
    """Retries ran out while others kept writing the same aggregate."""

    code = "concurrent_write"


class IdempotencyKeyReusedError(ApplicationError):
    code = "idempotency_key_reused"


class ViewNotCaughtUpError(ApplicationError):
    code = "view_not_caught_up"


class ProjectionFailedError(ApplicationError):
    """A projection fails on an event, so its view stays before it until the cause is fixed."""

    code = "projection_failed"
