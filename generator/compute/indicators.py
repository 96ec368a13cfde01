"""The indicator engine: an indicator's values for one school or group, as pure functions.

Comparisons use exact (unrounded) values; published values are rounded half-up. The whole
municipality's computation (group totals, suppression, the build cache) is compute/computed.py.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from decimal import Decimal
from fractions import Fraction

from generator.model import Figures, Indicator, Rule, Target
from generator.numbers import round_half_up, share, to_fraction

ACHIEVED, NOT_ACHIEVED, NO_DATA, SUPPRESSED, NO_TARGET = "achieved", "not_achieved", "no_data", "suppressed", "no_target"


_UNSET = object()  # a published form not computed yet


# Slots, not a __dict__ per value: a region of 5,000 schools holds 311,000 values, and their
# memory (370 bytes each with a __dict__) was what made the indicators phase grow faster than N.
@dataclass(frozen=True, slots=True)
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
    # The published forms, computed on first use (templates, charts and exports read them many
    # times per value). Not init fields: `replace` starts a new value without them.
    _value: object = field(default=_UNSET, init=False, repr=False, compare=False)
    _change: object = field(default=_UNSET, init=False, repr=False, compare=False)

    @property
    def value(self) -> Decimal | None:
        """Published value: rounded half-up to one decimal for shares and fractions, as-is otherwise."""
        found = self._value
        if found is _UNSET:
            found = None if self.exact is None or self.suppressed else _publish(self.exact)
            object.__setattr__(self, "_value", found)
        return found

    @property
    def change(self) -> Decimal | None:
        found = self._change
        if found is _UNSET:
            hidden = self.exact_change is None or self.suppressed or self.change_hidden
            found = None if hidden else _publish(self.exact_change)
            object.__setattr__(self, "_change", found)
        return found

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
    goal = _goal(threshold)
    kind = rule.kind if rule is not None and rule.kind != "dynamics" else ("min" if better == "higher" else "max")
    # One comparison, not all three: this runs for every value of every school.
    ok = exact >= goal if kind == "min" else exact <= goal if kind == "max" else exact == goal
    return threshold, ACHIEVED if ok else NOT_ACHIEVED


@lru_cache(maxsize=1024)
def _goal(threshold: Decimal) -> Fraction:
    return to_fraction(threshold)


# Schools repeat the same pairs of figures many times over, and the value depends on them alone.
@lru_cache(maxsize=65536)
def _exact_of(is_share: bool, numerator: Decimal | None, denominator: Decimal | None) -> Fraction | None:
    if numerator is None:
        return None
    if not is_share:
        return to_fraction(numerator)
    if denominator is None or denominator == 0:
        return None
    return share(numerator, denominator)


def indicator_series(indicator: Indicator, years: tuple[int, ...], scope: str, school: str,
            figures_by_year: dict[int, tuple[Decimal | None, Decimal | None]], min_group: int) -> list[IndicatorValue]:
    """Values over the years; a change only against the immediately previous year."""
    out: list[IndicatorValue] = []
    previous: IndicatorValue | None = None
    for year in years:
        if year not in figures_by_year:
            continue
        numerator, denominator = figures_by_year[year]
        exact = _exact_of(indicator.is_share, numerator, denominator)
        last = previous if previous is not None and previous.year == year - 1 else None
        change = exact - last.exact if exact is not None and last is not None and last.exact is not None else None
        target, status = judge(exact, change, indicator.target, year, indicator.better)
        # A small group is hidden whatever else is known: its denominator alone (3 pupils took the
        # exam) is a figure about fewer than min_group children, also when the numerator is missing.
        suppressed = indicator.is_share and denominator is not None and 0 < denominator < min_group
        previous = IndicatorValue(
            year, scope, school, indicator.code, numerator, denominator, exact, change, target,
            SUPPRESSED if suppressed else status, suppressed, change_hidden=last is not None and last.suppressed,
        )
        out.append(previous)
    return out


def school_series(indicators: tuple[Indicator, ...], years: tuple[int, ...], scope: str, school: str,
                  figures: Figures, min_group: int) -> list[IndicatorValue]:
    """Every indicator of one school (or the municipality) from its own rows of results.csv, before
    secondary suppression. A year has a value when the school reported either of its measures."""
    out: list[IndicatorValue] = []
    for indicator in indicators:
        num, den = indicator.numerator, indicator.denominator
        per_year = {y: (figures.get((y, num)), figures.get((y, den)) if den else None)
                    for y in years if (y, num) in figures or (den and (y, den) in figures)}
        out.extend(indicator_series(indicator, years, scope, school, per_year, min_group))
    return out
