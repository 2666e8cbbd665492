"""Composition root: builds the application and its adapters from settings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from application.app import AidTrail
from application.notifications.service import Notifications
from application.projections.registry import all_projections
from application.projections.view_counts import ViewCounts
from application.services import Services
from domain.provinces import ProvinceRegister
from infrastructure import schema, schema_upgrade
from infrastructure.accounts import AccountStore
from infrastructure.clock import now_utc, today_in_vietnam
from infrastructure.communes import load_communes
from infrastructure.database import DatabaseConfig, library_env, schema_setup_lock
from infrastructure.iati_publications import IatiPublications
from infrastructure.idempotency import IdempotencyStore
from infrastructure.notify.loop import Notifier
from infrastructure.notify.sender import Sender
from infrastructure.province_register import load_register
from infrastructure.rule_profiles import RuleBook, load_rulebook
from infrastructure.settings import Settings
from infrastructure.tokens import JwksSource, TokenVerifier
from infrastructure.views import BackgroundCatchUp, ProjectionRunner, ViewStore
from infrastructure.views.lease import FileLease, lease_path
from infrastructure.web_sessions import SessionPolicy, WebSessions


@dataclass
class Container:
    settings: Settings
    database: DatabaseConfig
    rulebook: RuleBook
    register: ProvinceRegister
    app: AidTrail
    verifier: TokenVerifier
    idempotency: IdempotencyStore
    services: Services
    iati_publications: IatiPublications
    views: ViewStore
    runner: ProjectionRunner
    background: BackgroundCatchUp | None
    notifications: Notifications
    accounts: AccountStore
    web_sessions: WebSessions
    counts: ViewCounts = field(default_factory=ViewCounts)  # dashboards' counts per view state

    def start(self) -> None:
        """Keep the views caught up in this process (the embedded default)."""
        if self.background is not None:
            self.background.start()

    def wait_for_views(self, position: int, names: list[str] | None = None,
                       timeout: float | None = None) -> bool:
        """Whether the views ``names`` (default: all) reach ``position`` within ``timeout``
        seconds (default: ``min_position_timeout_seconds``, what a read may wait)."""
        if timeout is None:
            timeout = self.settings.min_position_timeout_seconds
        if self.background is not None:
            return self.background.wait_for(position, timeout, names)
        return self.runner.wait_for(position, timeout, names)

    def close(self) -> None:
        if self.background is not None:
            self.background.stop()
        self.views.close()
        self.app.close()


def build_container(settings: Settings, *, migrate: bool | None = None) -> Container:
    """The application and its adapters. ``migrate`` (default: ``settings.migrates``)
    creates or updates the schema first; otherwise the schema must be at the version this
    code needs (``SchemaVersionError`` names the fix)."""
    database = settings.database
    rulebook = load_rulebook(settings.rules_dir)
    register = load_register(settings.rules_dir)
    communes = load_communes(settings.communes_file)
    migrate = settings.migrates if migrate is None else migrate
    env = library_env(database, cipher_key=settings.cipher_key, pool_size=settings.pool_size,
                      create_tables=migrate,
                      sqlite_write_wait=settings.sqlite_write_wait_seconds,
                      group_commit_wait_ms=settings.group_commit_wait_ms)
    views = ViewStore(database, write_wait=settings.sqlite_write_wait_seconds)
    try:
        with schema_setup_lock(database):  # several processes may start together
            if migrate:
                schema.refuse_downgrade(views)
            else:
                schema.require_current(views)
            app = AidTrail(env=env)
            idempotency = IdempotencyStore(views)
            iati_publications = IatiPublications(views)
            runner = ProjectionRunner(app, views, all_projections(app, rulebook, now_utc))
            notifications = Notifications(views, rulebook, app,
                                          due_days=settings.notify_due_days,
                                          late_days=settings.notify_donor_notice_days)
            accounts, web_sessions = AccountStore(views), build_web_sessions(settings, views)
            if migrate:
                idempotency.create_tables()
                accounts.create_tables()
                web_sessions.create_tables()
                iati_publications.create_tables()
                notifications.create_tables(runner.head())
                schema_upgrade.upgrade(views)
                runner.setup()
                schema_upgrade.after_setup(views)
                schema.record_current(views)
    except BaseException:
        views.close()
        raise
    lease = lease_path(database)  # a SQLite file's: one process runs its projections
    background = (BackgroundCatchUp(runner, interval=settings.projection_poll_seconds,
                                    lease=None if lease is None else FileLease(lease))
                  if settings.projections_in_process else None)
    return Container(settings=settings, database=database, rulebook=rulebook, register=register,
                     app=app, verifier=build_verifier(settings), idempotency=idempotency,
                     services=Services(app, rulebook, today_in_vietnam,
                                       latest_size=settings.aggregate_cache_size,
                                       register=register, communes=communes),
                     iati_publications=iati_publications, views=views, runner=runner,
                     background=background, notifications=notifications,
                     accounts=accounts, web_sessions=web_sessions,
                     counts=ViewCounts(settings.dashboard_counts_kept))


def build_web_sessions(settings: Settings, views: ViewStore) -> WebSessions:
    policy = SessionPolicy(idle=timedelta(seconds=settings.session_idle_seconds),
                           absolute=timedelta(seconds=settings.session_absolute_seconds),
                           max_failures=settings.signin_max_failures,
                           wait=timedelta(seconds=settings.signin_wait_seconds))
    return WebSessions(views, policy, settings.resolved_session_secret(), now_utc)


def build_notifier(container: Container, due: Callable[[], bool] | None = None) -> Notifier:
    """The daily evaluation and the sender, as the worker runs them; ``due`` (None: always)
    tells ``run`` whether to tick now."""
    settings = container.settings
    return Notifier(container.notifications, Sender(container.views, settings),
                    container.views, hour=settings.notify_evaluation_hour,
                    poll=settings.notify_poll_seconds, due=due)


def build_verifier(settings: Settings) -> TokenVerifier:
    jwks = None if settings.jwt_jwks_url is None else JwksSource(
        settings.jwt_jwks_url, ca_file=settings.jwt_jwks_ca_file,
        cache_seconds=settings.jwt_jwks_cache_seconds,
        refresh_cooldown_seconds=settings.jwt_jwks_refresh_cooldown_seconds,
        timeout_seconds=settings.jwt_jwks_timeout_seconds)
    if settings.jwt_jwks_file or settings.jwt_public_key_file or jwks:
        return TokenVerifier(public_key_file=settings.jwt_public_key_file,
                             jwks_file=settings.jwt_jwks_file, jwks=jwks,
                             issuer=settings.jwt_issuer,
                             audience=settings.jwt_audience,
                             max_lifetime_seconds=settings.jwt_max_lifetime_seconds)
    return TokenVerifier(secret=settings.resolved_jwt_secret(), issuer=settings.jwt_issuer,
                         audience=settings.jwt_audience,
                         max_lifetime_seconds=settings.jwt_max_lifetime_seconds)
