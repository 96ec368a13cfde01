"""SVG line charts for indicator pages: rendering, content-addressed cache, parallel build.

* ``render_svg`` is a pure function of the spec: the same spec gives byte-identical SVG
  in any process (fixed ``svg.hashsalt``, no dates or version in the metadata, text kept
  as text, layout measured with the DejaVu Sans bundled with matplotlib).
* ``spec_hash`` is pure as well; all file I/O lives in ``render_charts``.
* pyplot is never imported: every figure is a standalone ``matplotlib.figure.Figure``
  (no global figure manager, no GUI backend, nothing to close).
"""
from __future__ import annotations

import functools
import hashlib
import io
import json
import math
import multiprocessing
import os
import textwrap
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext
from pathlib import Path, PurePosixPath

import matplotlib
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator, NullLocator

from .files import link_or_write, read_pickle, write_atomic, write_pickle

# Bump whenever the drawing code changes: it is part of every cache key.
RENDERER_VERSION = "charts-2"

# Fewer distinct frames than this are drawn in-process (a pool costs ~0.1–0.3 s to start;
# a frame ~50 ms).
POOL_THRESHOLD = 8
# Placing points costs ~0.1 ms a chart: a pool pays off only for thousands of charts.
POINTS_POOL_THRESHOLD = 3000
CHUNK_MAX = 64
MAX_WORKERS = 4

NO_DATA = "Нет данных"
TARGET_LABEL = "Цель"

NBSP = "\u00a0"  # same separator as generator.numbers.ru: thousands and before the unit
MINUS = "\u2212"

FIG_SIZE = (6.4, 3.2)  # inches: 460.8 × 230.4 pt; taller only when the legend needs more rows
# 14 pt in a 460.8 pt wide SVG is 10.9 px when the image is shown 360 px wide.
FONT_SIZE = 14

_RC = {
    "svg.hashsalt": "shnor-charts",
    "svg.fonttype": "none",
    "svg.id": None,
    # Layout is measured with the DejaVu Sans bundled with matplotlib (found first, on every
    # machine); the SVG keeps text as text with the CSS list
    # "'DejaVu Sans', 'Liberation Sans', 'Arial', sans-serif" (the generic alias is expanded
    # from font.sans-serif). Listing the other names in font.family itself would make
    # matplotlib look each one up as a glyph fallback: machine-dependent and noisy.
    "font.family": ["DejaVu Sans", "sans-serif"],
    "font.sans-serif": ["DejaVu Sans", "Liberation Sans", "Arial"],
    "font.size": FONT_SIZE,
    "axes.unicode_minus": True,
    "axes.titlesize": FONT_SIZE,
    "axes.labelsize": FONT_SIZE,
    "xtick.labelsize": FONT_SIZE,
    "ytick.labelsize": FONT_SIZE,
    "legend.fontsize": FONT_SIZE,
    "text.color": "#1a1a1a",
    "axes.labelcolor": "#1a1a1a",
    "xtick.color": "#1a1a1a",
    "ytick.color": "#1a1a1a",
    "axes.edgecolor": "#555555",
    "path.simplify": True,
    "figure.dpi": 72,
    "savefig.dpi": 72,
    "savefig.facecolor": "white",
    "savefig.edgecolor": "white",
    "savefig.transparent": False,
    "savefig.bbox": None,
}
# Removes the predefined Creator ("Matplotlib vX.Y") and the build-time Date.
_SVG_METADATA = {"Date": None, "Creator": None}

# Okabe–Ito colours (colour-blind safe). Each has contrast ≥ 3:1 both against white and
# against the dark theme background; meaning is also carried by line style and marker.
_SERIES_STYLES = (
    {"color": "#0072B2", "linestyle": "-", "marker": "o", "linewidth": 2.6, "markersize": 9},
    {"color": "#D55E00", "linestyle": (0, (6, 2, 1.5, 2)), "marker": "s", "linewidth": 2.2, "markersize": 8},
    {"color": "#008A63", "linestyle": (0, (1.5, 1.5)), "marker": "^", "linewidth": 2.4, "markersize": 9},
    {"color": "#B0508A", "linestyle": (0, (4, 1.5, 1, 1.5, 1, 1.5)), "marker": "v", "linewidth": 2.2, "markersize": 8},
    {"color": "#7C68C8", "linestyle": (0, (8, 2)), "marker": "P", "linewidth": 2.2, "markersize": 8},
)
_TARGET_STYLE = {
    "color": "#6B6B6B", "linestyle": (0, (4, 2.5)), "marker": "D", "linewidth": 2.0,
    "markersize": 7.5, "markerfacecolor": "white", "markeredgewidth": 1.8,
}
_MAX_X_TICKS = 7


