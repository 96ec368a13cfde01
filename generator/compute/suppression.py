"""Secondary suppression: no figure about fewer than `min_group_size` pupils can be recovered from
everything the site publishes, by subtraction or by bounds. Pure.

The model an attacker has (and tests/attack.py plays): for one year and one measure (a column
of results.csv, e.g. `oge_math_participants`), every published group total is a linear equation
over the schools' values of that measure; a school's value is known when any indicator publishes
it. The schools fall into *atoms*: schools that belong to exactly the same published totals.
Every derivable sum is a sum of whole atoms, so it is enough that in every atom the unknown values

* are none, or at least two (one alone is the atom's total minus the known ones);
* add up to at least `min_group` pupils where the measure is a denominator (their total is itself
  a figure about that many pupils), and not all of them are 1;
* where a small group is among them, are not all-zero and not all-full (0 of 7, 7 of 7 would say
  what every hidden pupil got).

Where an atom breaks a rule, the published member that costs least (the smallest denominator,
then the school code) is hidden as well; if the atom has no published member, the smallest
published total containing it is hidden. This repeats until no atom breaks a rule. A school
hidden in one year also hides its change in the next, and the municipality's own figures are
hidden with the all-schools total when they are the same numbers.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

from generator.model import Indicator
from generator.compute.indicators import SUPPRESSED, IndicatorValue
from generator.compute.school_parts import SchoolPart

Figures = tuple[object, object]  # (numerator, denominator) of one school's cell


@dataclass
class _Row:
    """A published group total: one equation per measure of its indicator."""
    index: int  # position in `groups`
    code: str
    members: frozenset[str]


@dataclass
class _Year:
    """One year's cells, published totals and hidden cells; `protect` settles it to a fixpoint."""
    cells: dict[str, dict[str, Figures]]  # indicator → school → (numerator, denominator), both present
    loose: dict[str, dict[str, Figures]]  # indicator → school → figures with one measure missing
    hidden: dict[str, set[str]]  # indicator → schools whose cell is not published
    primary: dict[str, set[str]]  # indicator → schools whose cell is a small group
    rows: list[_Row]


def protect(groups: list[IndicatorValue], reported: dict[tuple[str, int], list[tuple[str, object, object]]],
            parts: dict[str, SchoolPart], participants: dict[int, frozenset[str]], indicators: tuple[Indicator, ...],
            min_group: int) -> tuple[list[IndicatorValue], dict[str, dict[tuple[str, int], tuple[bool, bool]]]]:
    """Secondary suppression for share indicators: (the groups, flags on school values).

    `reported`: (indicator, year) → [(school, numerator, denominator)] of the schools with a row
    then. Flags: school → (indicator, year) → (hidden by secondary suppression, change hidden).
    """
    groups = list(groups)
    index = {(v.indicator, v.scope, v.year): i for i, v in enumerate(groups)}
    shares = [i for i in indicators if i.protected and i.publish != "none"]
    by_code = {i.code: i for i in shares}
    victims: dict[str, set[tuple[str, int]]] = defaultdict(set)
    for year in sorted({v.year for v in groups}):
        state = _year_state(groups, index, reported, participants.get(year, frozenset()), shares, year, min_group)
        _settle(state, groups, by_code, min_group)
        for code, schools in state.hidden.items():
            if by_code[code].publish == "school":
                for school in schools - state.primary[code]:
                    victims[school].add((code, year))
        _hide_municipality(groups, index, year, shares)
    # A change against a hidden previous year would reveal it too.
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


def _year_state(groups: list[IndicatorValue], index: dict, reported: dict, participants: frozenset[str],
                shares: list[Indicator], year: int, min_group: int) -> _Year:
    cells, loose, hidden, primary, rows = {}, {}, {}, {}, []
    for indicator in shares:
        code = indicator.code
        both, partial = {}, {}
        for school, n, d in reported.get((code, year), ()):
            if indicator.kind == "children":  # a count of children is its own size: (n, n)
                if n is not None:
                    both[school] = (n, n)
                continue
            (both if n is not None and d is not None else partial)[school] = (n, d)
        cells[code], loose[code] = both, partial
        small = {s for s, (_, d) in both.items() if d is not None and 0 < d < min_group}
        primary[code] = small
        # Cells of an aggregate-only indicator are never published: all of them are unknown.
        hidden[code] = set(both) if indicator.publish == "aggregate" else set(small)
        for scope in ("participants", "all"):
            gi = index.get((code, scope, year))
            if gi is None or not _published(groups[gi], indicator):
                continue
            members = frozenset(s for s in both if scope == "all" or s in participants)
            rows.append(_Row(gi, code, members))
    return _Year(cells, loose, hidden, primary, rows)


def _published(group: IndicatorValue, indicator: Indicator) -> bool:
    sized = group.denominator is not None or indicator.kind == "children"
    return not group.suppressed and group.numerator is not None and sized


def _settle(state: _Year, groups: list[IndicatorValue], by_code: dict[str, Indicator], min_group: int) -> None:
    """Hide cells and totals until no atom of any measure breaks a rule (see the module's text)."""
    # measure → [(indicator, "numerator" | "denominator")] of the indicators using it
    uses: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for code, indicator in by_code.items():
        if indicator.kind == "children":  # one measure, which is the size and the value
            uses[indicator.numerator].append((code, "count"))
            continue
        uses[indicator.numerator].append((code, "mean points" if indicator.kind == "mean" else "numerator"))
        uses[indicator.denominator].append((code, "denominator"))
    dirty = set(uses)
    while dirty:
        known = _known(state, by_code, min_group)
        changed: set[str] = set()
        for measure in sorted(dirty):
            users = {code for code, _ in uses[measure]}
            rows = [row for row in state.rows if row.code in users]
            for atom in _atoms(rows):
                unknown = sorted(s for s in atom if (s, measure) not in known)
                if not unknown:
                    continue
                fault = _fault(unknown, measure, uses[measure], state, min_group)
                if fault is None:
                    continue
                changed |= _mend(fault, atom, measure, uses[measure], known, rows, state, groups, by_code)
        dirty = {m for code in changed for m in (by_code[code].numerator, by_code[code].denominator) if m}


