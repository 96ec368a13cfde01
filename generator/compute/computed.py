"""Indicator values for the whole municipality: every school's series, the group totals
(participants, all schools) and the municipality's own, with secondary suppression applied.

A rebuild after one school's figures changed computes that school's series only: the others'
parts come from the build cache (cache/parsed_files.py `pack("series", …)`), keyed by the digest of
the school's rows of results.csv and by the context below.
"""
from __future__ import annotations

import pickle
from collections import defaultdict
from decimal import Decimal

from generator.model import Dataset, Indicator
from generator.cache.parsed_files import ParseCache
from generator.compute.indicators import IndicatorValue, indicator_series, school_series
from generator.compute.school_parts import Number, SchoolPart, from_row, school_part, stored as stored_form
from generator.compute.suppression import flagged, protect

def _total(values: list[Number]) -> Decimal:
    total = sum(values)
    return Decimal(total) if isinstance(total, int) else total


def group_figures(indicator: Indicator, pairs: list[tuple[Number | None, Number | None]]
                  ) -> tuple[Decimal | None, Decimal | None]:
    """A group's figures from its schools': the sums of numerators and of denominators over the
    schools that reported both (a share's or a mean's), the sum of counts; none for an index (a
    given relative score does not add up), and none for a mean when a school gave its mean without
    its number of participants: the group's mean would silently leave that school out."""
    if not indicator.summable:
        return None, None
    if not indicator.denominator:
        counts = [n for n, _ in pairs if n is not None]
        return (_total(counts), None) if counts else (None, None)
    if indicator.kind == "mean" and any(n is not None and d is None for n, d in pairs):
        return None, None
    both = [(n, d) for n, d in pairs if n is not None and d is not None]
    if not both:
        return None, None
    return _total([n for n, _ in both]), _total([d for _, d in both])


class Computed:
    """Indicator values: groups and the municipality at once, each school's when first asked for.

    A rebuild after one school's figures changed computes that school's series only; the others'
    come from `cache` by the digest of their rows (load/shards.py). Group totals and secondary
    suppression need only each school's figures (`SchoolPart.pairs`), never its value objects.
    """

    def __init__(self, dataset: Dataset, cache: "ParseCache | None" = None):
        self.dataset = dataset
        years, min_group, indicators = dataset.years, dataset.site.min_group_size, dataset.indicators
        self.codes = [s.code for s in dataset.schools]
        self.parts = self._parts(dataset, cache)
        # (indicator, year) → [(school, numerator, denominator)] of the schools with a row then.
        reported: dict[tuple[str, int], list[tuple[str, Number | None, Number | None]]] = defaultdict(list)
        for code in self.codes:
            for key, (n, d) in self.parts[code].pairs.items():
                reported[key].append((code, n, d))
        participants = {y: dataset.participants(y) for y in years}
        groups: list[IndicatorValue] = []
        for indicator in indicators:
            for scope in ("participants", "all"):
                per_year = {}
                for y in years:
                    rows = reported.get((indicator.code, y), [])
                    if scope == "participants":
                        rows = [row for row in rows if row[0] in participants[y]]
                    if rows:
                        per_year[y] = group_figures(indicator, [(n, d) for _, n, d in rows])
                groups.extend(indicator_series(indicator, years, scope, "", per_year, min_group))
        groups.extend(school_series(indicators, years, "municipality", "", dataset.results.figures(""), min_group))
        self.groups, self.flags = protect(groups, reported, self.parts, participants, indicators, min_group)
        self._schools: dict[str, list[IndicatorValue]] = {}

    def _parts(self, dataset: Dataset, cache: ParseCache | None) -> dict[str, SchoolPart]:
        """Each school's part: from `cache` by the digest of its rows, else computed (and stored:
        the parts of one build are one file, so a rebuild reads one file, not one per school)."""
        years, min_group, indicators = dataset.years, dataset.site.min_group_size, dataset.indicators
        context = repr((years, min_group, indicators)).encode("utf-8")
        pack = cache.pack("series", context) if cache is not None else None
        stored = pack.load() if pack is not None else {}
        parts, keep = {}, {}
        for code in self.codes:
            digest = dataset.results.digests.get(code, "")
            part = stored.get(digest) if digest is not None else None
            if part is None:
                part = school_part(
                    school_series(indicators, years, "school", code, dataset.results.figures(code), min_group))
            if digest is not None and cache is not None:
                keep[digest] = stored_form(part)
            parts[code] = part
        if pack is not None:
            pack.save(keep)
        return parts

    def school(self, code: str) -> list[IndicatorValue]:
        """The school's values, with the flags secondary suppression put on them."""
        found = self._schools.get(code)
        if found is None:
            primary = self.parts[code].primary
            values = [from_row(code, row) for row in pickle.loads(primary)] if isinstance(primary, bytes) else primary
            flags = self.flags.get(code, {})
            found = self._schools[code] = [flagged(v, flags.get((v.indicator, v.year))) for v in values] \
                if flags else values
        return found

    def __len__(self) -> int:
        return len(self.groups) + sum(len(part.pairs) for part in self.parts.values())

    def change_sign(self, indicator: str, school: str, year: int) -> int | None:
        """The sign of the school's published change; None where the change is hidden or absent."""
        flag = self.flags.get(school, {}).get((indicator, year))
        if flag is not None and (flag[0] or flag[1]):
            return None
        return self.parts[school].signs.get((indicator, year))

    def values(self) -> list[IndicatorValue]:
        """Every value: per indicator, the schools' series, then the groups and the municipality."""
        by_indicator: dict[str, list[IndicatorValue]] = defaultdict(list)
        for code in self.codes:
            for v in self.school(code):
                by_indicator[v.indicator].append(v)
        for v in self.groups:
            by_indicator[v.indicator].append(v)
        return [v for indicator in self.dataset.indicators for v in by_indicator[indicator.code]]


def compute(dataset: Dataset) -> list[IndicatorValue]:
    """Every indicator for every school, group and the municipality, for every reporting year."""
    return Computed(dataset).values()


def compute_all(dataset: Dataset, cache: ParseCache | None = None) -> Computed:
    """The build's form of `compute`: schools' values on demand, series cached by their rows."""
    return Computed(dataset, cache)
