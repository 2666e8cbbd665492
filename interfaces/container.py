"""Composition root: builds the application and its adapters from settings."""

from __future__ import annotations

from dataclasses import dataclass

from application.app import AidTrail
from application.services import Services
from infrastructure.clock import today_in_vietnam
from infrastructure.database import DatabaseConfig, library_env
from infrastructure.idempotency import IdempotencyStore
from infrastructure.rule_profiles import RuleBook, load_rulebook
from infrastructure.settings import Settings
from infrastructure.sqlstore import SQLStore
from infrastructure.tokens import TokenVerifier


@dataclass
class Container:
    settings: Settings
    database: DatabaseConfig
    rulebook: RuleBook
    app: AidTrail
    verifier: TokenVerifier
    sql: SQLStore
    idempotency: IdempotencyStore
    services: Services

    def close(self) -> None:
        self.sql.close()
        self.app.close()


def build_container(settings: Settings) -> Container:
    database = settings.database
    rulebook = load_rulebook(settings.rules_dir)
    env = library_env(database, cipher_key=settings.cipher_key, pool_size=settings.pool_size)
    app = AidTrail(env=env)
    sql = SQLStore(database, pool_size=settings.pool_size)
    idempotency = IdempotencyStore(sql)
    idempotency.create_tables()
    return Container(settings=settings, database=database, rulebook=rulebook, app=app,
                     verifier=build_verifier(settings), sql=sql, idempotency=idempotency,
                     services=Services(app, rulebook, today_in_vietnam))


def build_verifier(settings: Settings) -> TokenVerifier:
    if settings.jwt_jwks_file or settings.jwt_public_key_file:
        return TokenVerifier(public_key_file=settings.jwt_public_key_file,
                             jwks_file=settings.jwt_jwks_file, issuer=settings.jwt_issuer,
                             audience=settings.jwt_audience)
    return TokenVerifier(secret=settings.resolved_jwt_secret(), issuer=settings.jwt_issuer,
                         audience=settings.jwt_audience)
