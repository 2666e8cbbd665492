"""Tokens: HS256 with a secret, RS256 with a public key or a JWKS file."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from typer.testing import CliRunner

from infrastructure.tokens import TokenError, TokenVerifier, issue_token
from interfaces.cli.main import app as cli

SECRET = "s" * 40


def _rs256(key: rsa.RSAPrivateKey, kid: str | None = None, **claims: object) -> str:
    body = {"sub": "idp-user", "roles": ["approver"], "provinces": ["BN"],
            "exp": int((datetime.now(UTC) + timedelta(hours=1)).timestamp()), **claims}
    return jwt.encode(body, key, algorithm="RS256", headers={"kid": kid} if kid else None)


@pytest.fixture(scope="module")
def key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def test_an_issued_token_carries_subject_roles_and_provinces() -> None:
    principal = TokenVerifier(secret=SECRET).verify(
        issue_token(SECRET, sub="alice", roles=["approver"], provinces=["BN"]))
    assert principal.sub == "alice" and principal.roles == {"approver"}
    assert principal.sees("BN") and not principal.sees("HN")


def test_a_star_province_claim_sees_every_province() -> None:
    principal = TokenVerifier(secret=SECRET).verify(
        issue_token(SECRET, sub="a", roles=["viewer"], provinces=[]))
    assert principal.sees("anything")


def test_an_unknown_role_cannot_be_issued() -> None:
    with pytest.raises(ValueError, match="unknown role"):
        issue_token(SECRET, sub="a", roles=["boss"], provinces=[])


def test_an_rs256_token_is_verified_with_the_public_key_file(key, tmp_path: Path) -> None:
    pem = key.public_key().public_bytes(serialization.Encoding.PEM,
                                        serialization.PublicFormat.SubjectPublicKeyInfo)
    (tmp_path / "idp.pem").write_bytes(pem)
    verifier = TokenVerifier(public_key_file=tmp_path / "idp.pem")
    assert verifier.verify(_rs256(key)).sub == "idp-user"


def test_an_rs256_token_is_verified_with_its_key_from_a_jwks_file(key, tmp_path: Path) -> None:
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    (tmp_path / "jwks.json").write_text(json.dumps({"keys": [{**jwk, "kid": "k1",
                                                              "use": "sig"}]}))
    verifier = TokenVerifier(jwks_file=tmp_path / "jwks.json")
    assert verifier.verify(_rs256(key, kid="k1")).roles == {"approver"}
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(TokenError):
        verifier.verify(_rs256(other, kid="k1"))


def test_an_hs256_token_is_refused_by_an_rs256_verifier(key, tmp_path: Path) -> None:
    pem = key.public_key().public_bytes(serialization.Encoding.PEM,
                                        serialization.PublicFormat.SubjectPublicKeyInfo)
    (tmp_path / "idp.pem").write_bytes(pem)
    with pytest.raises(TokenError):
        TokenVerifier(public_key_file=tmp_path / "idp.pem").verify(
            issue_token(SECRET, sub="a", roles=["viewer"], provinces=[]))


@pytest.mark.parametrize("claims", [{"roles": "approver"}, {"provinces": 3}])
def test_malformed_claims_are_refused(claims: dict[str, object]) -> None:
    body = {"sub": "a", "roles": ["viewer"], "provinces": "*",
            "exp": int((datetime.now(UTC) + timedelta(hours=1)).timestamp()), **claims}
    with pytest.raises(TokenError):
        TokenVerifier(secret=SECRET).verify(jwt.encode(body, SECRET, algorithm="HS256"))


def test_a_token_verified_before_is_refused_once_it_expires(monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    verifier = TokenVerifier(secret=SECRET)
    token = issue_token(SECRET, sub="u", roles=["viewer"], provinces=["BN"],
                        ttl=timedelta(minutes=5))
    assert verifier.verify(token).sub == "u"  # verified, then remembered
    later = datetime.now(UTC) + timedelta(minutes=6)
    monkeypatch.setattr("infrastructure.tokens.time.time", later.timestamp)
    monkeypatch.setattr("jwt.api_jwt.datetime", _FrozenDatetime(later))
    with pytest.raises(TokenError, match="expired"):
        verifier.verify(token)


class _FrozenDatetime:
    """Stands in for ``datetime`` inside PyJWT: ``now()`` is a fixed moment."""

    def __init__(self, moment: datetime) -> None:
        self._moment = moment

    def now(self, tz: object = None) -> datetime:
        return self._moment

    def __getattr__(self, name: str) -> object:
        return getattr(datetime, name)


def test_a_token_living_longer_than_the_configured_maximum_is_refused() -> None:
    verifier = TokenVerifier(secret=SECRET, max_lifetime_seconds=3600)
    long_lived = issue_token(SECRET, sub="u", roles=["viewer"], provinces=["*"],
                             ttl=timedelta(hours=2))
    with pytest.raises(TokenError) as refused:
        verifier.verify(long_lived)
    assert refused.value.code == "token_lifetime_too_long"
    assert verifier.verify(issue_token(SECRET, sub="u", roles=["viewer"], provinces=["*"],
                                       ttl=timedelta(minutes=30))).sub == "u"


def test_token_issue_refuses_a_ttl_the_server_would_refuse(monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    monkeypatch.setenv("AIDTRAIL_JWT_SECRET", SECRET)
    monkeypatch.setenv("AIDTRAIL_JWT_MAX_LIFETIME_SECONDS", "3600")
    runner = CliRunner()
    refused = runner.invoke(cli, ["token", "issue", "--sub", "a", "--role", "viewer",
                                  "--ttl", "61"])
    assert refused.exit_code == 2
    assert "AIDTRAIL_JWT_MAX_LIFETIME_SECONDS" in refused.output
    issued = runner.invoke(cli, ["token", "issue", "--sub", "a", "--role", "viewer",
                                 "--ttl", "60"])
    assert issued.exit_code == 0, issued.output
