"""The workspace's fixtures."""

from tests.web.auth_fixtures import clock, web  # noqa: F401  (a moved clock, its client)
from tests.web.seeded import demo, demo_store  # noqa: F401  (the demo, once per process)
