"""Charts as a small list of shapes, drawn three ways from the same figures: SVG for the pages, fpdf2's
own vector drawing for the PDF, and Pillow (a PNG fallback) beside the SVG in the DOCX. Surveys draw
their questions with it, the region's dashboard its per-school figures (`grouped_bars`).

Why not matplotlib: the charts are three simple kinds (bars, a 1–5 distribution, a box of quartiles),
matplotlib is a large dependency the service does not have, and its PDF output would bring its own fonts
while the note must use the documents' PT Serif for Kazakh letters. Rectangles, lines and text are all
these charts need, and one shape list keeps the page, the PDF and the DOCX showing the same thing.
A label is placed on its own line above its bar, so no text needs measuring to fit.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

WIDTH = 560.0
BAR_AREA = 400.0  # the longest bar; the figure follows it
ROW = 34.0
COLOURS = ("#2f6f9f", "#d08c2b")  # this run, the compared run
# Series of a grouped chart, told apart by colour (and by the legend above the bars).
PALETTE = ("#2f6f9f", "#d08c2b", "#4f9a5a", "#8e5ba6", "#c2534b", "#6b7b8c", "#b8a03a", "#3a9ea5")
AXIS = "#666666"
TEXT = "#222222"
LABEL_CHARS = 90


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str = AXIS
    width: float = 1.0


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # the baseline
    text: str
    size: float = 11.0
    anchor: str = "start"  # start | middle | end
    bold: bool = False


Shape = Rect | Line | Text


@dataclass
class Chart:
    """Shapes in a `width` × `height` box (SVG user units; 1 unit = 1 px on a page)."""

    title: str
    width: float = WIDTH
    height: float = 0.0
    shapes: list[Shape] = field(default_factory=list)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def _figure(count: int, total: int) -> str:
    share = round(100 * count / total) if total else 0
    return f"{count} ({share}%)"


def bars(title: str, rows: Sequence[tuple[str, int]], total: int) -> Chart:
    """One horizontal bar per choice: its label above, the count and share of `total` after it."""
    chart = Chart(title)
    top = max((c for _label, c in rows), default=0) or 1
    y = 4.0
    for label, count in rows:
        chart.shapes.append(Text(0, y + 12, _short(label)))
        w = BAR_AREA * count / top
        chart.shapes.append(Rect(0, y + 16, max(w, 1.0), 13, COLOURS[0]))
        chart.shapes.append(Text(w + 6, y + 27, _figure(count, total), size=10))
        y += ROW
    chart.height = y + 4
    return chart


def paired_bars(
    title: str, rows: Sequence[tuple[str, int, int]], totals: tuple[int, int], names: tuple[str, str]
) -> Chart:
    """Two runs of the same question: this run's bar over the compared run's, shares of each run."""
    chart = Chart(title)
    shares = [
        (label, a / totals[0] if totals[0] else 0, b / totals[1] if totals[1] else 0) for label, a, b in rows
    ]
    y = 4.0
    for n, name in enumerate(names):
        chart.shapes.append(Rect(n * 220, y, 10, 10, COLOURS[n]))
        chart.shapes.append(Text(n * 220 + 14, y + 9, _short(name)[:30], size=10))
    y += 18
    for (label, a, b), (_l, ca, cb) in zip(shares, rows, strict=True):
        chart.shapes.append(Text(0, y + 12, _short(label)))
        for n, (part, count) in enumerate(((a, ca), (b, cb))):
            w = BAR_AREA * part
            chart.shapes.append(Rect(0, y + 16 + n * 11, max(w, 1.0), 10, COLOURS[n]))
            chart.shapes.append(Text(w + 6, y + 25 + n * 11, _figure(count, totals[n]), size=9))
        y += ROW + 10
    chart.height = y + 4
    return chart


def grouped_bars(
    title: str,
    groups: Sequence[tuple[str, Sequence[int]]],
    series: Sequence[str],
    *,
    suffix: str = "",
    top: int | None = None,
) -> Chart:
    """One group per row (a school): its label above, one bar per series (a category) with its value
    and `suffix` ("%") after it; a legend of the series above the groups when there are several.
    `top` is the value of the longest bar (None: the largest value)."""
    chart = Chart(title)
    longest = top or max((v for _label, values in groups for v in values), default=0) or 1
    y = 4.0
    if len(series) > 1:
        x = 0.0
        for n, name in enumerate(series):
            label = _short(name)[:40]
            if x and x + 14 + 6.5 * len(label) > WIDTH:
                x, y = 0.0, y + 16
            chart.shapes.append(Rect(x, y, 10, 10, PALETTE[n % len(PALETTE)]))
            chart.shapes.append(Text(x + 14, y + 9, label, size=10))
            x += 14 + 6.5 * len(label) + 16
        y += 20
    bar = 13.0 if len(series) == 1 else 10.0
    for label, values in groups:
        chart.shapes.append(Text(0, y + 12, _short(label)))
        y += 16
        for n, value in enumerate(values):
            w = BAR_AREA * value / longest
            chart.shapes.append(Rect(0, y, max(w, 1.0), bar, PALETTE[n % len(PALETTE)]))
            chart.shapes.append(Text(w + 6, y + bar - 2, f"{value}{suffix}", size=9))
            y += bar + 1
        y += 8
    chart.height = y + 4
    return chart


def distribution(title: str, counts: Sequence[tuple[str, int]], low: str, high: str, total: int) -> Chart:
    """Columns for the scale's points (1–5, then "I don't know"), the labelled ends under 1 and 5."""
    chart = Chart(title, height=190)
    top = max((c for _p, c in counts), default=0) or 1
    base, column, gap = 140.0, 60.0, 24.0
    chart.shapes.append(Line(0, base, len(counts) * (column + gap), base))
    for n, (point, count) in enumerate(counts):
        x = n * (column + gap)
        h = 110 * count / top
        chart.shapes.append(Rect(x, base - h, column, max(h, 1.0), COLOURS[0]))
        chart.shapes.append(
            Text(x + column / 2, base - h - 4, _figure(count, total), size=10, anchor="middle")
        )
        chart.shapes.append(Text(x + column / 2, base + 15, _short(point)[:18], anchor="middle"))
    chart.shapes.append(Text(0, base + 34, "1 — " + _short(low)[:40], size=10))
    chart.shapes.append(Text(0, base + 48, "5 — " + _short(high)[:40], size=10))
    return chart


