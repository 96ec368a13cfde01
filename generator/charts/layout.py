"""A chart's frame measured before any figure exists: axis range and ticks, legend columns and
height, margins. Everything about a chart except where its points are (see `Layout`)."""
from __future__ import annotations

import functools
import math
import textwrap
from dataclasses import dataclass

from matplotlib.ticker import MaxNLocator

from generator.numbers import ru_figure
from generator.charts.spec import ChartSpec, finite, is_percent
from generator.charts.style import FIG_SIZE, FONT_SIZE

TARGET_LABEL = "Цель"
_MAX_X_TICKS = 7


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


def x_ticks(years: tuple[int, ...]) -> list[int]:
    step = max(1, math.ceil(len(years) / _MAX_X_TICKS))
    # Count back from the latest year so the most recent one is always labelled.
    return sorted(years[len(years) - 1::-step])


LEGEND = {"handlelength": 2.4, "handletextpad": 0.5, "columnspacing": 1.2, "borderpad": 0.3,
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
    entry_extra = (LEGEND["handlelength"] + LEGEND["handletextpad"]) * em
    available = _LEGEND_WIDTH - 2 * LEGEND["borderpad"] * em
    wrapped = []
    for label in labels:
        if _text_width(label) + entry_extra > available:
            label = textwrap.fill(label, _LABEL_WRAP, break_long_words=True)
        wrapped.append(label)
    widths = [_text_width(label) + entry_extra for label in wrapped]
    columns = len(wrapped)
    while columns > 1:
        cols = _split_columns(widths, columns)
        total = sum(max(c) for c in cols) + (len(cols) - 1) * LEGEND["columnspacing"] * em
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


TICK_LENGTH = 4.0
TICK_PAD = 3.5
_LINE = FONT_SIZE * 1.2  # height of one line of text, points
EDGE = 6.0  # free margin along the figure edges, points


def _legend_height(rows: int, lines: int) -> float:
    """Height in points of a legend with `rows` rows holding `lines` text lines in total."""
    return (rows * 1.05 * FONT_SIZE + (lines - rows) * 1.2 * FONT_SIZE
            + (rows - 1) * LEGEND["labelspacing"] * FONT_SIZE + 2 * LEGEND["borderpad"] * FONT_SIZE)


@dataclass(frozen=True)
class Layout:
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


def measure(spec: ChartSpec) -> Layout:
    """Measure the chart before any figure exists. Layout is computed in points from measured
    text widths (no constrained/tight layout: that would cost an extra draw per chart)."""
    years = tuple(int(y) for y in spec.years)
    percent = is_percent(spec.unit)
    series_values = [[finite(v) for v in s.values] for s in spec.series]
    targets = [finite(v) for v in spec.targets]
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
        y_labels = [ru_figure(t, tick_unit) for t in y_ticks]
    else:
        bottom, top, y_ticks, y_labels = 0.0, 1.0, [], []
    unit_caption = spec.unit.strip() if scale_values and not percent else ""

    # a legend taller than one row makes the figure taller, never the plot smaller
    height = FIG_SIZE[1] * 72 + max(0.0, legend_height - _legend_height(1, 1))
    y_label_width = max((_text_width(label) for label in y_labels), default=0.0)
    legend_bottom = EDGE - 2
    return Layout(
        years=years, drawn=drawn, has_targets=bool(present_targets), present=bool(present),
        legend_labels=tuple(legend_labels), columns=columns, legend_height=legend_height,
        bottom=bottom, top=top, y_ticks=tuple(y_ticks), tick_unit=tick_unit, unit_caption=unit_caption,
        height=height, left=EDGE + y_label_width + TICK_PAD + TICK_LENGTH + 2, right=EDGE + 8,
        top_margin=EDGE + 6 + (_LINE + 6 if unit_caption else 0), legend_bottom=legend_bottom,
        bottom_margin=legend_bottom + legend_height + 2 + _LINE + TICK_PAD + TICK_LENGTH,
    )
