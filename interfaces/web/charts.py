"""Charts for the dashboards: SVG drawn on the server by pygal and put in the page itself
(no script, nothing loaded from elsewhere), named for screen readers by a title and a
description; the table behind each chart is shown under it."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

import pygal
from markupsafe import Markup, escape
from pygal.style import Style

from interfaces.web.i18n import Lang, format_money

_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
CHARTS_KEPT = 64  # charts drawn kept per process, the least recently shown going first
_COLORS = ("#0b5394", "#1e6b35", "#8a5a00", "#a4262c", "#5b3f8c")  # the workspace's own


def _style(colors: Sequence[str]) -> Style:
    return Style(background="white", plot_background="white", foreground="#1d2733",
                 foreground_strong="#1d2733", foreground_subtle="#556270",
                 colors=tuple(colors),
                 font_family='"Noto Sans", "Segoe UI", Roboto, Arial, sans-serif',
                 title_font_size=16, label_font_size=12, major_label_font_size=12,
                 legend_font_size=12, value_font_size=11, tooltip_font_size=12)


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[Decimal | int]


def bar_chart(title: str, description: str, labels: Sequence[str], series: Sequence[Series],
              *, money_in: Lang | None = None, stacked: bool = False,
              colors: Sequence[str] | None = None) -> Markup:
    """A horizontal bar chart (vertical and stacked when asked) as inline SVG markup: of
    sums in dong written in the language ``money_in``, or (None) of counts, whole numbers on
    its scale and in its values."""
    svg = _drawn(title, tuple(labels), tuple((one.name, tuple(one.values)) for one in series),
                 money_in, stacked, tuple(colors or _COLORS))
    return accessible(svg, title, description)


@lru_cache(maxsize=CHARTS_KEPT)
def _drawn(title: str, labels: tuple[str, ...],
           series: tuple[tuple[str, tuple[Decimal | int, ...]], ...], money_in: Lang | None,
           stacked: bool, colors: tuple[str, ...]) -> str:
    """pygal's SVG, drawn once for the same figures: drawing takes 15-40 ms, and a
    dashboard shows the same chart until its view changes."""
    kind = pygal.StackedBar if stacked else pygal.HorizontalBar
    formatter: Callable[[float], str] = (
        (lambda value: str(int(value))) if money_in is None
        else (lambda value: format_money(int(value), "VND", money_in)))
    chart = kind(style=_style(colors), js=[], css=["file://style.css", "file://graph.css"],
                 disable_xml_declaration=True, title=title, width=820,
                 height=360 if stacked else max(260, 120 + len(labels) * (12 + 14 * len(series))),
                 show_legend=len(series) > 1, legend_at_bottom=True, print_values=False,
                 value_formatter=formatter, truncate_label=40, truncate_legend=40,
                 # a horizontal chart's scale runs along the bottom (pygal's x labels): sums in
                 # dong are long, and slanted they do not run into each other
                 x_label_rotation=0 if money_in is None or stacked else 25)
    def order(values: Sequence[Any]) -> list[Any]:
        # A horizontal chart draws its first bar at the bottom: the first row goes on top.
        return list(values) if stacked else list(values)[::-1]

    chart.x_labels = order(labels)
    if money_in is None:
        rows = zip(*(values for _, values in series), strict=True)
        top = max((sum(v) if stacked else max(v) for v in rows), default=1)
        step = max(1, int(top) // 8 + (1 if int(top) % 8 else 0))
        chart.y_labels = list(range(0, int(top) + step + 1, step))
    for name, values in series:
        chart.add(name, [float(v) for v in order(values)])
    return str(chart.render(is_unicode=True))


def count_chart(title: str, description: str, labels: Sequence[str],
                series: Sequence[Series], stacked: bool = False,
                colors: Sequence[str] | None = None) -> Markup:
    """A bar chart of counts: whole numbers on its scale and in its values."""
    return bar_chart(title, description, labels, series, stacked=stacked, colors=colors)


def accessible(svg: str, title: str, description: str) -> Markup:
    """The SVG without its script and comments, named by a ``title`` and a ``desc``."""
    svg = _COMMENT.sub("", _SCRIPT.sub("", svg))
    key = uuid.uuid4().hex[:8]
    opening = svg.index(">") + 1
    named = (f'<title id="t{key}">{escape(title)}</title>'
             f'<desc id="d{key}">{escape(description)}</desc>')
    head = svg[:opening - 1] + f' role="img" aria-labelledby="t{key} d{key}">'
    return Markup(head + named + svg[opening:])  # noqa: S704 - pygal's SVG, our escaped names
