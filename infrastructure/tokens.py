"""Bearer JWTs: HS256 with a shared secret, or RS256 with a public key, a JWKS file or the
identity provider's JWKS URL (fetched over https, cached, refetched when keys rotate)."""

from __future__ import annotations

import json
import ssl
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt

from application.roles import ALL_ROLES

ALL_PROVINCES = "*"
VERIFIED_CACHE_SIZE = 4096
DEFAULT_MAX_LIFETIME_SECONDS = 24 * 3600
MAX_CLAIM_LENGTH = 256
# Text no identity provider puts in a subject or a province code: controls (NUL among them)
# and lone surrogates, which no database column can hold.
_FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cs"})


class TokenError(Exception):
    """The token is malformed, wrongly signed, expired, too long-lived or has bad claims.

    ``detail`` is our own sentence, never a library's message; ``code`` is stable.
    """

    def __init__(self, detail: str, code: str = "not_authenticated") -> None:
        super().__init__(detail)
        self.detail, self.code = detail, code


# PyJWT's refusals, most specific first, each told in a fixed sentence.
_REFUSALS: list[tuple[type[Exception], str]] = [
    (jwt.ExpiredSignatureError, "the token has expired"),
    (jwt.InvalidSignatureError, "the token's signature does not verify"),
    (jwt.InvalidAlgorithmError, "the token is not signed with an accepted algorithm"),
    (jwt.InvalidAudienceError, "the token is not for this audience"),
    (jwt.InvalidIssuerError, "the token is not from the configured issuer"),
    (jwt.ImmatureSignatureError, "the token is not valid yet"),
    (jwt.MissingRequiredClaimError, "the token lacks a required claim (sub and exp are)"),
    (jwt.InvalidTokenError, "the token is not a well-formed signed JWT"),
]


class KeysUnavailableError(TokenError):
    """The identity provider's keys cannot be fetched: the token can be neither accepted nor
    refused."""

    def __init__(self) -> None:
        super().__init__("the identity provider's signing keys cannot be fetched; retry later",
                         code="identity_provider_unavailable")


@dataclass(frozen=True)
class JwksSource:
    """Where the identity provider publishes its keys, and how long what it says is trusted."""

    url: str
    ca_file: Path | None = None
    cache_seconds: float = 300.0
    refresh_cooldown_seconds: float = 30.0
    timeout_seconds: float = 5.0

    def client(self) -> jwt.PyJWKClient:
        context = ssl.create_default_context(cafile=str(self.ca_file) if self.ca_file else None)
        return jwt.PyJWKClient(self.url, cache_jwk_set=True, lifespan=self.cache_seconds,
                               cooldown_duration=self.refresh_cooldown_seconds,
                               timeout=self.timeout_seconds, ssl_context=context)


@dataclass(frozen=True)
class Principal:
    sub: str
    roles: frozenset[str]
    provinces: frozenset[str] | None  # None means every province ("*")

    def sees(self, province: str) -> bool:
        return self.provinces is None or province in self.provinces


