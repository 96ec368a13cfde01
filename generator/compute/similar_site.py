"""The site's groups of similar schools (compute/similar.py) from the computed values, and what a
school page shows of its group, as bytes for the school's bundle key (build/bundles.py).

A school page lists its similar schools with their context values and their verdicts of the year;
those are other schools' figures, so the school's bundle key must change whenever any of them does.
"""
from __future__ import annotations

from dataclasses import dataclass

from generator.compute.computed import Computed
from generator.compute.indicators import IndicatorValue
from generator.compute.similar import SimilarGroups, latest_context_year, published_context, similar_groups
from generator.model import Dataset


@dataclass(frozen=True)
class SiteSimilar:
    year: int  # the year the context is taken from (the latest with every context value at 2+ schools)
    groups: SimilarGroups
    shown_year: int  # the year of the members' verdicts (the site's current year)
    values: dict[tuple[str, str, int], IndicatorValue]  # (school, indicator, year) of members: what pages show
    shown: dict[str, bytes]  # member → the shown fields of its values, for the keys of the pages listing it


def _published(v: IndicatorValue | None) -> tuple:
    """The fields a page shows of a value (figures.value and the verdict's status)."""
    if v is None:
        return ()
    return (v.value, v.suppressed, v.secondary, v.status, v.denominator is None)


def site_similar(dataset: Dataset, computed: Computed) -> SiteSimilar | None:
    """None when site.yml declares no `similar_schools` or no year has the context at two schools."""
    config = dataset.site.similar
    if config is None:
        return None
    every = [v for s in dataset.schools for v in computed.school(s.code)]
    year = latest_context_year(every, config)
    if year is None:
        return None
    codes = [s.code for s in dataset.schools]
    groups = similar_groups(published_context(every, codes, config, year), config,
                            {s.code: s.district for s in dataset.schools})
    members = {m for found in groups.groups.values() for m in (n.school for n in found)}
    now = dataset.site.current_year
    shown = {(c, year) for c in config.context} | {(i.code, now) for i in dataset.indicators if i.publish == "school"}
    values = {(v.school, v.indicator, v.year): v for v in every
              if v.school in members and v.scope == "school" and (v.indicator, v.year) in shown}
    fields: dict[str, list] = {}
    for (school, indicator, y), v in sorted(values.items()):
        fields.setdefault(school, []).append((indicator, y, _published(v)))
    return SiteSimilar(year, groups, now, values, {m: repr(f).encode("utf-8") for m, f in fields.items()})


def shown_of(similar: SiteSimilar | None, code: str) -> bytes:
    """What the school's page shows of its group: members in order and their shown fields."""
    if similar is None:
        return b""
    members = similar.groups.members(code)
    return b"|".join([repr((similar.year, similar.shown_year, members)).encode("utf-8"),
                      *(similar.shown.get(m, b"") for m in members)])