def _known(state: _Year, by_code: dict[str, Indicator], min_group: int) -> set[tuple[str, str]]:
    """(school, measure) whose value some published cell shows."""
    known: set[tuple[str, str]] = set()
    for code, indicator in by_code.items():
        if indicator.publish != "school":
            continue
        hidden = state.hidden[code]
        for school in state.cells[code]:
            if school not in hidden:
                known.add((school, indicator.numerator))
                known.add((school, indicator.denominator))
        for school, (n, d) in state.loose[code].items():
            if d is not None and 0 < d < min_group:
                continue  # a small group's figures are hidden even without the other measure
            if n is not None and indicator.kind != "mean":  # a mean without its size is not shown
                known.add((school, indicator.numerator))
            if d is not None:
                known.add((school, indicator.denominator))
    return known


def _atoms(rows: list[_Row]) -> list[list[str]]:
    """The schools grouped by the published totals they belong to (their signature)."""
    signature: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        for school in row.members:
            signature[school].append(i)
    atoms: dict[tuple[int, ...], list[str]] = defaultdict(list)
    for school, sig in signature.items():
        atoms[tuple(sig)].append(school)
    return [sorted(a) for _, a in sorted(atoms.items())]


@dataclass(frozen=True)
class _Fault:
    kind: str  # single | small_total | all_ones | all_zero | all_full | bounded
    code: str  # the indicator whose figures show it


def _fault(unknown: list[str], measure: str, uses: list[tuple[str, str]], state: _Year,
           min_group: int) -> _Fault | None:
    if len(unknown) == 1:
        return _Fault("single", uses[0][0])
    for code, role in uses:
        cells = state.cells[code]
        figures = [cells[s] for s in unknown if s in cells]
        if not figures:
            continue
        total_n = sum(n for n, _ in figures)
        total_d = sum(d for _, d in figures)
        has_small = any(0 < d < min_group for _, d in figures)
        if role == "count":
            # A count of children: a small one is shown «менее N» (so it is 1 … N−1), any other hidden
            # one «скрыто» (so it is at least N). Their derivable sum pins every cell down exactly when
            # it is the least it can be (small ones 1, others N) or, with no other, the most (N−1).
            small = sum(1 for s in unknown if s in cells and s in state.primary[code])
            others = len(figures) - small
            if 0 < total_d < min_group:
                return _Fault("small_total", code)
            if small and (total_d == small + others * min_group
                          or (not others and total_d == small * (min_group - 1))):
                return _Fault("bounded", code)
        elif role == "denominator":
            if 0 < total_d < min_group:
                return _Fault("small_total", code)
            if has_small and total_d == len(figures):
                return _Fault("all_ones", code)
        elif has_small and total_n == 0:
            return _Fault("all_zero", code)
        elif role == "mean points":
            continue  # a mean of 1 point says nothing like «all passed»
        elif has_small and total_n == total_d:
            return _Fault("all_full", code)
    return None


def _mend(fault: _Fault, atom: list[str], measure: str, uses: list[tuple[str, str]], known: set[tuple[str, str]],
          rows: list[_Row], state: _Year, groups: list[IndicatorValue], by_code: dict[str, Indicator]) -> set[str]:
    """Hide one more published cell of the atom, or else the smallest total containing it.
    Returns the indicators whose hidden cells or totals changed."""
    cells = state.cells[fault.code]

    def usable(school: str) -> bool:
        n, d = cells.get(school, (None, 0))
        if not d:
            return False  # hiding 0 of 0 adds nothing to hide behind
        return {"all_zero": n > 0, "all_full": n < d}.get(fault.kind, True)

    candidates = [s for s in atom if (s, measure) in known and usable(s)]
    if candidates:
        school = min(candidates, key=lambda s: (cells[s][1], s))
        touched = set()
        for code, _ in uses:
            if school in state.cells[code] and school not in state.hidden[code] and by_code[code].publish == "school":
                state.hidden[code].add(school)
                touched.add(code)
        return touched
    members = set(atom)
    containing = [row for row in rows if members <= row.members]
    row = min(containing, key=lambda r: (len(r.members), r.code, groups[r.index].scope))
    groups[row.index] = replace(groups[row.index], suppressed=True, secondary=True, status=SUPPRESSED)
    state.rows.remove(row)
    return {row.code}


def _hide_municipality(groups: list[IndicatorValue], index: dict, year: int, shares: list[Indicator]) -> None:
    """The municipality's own figures, where they equal a hidden all-schools total, would reveal it."""
    for indicator in shares:
        everyone = index.get((indicator.code, "all", year))
        own = index.get((indicator.code, "municipality", year))
        if everyone is None or own is None or not groups[everyone].suppressed:
            continue
        a, m = groups[everyone], groups[own]
        if not m.suppressed and (a.numerator, a.denominator) == (m.numerator, m.denominator):
            groups[own] = replace(m, suppressed=True, secondary=True, status=SUPPRESSED)


def flagged(v: IndicatorValue, flag: tuple[bool, bool] | None) -> IndicatorValue:
    """`flag`: (hidden by secondary suppression, change hidden) from `protect`."""
    if flag is None:
        return v
    secondary, change_hidden = flag
    if secondary:
        v = replace(v, suppressed=True, secondary=True, status=SUPPRESSED)
    return replace(v, change_hidden=True) if change_hidden and not v.change_hidden else v