class TokenVerifier:
    def __init__(self, *, secret: str | None = None, public_key_file: Path | None = None,
                 jwks_file: Path | None = None, jwks: JwksSource | None = None,
                 issuer: str | None = None, audience: str | None = None,
                 max_lifetime_seconds: int = DEFAULT_MAX_LIFETIME_SECONDS) -> None:
        self._issuer, self._audience = issuer, audience
        self._max_lifetime = max_lifetime_seconds
        self._keys: dict[str | None, Any] = {}
        self._verified: dict[str, tuple[Principal, float]] = {}  # token -> (principal, until)
        self._jwks = jwks.client() if jwks else None
        self._algorithms = ["RS256"]
        if jwks_file:
            keys = jwt.PyJWKSet.from_dict(json.loads(jwks_file.read_text(encoding="utf-8")))
            self._keys = {k.key_id: k.key for k in keys.keys}
        elif public_key_file:
            self._keys = {None: public_key_file.read_text(encoding="utf-8")}
        elif secret and jwks is None:
            self._keys = {None: secret}
            self._algorithms = ["HS256"]
        elif jwks is None:
            raise ValueError("no JWT secret, public key or JWKS configured")

    def may_fetch(self, token: str) -> bool:
        """Whether verifying the token may wait on the network (a JWKS fetch): with a JWKS
        URL, a token not verified before (or no longer trusted from the cache)."""
        cached = self._verified.get(token)
        return self._jwks is not None and (cached is None or time.time() >= cached[1])

    def verify(self, token: str) -> Principal:
        """The token's principal; a token seen before is not verified again until it
        expires (the signature and claims of one token string cannot change), nor, with a
        JWKS URL, after the fetched keys it was checked against expire (a key removed by the
        identity provider is not trusted longer than the JWKS cache lifespan)."""
        cached = self._verified.get(token)
        if cached is not None:
            principal, expires = cached
            if time.time() < expires:
                return principal
            self._verified.pop(token, None)
        principal, expires = self._verify(token)
        if len(self._verified) >= VERIFIED_CACHE_SIZE:
            self._verified.clear()
        self._verified[token] = (principal, expires)
        return principal

    def _verify(self, token: str) -> tuple[Principal, float]:
        try:
            header = jwt.get_unverified_header(token)
            key, until = self._key(header.get("kid"))
            claims = jwt.decode(
                token, key, algorithms=self._algorithms, issuer=self._issuer,
                audience=self._audience, options={"require": ["sub", "exp"],
                                                  "verify_aud": self._audience is not None},
            )
        except jwt.InvalidTokenError as exc:
            raise TokenError(next(text for kind, text in _REFUSALS if isinstance(exc, kind))
                             ) from None
        expires = _bounded_expiry(claims, self._max_lifetime)
        return _principal(claims), min(float(expires), until)

    def _key(self, kid: object) -> tuple[Any, float]:
        """The key that signed a token with this ``kid``, and until when it is known good:
        the files' first (a public key file's for a token without ``kid``), then the URL's."""
        key = self._keys.get(kid) if isinstance(kid, str) else None
        if key is None and self._jwks is not None and not (kid is None and None in self._keys):
            return self._fetched_key(kid)
        key = key or self._keys.get(None)
        if key is None and len(self._keys) == 1:
            key = next(iter(self._keys.values()))
        if key is None:
            raise TokenError("the token names an unknown signing key")
        return key, float("inf")

    def _fetched_key(self, kid: object) -> tuple[Any, float]:
        assert self._jwks is not None
        if not isinstance(kid, str) or not kid:
            raise TokenError("the token names no signing key (kid)")
        try:
            key = self._jwks.get_signing_key(kid).key
        except jwt.PyJWKClientConnectionError:
            raise KeysUnavailableError() from None
        except jwt.PyJWKClientError:
            raise TokenError("the token names an unknown signing key") from None
        except jwt.PyJWKSetError:
            raise KeysUnavailableError() from None
        return key, time.time() + self._jwks_time_left()

    def _jwks_time_left(self) -> float:
        """Seconds until the cached key set expires (then it is fetched again)."""
        cache = self._jwks.jwk_set_cache if self._jwks is not None else None
        stamped = cache.jwk_set_with_timestamp if cache is not None else None
        if cache is None or stamped is None:
            return 0.0
        return max(0.0, stamped.get_timestamp() + cache.lifespan - time.monotonic())


def _bounded_expiry(claims: dict[str, Any], max_lifetime: int) -> int:
    """``exp``, refused when the token lives longer than allowed: counted from ``iat``, or
    from now when there is none or it is later (a token cannot outlive the bound from now)."""
    exp = int(claims["exp"])  # PyJWT has checked that both convert to integers
    now = int(time.time())
    start = min(int(claims["iat"]), now) if "iat" in claims else now
    if exp - start > max_lifetime:
        raise TokenError(f"the token is valid for longer than the {max_lifetime} seconds "
                         "allowed; ask for a shorter-lived one", code="token_lifetime_too_long")
    return exp


def _text_claim(value: object, name: str) -> str:
    if not isinstance(value, str) or not 0 < len(value) <= MAX_CLAIM_LENGTH or any(
            unicodedata.category(ch) in _FORBIDDEN_CATEGORIES for ch in value):
        raise TokenError(f"the token's {name} must be 1 to {MAX_CLAIM_LENGTH} characters "
                         "without control characters", code="invalid_token_claims")
    return value


def _principal(claims: dict[str, Any]) -> Principal:
    roles = claims.get("roles")
    provinces = claims.get("provinces")
    if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
        raise TokenError("the token's roles claim must be a list of role names",
                         code="invalid_token_claims")
    if provinces == ALL_PROVINCES or provinces == [ALL_PROVINCES]:
        scope = None
    elif isinstance(provinces, list):
        scope = frozenset(_text_claim(p, "province codes") for p in provinces)
    else:
        raise TokenError("the token's provinces claim must be a list of codes or '*'",
                         code="invalid_token_claims")
    return Principal(sub=_text_claim(claims["sub"], "subject (sub)"),
                     roles=frozenset(roles) & ALL_ROLES, provinces=scope)


def issue_token(secret: str, *, sub: str, roles: Sequence[str], provinces: Sequence[str],
                ttl: timedelta = timedelta(hours=8), now: datetime | None = None) -> str:
    unknown = set(roles) - ALL_ROLES
    if unknown:
        raise ValueError(f"unknown role(s): {', '.join(sorted(unknown))}; "
                         f"known: {', '.join(sorted(ALL_ROLES))}")
    issued = now or datetime.now(UTC)
    claims = {
        "sub": sub,
        "roles": list(roles),
        "provinces": ALL_PROVINCES if not provinces or ALL_PROVINCES in provinces
        else list(provinces),
        "iat": int(issued.timestamp()),
        "exp": int((issued + ttl).timestamp()),
    }
    return jwt.encode(claims, secret, algorithm="HS256")
