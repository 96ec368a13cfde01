"""matplotlib's part of a chart: the frame (axes, ticks, Russian labels, unit caption, legend) and,
for the rare chart whose frame would hide its points, the whole chart.

pyplot is never imported: every figure is a standalone ``matplotlib.figure.Figure`` (no global
figure manager, no GUI backend, nothing to close). The output is deterministic: fixed
``svg.hashsalt``, no dates or version in the metadata, text kept as text.
"""
from __future__ import annotations

import io
from dataclasses import dataclass

import matplotlib
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

from generator.numbers import ru_figure
from generator.charts.spec import ChartSpec, finite, validate_spec
from generator.charts.style import (FIG_SIZE, FONT_SIZE, RC, SVG_METADATA, TARGET_STYLE, TARGET_ZORDER,
                                    series_style, series_zorder)
from generator.charts.layout import EDGE, LEGEND, TICK_LENGTH, TICK_PAD, Layout, measure, x_ticks

NO_DATA = "Нет данных"


def _draw(layout: Layout, spec: ChartSpec | None) -> tuple[Figure, object]:
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
    ax.tick_params(length=TICK_LENGTH, width=1, pad=TICK_PAD)

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
                      dash_capstyle="butt", **series_style(index))
        if spec is None:
            line = Line2D([], [], **common)
        else:
            values = [finite(v) for v in spec.series[index].values]
            (line,) = ax.plot(years, [nan if v is None else v for v in values], clip_on=False,
                              zorder=series_zorder(index), **common)
            line.set_gid(f"series-{index}")
        handles.append(line)
    if layout.has_targets:
        if spec is None:
            line = Line2D([], [], **TARGET_STYLE)
        else:
            targets = [finite(v) for v in spec.targets]
            (line,) = ax.plot(years, [nan if v is None else v for v in targets],
                              clip_on=False, zorder=TARGET_ZORDER, **TARGET_STYLE)
            line.set_gid("target")
        handles.append(line)

    # x axis: integer years only
    ax.set_xlim(years[0] - 0.45, years[-1] + 0.45)
    ax.xaxis.set_major_locator(FixedLocator(x_ticks(years)))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: str(int(round(x)))))
    ax.xaxis.set_minor_locator(NullLocator())

    # y axis: Russian number format, 0-based
    ax.set_ylim(layout.bottom, layout.top)
    if layout.y_ticks:
        ax.yaxis.set_major_locator(FixedLocator(list(layout.y_ticks)))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _pos: ru_figure(y, layout.tick_unit)))
        ax.grid(axis="y", color="#d9d9d9", linewidth=0.9, zorder=0)
        ax.set_axisbelow(True)
    else:
        ax.yaxis.set_major_locator(NullLocator())
    ax.yaxis.set_minor_locator(NullLocator())
    if layout.unit_caption:
        fig.text(EDGE / width, 1 - EDGE / height, layout.unit_caption, ha="left", va="top",
                 fontsize=FONT_SIZE, color="#444444")

    if not layout.present:
        ax.text(0.5, 0.5, NO_DATA, transform=ax.transAxes, ha="center", va="center",
                fontsize=FONT_SIZE + 2, color="#333333", zorder=10,
                bbox={"boxstyle": "square,pad=0.4", "facecolor": "white", "edgecolor": "none"})

    if handles:
        fig.legend(handles, list(layout.legend_labels), loc="lower center", ncols=layout.columns, frameon=False,
                   bbox_to_anchor=(0.5, layout.legend_bottom / height), bbox_transform=fig.transFigure,
                   **{**LEGEND, "borderaxespad": 0})
    return fig, ax


def _savefig(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", metadata=SVG_METADATA, facecolor="white")
    return buffer.getvalue()


def render_svg_matplotlib(spec: ChartSpec) -> bytes:
    """The whole chart drawn by matplotlib, points included (slow: ~50 ms). Used for the rare
    charts whose frame would hide the points ("Нет данных" over a target-only chart), and by the
    tests as the independent reference for where ``render_svg`` places its points."""
    validate_spec(spec)
    with matplotlib.rc_context(RC):
        fig, _ = _draw(measure(spec), spec)
        return _savefig(fig)


@dataclass(frozen=True)
class Frame:
    head: bytes  # the SVG up to where the points go
    tail: bytes  # the closing tags
    matrix: tuple[float, float, float, float]  # svg_x = a·year + b, svg_y = c·value + d


_CLOSE = b"</svg>\n"  # the points go last, on top of everything, as their z-order puts them


def draw_frame(layout: Layout) -> Frame:
    with matplotlib.rc_context(RC):
        fig, ax = _draw(layout, None)
        svg = _savefig(fig)
        (x0, y0), (x1, y1) = ax.transData.transform([(0.0, 0.0), (1.0, 1.0)])
    if not svg.endswith(_CLOSE):
        raise RuntimeError("неожиданный конец SVG от matplotlib")
    # matplotlib's SVG units are points (72 dpi) with y growing downwards.
    return Frame(head=svg[: -len(_CLOSE)], tail=_CLOSE,
                  matrix=(x1 - x0, x0, -(y1 - y0), layout.height - y0))
