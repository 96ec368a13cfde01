"""Chart specs from the computed values: a school's chart and an indicator's chart.

Suppressed and missing values become gaps (None), never a zero and never a hidden figure.
"""
from __future__ import annotations

from generator.model import Indicator
from generator.compute.indicators import IndicatorValue
from generator.charts.spec import ChartSpec, Series
from generator.render.site_data import SiteData

def _chart_values(series: dict[int, IndicatorValue], years: tuple[int, ...]) -> tuple[float | None, ...]:
    # Suppressed and missing values are gaps: never a zero, never a hidden figure.
    return tuple(float(series[y].value) if y in series and series[y].value is not None else None for y in years)


def _targets(series_list: list[dict[int, IndicatorValue]], years: tuple[int, ...]) -> tuple[float | None, ...]:
    out = []
    for y in years:
        target = next((s[y].target for s in series_list if y in s and s[y].target is not None), None)
        out.append(float(target) if target is not None else None)
    return tuple(out)


def school_chart(sd: SiteData, indicator: Indicator, code: str) -> ChartSpec | None:
    own = sd.series(indicator.code, "school", code)
    if not any(v.value is not None for v in own.values()):
        return None
    everyone = sd.series(indicator.code, "all")
    return ChartSpec(
        title=indicator.title, unit=indicator.unit, years=sd.years,
        series=(Series("Школа", _chart_values(own, sd.years)), Series(f"Все школы {sd.site.area_of}", _chart_values(everyone, sd.years))),
        targets=_targets([own, everyone], sd.years),
    )


def indicator_chart(sd: SiteData, indicator: Indicator) -> ChartSpec | None:
    groups = [("Участники программы", "participants"), (f"Все школы {sd.site.area_of}", "all"), ("Муниципалитет", "municipality")]
    series = [(label, sd.series(indicator.code, scope)) for label, scope in groups]
    series = [(label, s) for label, s in series if any(v.value is not None for v in s.values())]
    if not series:
        return None
    return ChartSpec(title=indicator.title, unit=indicator.unit, years=sd.years,
                     series=tuple(Series(label, _chart_values(s, sd.years)) for label, s in series),
                     targets=_targets([s for _, s in series], sd.years))