@dataclass(frozen=True)
class Series:
    label: str
    values: tuple[float | None, ...]  # one per year; None = missing year (a gap, never a zero)


@dataclass(frozen=True)
class ChartSpec:
    title: str
    unit: str  # "%" or a unit word like "обращений"
    years: tuple[int, ...]
    series: tuple[Series, ...]  # the first one is the main line
    targets: tuple[float | None, ...] = ()  # per-year target ("Цель"); None where no target


@dataclass(frozen=True)
class ChartStats:
    rendered: int  # distinct specs actually drawn in this call
    cached: int  # outputs written without drawing (cache hit or duplicate spec); rendered + cached == len(specs)
    digests: Mapping[str, str] = field(default_factory=dict, compare=False)  # key → cache digest


# --------------------------------------------------------------------------- numbers

def _to_decimal(value: float | int | Decimal) -> Decimal:
    if isinstance(value, bool):
        raise TypeError("ожидалось число, найдено логическое значение")
    # str() of a float is its shortest repr: 0.05 -> "0.05", so half-up works as a person expects.
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if not number.is_finite():
        raise ValueError(f"ожидалось конечное число, найдено {value!r}")
    return number


def _group(integer: str) -> str:
    groups = []
    while len(integer) > 3:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    groups.insert(0, integer)
    return NBSP.join(groups)


def format_number(value: float, unit: str) -> str:
    """Russian format, one decimal rounded half-up, ",0" dropped: 75.5 → "75,5 %", 1234.5 → "1 234,5 чел."."""
    with localcontext() as ctx:
        ctx.prec = 80
        rounded = _to_decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        if rounded == rounded.to_integral_value():
            rounded = rounded.quantize(Decimal(1))
        negative = rounded < 0  # Decimal("-0") is not < 0, so -0.04 gives "0"
        integer, _, fraction = format(abs(rounded), "f").partition(".")
    body = _group(integer) + ("," + fraction if fraction else "")
    if negative:
        body = MINUS + body
    return f"{body}{NBSP}{unit}" if unit else body


def _is_percent(unit: str) -> bool:
    return unit.strip() == "%"


# --------------------------------------------------------------------------- validation & hashing

def _float(value: float | None) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise TypeError("ожидалось число, найдено логическое значение")
    number = float(value) + 0.0  # + 0.0 turns -0.0 into 0.0
    if not math.isfinite(number):
        raise ValueError(f"ожидалось конечное число, найдено {value!r}")
    return number


def validate_spec(spec: ChartSpec) -> None:
    """Raise ValueError when the spec cannot be drawn (lengths, years, non-finite numbers)."""
    years = tuple(spec.years)
    if any(isinstance(y, bool) or int(y) != y for y in years):
        raise ValueError(f"годы должны быть целыми числами: {years!r}")
    if any(b <= a for a, b in zip(years, years[1:])):
        raise ValueError(f"годы должны идти по возрастанию без повторов: {years!r}")
    for series in spec.series:
        if len(series.values) != len(years):
            raise ValueError(
                f"ряд «{series.label}»: {len(series.values)} значений на {len(years)} лет")
        for value in series.values:
            _float(value)
    if spec.targets and len(spec.targets) != len(years):
        raise ValueError(f"цели: {len(spec.targets)} значений на {len(years)} лет")
    for value in spec.targets:
        _float(value)


def canonical_spec(spec: ChartSpec) -> bytes:
    """Canonical JSON of everything that determines the SVG (plus renderer/matplotlib versions)."""
    document = {
        "renderer": RENDERER_VERSION,
        "matplotlib": matplotlib.__version__,
        "title": spec.title,
        "unit": spec.unit,
        "years": [int(y) for y in spec.years],
        "series": [{"label": s.label, "values": [_float(v) for v in s.values]} for s in spec.series],
        "targets": [_float(v) for v in spec.targets],
    }
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      allow_nan=False).encode("utf-8")


