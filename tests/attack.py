"""An attacker with the whole published open data: which hidden figures can be recovered?

Independent of the generator's suppression code: it reads only the published rows of
indicators.csv and what an attacker could know besides (the indicators' definitions, which
schools are participants, which schools reported) plus the true figures to check against.

For each year and measure, the published totals are linear equations over the schools' values;
published school rows make some values known. A hidden value is recovered when

* its unit vector lies in the row space of the equations (exact rational Gaussian elimination), or
* bounds pin it: 0 ≤ numerator ≤ denominator, whole numbers, a hidden denominator ≥ 1, propagated
  through the equations and the eliminated rows until nothing tightens; or
* a derivable set of hidden cells is all-full (every hidden numerator equals its denominator).

Also checked: a published change needs both years published; `improved:*` counts only schools
whose change is published.
"""
from __future__ import annotations

import csv
import io
import math
from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import yaml


@dataclass
class Truth:
    """What the attacker may know besides the open data, and the figures to check recoveries against."""
    indicators: dict[str, tuple[str, str, str]]  # share indicator → (numerator, denominator, publish)
    figures: dict[tuple[int, str, str], Fraction]  # (year, school, measure) → value
    participants: dict[int, set[str]]
    min_group: int

    def members(self, year: int, code: str, scope: str) -> frozenset[str]:
        num, den, _ = self.indicators[code]
        schools = {s for (y, s, m) in self.figures if y == year and m == num and (y, s, den) in self.figures}
        if scope == "participants":
            schools &= self.participants.get(year, set())
        return frozenset(schools)


@dataclass
class Leak:
    year: int
    school: str
    what: str  # measure code, or "<indicator>:share" for an all-full set
    how: str  # algebra | bounds | all-full | change | improved
    value: Fraction | None = None

    def __str__(self) -> str:
        return f"{self.year} {self.school} {self.what}: {self.how} = {self.value}"


def truth_of(project: Path) -> Truth:
    """The truth of a project folder, read with csv and yaml only."""
    site = yaml.safe_load((project / "site.yml").read_text(encoding="utf-8")) or {}
    indicators = {}
    for item in yaml.safe_load((project / "indicators.yml").read_text(encoding="utf-8")) or []:
        if item.get("unit") == "%" and item.get("denominator"):
            indicators[item["code"]] = (item["numerator"], item["denominator"], item.get("publish", "school"))
    figures = {}
    for row in _rows(project / "results.csv"):
        if row.get("school") and (row.get("value") or "").strip():
            figures[(int(row["year"]), row["school"], row["measure"])] = Fraction(row["value"].replace(",", "."))
    participants: dict[int, set[str]] = defaultdict(set)
    for row in _rows(project / "statuses.csv"):
        if row["status"] in ("ШНОР", "ШНСУ"):
            participants[int(row["year"])].add(row["school"])
    return Truth(indicators, figures, dict(participants), int(site.get("min_group_size", 5)))


def _rows(path: Path) -> list[dict[str, str]]:
    text = path.read_text(encoding="utf-8-sig")
    dialect = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
    return list(csv.DictReader(io.StringIO(text), delimiter=dialect))


