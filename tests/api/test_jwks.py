"""Keys from the identity provider's JWKS URL: fetched over https, rotated without a restart,
and a key it removes not trusted past the cache lifespan."""

from __future__ import annotations

import ipaddress
import json
import ssl
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from fastapi.testclient import TestClient
from pydantic import ValidationError

from infrastructure.settings import Settings
from interfaces.http.app import create_app

ISSUER, AUDIENCE = "https://idp.example.org/realms/aid", "aidtrail"
READ = "/api/v1/projections"


def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def jwk(key: rsa.RSAPrivateKey, kid: str) -> dict[str, Any]:
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    return {**public, "kid": kid, "use": "sig", "alg": "RS256"}


def signed(key: rsa.RSAPrivateKey, kid: str | None, **claims: Any) -> str:
    now = int(time.time())
    body = {"sub": "officer-1", "roles": ["viewer"], "provinces": "*", "iat": now,
            "exp": now + 600, "iss": ISSUER, "aud": AUDIENCE, **claims}
    return jwt.encode(body, key, algorithm="RS256", headers=None if kid is None else {"kid": kid})


class IdentityProvider:
    """An https JWKS endpoint on 127.0.0.1 with a self-signed certificate."""

    def __init__(self, tmp_path: Path) -> None:
        self.keys: list[dict[str, Any]] = []
        self.fetches = 0
        self.ca_file = tmp_path / "idp-ca.pem"
        cert_file, key_file = tmp_path / "idp-cert.pem", tmp_path / "idp-key.pem"
        _self_signed(cert_file, key_file)
        self.ca_file.write_bytes(cert_file.read_bytes())
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the library's name
                provider.fetches += 1
                body = json.dumps({"keys": provider.keys}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert_file, key_file)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.url = f"https://127.0.0.1:{self.server.server_address[1]}/jwks.json"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _self_signed(cert_file: Path, key_file: Path) -> None:
    key = rsa_key()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(minutes=5))
            .not_valid_after(now + timedelta(hours=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))


@pytest.fixture
def idp(tmp_path: Path) -> Iterator[IdentityProvider]:
    provider = IdentityProvider(tmp_path)
    try:
        yield provider
    finally:
        provider.stop()


def client_for(idp: IdentityProvider, tmp_path: Path, **settings: Any) -> TestClient:
    options: dict[str, Any] = {
        "database_url": f"sqlite:///{tmp_path / 'aidtrail.sqlite'}",
        "jwt_jwks_url": idp.url, "jwt_jwks_ca_file": idp.ca_file, "jwt_issuer": ISSUER,
        "jwt_audience": AUDIENCE, "jwt_jwks_refresh_cooldown_seconds": 0, **settings}
    return TestClient(create_app(Settings(**options)), raise_server_exceptions=False)


def get(client: TestClient, token: str) -> Any:
    return client.get(READ, headers={"Authorization": f"Bearer {token}"})


def test_a_rotated_key_is_accepted_and_an_unknown_kid_refused_without_a_restart(
        idp: IdentityProvider, tmp_path: Path) -> None:
    old, new = rsa_key(), rsa_key()
    idp.keys = [jwk(old, "2026-01")]
    with client_for(idp, tmp_path) as client:
        assert get(client, signed(old, "2026-01")).status_code == 200
        idp.keys = [jwk(new, "2026-02")]  # the identity provider rotates its key
        assert get(client, signed(new, "2026-02")).status_code == 200
        unknown = get(client, signed(rsa_key(), "nobody-knows"))
        assert unknown.status_code == 401
        assert unknown.json()["code"] == "not_authenticated"
        assert unknown.json()["detail"] == "the token names an unknown signing key"
        assert unknown.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'


def test_issuer_and_audience_are_checked_when_configured(idp: IdentityProvider,
                                                         tmp_path: Path) -> None:
    key = rsa_key()
    idp.keys = [jwk(key, "k1")]
    with client_for(idp, tmp_path) as client:
        for claims, detail in (({"aud": "another-service"}, "not for this audience"),
                               ({"iss": "https://elsewhere.example"}, "configured issuer")):
            response = get(client, signed(key, "k1", **claims))
            assert response.status_code == 401
            assert detail in response.json()["detail"]
        forged = jwt.encode({"sub": "x", "roles": ["viewer"], "provinces": "*",
                             "exp": int(time.time()) + 60, "iss": ISSUER, "aud": AUDIENCE},
                            rsa_key(), algorithm="RS256", headers={"kid": "k1"})
        assert get(client, forged).status_code == 401


