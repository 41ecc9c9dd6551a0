"""SVG charts of the methodology page (see `methodology.py`), readable on a 360 px phone.

The SVGs are served as files and shown through `<img>` under a strict Content Security Policy, so
each one stands alone: no scripts, no external references, no `style` attributes (presentation
attributes such as `fill` and `font-size` only), every text XML-escaped. `width="100%"` with a
`viewBox` lets the page decide the size; the drawing is laid out for 360–400 px, where one SVG unit
is about one CSS pixel.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from django.utils.translation import gettext as _

from sipko.assessment.methodology import MethodologyReport, OrmasSensitivity

WIDTH = 400
FONT_SIZE = 12
SMALL_FONT_SIZE = 11
FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
TEXT_COLOUR = "#1f2933"
MUTED_COLOUR = "#52606d"
GRID_COLOUR = "#d9e2ec"
STRIPE_COLOUR = "#f5f7fa"
INTERVAL_COLOUR = "#7fa7d3"
MEDIAN_COLOUR = "#1f4e79"
BASELINE_COLOUR = "#c0392b"
BAR_COLOUR = "#3e7cb1"

# Rank-interval layout: labels on the left, the rank scale on the right.
_LABEL_RIGHT = 150
_PLOT_LEFT = 162
_PLOT_RIGHT = WIDTH - 14
_ROW_HEIGHT = 22
# Average glyph width as a share of the font size, to fit labels without measuring them.
_GLYPH = 0.56

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def rank_interval_svg(report: MethodologyReport, *, limit: int | None = None) -> str:
    """One row per ranked ormas, best baseline rank first (the first `limit` rows if given).

    Each row draws the 5–95 % interval of the ormas' rank over the random-weight runs as a line,
    its median rank as a dot and its baseline rank as a hollow diamond; rank 1 is on the left and
    the scale ends at the largest rank drawn. With thousands of ormas, pass `limit`: each row is
    22 units high.
    """
    rows = [row for row in report.sensitivity.ormas if row.rank is not None]
    if limit is not None:
        rows = rows[: max(limit, 0)]
    title = _("Rentang peringkat ormas pada %(runs)s simulasi bobot acak") % {
        "runs": _thousands(report.sensitivity.runs)
    }
    legend, legend_height = _legend(
        [
            (_diamond(0, 0, BASELINE_COLOUR), _("Peringkat dasar")),
            (_dot(0, 0), _("Median")),
            (_interval(-8, 8, 0), _("Rentang 5–95%")),
        ],
        top=8,
    )
    if not rows:
        height = legend_height + 40
        return _svg(
            height,
            title,
            [
                *legend,
                _label(
                    WIDTH / 2,
                    legend_height + 24,
                    _("Belum ada ormas yang berperingkat."),
                    anchor="middle",
                ),
            ],
        )

    top = legend_height + 8
    bottom = top + len(rows) * _ROW_HEIGHT
    highest = max(max(row.rank_p95 or 0, row.rank or 0, row.median_rank or 0) for row in rows)
    highest = max(highest, 2)

    def x(rank: float) -> float:
        return _PLOT_LEFT + (rank - 1) / (highest - 1) * (_PLOT_RIGHT - _PLOT_LEFT)

    parts = list(legend)
    for i in range(0, len(rows), 2):  # striped rows guide the eye from name to interval
        parts.append(
            f'<rect x="0" y="{_n(top + i * _ROW_HEIGHT)}" width="{WIDTH}" '
            f'height="{_ROW_HEIGHT}" fill="{STRIPE_COLOUR}"/>'
        )
    for tick in _rank_ticks(highest):
        parts.append(
            f'<line x1="{_n(x(tick))}" y1="{_n(top)}" x2="{_n(x(tick))}" y2="{_n(bottom)}" '
            f'stroke="{GRID_COLOUR}" stroke-width="1"/>'
        )
        parts.append(
            _label(x(tick), bottom + 14, _thousands(tick), anchor="middle", size=SMALL_FONT_SIZE)
        )
    parts.append(
        _label(
            (_PLOT_LEFT + _PLOT_RIGHT) / 2,
            bottom + 32,
            _("Peringkat (1 = tertinggi)"),
            anchor="middle",
            size=SMALL_FONT_SIZE,
            colour=MUTED_COLOUR,
        )
    )
    label_chars = int((_LABEL_RIGHT - 4) / (FONT_SIZE * _GLYPH))
    for i, row in enumerate(rows):
        middle = top + (i + 0.5) * _ROW_HEIGHT
        assert row.rank is not None and row.rank_p5 is not None and row.rank_p95 is not None
        assert row.median_rank is not None
        parts.append(
            "<g>"
            f"<title>{_escape(_row_description(row))}</title>"
            + _label(
                _LABEL_RIGHT,
                middle + FONT_SIZE * 0.35,
                _shorten(f"{row.rank}. {row.name}", label_chars),
                anchor="end",
            )
            + _interval(x(row.rank_p5), x(row.rank_p95), middle)
            + _dot(x(row.median_rank), middle)
            + _diamond(x(row.rank), middle, BASELINE_COLOUR)
            + "</g>"
        )
    return _svg(bottom + 42, title, parts)


def histogram_svg(values: Sequence[int], labels: Sequence[str]) -> str:
    """A small bar chart: one bar per bin with its count above and its label below."""
    if len(values) != len(labels):
        raise ValueError("one label per bar")
    width, height = 320, 150
    left, right, top, base = 8, width - 8, 22, height - 26
    title = _("Sebaran nilai yang dijawab")
    parts: list[str] = [
        f'<line x1="{left}" y1="{base}" x2="{right}" y2="{base}" '
        f'stroke="{MUTED_COLOUR}" stroke-width="1"/>'
    ]
    if not values:
        parts.append(_label(width / 2, base - 40, _("Tidak ada data."), anchor="middle"))
        return _svg(height, title, parts, width=width)
    largest = max(max(values), 1)
    slot = (right - left) / len(values)
    bar = slot * 0.72
    for i, (count, label) in enumerate(zip(values, labels, strict=True)):
        centre = left + (i + 0.5) * slot
        bar_height = (base - top) * count / largest
        parts.append(
            "<g>"
            f"<title>{_escape(f'{label}: {_thousands(count)}')}</title>"
            f'<rect x="{_n(centre - bar / 2)}" y="{_n(base - bar_height)}" width="{_n(bar)}" '
            f'height="{_n(bar_height)}" fill="{BAR_COLOUR}"/>'
            + _label(centre, base - bar_height - 5, _thousands(count), anchor="middle")
            + _label(
                centre,
                base + 16,
                _shorten(label, int(slot / (SMALL_FONT_SIZE * _GLYPH))),
                anchor="middle",
                size=SMALL_FONT_SIZE,
                colour=MUTED_COLOUR,
            )
            + "</g>"
        )
    return _svg(height, title, parts, width=width)


# --- pieces ------------------------------------------------------------------------------------


def _svg(height: float, title: str, parts: list[str], *, width: int = WIDTH) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {_n(height)}" '
        f'width="100%" role="img" font-family="{_escape(FONT_FAMILY)}" '
        f'font-size="{FONT_SIZE}" fill="{TEXT_COLOUR}">'
        f"<title>{_escape(title)}</title>" + "".join(parts) + "</svg>\n"
    )


def _legend(items: list[tuple[str, str]], *, top: float) -> tuple[list[str], float]:
    """Symbols with their labels in a row, wrapped when a translation makes them too long.

    Each symbol is drawn around (0, 0) and moved into place. Returns the parts and the height.
    """
    parts = []
    x, y, line = 12.0, top + 8, 18
    for symbol, text in items:
        needed = 22 + len(text) * SMALL_FONT_SIZE * _GLYPH
        if x > 12 and x + needed > WIDTH - 8:
            x, y = 12.0, y + line
        parts.append(
            f'<g transform="translate({_n(x)} {_n(y)})">{symbol}</g>'
            + _label(x + 14, y + SMALL_FONT_SIZE * 0.35, text, size=SMALL_FONT_SIZE)
        )
        x += needed + 14
    return parts, y + line / 2


def _interval(x1: float, x2: float, y: float) -> str:
    return (
        f'<line x1="{_n(x1)}" y1="{_n(y)}" x2="{_n(x2)}" y2="{_n(y)}" '
        f'stroke="{INTERVAL_COLOUR}" stroke-width="5" stroke-linecap="round"/>'
    )


def _dot(x: float, y: float) -> str:
    return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="3.5" fill="{MEDIAN_COLOUR}"/>'


def _diamond(x: float, y: float, colour: str) -> str:
    # Hollow, so the median dot stays visible when both sit on the same rank.
    r = 5.5
    return (
        f'<path d="M{_n(x)} {_n(y - r)}L{_n(x + r)} {_n(y)}L{_n(x)} {_n(y + r)}'
        f'L{_n(x - r)} {_n(y)}Z" fill="none" stroke="{colour}" stroke-width="1.8"/>'
    )


def _label(
    x: float,
    y: float,
    text: str,
    *,
    anchor: str = "start",
    size: int = FONT_SIZE,
    colour: str = TEXT_COLOUR,
) -> str:
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" font-size="{size}" '
        f'fill="{colour}">{_escape(text)}</text>'
    )


def _row_description(row: OrmasSensitivity) -> str:
    return _(
        "%(name)s: peringkat dasar %(rank)s, median %(median)s, rentang 5–95%% %(p5)s–%(p95)s"
    ) % {
        "name": row.name,
        "rank": row.rank,
        "median": _decimal(row.median_rank),
        "p5": _decimal(row.rank_p5),
        "p95": _decimal(row.rank_p95),
    }


def _rank_ticks(highest: float) -> list[int]:
    """1 and round multiples up to `highest`, about five of them."""
    top = math.floor(highest)
    if top <= 6:
        return list(range(1, top + 1))
    raw = top / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    return [1, *range(step, top + 1, step)]


def _shorten(text: str, limit: int) -> str:
    limit = max(limit, 2)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _escape(text: str) -> str:
    """Text safe inside an element or a double-quoted attribute, without XML-illegal characters."""
    text = _NOT_XML.sub("", text)
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def _n(number: float) -> str:
    """Coordinates with at most one decimal: short files, no visible difference."""
    return f"{number:.1f}".removesuffix(".0")


def _thousands(number: int) -> str:
    """`10000` → "10.000", the Indonesian grouping."""
    return f"{number:,}".replace(",", ".")


def _decimal(number: float | None) -> str:
    """`4.5` → "4,5", `4.0` → "4"."""
    if number is None:
        return "–"
    return f"{number:.1f}".removesuffix(".0").replace(".", ",")
