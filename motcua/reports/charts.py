"""Server-side SVG charts (no script, no CDN): bars that link to the dossiers behind them."""

from __future__ import annotations

from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString


def bar_chart(
    bars: list[tuple[str, Decimal | None, str, str]],
    *,
    maximum: Decimal = Decimal(100),
    floor: Decimal = Decimal(0),
    title: str,
    width: int = 640,
    height: int = 200,
) -> SafeString:
    """bars: (label, value or None, link, tooltip). Values between `floor` and `maximum`."""
    if not bars:
        return SafeString("")
    pad_left, pad_bottom, pad_top = 36, 36, 16
    inner_w = width - pad_left - 8
    inner_h = height - pad_bottom - pad_top
    step = inner_w / len(bars)
    span = (maximum - floor) or Decimal(1)
    items = []
    for i, (label, value, link, tip) in enumerate(bars):
        x = pad_left + i * step + step * 0.15
        w = step * 0.7
        if value is None:
            h = 0.0
        else:
            h = float((min(max(value, floor), maximum) - floor) / span) * inner_h
        y = pad_top + inner_h - h
        shown = "—" if value is None else f"{value:.1f}".replace(".", ",")
        items.append(
            (
                link,
                tip,
                f"{x:.1f}",
                f"{y:.1f}",
                f"{w:.1f}",
                f"{h:.1f}",
                f"{x + w / 2:.1f}",
                f"{y - 3:.1f}",
                shown,
                f"{height - pad_bottom + 14:.1f}",
                label,
            )
        )
    body = format_html_join(
        "",
        '<a href="{}"><title>{}</title><rect x="{}" y="{}" width="{}" height="{}" class="bar"/>'
        '<text x="{}" y="{}" text-anchor="middle" class="value">{}</text>'
        '<text x="{}" y="{}" text-anchor="middle" class="label">{}</text></a>',
        ((*it[:9], it[6], it[9], it[10]) for it in items),
    )
    axis = format_html(
        '<line x1="{}" y1="{}" x2="{}" y2="{}" class="axis"/>'
        '<text x="2" y="{}" class="label">{}</text><text x="2" y="{}" class="label">{}</text>',
        pad_left,
        pad_top + inner_h,
        width - 8,
        pad_top + inner_h,
        pad_top + 4,
        f"{maximum:.0f}",
        pad_top + inner_h,
        f"{floor:.0f}",
    )
    # role="group", not "img": the bars are links (each named by its <title>), and an image may
    # not contain interactive elements (WCAG 4.1.2, axe "nested-interactive").
    return format_html(
        '<svg role="group" aria-label="{}" viewBox="0 0 {} {}" class="chart" '
        'xmlns="http://www.w3.org/2000/svg">{}{}</svg>',
        title,
        width,
        height,
        axis,
        body,
    )
