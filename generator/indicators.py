"""The indicator engine: pure functions from the model to computed values.

Comparisons use exact (unrounded) values; published values are rounded half-up.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from functools import cached_property
from decimal import Decimal
from fractions import Fraction

from .model import Dataset, Indicator, Rule, Target
from .numbers import round_half_up, share, to_fraction

ACHIEVED, NOT_ACHIEVED, NO_DATA, SUPPRESSED, NO_TARGET = "achieved", "not_achieved", "no_data", "suppressed", "no_target"
STATUSES = (ACHIEVED, NOT_ACHIEVED, NO_DATA, SUPPRESSED, NO_TARGET)


@dataclass(frozen=True)
class IndicatorValue:
    year: int
    scope: str  # school | participants | all | municipality
    school: str
    indicator: str
    numerator: Decimal | None
    denominator: Decimal | None
    exact: Fraction | None  # internal, unrounded; never published directly
    exact_change: Fraction | None  # internal: also used when the published change is hidden
    target: Decimal | None
    status: str
    suppressed: bool = False  # this group is smaller than min_group_size
    change_hidden: bool = False  # last year's group was suppressed: the change would reveal it
    secondary: bool = False  # hidden only so that another hidden group cannot be recomputed

    # Cached: templates, charts and exports read these many times per value.
    @cached_property
    def value(self) -> Decimal | None:
        """Published value: rounded half-up to one decimal for shares and fractions, as-is otherwise."""
        if self.exact is None or self.suppressed:
            return None
        return _publish(self.exact)

    @cached_property
    def change(self) -> Decimal | None:
        if self.exact_change is None or self.suppressed or self.change_hidden:
            return None
        return _publish(self.exact_change)

    @property
    def published_numerator(self) -> Decimal | None:
        return None if self.suppressed else self.numerator

    @property
    def published_denominator(self) -> Decimal | None:
        return None if self.suppressed else self.denominator


def _publish(value: Fraction) -> Decimal:
    return Decimal(value.numerator) if value.denominator == 1 else round_half_up(value, 1)


def judge(exact: Fraction | None, change: Fraction | None, target: Target, year: int,
          better: str) -> tuple[Decimal | None, str]:
    """(target value for the year, status). Per-year targets replace the rule's threshold."""
    rule: Rule | None = target.rule
    threshold = target.threshold(year)
    if exact is None:
        return threshold, NO_DATA
    if rule is not None and rule.kind == "dynamics" and year not in target.by_year:
        if change is None:
            return None, NO_DATA
        good = change > 0 if rule.direction == "positive" else change < 0
        return None, ACHIEVED if good else NOT_ACHIEVED
    if threshold is None:
        return None, NO_TARGET
    goal = to_fraction(threshold)
    kind = rule.kind if rule is not None and rule.kind != "dynamics" else ("min" if better == "higher" else "max")
    ok = {"min": exact >= goal, "max": exact <= goal, "equals": exact == goal}[kind]
    return threshold, ACHIEVED if ok else NOT_ACHIEVED


class Figures:
    """Raw figures indexed by (year, school, measure); school '' is the municipality."""

    def __init__(self, dataset: Dataset):
        self.values: dict[tuple[int, str, str], Decimal | None] = {}
        self.reported: dict[tuple[int, str], set[str]] = defaultdict(set)
        for r in dataset.results:
            self.values[(r.year, r.school, r.measure)] = r.value
            self.reported[(r.year, r.school)].add(r.measure)

    def get(self, year: int, school: str, measure: str) -> Decimal | None:
        return self.values.get((year, school, measure))

    def has_row(self, year: int, school: str, indicator: Indicator) -> bool:
        measures = self.reported.get((year, school), ())
        return indicator.numerator in measures or (bool(indicator.denominator) and indicator.denominator in measures)


def _exact(indicator: Indicator, numerator: Decimal | None, denominator: Decimal | None) -> Fraction | None:
    if numerator is None:
        return None
    if not indicator.is_share:
        return to_fraction(numerator)
    if denominator is None or denominator == 0:
        return None
    return share(numerator, denominator)


