"""The indicator engine: an indicator's values for one school or group, as pure functions.

Comparisons use exact (unrounded) values; published values are rounded half-up. The whole
municipality's computation (group totals, suppression, the build cache) is compute/computed.py.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from decimal import Decimal
from fractions import Fraction

from generator.model import Figures, Goal, Indicator, Rule, Target
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
            found = None if self.exact is None or self.suppressed else _publish(self.exact, self.target)
            object.__setattr__(self, "_value", found)
        return found

    @property
    def change(self) -> Decimal | None:
        found = self._change
        if found is _UNSET:
            hidden = self.exact_change is None or self.suppressed or self.change_hidden
            found = None if hidden else _publish(self.exact_change, Decimal(0))
            object.__setattr__(self, "_change", found)
        return found

    @property
    def published_numerator(self) -> Decimal | None:
        return None if self.suppressed else self.numerator

    @property
    def published_denominator(self) -> Decimal | None:
        return None if self.suppressed else self.denominator


MAX_PLACES = 4  # 74,9999 % next to a target of 75 %: past this the exact fraction is in the open data


def _publish(value: Fraction, reference: Decimal | None) -> Decimal:
    """Rounded half-up to one decimal, or to as many more (up to MAX_PLACES) as it takes for the
    shown figure to stand on the same side of `reference` (the target; 0 for a change) as the exact
    value: 7499/10000 is «74,99 %» beside a target of 75 %, not a «75 %» marked «не достигнуто»."""
    if value.denominator == 1:
        return Decimal(value.numerator)
    shown = round_half_up(value, 1)
    if reference is None:
        return shown
    side = _sign(value - _goal(reference))
    places = 1
    while _sign(to_fraction(shown) - _goal(reference)) != side and places < MAX_PLACES:
        places += 1
        shown = round_half_up(value, places)
    return shown


def _sign(value: Fraction) -> int:
    return (value > 0) - (value < 0)


def judge(exact: Fraction | None, change: Fraction | None, target: Target, year: int,
          better: str, base: Fraction | None = None) -> tuple[Decimal | None, str]:
    """(target value for the year, status). Per-year targets replace the rule's threshold.
    `base`: the same series' value in the baseline year, for a «× 1,3» target."""
    rule: Rule | None = target.rule
    goal = target.goal(year)
    kind = rule.kind if rule is not None and rule.kind not in ("dynamics", "goal") else ("min" if better != "lower" else "max")
    if isinstance(goal, Goal):
        if goal.factor is not None:  # «увеличение в 1,3 раза»; «снижение в 1,3 раза» when lower is better
            if base is None:
                return None, NO_DATA  # no value in the baseline year: the target cannot be computed
            exact_goal = base * to_fraction(goal.factor) if better != "lower" else base / to_fraction(goal.factor)
            if exact is None:
                return round_half_up(exact_goal, 1), NO_DATA
            ok = exact >= exact_goal if better != "lower" else exact <= exact_goal
            return round_half_up(exact_goal, 1), ACHIEVED if ok else NOT_ACHIEVED
        # A range is achieved from its lower bound (upper when lower is better): «не менее 25–30 %».
        threshold = goal.low if better != "lower" else goal.high
        kind = "min" if better != "lower" else "max"
    else:
        threshold = goal
    if exact is None:
        return threshold, NO_DATA
    if rule is not None and rule.kind == "dynamics" and year not in target.by_year:
        if change is None:
            return None, NO_DATA
        good = change > 0 if rule.direction == "positive" else change < 0
        return None, ACHIEVED if good else NOT_ACHIEVED
    if threshold is None:
        return None, NO_TARGET
    wanted = _goal(threshold)
    # One comparison, not all three: this runs for every value of every school.
    ok = exact >= wanted if kind == "min" else exact <= wanted if kind == "max" else exact == wanted
    return threshold, ACHIEVED if ok else NOT_ACHIEVED


@lru_cache(maxsize=1024)
def _goal(threshold: Decimal) -> Fraction:
    return to_fraction(threshold)