def spec_hash(spec: ChartSpec) -> str:
    """Content address of a chart: sha256 hex of ``canonical_spec``. Pure."""
    return hashlib.sha256(canonical_spec(spec)).hexdigest()


# --------------------------------------------------------------------------- alt text

def alt_text(spec: ChartSpec) -> str:
    """Russian text equivalent of the chart, one clause per line of the chart."""
    parts = []
    for series in spec.series:
        if spec.years and all(v is None for v in series.values):
            years = ", ".join(str(y) for y in spec.years)
            parts.append(f"{series.label} — нет данных за {years}")
            continue
        points = ", ".join(
            f"{year}: {'нет данных' if value is None else format_number(value, spec.unit)}"
            for year, value in zip(spec.years, series.values))
        parts.append(f"{series.label} — {points}" if points else f"{series.label} — нет данных")
    targets = [(y, v) for y, v in zip(spec.years, spec.targets) if v is not None]
    if targets:
        parts.append("цель — " + ", ".join(f"{y}: {format_number(v, spec.unit)}" for y, v in targets))
    body = "; ".join(parts) if parts else "нет данных"
    return f"График «{spec.title}»: {body}."


# --------------------------------------------------------------------------- drawing

def _y_range(values: list[float], percent: bool, integer: bool) -> tuple[float, float, list[float]]:
    """Axis from 0 (never a truncated baseline); % charts use 0–100 unless all values are small."""
    low = min(0.0, min(values))
    high = max(values)
    if percent and low >= 0 and 50 <= high <= 100:
        return 0.0, 100.0, [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
    if high <= low:
        high = low + (10.0 if percent else 1.0)
    locator = MaxNLocator(nbins=5, steps=[1, 2, 5, 10], integer=integer, min_n_ticks=3)
    ticks = [float(t) for t in locator.tick_values(low, high)]
    top = min(t for t in ticks if t >= high - 1e-9)
    bottom = max(t for t in ticks if t <= low + 1e-9)
    if percent and low >= 0 and high <= 100:
        top = min(top, 100.0)
    return bottom, top, [t for t in ticks if bottom - 1e-9 <= t <= top + 1e-9]


def _x_ticks(years: tuple[int, ...]) -> list[int]:
    step = max(1, math.ceil(len(years) / _MAX_X_TICKS))
    # Count back from the latest year so the most recent one is always labelled.
    return sorted(years[len(years) - 1::-step])


_LEGEND = {"handlelength": 2.4, "handletextpad": 0.5, "columnspacing": 1.2, "borderpad": 0.3,
           "labelspacing": 0.35, "borderaxespad": 0.2}
_LEGEND_WIDTH = FIG_SIZE[0] * 72 - 12  # points available for the legend row
_LABEL_WRAP = 34  # characters; only labels wider than the whole figure are wrapped


@functools.lru_cache(maxsize=4096)
def _text_width(text: str) -> float:
    """Width in points of `text` in the layout font. Cached: labels and ticks repeat endlessly."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    prop = FontProperties(size=FONT_SIZE)
    return max(text_to_path.get_text_width_height_descent(line, prop, ismath=False)[0]
               for line in text.split("\n"))


def _legend_layout(labels: list[str]) -> tuple[list[str], int, int]:
    """Wrap over-long labels and choose columns so the legend fits the figure width.

    Returns (labels, columns, rows). Widths are measured with the layout font, so the
    choice is as deterministic as the drawing itself.
    """
    em = FONT_SIZE
    entry_extra = (_LEGEND["handlelength"] + _LEGEND["handletextpad"]) * em
    available = _LEGEND_WIDTH - 2 * _LEGEND["borderpad"] * em
    wrapped = []
    for label in labels:
        if _text_width(label) + entry_extra > available:
            label = textwrap.fill(label, _LABEL_WRAP, break_long_words=True)
        wrapped.append(label)
    widths = [_text_width(label) + entry_extra for label in wrapped]
    columns = len(wrapped)
    while columns > 1:
        cols = _split_columns(widths, columns)
        total = sum(max(c) for c in cols) + (len(cols) - 1) * _LEGEND["columnspacing"] * em
        if total <= available:
            break
        columns -= 1
    columns = max(columns, 1)
    return wrapped, columns, _legend_lines(wrapped, columns)


def _split_columns(items: list, columns: int) -> list[list]:
    """Split entries into columns the way matplotlib's Legend does (numpy.array_split)."""
    size, extra = divmod(len(items), columns)
    out, start = [], 0
    for c in range(columns):
        stop = start + size + (1 if c < extra else 0)
        if stop > start:
            out.append(items[start:stop])
        start = stop
    return out


def _legend_lines(labels: list[str], columns: int) -> int:
    """Text lines the legend occupies: per row, the tallest (wrapped) label."""
    cols = _split_columns([label.count("\n") + 1 for label in labels], columns)
    return sum(max(col[r] for col in cols if r < len(col)) for r in range(len(cols[0]))) if cols else 0


_TICK_LENGTH = 4.0
_TICK_PAD = 3.5
_LINE = FONT_SIZE * 1.2  # height of one line of text, points
_EDGE = 6.0  # free margin along the figure edges, points


def _legend_height(rows: int, lines: int) -> float:
    """Height in points of a legend with `rows` rows holding `lines` text lines in total."""
    return (rows * 1.05 * FONT_SIZE + (lines - rows) * 1.2 * FONT_SIZE
            + (rows - 1) * _LEGEND["labelspacing"] * FONT_SIZE + 2 * _LEGEND["borderpad"] * FONT_SIZE)


@dataclass(frozen=True)
class _Layout:
    """Everything about a chart except where its points are: the chart's *frame*.

    Many charts share one frame (all school charts of a % indicator with the same legend and a
    0–100 axis, say), so matplotlib draws each distinct frame once per process and the points
    are placed on it with the frame's own data → SVG transform (see ``render_svg``).
    """
    years: tuple[int, ...]
    drawn: tuple[int, ...]  # indexes of the series that have at least one value
    has_targets: bool
    present: bool  # any series value at all
    legend_labels: tuple[str, ...]
    columns: int
    legend_height: float
    bottom: float
    top: float
    y_ticks: tuple[float, ...]
    tick_unit: str
    unit_caption: str
    height: float
    left: float
    right: float
    top_margin: float
    legend_bottom: float
    bottom_margin: float


def _layout(spec: ChartSpec) -> _Layout:
    """Measure the chart before any figure exists. Layout is computed in points from measured
    text widths (no constrained/tight layout: that would cost an extra draw per chart)."""
    years = tuple(int(y) for y in spec.years)
    percent = _is_percent(spec.unit)
    series_values = [[_float(v) for v in s.values] for s in spec.series]
    targets = [_float(v) for v in spec.targets]
    present = [v for values in series_values for v in values if v is not None]
    present_targets = [v for v in targets if v is not None]
    drawn = tuple(i for i, values in enumerate(series_values) if any(v is not None for v in values))

    legend_labels = [spec.series[i].label for i in drawn] + ([TARGET_LABEL] if present_targets else [])
    if years and legend_labels:
        legend_labels, columns, lines = _legend_layout(legend_labels)
        rows = len(_split_columns(legend_labels, columns)[0])
        legend_height = _legend_height(rows, lines)
    else:
        legend_labels, columns, lines, legend_height = [], 1, 0, 0.0
    scale_values = present + present_targets
    tick_unit = spec.unit if percent else ""
    if scale_values:
        integer = not percent and all(float(v).is_integer() for v in scale_values)
        bottom, top, y_ticks = _y_range(scale_values, percent, integer)
        y_labels = [format_number(t, tick_unit) for t in y_ticks]
    else:
        bottom, top, y_ticks, y_labels = 0.0, 1.0, [], []
    unit_caption = spec.unit.strip() if scale_values and not percent else ""

    # a legend taller than one row makes the figure taller, never the plot smaller
    height = FIG_SIZE[1] * 72 + max(0.0, legend_height - _legend_height(1, 1))
    y_label_width = max((_text_width(label) for label in y_labels), default=0.0)
    legend_bottom = _EDGE - 2
    return _Layout(
        years=years, drawn=drawn, has_targets=bool(present_targets), present=bool(present),
        legend_labels=tuple(legend_labels), columns=columns, legend_height=legend_height,
        bottom=bottom, top=top, y_ticks=tuple(y_ticks), tick_unit=tick_unit, unit_caption=unit_caption,
        height=height, left=_EDGE + y_label_width + _TICK_PAD + _TICK_LENGTH + 2, right=_EDGE + 8,
        top_margin=_EDGE + 6 + (_LINE + 6 if unit_caption else 0), legend_bottom=legend_bottom,
        bottom_margin=legend_bottom + legend_height + 2 + _LINE + _TICK_PAD + _TICK_LENGTH,
    )


def _series_style(index: int) -> dict:
    style = dict(_SERIES_STYLES[index % len(_SERIES_STYLES)])
    if index >= len(_SERIES_STYLES):
        style["marker"] = "XhH*"[(index - len(_SERIES_STYLES)) % 4]
    return style


def _series_zorder(index: int) -> float:
    return 6 if index == 0 else 5 - min(index, 4) * 0.1


_TARGET_ZORDER = 4


def _draw(layout: _Layout, spec: ChartSpec | None) -> tuple[Figure, object]:
    """Build the figure; with ``spec=None`` only the frame (axes, ticks, captions, legend).

    Returns (figure, axes). The frame never depends on where the points are: the axis limits
    are fixed by the layout, and the legend is drawn from style-only proxy lines.
    """
    from matplotlib.lines import Line2D

    width = FIG_SIZE[0] * 72
    height = layout.height
    fig = Figure(figsize=(FIG_SIZE[0], height / 72), facecolor="white")
    ax = fig.add_axes((layout.left / width, layout.bottom_margin / height,
                       1 - (layout.left + layout.right) / width,
                       1 - (layout.bottom_margin + layout.top_margin) / height))
    ax.set_facecolor("white")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(length=_TICK_LENGTH, width=1, pad=_TICK_PAD)

    years = layout.years
    if not years:
        ax.set_axis_off()
        ax.text(0.5, 0.5, NO_DATA, transform=ax.transAxes, ha="center", va="center",
                fontsize=FONT_SIZE + 2, color="#333333")
        return fig, ax

    handles = []
    nan = float("nan")
    for index in layout.drawn:  # a series without any value is not drawn; alt text says "нет данных"
        common = dict(markeredgecolor="white", markeredgewidth=1.0, solid_capstyle="round",
                      dash_capstyle="butt", **_series_style(index))
        if spec is None:
            line = Line2D([], [], **common)
        else:
            values = [_float(v) for v in spec.series[index].values]
            (line,) = ax.plot(years, [nan if v is None else v for v in values], clip_on=False,
                              zorder=_series_zorder(index), **common)
            line.set_gid(f"series-{index}")
        handles.append(line)
    if layout.has_targets:
        if spec is None:
            line = Line2D([], [], **_TARGET_STYLE)
        else:
            targets = [_float(v) for v in spec.targets]
            (line,) = ax.plot(years, [nan if v is None else v for v in targets],
                              clip_on=False, zorder=_TARGET_ZORDER, **_TARGET_STYLE)
            line.set_gid("target")
        handles.append(line)

    # x axis: integer years only
    ax.set_xlim(years[0] - 0.45, years[-1] + 0.45)
    ax.xaxis.set_major_locator(FixedLocator(_x_ticks(years)))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: str(int(round(x)))))
    ax.xaxis.set_minor_locator(NullLocator())

    # y axis: Russian number format, 0-based
    ax.set_ylim(layout.bottom, layout.top)
    if layout.y_ticks:
        ax.yaxis.set_major_locator(FixedLocator(list(layout.y_ticks)))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _pos: format_number(y, layout.tick_unit)))
        ax.grid(axis="y", color="#d9d9d9", linewidth=0.9, zorder=0)
        ax.set_axisbelow(True)
    else:
        ax.yaxis.set_major_locator(NullLocator())
    ax.yaxis.set_minor_locator(NullLocator())
    if layout.unit_caption:
        fig.text(_EDGE / width, 1 - _EDGE / height, layout.unit_caption, ha="left", va="top",
                 fontsize=FONT_SIZE, color="#444444")

    if not layout.present:
        ax.text(0.5, 0.5, NO_DATA, transform=ax.transAxes, ha="center", va="center",
                fontsize=FONT_SIZE + 2, color="#333333", zorder=10,
                bbox={"boxstyle": "square,pad=0.4", "facecolor": "white", "edgecolor": "none"})

    if handles:
        fig.legend(handles, list(layout.legend_labels), loc="lower center", ncols=layout.columns, frameon=False,
                   bbox_to_anchor=(0.5, layout.legend_bottom / height), bbox_transform=fig.transFigure,
                   **{**_LEGEND, "borderaxespad": 0})
    return fig, ax