def _series(indicator: Indicator, years: tuple[int, ...], scope: str, school: str,
            figures_by_year: dict[int, tuple[Decimal | None, Decimal | None]], min_group: int) -> list[IndicatorValue]:
    """Values over the years; a change only against the immediately previous year."""
    out: list[IndicatorValue] = []
    previous: IndicatorValue | None = None
    for year in years:
        if year not in figures_by_year:
            continue
        numerator, denominator = figures_by_year[year]
        exact = _exact(indicator, numerator, denominator)
        last = previous if previous is not None and previous.year == year - 1 else None
        change = exact - last.exact if exact is not None and last is not None and last.exact is not None else None
        target, status = judge(exact, change, indicator.target, year, indicator.better)
        suppressed = exact is not None and indicator.is_share and denominator is not None and denominator < min_group
        previous = IndicatorValue(
            year, scope, school, indicator.code, numerator, denominator, exact, change, target,
            SUPPRESSED if suppressed else status, suppressed, change_hidden=last is not None and last.suppressed,
        )
        out.append(previous)
    return out


def compute(dataset: Dataset) -> list[IndicatorValue]:
    """Every indicator for every school, group and the municipality, for every reporting year."""
    figures = Figures(dataset)
    years = dataset.years
    min_group = dataset.site.min_group_size
    participants = {y: dataset.participants(y) for y in years}
    everyone = [s.code for s in dataset.schools]
    out: list[IndicatorValue] = []
    for indicator in dataset.indicators:
        den = indicator.denominator
        for school in everyone:
            per_year = {
                y: (figures.get(y, school, indicator.numerator), figures.get(y, school, den) if den else None)
                for y in years if figures.has_row(y, school, indicator)
            }
            out.extend(_series(indicator, years, "school", school, per_year, min_group))
        for scope, members in (("participants", lambda y: participants[y]), ("all", lambda y: everyone)):
            per_year = {}
            for y in years:
                pairs = [(figures.get(y, s, indicator.numerator), figures.get(y, s, den) if den else Decimal(0))
                         for s in members(y)]
                pairs = [(n, d) for n, d in pairs if n is not None and d is not None]
                if pairs:
                    per_year[y] = (sum(n for n, _ in pairs), sum(d for _, d in pairs) if den else None)
                elif any(figures.has_row(y, s, indicator) for s in members(y)):
                    per_year[y] = (None, None)
            out.extend(_series(indicator, years, scope, "", per_year, min_group))
        per_year = {
            y: (figures.get(y, "", indicator.numerator), figures.get(y, "", den) if den else None)
            for y in years if figures.has_row(y, "", indicator)
        }
        out.extend(_series(indicator, years, "municipality", "", per_year, min_group))
    return protect(out, participants, everyone, min_group)


def protect(values: list[IndicatorValue], participants: dict[int, frozenset[str]], everyone: list[str],
            min_group: int) -> list[IndicatorValue]:
    """Secondary suppression for share indicators.

    A group total publishes its numerator and denominator, so a single hidden school inside it
    could be recomputed by subtracting the published schools. While the hidden members of a
    published group add up to fewer than `min_group` pupils, the published member with the
    smallest denominator is hidden as well (ties broken by school code); if none is left, the
    group total itself is hidden.
    """
    index = {(v.indicator, v.scope, v.school, v.year): i for i, v in enumerate(values)}
    values = list(values)
    # Hiding a school changes both groups it belongs to, so the groups of one (indicator, year)
    # are settled together; other indicators and years are independent and visited once.
    groups: dict[tuple[str, int], list[int]] = defaultdict(list)
    for i, v in enumerate(values):
        if v.scope in ("participants", "all"):
            groups[(v.indicator, v.year)].append(i)
    for (indicator, year), group_indexes in groups.items():
        members = {"participants": participants.get(year, frozenset()), "all": everyone}
        changed = True
        while changed:
            changed = False
            for gi in group_indexes:
                group = values[gi]
                if group.suppressed or group.denominator is None or group.exact is None:
                    continue
                rows = [values[index[k]] for k in ((indicator, "school", s, year) for s in members[group.scope])
                        if k in index]
                rows = [r for r in rows if r.exact is not None and r.denominator is not None]
                hidden = sum(r.denominator for r in rows if r.suppressed)
                if not hidden or hidden >= min_group:
                    continue
                # min, not sorted: a sort per round made this O(N log N) per group.
                victim = min((r for r in rows if not r.suppressed), key=lambda r: (r.denominator, r.school),
                             default=None)
                if victim is not None:
                    values[index[(indicator, "school", victim.school, year)]] = replace(
                        victim, suppressed=True, secondary=True, status=SUPPRESSED)
                else:
                    values[gi] = replace(group, suppressed=True, secondary=True, status=SUPPRESSED)
                changed = True
    # A change against a newly hidden previous year would reveal it too.
    for i, v in enumerate(values):
        previous = index.get((v.indicator, v.scope, v.school, v.year - 1))
        if previous is not None and values[previous].suppressed and not v.change_hidden:
            values[i] = replace(v, change_hidden=True)
    return values
