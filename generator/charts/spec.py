"""What a chart shows, as data: its spec, the checks a spec must pass, its content address, its text.

Pure: no matplotlib drawing and no I/O. The spec's hash addresses the chart cache (charts/store.py);
`alt_text` is the text equivalent pages print with every chart.
"""
from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass

import matplotlib

from generator.numbers import ru_figure

# Bump whenever the drawing code changes: it is part of every cache key.
RENDERER_VERSION = "charts-2"


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


def is_percent(unit: str) -> bool:
    return unit.strip() == "%"


def finite(value: float | None) -> float | None:
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
            finite(value)
    if spec.targets and len(spec.targets) != len(years):
        raise ValueError(f"цели: {len(spec.targets)} значений на {len(years)} лет")
    for value in spec.targets:
        finite(value)


def canonical_spec(spec: ChartSpec) -> bytes:
    """Canonical JSON of everything that determines the SVG (plus renderer/matplotlib versions)."""
    document = {
        "renderer": RENDERER_VERSION,
        "matplotlib": matplotlib.__version__,
        "title": spec.title,
        "unit": spec.unit,
        "years": [int(y) for y in spec.years],
        "series": [{"label": s.label, "values": [finite(v) for v in s.values]} for s in spec.series],
        "targets": [finite(v) for v in spec.targets],
    }
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      allow_nan=False).encode("utf-8")


def spec_hash(spec: ChartSpec) -> str:
    """Content address of a chart: sha256 hex of ``canonical_spec``. Pure."""
    return hashlib.sha256(canonical_spec(spec)).hexdigest()


def alt_text(spec: ChartSpec) -> str:
    """What the chart shows, with the first and last values; every value is in the table below it."""
    parts = []
    for series in spec.series:
        known = [(y, v) for y, v in zip(spec.years, series.values) if v is not None]
        if not known:
            parts.append(f"{series.label} — нет данных")
        elif len(known) == 1:
            parts.append(f"{series.label} — {ru_figure(known[0][1], spec.unit)} в {known[0][0]}")
        else:
            (y0, v0), (y1, v1) = known[0], known[-1]
            parts.append(f"{series.label} — {ru_figure(v0, spec.unit)} в {y0}, "
                         f"{ru_figure(v1, spec.unit)} в {y1}")
    target = " Цель — пунктир." if any(t is not None for t in spec.targets) else ""
    return f"График «{spec.title}»: {'; '.join(parts)}.{target} Все значения — в таблице под графиком."
