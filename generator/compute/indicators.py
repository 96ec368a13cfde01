"""The indicator engine: pure functions from the model to computed values.

Comparisons use exact (unrounded) values; published values are rounded half-up.
"""
from __future__ import annotations

import pickle
from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import lru_cache
from decimal import Decimal
from fractions import Fraction

from generator.model import Dataset, Indicator, Rule, Target
from generator.cache.parsed_files import ParseCache
from generator.model import Figures
from generator.numbers import round_half_up, share, to_fraction

ACHIEVED, NOT_ACHIEVED, NO_DATA, SUPPRESSED, NO_TARGET = "achieved", "not_achieved", "no_data", "suppressed", "no_target"
STATUSES = (ACHIEVED, NOT_ACHIEVED, NO_DATA, SUPPRESSED, NO_TARGET)


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


def _series(indicator: Indicator, years: tuple[int, ...], scope: str, school: str,
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
        suppressed = exact is not None and indicator.is_share and denominator is not None and denominator < min_group
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
        out.extend(_series(indicator, years, scope, school, per_year, min_group))
    return out


@dataclass
class SchoolPart:
    """What the whole-municipality computation needs of one school, and its values on demand."""
    pairs: dict[tuple[str, int], tuple[Number | None, Number | None]]  # (indicator, year) → figures
    signs: dict[tuple[str, int], int]  # (indicator, year) → sign of the exact change, where there is one
    primary: list[IndicatorValue] | bytes  # its values before secondary suppression (bytes: pickled rows)


Number = int | Decimal  # a figure; int where that is the same Decimal (cheap to store and load)
# An IndicatorValue of a school as plain data for the cache: pickling Decimal and Fraction objects
# costs six times as much as ints, and most cached values are never loaded again.
# (year, indicator, numerator, denominator, exact, exact_change, target, status, suppressed,
#  change_hidden); figures as `_compact`, exact values as (numerator, denominator) or None.
Row = tuple

# Results repeat a few hundred Decimal objects (numbers.parse_number): remember each one's compact
# form by identity. Keyed by id, the entry holds the object, so the id is never reused meanwhile.
_COMPACT: dict[int, tuple[Decimal, Number]] = {}


def _compact(value: Decimal | None) -> Number | None:
    """`value` as an int where that is the same Decimal (not 75.0, not -0), else itself."""
    if value is None:
        return None
    known = _COMPACT.get(id(value))
    if known is not None and known[0] is value:
        return known[1]
    sign, _, exponent = value.as_tuple()
    compact = int(value) if exponent == 0 and not sign else value
    if len(_COMPACT) >= 65536:
        _COMPACT.clear()
    _COMPACT[id(value)] = (value, compact)
    return compact


def _decimal(value: Number | None) -> Decimal | None:
    return value if value is None or isinstance(value, Decimal) else Decimal(value)


def _pair(value: Fraction | None) -> tuple[int, int] | None:
    return None if value is None else (value.numerator, value.denominator)


def _fraction(pair: tuple[int, int] | None) -> Fraction | None:
    return None if pair is None else Fraction(*pair)


def _from_row(school: str, row: Row) -> IndicatorValue:
    year, indicator, numerator, denominator, exact, change, target, status, suppressed, change_hidden = row
    return IndicatorValue(year, "school", school, indicator, _decimal(numerator), _decimal(denominator),
                          _fraction(exact), _fraction(change), target, status, suppressed, change_hidden)


# The (indicator, year) keys and the whole-number figure pairs of every school's part, one object
# each: 5,000 schools repeat 72 keys and a few thousand pairs, and kept apart they were 40 MB.
# Pairs holding a Decimal are not shared: 75.0 equals 75 but must keep its text.
_SHARED: dict[tuple, tuple] = {}


def _shared(item: tuple) -> tuple:
    if len(_SHARED) >= 262144:
        _SHARED.clear()
    return _SHARED.setdefault(item, item)


def school_part(values: list[IndicatorValue]) -> SchoolPart:
    pairs, signs = {}, {}
    for v in values:
        key = _shared((v.indicator, v.year))
        n, d = _compact(v.numerator), _compact(v.denominator)
        pairs[key] = (n, d) if type(n) is Decimal or type(d) is Decimal else _shared((n, d))
        if v.exact_change is not None:
            change = v.exact_change.numerator
            signs[key] = (change > 0) - (change < 0)
    return SchoolPart(pairs, signs, values)


def _stored(part: SchoolPart) -> SchoolPart:
    """The part as the cache keeps it: its values as rows, pickled per school, so that loading the
    cache unpickles none of them and a school's rows are unpickled only when asked for."""
    if isinstance(part.primary, bytes):
        return part
    rows = tuple((v.year, v.indicator, *part.pairs[(v.indicator, v.year)], _pair(v.exact), _pair(v.exact_change),
                  v.target, v.status, v.suppressed, v.change_hidden) for v in part.primary)
    return replace(part, primary=pickle.dumps(rows, pickle.HIGHEST_PROTOCOL))


def _total(values: list[Number]) -> Decimal:
    total = sum(values)
    return Decimal(total) if isinstance(total, int) else total


class Computed:
    """Indicator values: groups and the municipality at once, each school's when first asked for.

    A rebuild after one school's figures changed computes that school's series only; the others'
    come from `cache` by the digest of their rows (results_shards). Group totals and secondary
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
            den = indicator.denominator
            for scope in ("participants", "all"):
                per_year = {}
                for y in years:
                    rows = reported.get((indicator.code, y), [])
                    if scope == "participants":
                        rows = [row for row in rows if row[0] in participants[y]]
                    pairs = [(n, d) for _, n, d in rows if n is not None and (d is not None or not den)]
                    if pairs:
                        per_year[y] = (_total([n for n, _ in pairs]), _total([d for _, d in pairs]) if den else None)
                    elif rows:
                        per_year[y] = (None, None)
                groups.extend(_series(indicator, years, scope, "", per_year, min_group))
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
                keep[digest] = _stored(part)
            parts[code] = part
        if pack is not None:
            pack.save(keep)
        return parts

    def school(self, code: str) -> list[IndicatorValue]:
        """The school's values, with the flags secondary suppression put on them."""
        found = self._schools.get(code)
        if found is None:
            primary = self.parts[code].primary
            values = [_from_row(code, row) for row in pickle.loads(primary)] if isinstance(primary, bytes) else primary
            flags = self.flags.get(code, {})
            found = self._schools[code] = [_flagged(v, flags.get((v.indicator, v.year))) for v in values] \
                if flags else values
        return found

    def __len__(self) -> int:
        return len(self.groups) + sum(len(part.pairs) for part in self.parts.values())

    def change_sign(self, indicator: str, school: str, year: int) -> int | None:
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


def _flagged(v: IndicatorValue, flag: tuple[bool, bool] | None) -> IndicatorValue:
    """`flag`: (hidden by secondary suppression, change hidden) from `protect`."""
    if flag is None:
        return v
    secondary, change_hidden = flag
    if secondary:
        v = replace(v, suppressed=True, secondary=True, status=SUPPRESSED)
    return replace(v, change_hidden=True) if change_hidden and not v.change_hidden else v


def compute(dataset: Dataset) -> list[IndicatorValue]:
    """Every indicator for every school, group and the municipality, for every reporting year."""
    return Computed(dataset).values()


def compute_all(dataset: Dataset, cache: ParseCache | None = None) -> Computed:
    """The build's form of `compute`: schools' values on demand, series cached by their rows."""
    return Computed(dataset, cache)


def protect(groups: list[IndicatorValue], reported: dict[tuple[str, int], list[tuple[str, object, object]]],
            parts: dict[str, SchoolPart], participants: dict[int, frozenset[str]], indicators: tuple[Indicator, ...],
            min_group: int) -> tuple[list[IndicatorValue], dict[str, dict[tuple[str, int], tuple[bool, bool]]]]:
    """Secondary suppression for share indicators: (the groups, flags on school values).

    A group total publishes its numerator and denominator, so a single hidden school inside it
    could be recomputed by subtracting the published schools. While the hidden members of a
    published group add up to fewer than `min_group` pupils, the published member with the
    smallest denominator is hidden as well (ties broken by school code); if none is left, the
    group total itself is hidden. A change against a newly hidden previous year is hidden too.
    `reported`: (indicator, year) → [(school, numerator, denominator)] of the schools that have a
    value then.
    """
    groups = list(groups)
    index = {(v.indicator, v.scope, v.year): i for i, v in enumerate(groups)}
    victims: dict[str, set[tuple[str, int]]] = defaultdict(set)
    years = sorted({v.year for v in groups})
    for indicator in indicators:
        if not indicator.is_share:
            continue
        code = indicator.code
        for year in years:
            scopes = [index[k] for k in ((code, "participants", year), (code, "all", year)) if k in index]
            if not scopes:
                continue
            # Members with a share: [denominator, hidden?]. Hiding a school changes both groups it
            # belongs to, so the two groups of a year are settled together.
            rows = {s: [d, d < min_group] for s, n, d in reported.get((code, year), ())
                    if n is not None and d is not None and d != 0}
            members = {"participants": participants.get(year, frozenset()), "all": rows}
            changed = True
            while changed:
                changed = False
                for gi in scopes:
                    group = groups[gi]
                    if group.suppressed or group.denominator is None or group.exact is None:
                        continue
                    inside = [(s, row) for s, row in rows.items() if s in members[group.scope]]
                    hidden = sum(row[0] for _, row in inside if row[1])
                    if not hidden or hidden >= min_group:
                        continue
                    # min, not sorted: a sort per round made this O(N log N) per group.
                    victim = min(((row[0], s) for s, row in inside if not row[1]), default=None)
                    if victim is not None:
                        rows[victim[1]][1] = True
                        victims[victim[1]].add((code, year))
                    else:
                        groups[gi] = replace(group, suppressed=True, secondary=True, status=SUPPRESSED)
                    changed = True
    # A change against a newly hidden previous year would reveal it too.
    flags: dict[str, dict[tuple[str, int], tuple[bool, bool]]] = {}
    for school, hidden in victims.items():
        marked = flags[school] = {key: (True, (key[0], key[1] - 1) in hidden) for key in hidden}
        for code, year in hidden:
            if (code, year + 1) in parts[school].pairs and (code, year + 1) not in hidden:
                marked[(code, year + 1)] = (False, True)
    for i, v in enumerate(groups):
        previous = index.get((v.indicator, v.scope, v.year - 1))
        if previous is not None and groups[previous].suppressed and not v.change_hidden:
            groups[i] = replace(v, change_hidden=True)
    return groups, flags
