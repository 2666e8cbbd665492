"""Settings from the environment (prefix ``AIDTRAIL_``), validated once at start-up."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from infrastructure.database import DatabaseConfig, parse_database_url
from infrastructure.rule_profiles import DEFAULT_RULES_DIR

DEFAULT_DATABASE_URL = "sqlite:///var/aidtrail.sqlite"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AIDTRAIL_", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    jwt_secret: str | None = Field(default=None, repr=False)
    jwt_public_key_file: Path | None = None
    jwt_jwks_file: Path | None = None
    jwt_issuer: str | None = None
    jwt_audience: str | None = None
    # The identity provider's JWKS (https only), refetched after the cache lifespan and, for an
    # unknown `kid`, at most once per cooldown; a CA file for a private certificate authority.
    jwt_jwks_url: str | None = None
    jwt_jwks_ca_file: Path | None = None
    jwt_jwks_cache_seconds: float = Field(default=300.0, gt=0)
    jwt_jwks_refresh_cooldown_seconds: float = Field(default=30.0, ge=0)
    jwt_jwks_timeout_seconds: float = Field(default=5.0, gt=0)
    # The longest a token may be valid (exp − iat, or exp − now): a longer one is refused.
    jwt_max_lifetime_seconds: int = Field(default=24 * 3600, gt=0)
    log_format: Literal["json", "console", "auto"] = "auto"
    log_level: str = "INFO"
    iati_dir: Path | None = None
    rules_dir: Path = DEFAULT_RULES_DIR
    # A CSV of commune codes (first column, header row): opening a case then checks its
    # commune against it. None: no list, any code is accepted.
    communes_file: Path | None = None
    reporting_org_ref: str = "VN-PUFO-BN"
    reporting_org_name: str = "Provincial Union of Friendship Organizations"
    reporting_org_type: str = "22"
    cipher_key: str | None = Field(default=None, repr=False)
    projection_poll_seconds: float = 0.2
    # None: run projections inside `serve` on SQLite only (PostgreSQL uses `aidtrail worker`;
    # so may SQLite, with this off). README "Running the projections".
    inprocess_projections: bool | None = None
    min_position_timeout_seconds: float = 5.0
    pool_size: int = 8
    # Threads per process that run the HTTP commands (a command queues for one beyond that).
    # README "The write path".
    command_threads: int = Field(default=16, ge=1, le=256)
    # PostgreSQL group commit: concurrent commands' saves committed together by one writer
    # per process, which waits up to this long for company when the load has some (0: off;
    # each save its own transaction). README "The write path".
    group_commit_wait_ms: float = Field(default=2.0, ge=0, le=50)
    # SQLite: how long a write waits for its turn behind the other writers before a 503.
    sqlite_write_wait_seconds: float = Field(default=15.0, gt=0)
    # Aggregates kept in memory after a command, so the next command on them does not
    # replay their history (0: off). Safe with several processes: see application/latest.py.
    aggregate_cache_size: int = 1000
    # Dashboards' counts over a whole view kept per process while the view is unchanged,
    # this many questions (scope, date, filters) at most (0: count on every request).
    dashboard_counts_kept: int = Field(default=256, ge=0, le=100_000)
    # None: migrate the schema at start-up on SQLite (the embedded default) only; on
    # PostgreSQL `aidtrail db migrate` does it, and a process refuses an unmigrated schema.
    auto_migrate: bool | None = None
    # GET /metrics: off, or answered to loopback clients only unless a bearer token is set.
    metrics_enabled: bool = True
    metrics_token: str | None = Field(default=None, repr=False)
    # The proxies whose X-Forwarded-For/-Proto are believed (comma-separated IPs or
    # networks, or "*"); None: forwarded headers are ignored.
    forwarded_allow_ips: str | None = None
    # Origins allowed to call the API from a browser (comma-separated); None: no CORS.
    cors_origins: str | None = None
    # Notifications (README "Notifications"). Nothing is sent until SMTP or webhooks are set.
    notify_smtp_host: str | None = None
    notify_smtp_port: int = Field(default=587, gt=0, lt=65536)
    notify_smtp_starttls: bool = True
    notify_smtp_ca_file: Path | None = None  # a private authority of the SMTP server's cert
    notify_smtp_username: str | None = None
    notify_smtp_password: str | None = Field(default=None, repr=False)
    notify_smtp_from: str = "aidtrail@localhost"
    notify_smtp_timeout_seconds: float = Field(default=10.0, gt=0)
    notify_webhooks_enabled: bool = False
    notify_webhook_timeout_seconds: float = Field(default=10.0, gt=0)
    notify_base_url: str = "http://localhost:8000"
    notify_due_days: int = Field(default=7, ge=0, le=366)  # "due in N days" reminders
    notify_donor_notice_days: int = Field(default=14, ge=0, le=366)  # C17 after N days
    notify_max_attempts: int = Field(default=8, gt=0, le=100)
    notify_backoff_seconds: float = Field(default=60.0, gt=0)  # doubled after each failure
    notify_evaluation_hour: int = Field(default=6, ge=0, le=23)  # Vietnam time, daily
    notify_poll_seconds: float = Field(default=30.0, gt=0)  # how often the outbox is drained
    # The workspace's sign-in (README "Workspace accounts and sign-in"). The secret signs the
    # session cookie: set it wherever AIDTRAIL_JWT_SECRET is not (the JWT secret serves
    # otherwise; the embedded default keeps one beside the SQLite file).
    session_secret: str | None = Field(default=None, repr=False)
    session_idle_seconds: int = Field(default=30 * 60, gt=0)  # unused this long: ended
    session_absolute_seconds: int = Field(default=12 * 3600, gt=0)  # signed in this long: ended
    signin_max_failures: int = Field(default=5, gt=0)  # per account and per client address
    signin_wait_seconds: int = Field(default=5 * 60, gt=0)  # then refused this long

    @field_validator("jwt_jwks_url")
    @classmethod
    def _https_only(cls, url: str | None) -> str | None:
        if url is not None and not url.lower().startswith("https://"):
            raise ValueError("AIDTRAIL_JWT_JWKS_URL must be an https:// URL")
        return url

    @property
    def notify_channels(self) -> tuple[str, ...]:
        """The channels this process may send on."""
        return ((("email",) if self.notify_smtp_host else ())
                + (("webhook",) if self.notify_webhooks_enabled else ()))

    @property
    def cors_origin_list(self) -> list[str]:
        return [o.strip() for o in (self.cors_origins or "").split(",") if o.strip()]

    @property
    def migrates(self) -> bool:
        """Whether a process may create or update the schema when it starts."""
        if self.auto_migrate is not None:
            return self.auto_migrate
        return self.database.kind == "sqlite"

    @property
    def projections_in_process(self) -> bool:
        """Whether `serve` keeps the views caught up (and sends the notices) itself."""
        if self.inprocess_projections is not None:
            return self.inprocess_projections
        return self.database.kind == "sqlite"

    @property
    def database(self) -> DatabaseConfig:
        return parse_database_url(self.database_url)

    def resolved_session_secret(self) -> str | None:
        """The secret that signs session cookies; None when none is configured (PostgreSQL
        without AIDTRAIL_SESSION_SECRET or AIDTRAIL_JWT_SECRET: no one can sign in)."""
        if self.session_secret or self.jwt_secret:
            return self.session_secret or self.jwt_secret
        if self.database.kind != "sqlite":
            return None
        return self.resolved_jwt_secret()

    def resolved_jwt_secret(self) -> str:
        """The HS256 secret: configured, or (embedded default only) kept beside the SQLite file.

        A random secret is created on first start so that ``serve`` and ``token issue``
        agree without any configuration.
        """
        if self.jwt_secret:
            return self.jwt_secret
        db = self.database
        if db.kind != "sqlite" or db.sqlite_path is None:
            raise ValueError("AIDTRAIL_JWT_SECRET must be set when the database is PostgreSQL")
        path = Path(db.sqlite_path).resolve().parent / "jwt-secret"
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
            path.chmod(0o600)
        return path.read_text(encoding="utf-8").strip()