def read_published(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@dataclass
class _System:
    """One year's unknowns and equations over them (per measure)."""
    unknown: dict[tuple[str, str], tuple[Fraction, Fraction]] = field(default_factory=dict)  # var → bounds
    equations: list[tuple[dict[tuple[str, str], Fraction], Fraction]] = field(default_factory=list)
    links: list[tuple[tuple[str, str], tuple[str, str]]] = field(default_factory=list)  # numerator ≤ denominator


INF = Fraction(10**12)


def attack(records: list[dict[str, str]], truth: Truth) -> list[Leak]:
    """Every hidden figure the published `records` (rows of indicators.csv) give away."""
    leaks: list[Leak] = []
    published = {(int(r["year"]), r["scope"], r["school"], r["indicator"]): r for r in records}
    years = sorted({y for (y, _, _) in truth.figures})
    for year in years:
        leaks += _attack_year(year, published, truth)
    leaks += _changes(published)
    return leaks


def _attack_year(year: int, published: dict, truth: Truth) -> list[Leak]:
    known: dict[tuple[str, str], Fraction] = {}
    for (y, scope, school, code), row in published.items():
        if y != year or scope != "school" or code not in truth.indicators:
            continue
        num, den, _ = truth.indicators[code]
        if row["numerator"] != "":
            known[(school, num)] = Fraction(row["numerator"])
        if row["denominator"] != "":
            known[(school, den)] = Fraction(row["denominator"])
    system = _System()
    # Every reported value nobody published is unknown; a suppressed school row says its cohort is ≥ 1.
    for (y, school, measure), _ in truth.figures.items():
        if y == year and (school, measure) not in known:
            system.unknown[(school, measure)] = (Fraction(0), INF)
    for code, (num, den, _) in truth.indicators.items():
        for school in truth.members(year, code, "all"):
            row = published.get((year, "school", school, code))
            if row is not None and row["status"] == "suppressed" and (school, den) in system.unknown:
                system.unknown[(school, den)] = (Fraction(1), INF)
            system.links.append(((school, num), (school, den)))
    sets: list[tuple[str, frozenset[str], Fraction, Fraction]] = []  # (indicator, members, N, D)
    for code, (num, den, _) in truth.indicators.items():
        for scope in ("participants", "all"):
            row = published.get((year, scope, "", code))
            if row is None or row["numerator"] == "" or row["denominator"] == "":
                continue
            members = truth.members(year, code, scope)
            n_total, d_total = Fraction(row["numerator"]), Fraction(row["denominator"])
            sets.append((code, members, n_total, d_total))
            for measure, total in ((num, n_total), (den, d_total)):
                _equation(system, members, measure, total, known)
        # The municipality's own figures, where they are the sum over all schools, are one more total.
        own = published.get((year, "municipality", "", code))
        members = truth.members(year, code, "all")
        if own is not None and own["numerator"] != "" and own["denominator"] != "":
            sums = [sum(truth.figures[(year, s, m)] for s in members) for m in (num, den)]
            if sums == [Fraction(own["numerator"]), Fraction(own["denominator"])]:
                sets.append((code, members, sums[0], sums[1]))
                for measure, total in zip((num, den), sums):
                    _equation(system, members, measure, total, known)
    leaks = _algebra(year, system, truth)
    leaks += _bounds(year, system, truth, {(l.school, l.what) for l in leaks})
    leaks += _all_full(year, sets, known, truth)
    return leaks


def _equation(system: _System, members: frozenset[str], measure: str, total: Fraction,
              known: dict[tuple[str, str], Fraction]) -> None:
    coefficients = {}
    for school in members:
        var = (school, measure)
        if var in known:
            total -= known[var]
        else:
            coefficients[var] = Fraction(1)
    system.equations.append((coefficients, total))


def _algebra(year: int, system: _System, truth: Truth) -> list[Leak]:
    """Reduced row echelon form of each measure's equations (they share no variable with another
    measure's); a row with one variable is a recovered value. The reduced rows join the equations
    that bounds propagate through."""
    by_measure: dict[str, list] = defaultdict(list)
    for eq, rhs in system.equations:
        if eq:
            by_measure[next(iter(eq))[1]].append((eq, rhs))
    leaks = []
    for measure, equations in sorted(by_measure.items()):
        variables = sorted({v for eq, _ in equations for v in eq})
        position = {v: i for i, v in enumerate(variables)}
        rows = []
        for eq, rhs in equations:
            row = [Fraction(0)] * (len(variables) + 1)
            for v, a in eq.items():
                row[position[v]] = a
            row[-1] = rhs
            rows.append(row)
        reduced = _rref(rows, len(variables))
        system.equations += [({variables[i]: a for i, a in enumerate(r[:-1]) if a}, r[-1]) for r in reduced]
        for r in reduced:
            support = [i for i, a in enumerate(r[:-1]) if a]
            if len(support) == 1:
                school, _ = variables[support[0]]
                value = r[-1] / r[support[0]]
                assert value == truth.figures[(year, school, measure)], "the equations disagree with the data"
                leaks.append(Leak(year, school, measure, "algebra", value))
    return leaks


def _rref(rows: list[list[Fraction]], width: int) -> list[list[Fraction]]:
    rows = [r[:] for r in rows]
    pivot_row = 0
    for col in range(width):
        pivot = next((i for i in range(pivot_row, len(rows)) if rows[i][col]), None)
        if pivot is None:
            continue
        rows[pivot_row], rows[pivot] = rows[pivot], rows[pivot_row]
        p = rows[pivot_row][col]
        rows[pivot_row] = [a / p for a in rows[pivot_row]]
        for i in range(len(rows)):
            if i != pivot_row and rows[i][col]:
                f = rows[i][col]
                rows[i] = [a - f * b for a, b in zip(rows[i], rows[pivot_row])]
        pivot_row += 1
    return [r for r in rows[:pivot_row]]


def _bounds(year: int, system: _System, truth: Truth, found: set[tuple[str, str]]) -> list[Leak]:
    """Interval propagation through every equation and numerator ≤ denominator, whole numbers."""
    bounds = dict(system.unknown)
    constrained = {v for eq, _ in system.equations for v in eq}
    for _ in range(60):
        changed = False
        for eq, rhs in system.equations:
            # The sums over all terms once; each variable's own term is taken back out.
            terms = {v: (min(a * bounds[v][0], a * bounds[v][1]), max(a * bounds[v][0], a * bounds[v][1]))
                     for v, a in eq.items()}
            lo_all = sum(t[0] for t in terms.values())
            hi_all = sum(t[1] for t in terms.values())
            for v, a in eq.items():
                lo_rest, hi_rest = lo_all - terms[v][0], hi_all - terms[v][1]
                low, high = (rhs - hi_rest) / a, (rhs - lo_rest) / a
                if a < 0:
                    low, high = high, low
                changed |= _tighten(bounds, v, low, high)
        for n, d in system.links:
            if n in bounds and d in bounds:
                changed |= _tighten(bounds, n, Fraction(0), bounds[d][1])
                changed |= _tighten(bounds, d, bounds[n][0], INF)
        if not changed:
            break
    leaks = []
    for var, (lo, hi) in sorted(bounds.items()):
        if lo == hi and var in constrained and var not in found:
            school, measure = var
            assert lo == truth.figures[(year, school, measure)], "the bounds disagree with the data"
            leaks.append(Leak(year, school, measure, "bounds", lo))
    return leaks


def _tighten(bounds: dict, v, low: Fraction, high: Fraction) -> bool:
    lo, hi = bounds[v]
    new_lo = max(lo, Fraction(math.ceil(low)) if low > -INF else lo)
    new_hi = min(hi, Fraction(math.floor(high)) if high < INF else hi)
    if (new_lo, new_hi) != (lo, hi):
        bounds[v] = (new_lo, new_hi)
        return True
    return False


def _all_full(year: int, sets: list, known: dict, truth: Truth) -> list[Leak]:
    """A derivable set of hidden cells whose numerators add up to their denominators: all 100 %."""
    candidates = list(sets)
    for code, outer, n_out, d_out in sets:  # a nested pair gives the difference too (all − participants)
        for code2, inner, n_in, d_in in sets:
            if code2 == code and inner < outer:
                candidates.append((code, outer - inner, n_out - n_in, d_out - d_in))
    leaks = []
    for code, members, n_total, d_total in candidates:
        num, den, _ = truth.indicators[code]
        hidden = [s for s in members if (s, num) not in known]
        if not hidden or any((s, den) not in known for s in members if (s, num) in known):
            continue
        n_hidden = n_total - sum(known[(s, num)] for s in members if (s, num) in known)
        d_hidden = d_total - sum(known[(s, den)] for s in members if (s, num) in known)
        if n_hidden == d_hidden:
            leaks += [Leak(year, s, f"{code}:share", "all-full", Fraction(100)) for s in hidden]
    return leaks


def _changes(published: dict) -> list[Leak]:
    """A published change beside a hidden value of either year gives the hidden one away."""
    leaks = []
    for (year, scope, school, code), row in published.items():
        if row["change"] == "":
            continue
        before = published.get((year - 1, scope, school, code))
        if row["value"] == "" or before is None or before["value"] == "":
            leaks.append(Leak(year, school or scope, code, "change", Fraction(row["change"])))
    return leaks


def improved_leaks(programme: list, records: list[dict[str, str]], truth: Truth,
                   better: dict[str, str]) -> list[Leak]:
    """`improved:*` must count only participants whose change the site publishes."""
    published = {(int(r["year"]), r["school"], r["indicator"]): r for r in records if r["scope"] == "school"}
    leaks = []
    for v in programme:
        if not v.indicator.startswith("improved:") or v.count is None:
            continue
        code = v.indicator.split(":", 1)[1]
        sign = 1 if better[code] == "higher" else -1
        if truth.indicators[code][2] != "school":
            continue  # no school changes are published: the count is a group figure of large cohorts
        shown = [r for s in truth.participants.get(v.year, ())
                 if (r := published.get((v.year, s, code))) is not None and r["change"] != ""]
        # A change rounded to 0,0 may be a small rise: it may count either way.
        surely = sum(1 for r in shown if sign * Fraction(r["change"]) > 0)
        maybe = sum(1 for r in shown if sign * Fraction(r["change"]) >= 0)
        if v.total != len(shown) or not surely <= v.count <= maybe:
            leaks.append(Leak(v.year, "participants", v.indicator, "improved", Fraction(v.count)))
    return leaks


def hidden_counts(records: list[dict[str, str]], truth: Truth) -> tuple[int, int, int]:
    """(school cells hidden as small groups, school cells hidden to protect them, hidden group totals)."""
    small = other = totals = 0
    for r in records:
        if r["status"] != "suppressed" or r["indicator"] not in truth.indicators:
            continue
        if r["scope"] != "school":
            totals += 1
            continue
        d = truth.figures.get((int(r["year"]), r["school"], truth.indicators[r["indicator"]][1]))
        if d is not None and 0 < d < truth.min_group:
            small += 1
        else:
            other += 1
    return small, other, totals


def main(argv: list[str] | None = None) -> int:
    """Build a project without MkDocs through the CLI and attack its indicators.csv."""
    import argparse
    import subprocess
    import sys
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("project", type=Path)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "generator", "build", "--no-mkdocs", "--project", str(args.project),
                        "--out", f"{tmp}/site"], check=True, stdout=subprocess.DEVNULL,
                       cwd=Path(__file__).resolve().parent.parent)
        published = next(Path(tmp).rglob("indicators.csv"))
        records = read_published(published.read_text(encoding="utf-8"))
    truth = truth_of(args.project)
    leaks = attack(records, truth)
    small, other, totals = hidden_counts(records, truth)
    print(f"hidden: {small} small-group cells, {other} partner cells, {totals} group totals; "
          f"recovered: {len(leaks)}")
    for leak in leaks[:20]:
        print(" ", leak)
    return 1 if leaks else 0


if __name__ == "__main__":
    raise SystemExit(main())