def box(title: str, figures: dict[str, float], labels: dict[str, str]) -> Chart:
    """A number question: the box from the first to the third quartile, the median, whiskers to the ends."""
    chart = Chart(title, height=96)
    low, high = figures["min"], figures["max"]
    span = (high - low) or 1.0

    def at(v: float) -> float:
        return 20 + (WIDTH - 40) * (v - low) / span

    mid = 34.0
    chart.shapes.append(Line(at(low), mid, at(high), mid))
    for end in (low, high):
        chart.shapes.append(Line(at(end), mid - 8, at(end), mid + 8))
    chart.shapes.append(
        Rect(at(figures["q1"]), mid - 14, max(at(figures["q3"]) - at(figures["q1"]), 1.0), 28, "#cfe0ee")
    )
    chart.shapes.append(Line(at(figures["median"]), mid - 14, at(figures["median"]), mid + 14, COLOURS[0], 3))
    text = "   ".join(
        f"{labels[k]}: {_num(figures[k])}" for k in ("min", "q1", "median", "q3", "max", "mean")
    )
    chart.shapes.append(Text(0, 76, text, size=10))
    chart.shapes.append(Text(0, 92, f"n = {int(figures['n'])}", size=10))
    return chart


def _num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:.1f}"


# --- drawing ---------------------------------------------------------------------------------------


