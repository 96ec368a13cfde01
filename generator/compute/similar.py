"""Pure: groups of similar schools (site.yml `similar_schools`, docs/similar-schools.md).

Each school's comparison group is its `size` nearest schools by the context the department declared
(indicators such as the share of pupils with special needs), measured on standardised values:

1. the schools taking part are those with a published value of *every* declared indicator in the
   year (a value hidden by the small-group rule, by secondary suppression, or not reported, is no
   value: such a school gets no group and is in no group);
2. each indicator's mean and population variance are computed over those schools; an indicator
   whose values are all equal (variance 0) tells no school from another and is left out of the
   distance;
3. the distance of two schools is Euclidean over z-scores, z = (x − mean) / SD; the means cancel,
   so the squared distance is Σ (xᵢ − xⱼ)² / variance, an exact fraction: ties are real ties;
4. a school's group is the other taking-part schools (of its own district with `within: district`;
   a school with a blank district then has none) in order of distance, ties by school code, the
   first `size` of them.

Only published values go in (`published_context` takes them from the computed values as the site
shows them, rounded), so a group is a function of what anyone can read on the site and reveals no
hidden figure. No group figure is formed here: a sum over a group of chosen schools would be a new
total from which a hidden value could be subtracted; the page lists the members' own published values.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

import numpy

from generator.compute.indicators import IndicatorValue
from generator.model import SimilarConfig

Number = Fraction | Decimal | float | int


@dataclass(frozen=True)
class Neighbour:
    school: str
    distance2: Fraction  # squared standardised distance, exact

    @property
    def distance(self) -> float:
        """The distance itself (√distance2), for showing; order by `distance2`."""
        return math.sqrt(self.distance2)


@dataclass(frozen=True)
class Scale:
    """One context indicator over the schools taking part: its mean and population variance."""

    mean: Fraction
    variance: Fraction

    @property
    def sd(self) -> float:
        return math.sqrt(self.variance)

    def z(self, value: Fraction) -> float:
        """The z-score, for explaining a group (the distance itself is computed exactly)."""
        return float((value - self.mean)) / self.sd


@dataclass(frozen=True)
class SimilarGroups:
    """The result for one year: each school's group (absent: no group), and how it was found."""

    groups: dict[str, tuple[Neighbour, ...]]
    taking_part: tuple[str, ...]  # schools with every context value, sorted by code
    used: tuple[str, ...]  # context indicators in the distance, in the order declared
    dropped: tuple[str, ...]  # declared but left out: the same value at every taking-part school
    scales: dict[str, Scale] = field(default_factory=dict)  # of the used indicators

    def members(self, school: str) -> tuple[str, ...]:
        """The school's similar schools, nearest first; () when it has no group."""
        return tuple(n.school for n in self.groups.get(school, ()))


def _exact(value: Number | None) -> Fraction | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise TypeError("a context value is a number, not a bool")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"a context value must be finite, got {value}")
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError(f"a context value must be finite, got {value}")
    return Fraction(value)


def similar_groups(context: Mapping[str, Mapping[str, Number | None]], config: SimilarConfig,
                   districts: Mapping[str, str] | None = None) -> SimilarGroups:
    """`context`: school code → context indicator code → its published value in the year (None or
    absent: not published). Every school of the municipality should be a key. `districts`: school
    code → schools.csv `district`, needed for `within: district` (a missing or blank one: no group)."""
    codes = config.context
    values: dict[str, tuple[Fraction, ...]] = {}
    for school in sorted(context):
        row = context[school]
        exact = tuple(_exact(row.get(code)) for code in codes)
        if all(v is not None for v in exact):
            values[school] = exact  # type: ignore[assignment]
    taking_part = tuple(values)
    used, dropped, scales, weights = [], [], {}, []
    n = len(taking_part)
    for k, code in enumerate(codes):
        column = [values[s][k] for s in taking_part]
        if n < 2:
            dropped.append(code)
            continue
        mean = sum(column, Fraction(0)) / n
        variance = sum(((x - mean) ** 2 for x in column), Fraction(0)) / n
        if variance == 0:
            dropped.append(code)
            continue
        used.append(code)
        scales[code] = Scale(mean, variance)
        weights.append((k, variance))
    groups: dict[str, tuple[Neighbour, ...]] = {}
    if weights:
        by_district = config.within == "district"
        area = {s: (districts or {}).get(s, "").strip() for s in taking_part} if by_district else {}
        # Floats find the few candidates (all pairs: numpy, 0.1 s at 5,000 schools, where exact
        # fractions over all pairs took minutes); the exact distance then orders them, so ties stay
        # ties. A margin far above float error keeps every school that could be among the nearest.
        matrix = numpy.array([[float(values[s][k]) / math.sqrt(var) for k, var in weights] for s in taking_part])
        for i, school in enumerate(taking_part):
            if by_district and not area[school]:
                continue
            near = ((matrix - matrix[i]) ** 2).sum(axis=1)
            near[i] = numpy.inf
            if by_district:
                near[[area[other] != area[school] for other in taking_part]] = numpy.inf
            finite = numpy.isfinite(near)
            if not finite.any():
                continue
            ranked = numpy.sort(near[finite])
            cutoff = ranked[min(config.size, len(ranked)) - 1]
            candidates = numpy.nonzero(near <= cutoff * (1 + 1e-9) + 1e-12)[0]
            mine = values[school]
            found = [Neighbour(taking_part[j], sum(((mine[k] - values[taking_part[j]][k]) ** 2 / var
                                                     for k, var in weights), Fraction(0))) for j in candidates]
            found.sort(key=lambda nb: (nb.distance2, nb.school))
            groups[school] = tuple(found[:config.size])
    return SimilarGroups(groups, taking_part, tuple(used), tuple(dropped), scales)


def published_context(values: Iterable[IndicatorValue], schools: Iterable[str], config: SimilarConfig,
                      year: int) -> dict[str, dict[str, Fraction | None]]:
    """The input of `similar_groups` from computed values (e.g. `Computed.school(code)` of every school,
    which carry secondary suppression): each school's *published* value (`IndicatorValue.value`, as the
    site shows it; None when hidden or not reported) of each context indicator in `year`."""
    wanted = set(config.context)
    out: dict[str, dict[str, Fraction | None]] = {s: {code: None for code in config.context} for s in schools}
    for v in values:
        if v.scope == "school" and v.year == year and v.indicator in wanted and v.school in out:
            published = v.value
            out[v.school][v.indicator] = Fraction(published) if published is not None else None
    return out


def latest_context_year(values: Iterable[IndicatorValue], config: SimilarConfig) -> int | None:
    """The latest year in which at least two schools published every context indicator: the year a
    page can show groups for when the context is reported less often than results (None: no such year)."""
    wanted = set(config.context)
    have: dict[tuple[int, str], set[str]] = {}
    for v in values:
        if v.scope == "school" and v.indicator in wanted and v.value is not None:
            have.setdefault((v.year, v.school), set()).add(v.indicator)
    complete: dict[int, int] = {}
    for (year, _), found in have.items():
        if found == wanted:
            complete[year] = complete.get(year, 0) + 1
    years = [y for y, count in complete.items() if count >= 2]
    return max(years) if years else None