def _savefig(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", metadata=_SVG_METADATA, facecolor="white")
    return buffer.getvalue()


def render_svg_matplotlib(spec: ChartSpec) -> bytes:
    """The whole chart drawn by matplotlib, points included (slow: ~50 ms). Used for the rare
    charts whose frame would hide the points ("Нет данных" over a target-only chart), and by the
    tests as the independent reference for where ``render_svg`` places its points."""
    validate_spec(spec)
    with matplotlib.rc_context(_RC):
        fig, _ = _draw(_layout(spec), spec)
        return _savefig(fig)


@dataclass(frozen=True)
class _Frame:
    head: bytes  # the SVG up to where the points go
    tail: bytes  # the closing tags
    matrix: tuple[float, float, float, float]  # svg_x = a·year + b, svg_y = c·value + d


_CLOSE = b"</svg>\n"  # the points go last, on top of everything, as their z-order puts them


_FRAMES: dict[_Layout, _Frame] = {}
_FRAMES_MAX = 4096  # a frame is ~13 KB; distinct frames are few (14 for 8,000 school charts)


def _frame(layout: _Layout) -> _Frame:
    """The frame of a layout, drawn once per process (frames repeat across thousands of charts)."""
    frame = _FRAMES.get(layout)
    if frame is None:
        if len(_FRAMES) >= _FRAMES_MAX:
            _FRAMES.clear()
        frame = _FRAMES[layout] = _draw_frame(layout)
    return frame


def _draw_frame(layout: _Layout) -> _Frame:
    with matplotlib.rc_context(_RC):
        fig, ax = _draw(layout, None)
        svg = _savefig(fig)
        (x0, y0), (x1, y1) = ax.transData.transform([(0.0, 0.0), (1.0, 1.0)])
    if not svg.endswith(_CLOSE):
        raise RuntimeError("неожиданный конец SVG от matplotlib")
    # matplotlib's SVG units are points (72 dpi) with y growing downwards.
    return _Frame(head=svg[: -len(_CLOSE)], tail=_CLOSE,
                  matrix=(x1 - x0, x0, -(y1 - y0), layout.height - y0))


def _num(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


@functools.lru_cache(maxsize=64)
def _marker_path(marker: str, size: float) -> str:
    """SVG path data of a matplotlib marker of `size` points, centred on (0, 0), y downwards."""
    from matplotlib.markers import MarkerStyle
    from matplotlib.path import Path as MplPath

    style = MarkerStyle(marker)
    path = style.get_path().transformed(style.get_transform().scale(size))
    parts = []
    for vertices, code in path.iter_segments(simplify=False, curves=True):
        points = " ".join(f"{_num(x)} {_num(-y)}" for x, y in zip(vertices[::2], vertices[1::2]))
        letter = {MplPath.MOVETO: "M", MplPath.LINETO: "L", MplPath.CURVE3: "Q", MplPath.CURVE4: "C",
                  MplPath.CLOSEPOLY: "z"}[code]
        parts.append("z" if letter == "z" else f"{letter} {points}")
    return " ".join(parts)


def _dash_style(linestyle, linewidth: float) -> str:
    """matplotlib scales a dash pattern by the line width (lines.scale_dashes)."""
    if linestyle == "-":
        return ""
    offset, pattern = linestyle
    return (f"; stroke-dasharray: {', '.join(_num(d * linewidth) for d in pattern)}; "
            f"stroke-dashoffset: {_num(offset * linewidth)}")


def _line_svg(gid: str, years: tuple[int, ...], values: list[float | None], style: dict,
              face: str, edge: str, edge_width: float, frame: _Frame) -> str:
    """One line the way matplotlib writes a Line2D: a path broken at gaps, then a marker per point."""
    a, b, c, d = frame.matrix
    points = [(a * year + b, c * value + d) if value is not None else None for year, value in zip(years, values)]
    pieces, run = [], []
    for point in points + [None]:
        if point is None:
            if run:  # a lone point is a bare "M": no line, only its marker (as matplotlib writes it)
                pieces.append("M " + " L ".join(f"{_num(x)} {_num(y)}" for x, y in run))
            run = []
        else:
            run.append(point)
    colour, width = style["color"], style["linewidth"]
    cap = "round" if style["linestyle"] == "-" else "butt"
    out = [f'<g id="{gid}">']
    if pieces:
        out.append(f'<path d="{" ".join(pieces)}" style="fill: none{_dash_style(style["linestyle"], width)}; '
                   f'stroke: {colour}; stroke-width: {_num(width)}; stroke-linecap: {cap}; '
                   f'stroke-linejoin: round"/>')
    marker_id = f"m-{gid}"
    out.append(f'<defs><path id="{marker_id}" d="{_marker_path(style["marker"], style["markersize"])}"/></defs>')
    out.append("<g>")
    for point in points:
        if point is not None:
            out.append(f'<use xlink:href="#{marker_id}" x="{_num(point[0])}" y="{_num(point[1])}" '
                       f'style="fill: {face}; stroke: {edge}; stroke-width: {_num(edge_width)}"/>')
    out.append("</g></g>")
    return "".join(out)


def render_svg(spec: ChartSpec) -> bytes:
    """Draw one chart as SVG bytes. Pure and deterministic: same spec → same bytes.

    matplotlib draws the frame (axes, ticks, Russian labels, legend: all the text layout); the
    lines and markers are then written on it with the frame's own data → SVG transform, in the
    same style matplotlib uses. A school chart costs well under a millisecond instead of ~50 ms.
    """
    validate_spec(spec)
    return _render(spec, _layout(spec))


def _render(spec: ChartSpec, layout: _Layout) -> bytes:
    """render_svg for a validated spec whose layout is already measured."""
    if not layout.years or not layout.present:
        return render_svg_matplotlib(spec)
    frame = _frame(layout)
    years = layout.years
    lines = []  # (zorder, svg): drawn lowest first, as matplotlib does
    if layout.has_targets:
        style = _TARGET_STYLE
        lines.append((_TARGET_ZORDER, _line_svg("target", years, [_float(v) for v in spec.targets], style,
                                                style["markerfacecolor"], style["color"],
                                                style["markeredgewidth"], frame)))
    for index in layout.drawn:
        style = _series_style(index)
        lines.append((_series_zorder(index), _line_svg(f"series-{index}", years,
                                                       [_float(v) for v in spec.series[index].values],
                                                       style, style["color"], "#ffffff", 1.0, frame)))
    marks = "".join(svg for _, svg in sorted(lines, key=lambda item: item[0]))
    return frame.head + marks.encode("utf-8") + frame.tail


# --------------------------------------------------------------------------- files, cache, pool

def _check_key(key: str) -> PurePosixPath:
    path = PurePosixPath(key)
    if (not key or "\\" in key or path.is_absolute()
            or any(part in ("", ".", "..") for part in key.split("/"))):
        raise ValueError(f"недопустимый путь графика: {key!r}")
    return path


def _looks_complete(data: bytes) -> bool:
    return data.startswith(b"<?xml") and data.rstrip().endswith(b"</svg>")


def _read_cache(cache_dir: Path | None, digest: str) -> bytes | None:
    if cache_dir is None:
        return None
    try:
        data = (cache_dir / f"{digest}.svg").read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return None
    return data if _looks_complete(data) else None  # a truncated entry is simply redrawn


def default_workers() -> int:
    """Processes for CPU-bound build work: the cores, at most MAX_WORKERS."""
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS))