def test_a_key_removed_by_the_identity_provider_is_refused_once_the_cache_lifespan_passes(
        idp: IdentityProvider, tmp_path: Path) -> None:
    old, new = rsa_key(), rsa_key()
    idp.keys = [jwk(old, "old"), jwk(new, "new")]
    lifespan = 1.0
    with client_for(idp, tmp_path, jwt_jwks_cache_seconds=lifespan) as client:
        token = signed(old, "old")
        assert get(client, token).status_code == 200  # verified, and cached
        idp.keys = [jwk(new, "new")]  # the old key is withdrawn (say it leaked)
        time.sleep(lifespan + 0.3)
        refused = get(client, token)
        assert refused.status_code == 401, refused.text
        assert get(client, signed(new, "new")).status_code == 200


def test_an_unreachable_identity_provider_is_a_503_not_a_refusal(idp: IdentityProvider,
                                                                 tmp_path: Path) -> None:
    key = rsa_key()
    idp.keys = [jwk(key, "k1")]
    with client_for(idp, tmp_path, jwt_jwks_timeout_seconds=2) as client:
        idp.stop()
        response = get(client, signed(key, "k1"))
        assert response.status_code == 503
        assert response.json()["code"] == "identity_provider_unavailable"
        assert response.headers["Retry-After"] == "1"


def test_a_jwks_url_that_is_not_https_is_refused_at_start_up() -> None:
    with pytest.raises(ValidationError, match="must be an https:// URL"):
        Settings(jwt_jwks_url="http://127.0.0.1:8080/jwks.json")


def test_a_command_with_a_token_of_a_freshly_rotated_key_is_recorded(
        idp: IdentityProvider, tmp_path: Path) -> None:
    old, new = rsa_key(), rsa_key()
    idp.keys = [jwk(old, "2026-01")]
    with client_for(idp, tmp_path) as client:
        assert get(client, signed(old, "2026-01")).status_code == 200
        idp.keys = [jwk(new, "2026-02")]
        # the command guard checks the token first: the new key is fetched there
        token = signed(new, "2026-02", roles=["registry_officer"])
        response = client.post("/api/v1/donors", headers={"Authorization": f"Bearer {token}"},
                               json={"code": "D-JWKS", "name": "Donor", "country": "GB",
                                     "kind": "other"})
        assert response.status_code == 201, response.text
        assert idp.fetches == 2


def test_the_key_files_are_used_alongside_the_jwks_url(idp: IdentityProvider,
                                                       tmp_path: Path) -> None:
    in_file, in_jwks_file, at_url = rsa_key(), rsa_key(), rsa_key()
    idp.keys = [jwk(at_url, "2026-02")]
    pem = tmp_path / "idp.pem"
    pem.write_bytes(in_file.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    (tmp_path / "jwks.json").write_text(json.dumps({"keys": [jwk(in_jwks_file, "2025-12")]}))
    with client_for(idp, tmp_path, jwt_public_key_file=pem) as client:
        assert get(client, signed(in_file, None)).status_code == 200  # the file's: no fetch
        assert idp.fetches == 0
        assert get(client, signed(at_url, "2026-02")).status_code == 200
    with client_for(idp, tmp_path, jwt_jwks_file=tmp_path / "jwks.json") as client:
        assert get(client, signed(in_jwks_file, "2025-12")).status_code == 200
        assert idp.fetches == 1
        assert get(client, signed(at_url, "2026-02")).status_code == 200
        assert get(client, signed(rsa_key(), "2025-12")).status_code == 401


def test_unknown_kids_make_no_fetch_within_the_refresh_cooldown(idp: IdentityProvider,
                                                                 tmp_path: Path) -> None:
    old, new, made_up = rsa_key(), rsa_key(), rsa_key()
    idp.keys = [jwk(old, "2026-01")]
    # an hour: the whole test runs inside it (with 0, as above, the rotated key is fetched)
    with client_for(idp, tmp_path, jwt_jwks_refresh_cooldown_seconds=3600) as client:
        assert get(client, signed(old, "2026-01")).status_code == 200
        idp.keys = [jwk(new, "2026-02")]
        for key, kid in ((new, "2026-02"), (made_up, "made-up-1"), (made_up, "made-up-2")):
            refused = get(client, signed(key, kid))
            assert refused.status_code == 401
            assert refused.json()["detail"] == "the token names an unknown signing key"
        assert idp.fetches == 1