def to_svg(chart: Chart, css_class: str = "survey-chart") -> str:
    """An inline SVG element (role img, titled), scaling to its container's width."""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {chart.width:.0f} {chart.height:.0f}" '
        f'width="100%" role="img" aria-label={quoteattr(chart.title)} class={quoteattr(css_class)} '
        'font-family="PT Serif, DejaVu Serif, serif">',
        f"<title>{escape(chart.title)}</title>",
    ]
    for s in chart.shapes:
        if isinstance(s, Rect):
            parts.append(
                f'<rect x="{s.x:.1f}" y="{s.y:.1f}" width="{s.w:.1f}" height="{s.h:.1f}" fill="{s.fill}"/>'
            )
        elif isinstance(s, Line):
            parts.append(
                f'<line x1="{s.x1:.1f}" y1="{s.y1:.1f}" x2="{s.x2:.1f}" y2="{s.y2:.1f}" '
                f'stroke="{s.stroke}" stroke-width="{s.width:.1f}"/>'
            )
        else:
            weight = ' font-weight="bold"' if s.bold else ""
            parts.append(
                f'<text x="{s.x:.1f}" y="{s.y:.1f}" font-size="{s.size:.0f}" fill="{TEXT}" '
                f'text-anchor="{s.anchor}"{weight}>{escape(s.text)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def to_pdf(pdf: object, chart: Chart, x: float, y: float, width: float, family: str) -> float:
    """Draws the chart on an fpdf2 page as vector shapes at (x, y) mm, `width` mm wide; its height."""
    from fpdf import FPDF  # the documents' PDF library (imported here: pages need no fpdf2)

    assert isinstance(pdf, FPDF)
    k = width / chart.width
    for s in chart.shapes:
        if isinstance(s, Rect):
            pdf.set_fill_color(*_rgb(s.fill))
            pdf.rect(x + s.x * k, y + s.y * k, s.w * k, s.h * k, style="F")
        elif isinstance(s, Line):
            pdf.set_draw_color(*_rgb(s.stroke))
            pdf.set_line_width(s.width * k)
            pdf.line(x + s.x1 * k, y + s.y1 * k, x + s.x2 * k, y + s.y2 * k)
        else:
            pdf.set_text_color(*_rgb(TEXT))
            pdf.set_font(family, "B" if s.bold else "", s.size * k * 72 / 25.4)
            tw = pdf.get_string_width(s.text)
            left = {"start": 0.0, "middle": tw / 2, "end": tw}[s.anchor]
            pdf.text(x + s.x * k - left, y + s.y * k, s.text)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_text_color(0, 0, 0)
    return chart.height * k


def to_png(chart: Chart, font_file: str, bold_file: str, scale: float = 2.0) -> bytes:
    """The same shapes as a PNG (Pillow, which fpdf2 already depends on): the DOCX's fallback image."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (int(chart.width * scale), int(chart.height * scale)), "white")
    draw = ImageDraw.Draw(image)
    fonts: dict[tuple[float, bool], ImageFont.FreeTypeFont] = {}
    for s in chart.shapes:
        if isinstance(s, Rect):
            draw.rectangle(
                [s.x * scale, s.y * scale, (s.x + s.w) * scale, (s.y + s.h) * scale], fill=_rgb(s.fill)
            )
        elif isinstance(s, Line):
            draw.line(
                [s.x1 * scale, s.y1 * scale, s.x2 * scale, s.y2 * scale],
                fill=_rgb(s.stroke),
                width=max(1, round(s.width * scale)),
            )
        else:
            key = (s.size, s.bold)
            if key not in fonts:
                fonts[key] = ImageFont.truetype(bold_file if s.bold else font_file, round(s.size * scale))
            anchor = {"start": "ls", "middle": "ms", "end": "rs"}[s.anchor]
            draw.text((s.x * scale, s.y * scale), s.text, fill=_rgb(TEXT), font=fonts[key], anchor=anchor)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
