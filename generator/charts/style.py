"""How charts look: matplotlib settings, colours, line styles and markers, shared by the frame
drawing (charts/frame.py) and the points written onto it (charts/points.py)."""
from __future__ import annotations

FIG_SIZE = (6.4, 3.2)  # inches: 460.8 × 230.4 pt; taller only when the legend needs more rows
# 14 pt in a 460.8 pt wide SVG is 10.9 px when the image is shown 360 px wide.
FONT_SIZE = 14
RC = {
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
SVG_METADATA = {"Date": None, "Creator": None}
# Okabe–Ito colours (colour-blind safe). Each has contrast ≥ 3:1 both against white and
# against the dark theme background; meaning is also carried by line style and marker.
SERIES_STYLES = (
    {"color": "#0072B2", "linestyle": "-", "marker": "o", "linewidth": 2.6, "markersize": 9},
    {"color": "#D55E00", "linestyle": (0, (6, 2, 1.5, 2)), "marker": "s", "linewidth": 2.2, "markersize": 8},
    {"color": "#008A63", "linestyle": (0, (1.5, 1.5)), "marker": "^", "linewidth": 2.4, "markersize": 9},
    {"color": "#B0508A", "linestyle": (0, (4, 1.5, 1, 1.5, 1, 1.5)), "marker": "v", "linewidth": 2.2, "markersize": 8},
    {"color": "#7C68C8", "linestyle": (0, (8, 2)), "marker": "P", "linewidth": 2.2, "markersize": 8},
)
TARGET_STYLE = {
    "color": "#6B6B6B", "linestyle": (0, (4, 2.5)), "marker": "D", "linewidth": 2.0,
    "markersize": 7.5, "markerfacecolor": "white", "markeredgewidth": 1.8,
}


def series_style(index: int) -> dict:
    style = dict(SERIES_STYLES[index % len(SERIES_STYLES)])
    if index >= len(SERIES_STYLES):
        style["marker"] = "XhH*"[(index - len(SERIES_STYLES)) % 4]
    return style


def series_zorder(index: int) -> float:
    return 6 if index == 0 else 5 - min(index, 4) * 0.1


TARGET_ZORDER = 4
