"""Programme-level indicators computed from statuses, mentorships and school values."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from generator.compute.indicators import NO_DATA, IndicatorValue, judge
from generator.compute.computed import Computed
from generator.model import Dataset, Target
from generator.numbers import round_half_up, share

# Which direction is better for each programme-level quantity (used when a target has no explicit rule).
BETTER = {
    "participants": "lower",
    "participants_reduction": "higher",
    "repeat_participants": "lower",
    "mentor_agreements": "higher",
    "agreements": "higher",
    "improved": "higher",
}
UNITS = {"participants": "школ", "participants_reduction": "%", "repeat_participants": "школ",
         "mentor_agreements": "%", "agreements": "договоров", "improved": "%"}


@dataclass(frozen=True)
class ProgrammeValue:
    year: int
    indicator: str  # participants | participants_reduction | … | improved:<code>
    exact: Fraction | None
    target: Decimal | None
    status: str
    count: int | None = None  # the numerator behind a share, e.g. improved schools
    members: tuple[str, ...] = ()  # school codes behind a count (repeat participants, improved schools)
    total: int | None = None  # the schools a share is over (improved:*: participants with a published change)
    over: tuple[str, ...] = ()  # those schools (improved:*)

    @property
    def value(self) -> Decimal | None:
        if self.exact is None:
            return None
        return Decimal(self.exact.numerator) if self.exact.denominator == 1 else round_half_up(self.exact, 1)

    suppressed = False  # programme values count schools, never pupils: nothing to hide

    @property
    def base(self) -> str:
        return self.indicator.split(":", 1)[0]


def programme_target(dataset: Dataset, code: str) -> Target:
    """site.yml's programme_targets first (exact code, then 'improved' for improved:*), then programme plans."""
    targets = dataset.site.programme_targets
    if code in targets:
        return targets[code]
    base = code.split(":", 1)[0]
    if base == "improved" and "improved" in targets:
        return targets["improved"]
    plans: dict[int, Decimal] = {}
    for programme in sorted(dataset.programmes, key=lambda p: p.code):
        for t in programme.targets:
            if t.scope == "programme" and t.indicator == code:
                for year, value in t.plan.items():
                    plans.setdefault(year, value)
    return Target(None, plans)


def compute_programme(dataset: Dataset, values: list[IndicatorValue] | Computed) -> list[ProgrammeValue]:
    years = dataset.years
    first = years[0] if years else None
    participants = {y: dataset.participants(y) for y in years}
    signed: dict[int, set[str]] = {}
    unstated: dict[int, set[str]] = {}  # mentees with a pair whose agreement the data does not state
    paired: dict[int, set[str]] = {}
    agreements: dict[int, set[str]] = {}  # distinct agreement numbers of the year
    for m in dataset.mentorships:
        paired.setdefault(m.year, set()).add(m.mentee)
        if m.signed:
            signed.setdefault(m.year, set()).add(m.mentee)
            agreements.setdefault(m.year, set()).add(m.agreement.strip())
        elif not m.agreement_known:
            unstated.setdefault(m.year, set()).add(m.mentee)
    # A participant is unknown unless a signed agreement settles it or all its pairs say «нет»; one
    # without any pair is unknown too (no row is not «no agreement»).
    unknown = {y: participants[y] - (signed.get(y, set()) | (paired.get(y, set()) - unstated.get(y, set())))
               for y in years}
    if isinstance(values, Computed):  # the build: signs of the changes, no value objects
        change = values.change_sign
    else:
        # Only published changes: a hidden one (small group) must not show which way it went.
        change_of = {(v.indicator, v.school, v.year): v.exact_change if v.change is not None else None
                     for v in values if v.scope == "school"}

        def change(indicator: str, school: str, year: int):
            return change_of.get((indicator, school, year))
    out: list[ProgrammeValue] = []

    def add(year: int, code: str, exact: Fraction | None, count: int | None = None, members=(),
            total: int | None = None, over=()) -> None:
        base = code.split(":", 1)[0]
        target, status = judge(exact, None, programme_target(dataset, code), year, BETTER[base])
        out.append(ProgrammeValue(year, code, exact, target, status, count, tuple(sorted(members)), total,
                                   tuple(sorted(over))))

    for year in years:
        current = participants[year]
        previous = participants.get(year - 1) if year != first else None
        add(year, "participants", Fraction(len(current)), len(current), current)
        if previous is None or not previous:
            add(year, "participants_reduction", None)
            add(year, "repeat_participants", None)
        else:
            add(year, "participants_reduction", share(len(previous) - len(current), len(previous)))
            repeats = current & previous
            add(year, "repeat_participants", Fraction(len(repeats)), len(repeats), repeats)
        covered = current & signed.get(year, set())
        if current and not unknown[year]:
            add(year, "mentor_agreements", share(len(covered), len(current)), len(covered), covered, len(current))
        else:
            # Unknown is not «not signed»: with any participant unstated there is no share to show.
            add(year, "mentor_agreements", None, len(covered), covered, len(current) - len(unknown[year]))
        # The number of agreements signed in the year («не менее 5 договоров в год»); a count that only
        # grows with what the data states, so it is shown also when some pairs are unstated.
        count = len(agreements.get(year, set()))
        add(year, "agreements", Fraction(count) if count or (current and not unknown[year]) else None, count)
        for indicator in dataset.indicators:
            if indicator.kind not in ("share", "mean") or not indicator.better:  # a change to improve
                continue
            code = f"improved:{indicator.code}"
            # Over the participants whose change is published: a hidden change (a small group, or
            # one hidden to protect it) is counted neither way, or the count would reveal its sign.
            changes = {s: c for s in current if (c := change(indicator.code, s, year)) is not None}
            if year == first or not changes:
                add(year, code, None, total=None if year == first else 0)
                continue
            sign = 1 if indicator.better == "higher" else -1
            better = {s for s, c in changes.items() if sign * c > 0}
            add(year, code, share(len(better), len(changes)), len(better), better, len(changes), changes)
    return out


def latest(values: list[ProgrammeValue], year: int) -> dict[str, ProgrammeValue]:
    return {v.indicator: v for v in values if v.year == year}


__all__ = ["ProgrammeValue", "compute_programme", "programme_target", "latest", "NO_DATA", "UNITS"]
