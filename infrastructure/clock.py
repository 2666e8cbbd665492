"""Business dates are Vietnamese dates (Asia/Ho_Chi_Minh, UTC+7 all year, no DST)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

VIETNAM = timezone(timedelta(hours=7), "Asia/Ho_Chi_Minh")


def today_in_vietnam() -> date:
    return datetime.now(VIETNAM).date()


def now_utc() -> datetime:
    return datetime.now(UTC)