def fork_context():
    """The fork start method, or None where there is none: workers then inherit the parent's
    data (frames drawn, pages' indexes) instead of rebuilding or pickling it."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    return multiprocessing.get_context("fork")


def _resolve_workers(workers: int) -> int:
    if workers < 0:
        raise ValueError("workers должно быть ≥ 0")
    return default_workers() if workers == 0 else workers


def _frame_or_none(layout: _Layout) -> _Frame | None:
    return _frame(layout) if layout.years and layout.present else None


def _frame_file(frames_dir: Path, layout: _Layout) -> Path:
    key = f"{RENDERER_VERSION} {matplotlib.__version__} {layout!r}".encode("utf-8")
    return frames_dir / f"{hashlib.sha256(key).hexdigest()}.pickle"


def _stored_frame(frames_dir: Path, layout: _Layout) -> _Frame | None:
    frame = read_pickle(_frame_file(frames_dir, layout))
    return frame if isinstance(frame, _Frame) else None


def _render_many(specs: list[ChartSpec], workers: int, frames_dir: Path | None = None):
    """Yield SVG bytes for each (already validated) spec, in order.

    The distinct frames are drawn first (in the pool when there are many); then the points are
    placed, in forked workers that inherit the drawn frames when there are enough charts to
    pay for starting them. `frames_dir` keeps drawn frames between builds: a rebuild that
    redraws one school's charts then starts no matplotlib drawing at all.
    """
    layouts = [_layout(spec) for spec in specs]
    distinct = [layout for layout in dict.fromkeys(layouts) if layout not in _FRAMES]
    if frames_dir is not None:
        for layout in distinct:
            frame = _stored_frame(frames_dir, layout)
            if frame is not None:
                _FRAMES[layout] = frame
        distinct = [layout for layout in distinct if layout not in _FRAMES]
    context = fork_context() if workers > 1 else None
    if context is not None and len(distinct) >= POOL_THRESHOLD:
        with ProcessPoolExecutor(max_workers=min(workers, len(distinct)), mp_context=context) as pool:
            for layout, frame in zip(distinct, pool.map(_frame_or_none, distinct)):
                if frame is not None:
                    _FRAMES[layout] = frame
    else:
        for layout in distinct:
            _frame_or_none(layout)
    if frames_dir is not None:
        for layout in distinct:
            if layout in _FRAMES:
                write_pickle(_frame_file(frames_dir, layout), _FRAMES[layout])
    if context is not None and len(specs) >= POINTS_POOL_THRESHOLD:
        # Small chunks: a worker holds only its share of specs and SVG at a time.
        chunksize = min(CHUNK_MAX, max(1, len(specs) // (workers * 4)))
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            yield from pool.map(_render, specs, layouts, chunksize=chunksize)
    else:
        yield from map(_render, specs, layouts)


def render_charts(specs: Mapping[str, ChartSpec], out_dir: Path, cache_dir: Path | None,
                  workers: int = 0) -> ChartStats:
    """Write ``out_dir/<key>`` for every spec, reusing ``cache_dir/<spec_hash>.svg`` when present.

    Keys are relative POSIX paths ("schools/6149001234/ege_rus.svg"). Specs are validated
    before anything is drawn. Identical specs are drawn once.
    """
    out_dir = Path(out_dir)
    cache_dir = Path(cache_dir) if cache_dir is not None else None
    workers = _resolve_workers(workers)

    by_digest: dict[str, list[PurePosixPath]] = {}
    spec_of: dict[str, ChartSpec] = {}
    digests: dict[str, str] = {}
    for key, spec in specs.items():
        path = _check_key(key)
        try:
            validate_spec(spec)
        except (TypeError, ValueError) as error:
            raise ValueError(f"график {key}: {error}") from error
        digest = digests[key] = spec_hash(spec)
        by_digest.setdefault(digest, []).append(path)
        spec_of.setdefault(digest, spec)

    cached = 0
    missing: list[str] = []
    for digest, paths in by_digest.items():
        data = _read_cache(cache_dir, digest)
        if data is None:
            missing.append(digest)
            continue
        for path in paths:
            link_or_write(out_dir / path, cache_dir / f"{digest}.svg", data)
        cached += len(paths)

    rendered = 0
    frames_dir = cache_dir / "frames" if cache_dir is not None else None
    for digest, data in zip(missing, _render_many([spec_of[d] for d in missing], workers, frames_dir)):
        source = None
        if cache_dir is not None:
            source = cache_dir / f"{digest}.svg"
            write_atomic(source, data)
        for path in by_digest[digest]:
            link_or_write(out_dir / path, source, data)
        rendered += 1
        cached += len(by_digest[digest]) - 1
    return ChartStats(rendered=rendered, cached=cached, digests=digests)