# Schools repeat the same pairs of figures many times over, and the value depends on them alone.
@lru_cache(maxsize=65536)
def _exact_of(kind: str, numerator: Decimal | None, denominator: Decimal | None) -> Fraction | None:
    if numerator is None:
        return None
    if kind in ("count", "children", "index"):
        return to_fraction(numerator)
    if denominator is None or denominator == 0:
        return None
    if kind == "mean":  # the figures are (points = mean × participants, participants)
        return to_fraction(numerator) / to_fraction(denominator)
    return share(numerator, denominator)


def _small(indicator: Indicator, numerator: Decimal | None, denominator: Decimal | None, min_group: int) -> bool:
    """A figure about fewer than min_group children (its size alone is one: «3 pupils took the exam»)."""
    if not indicator.protected:
        return False
    size = numerator if indicator.kind == "children" else denominator
    return size is not None and 0 < size < min_group


def _base(indicator: Indicator, kind: str, scope: str, figures_by_year: dict) -> Fraction | None:
    """The series' own value in the baseline year; for a group or the municipality without one, the
    baseline value the indicator gives (a school is never judged against another's baseline)."""
    baseline = indicator.baseline
    if baseline is None:
        return None
    if baseline.year in figures_by_year:
        own = _exact_of(kind, *figures_by_year[baseline.year])
        if own is not None:
            return own
    return to_fraction(baseline.value) if baseline.value is not None and scope != "school" else None


def indicator_series(indicator: Indicator, years: tuple[int, ...], scope: str, school: str,
            figures_by_year: dict[int, tuple[Decimal | None, Decimal | None]], min_group: int) -> list[IndicatorValue]:
    """Values over the years; a change only against the immediately previous year."""
    out: list[IndicatorValue] = []
    previous: IndicatorValue | None = None
    kind = indicator.kind
    base = _base(indicator, kind, scope, figures_by_year)
    for year in years:
        if year not in figures_by_year:
            continue
        numerator, denominator = figures_by_year[year]
        exact = _exact_of(kind, numerator, denominator)
        last = previous if previous is not None and previous.year == year - 1 else None
        change = exact - last.exact if exact is not None and last is not None and last.exact is not None else None
        target, status = judge(exact, change, indicator.target, year, indicator.better, base)
        # A small group is hidden whatever else is known: its denominator alone (3 pupils took the
        # exam) is a figure about fewer than min_group children, also when the numerator is missing.
        suppressed = _small(indicator, numerator, denominator, min_group)
        # A mean score without its number of participants: the size is unknown, so it is not shown.
        unsized = kind == "mean" and numerator is not None and denominator is None
        previous = IndicatorValue(
            year, scope, school, indicator.code, numerator, denominator, exact, change, target,
            SUPPRESSED if suppressed else status, suppressed or unsized,
            change_hidden=last is not None and last.suppressed,
        )
        out.append(previous)
    return out


def school_figures(indicator: Indicator, figures: Figures, years: tuple[int, ...]
                   ) -> dict[int, tuple[Decimal | None, Decimal | None]]:
    """One school's (numerator, denominator) per year of an indicator from its rows of results.csv;
    a year is there when the school reported either measure. A mean becomes (mean × n, n), so that
    a group's weighted mean is the same sum of numerators over the sum of denominators as a share."""
    num, den = indicator.numerator, indicator.denominator
    out = {y: (figures.get((y, num)), figures.get((y, den)) if den else None)
           for y in years if (y, num) in figures or (den and (y, den) in figures)}
    if indicator.kind == "mean":
        out = {y: (mean * n if mean is not None and n is not None else mean, n) for y, (mean, n) in out.items()}
    return out


def school_series(indicators: tuple[Indicator, ...], years: tuple[int, ...], scope: str, school: str,
                  figures: Figures, min_group: int) -> list[IndicatorValue]:
    """Every indicator of one school (or the municipality) from its own rows of results.csv, before
    secondary suppression."""
    out: list[IndicatorValue] = []
    for indicator in indicators:
        out.extend(indicator_series(indicator, years, scope, school, school_figures(indicator, figures, years),
                                    min_group))
    return out
