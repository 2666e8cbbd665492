"""Debian's Chromium for the browser tests: where it is, how it starts, and what a missing one
means (a failure under CI, a skip with its reason elsewhere)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM_ENV = "AIDTRAIL_TEST_CHROMIUM"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
# A quiet, offline browser: no sandbox (tests run as root in containers), no GPU, nothing
# fetched in the background (updates, sync, field trials), no first-run dialogs.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage"]


def chromium_path() -> str | None:
    """The browser to drive: ``AIDTRAIL_TEST_CHROMIUM`` when set, else Debian's
    ``/usr/bin/chromium``, else ``chromium`` on PATH; None when there is none."""
    chosen = os.environ.get(CHROMIUM_ENV)
    if chosen:
        return chosen if os.access(chosen, os.X_OK) and Path(chosen).is_file() else None
    if os.access(DEFAULT_CHROMIUM, os.X_OK):
        return DEFAULT_CHROMIUM
    return shutil.which("chromium")


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require_chromium() -> str:
    """The browser's path; without one the browser tests fail under CI and are skipped,
    with the reason, elsewhere."""
    path = chromium_path()
    if path is not None:
        return path
    where = os.environ.get(CHROMIUM_ENV) or f"{DEFAULT_CHROMIUM} or chromium on PATH"
    reason = (f"no Chromium for the browser tests ({where}): install Debian's chromium "
              f"(apt-get install chromium) or set {CHROMIUM_ENV} to a Chromium binary")
    if in_ci():
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)
