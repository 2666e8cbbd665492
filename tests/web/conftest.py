"""The workspace's fixtures."""

from tests.web.auth_fixtures import clock, web  # noqa: F401  (a moved clock, its client)
