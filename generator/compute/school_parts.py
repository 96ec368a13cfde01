"""A school's part of the computation in the compact form the build cache keeps.

`SchoolPart.pairs` is all that group totals and secondary suppression need of a school; its value
objects are kept as plain rows (ints, (numerator, denominator) pairs, the Decimals that are not
whole numbers), pickled per school, and rebuilt only when a page asks for them: pickling Decimal
and Fraction objects cost six times as much and was a third of the indicators phase.
"""
from __future__ import annotations

import pickle
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction

from generator.compute.indicators import IndicatorValue


@dataclass
@dataclass
class SchoolPart:
    """What the whole-municipality computation needs of one school, and its values on demand."""
    pairs: dict[tuple[str, int], tuple[Number | None, Number | None]]  # (indicator, year) → figures
    signs: dict[tuple[str, int], int]  # (indicator, year) → sign of the exact change, where it is published
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


def from_row(school: str, row: Row) -> IndicatorValue:
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
        # Only a change the site may publish: a hidden one must not count among improved schools.
        if v.exact_change is not None and not v.suppressed and not v.change_hidden:
            change = v.exact_change.numerator
            signs[key] = (change > 0) - (change < 0)
    return SchoolPart(pairs, signs, values)


def stored(part: SchoolPart) -> SchoolPart:
    """The part as the cache keeps it: its values as rows, pickled per school, so that loading the
    cache unpickles none of them and a school's rows are unpickled only when asked for."""
    if isinstance(part.primary, bytes):
        return part
    rows = tuple((v.year, v.indicator, *part.pairs[(v.indicator, v.year)], _pair(v.exact), _pair(v.exact_change),
                  v.target, v.status, v.suppressed, v.change_hidden) for v in part.primary)
    return replace(part, primary=pickle.dumps(rows, pickle.HIGHEST_PROTOCOL))
