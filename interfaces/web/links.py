"""Links to the workspace's pages with query values, the case list's filters among them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any
from urllib.parse import urlencode


def link(path: str, values: Mapping[str, Any]) -> str:
    """``path`` with the given query values (lists comma-separated; none and empty left out)."""
    pairs = []
    for name, value in values.items():
        if isinstance(value, (list, tuple)):
            value = ",".join(str(v) for v in value)
        if value is None or value == "":
            continue
        pairs.append((name, value.isoformat() if isinstance(value, date) else
                      str(value).lower() if isinstance(value, bool) else str(value)))
    return path + ("?" + urlencode(pairs) if pairs else "")


def cases_link(as_of: date, **filters: Any) -> str:
    """The case list with the filters of ``/api/v1/views/cases`` (province, status, aid_form,
    donor_id, sector, q, report_overdue), judged on ``as_of``."""
    return link("/cases", {**filters, "as_of": as_of})
