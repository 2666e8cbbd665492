"""Bearer JWTs: HS256 with a shared secret, or RS256 with a public key or a JWKS file."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt

from application.roles import ALL_ROLES

ALL_PROVINCES = "*"
VERIFIED_CACHE_SIZE = 4096


class TokenError(Exception):
    """The token is missing, malformed, wrongly signed, expired or lacks claims."""


@dataclass(frozen=True)
class Principal:
    sub: str
    roles: frozenset[str]
    provinces: frozenset[str] | None  # None means every province ("*")

    def sees(self, province: str) -> bool:
        return self.provinces is None or province in self.provinces


class TokenVerifier:
    def __init__(self, *, secret: str | None = None, public_key_file: Path | None = None,
                 jwks_file: Path | None = None, issuer: str | None = None,
                 audience: str | None = None) -> None:
        self._issuer, self._audience = issuer, audience
        self._keys: dict[str | None, Any] = {}
        self._verified: dict[str, tuple[Principal, float]] = {}  # token -> (principal, exp)
        if jwks_file:
            jwks = jwt.PyJWKSet.from_dict(json.loads(jwks_file.read_text(encoding="utf-8")))
            self._keys = {k.key_id: k.key for k in jwks.keys}
            self._algorithms = ["RS256"]
        elif public_key_file:
            self._keys = {None: public_key_file.read_text(encoding="utf-8")}
            self._algorithms = ["RS256"]
        elif secret:
            self._keys = {None: secret}
            self._algorithms = ["HS256"]
        else:
            raise ValueError("no JWT secret, public key or JWKS configured")

    def verify(self, token: str) -> Principal:
        """The token's principal; a token seen before is not verified again until it
        expires (the signature and claims of one token string cannot change)."""
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
            key = self._keys.get(header.get("kid")) or self._keys.get(None)
            if key is None and len(self._keys) == 1:
                key = next(iter(self._keys.values()))
            if key is None:
                raise TokenError("unknown signing key")
            claims = jwt.decode(
                token, key, algorithms=self._algorithms, issuer=self._issuer,
                audience=self._audience, options={"require": ["sub", "exp"],
                                                  "verify_aud": self._audience is not None},
            )
        except jwt.ExpiredSignatureError:
            raise TokenError("the token has expired") from None
        except jwt.InvalidTokenError as exc:
            raise TokenError(f"invalid token: {exc}") from None
        return _principal(claims), float(claims["exp"])


def _principal(claims: dict[str, Any]) -> Principal:
    roles = claims.get("roles")
    provinces = claims.get("provinces")
    if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
        raise TokenError("the token's roles claim must be a list of role names")
    if provinces == ALL_PROVINCES or provinces == [ALL_PROVINCES]:
        scope = None
    elif isinstance(provinces, list) and all(isinstance(p, str) for p in provinces):
        scope = frozenset(provinces)
    else:
        raise TokenError("the token's provinces claim must be a list of codes or '*'")
    return Principal(sub=str(claims["sub"]), roles=frozenset(roles) & ALL_ROLES,
                     provinces=scope)


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
