"""SiteData: the indexes over the model and the computed values that templates read, built once
per build, and the rule of what a school's bundle may read while its files are rendered.

One concern, one class: every template receives it as `sd`, and splitting it would split the
templates' vocabulary. Every lookup is O(1) or O(size of the answer) (no scan of all schools per school).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from generator.errors import BuildFailed
from generator.model import (AUDIENCES, STATUS_MENTOR, Dataset, Programme, ProgrammeTarget, Recommendation, Roadmap,
                             School, Target)
from generator.compute.indicators import IndicatorValue, judge
from generator.compute.computed import Computed
from generator.compute.openness import obligations, section_dates
from generator.compute.programme import BETTER, UNITS, ProgrammeValue
from generator.compute.similar_site import SiteSimilar, site_similar
from generator.compute.roadmap_status import LATE, ON_TIME, PENDING, ItemState, judge_roadmap, progress
from generator.render.verdicts import status_of
from generator.render.vocabulary import programme_title


@dataclass(frozen=True)
class AggregateView:
    """What a school's bundle may show of a «все школы района» value: the fields its key covers
    (`published_view`). Reading any other field fails the build instead of going stale."""
    year: int
    value: object
    suppressed: bool
    target: object
    secondary: bool
    numerator: object = None  # as published, and only for a share of schools («3 из 4 школ»): a pupil
    denominator: object = None  # count in the key would re-render every school when any school changes

    change = None  # a school page shows the district's value, not its change


def published_view(v: IndicatorValue | AggregateView, counts: bool = False) -> tuple:
    """The fields of an aggregate value a school's bundle may show: what its key hashes
    (build/bundles.py) and all that `AggregateView` hands out. `counts`: the indicator is a share of
    schools, shown with its numerator and denominator."""
    shown = (str(_published(v, "numerator")), str(_published(v, "denominator"))) if counts else ()
    return (v.year, str(v.value), v.suppressed, str(v.target), v.secondary, *shown)


def _published(v: IndicatorValue | AggregateView, name: str) -> object:
    return getattr(v, f"published_{name}") if isinstance(v, IndicatorValue) else getattr(v, name)


def _main_scope(code: str, by_key: dict) -> str:
    def reported(scope: str) -> bool:
        return any(v.exact is not None or v.suppressed for v in by_key.get((code, scope, ""), {}).values())
    if reported("all") or reported("participants") or not reported("municipality"):
        return "participants"
    return "municipality"


class SiteData:
    """Indexes over the computed values that the templates need; built once per build."""

    def __init__(self, dataset: Dataset, values: list[IndicatorValue] | Computed, programme: list[ProgrammeValue],
                 similar: SiteSimilar | None | bool = False, known_statuses: dict[str, list[str]] | None = None):
        """`similar`: the groups of similar schools as the build keyed them; False: found here.
        `known_statuses`: school → `school_statuses` in the current year, for schools whose bundle
        the build reuses (their key covers their values, build/site.py), so that the lists do not
        compute every school's values on a warm build."""
        self.ds = dataset
        self._known_statuses = known_statuses or {}
        self.site = dataset.site
        self.year = dataset.site.current_year
        self.years = dataset.years
        self.as_of: date | None = dataset.site.as_of
        self.indicators = {i.code: i for i in dataset.indicators}
        self.schools = {s.code: s for s in dataset.schools}
        self.visible = [i for i in dataset.indicators if i.publish != "none"]
        self.school_level = [i for i in dataset.indicators if i.publish == "school"]
        self._school_level_codes = frozenset(i.code for i in self.school_level)
        self._by_key: dict[tuple[str, str, str], dict[int, IndicatorValue]] = defaultdict(dict)
        # A school's values are indexed when a page first asks for them (Computed computes or
        # loads them then): a rebuild reads only the schools whose pages it renders.
        self._computed = values if isinstance(values, Computed) else None
        self._indexed: set[str] = set()
        self._similar = similar
        for v in values.groups if isinstance(values, Computed) else values:
            self._by_key[(v.indicator, v.scope, v.school)][v.year] = v
        # Whose value an indicator is judged by: the participants' where schools report it, else the
        # municipality's own (a criterion about the municipality as a whole: «доля ШНОР с …»).
        self.main_scope = {i.code: _main_scope(i.code, self._by_key) for i in dataset.indicators}
        self.municipal_codes = frozenset(i.code for i in dataset.indicators
                                         if self._by_key.get((i.code, "municipality", "")))
        self._programme_by_year: dict[int, dict[str, ProgrammeValue]] = defaultdict(dict)
        for p in programme:
            self._programme_by_year[p.year][p.indicator] = p
        self.statuses = {code: dataset.statuses_of(code) for code in self.schools}
        self.pairs_by_year: dict[int, list] = defaultdict(list)
        # Per-school indexes, built once: a lookup per school page must not scan every school.
        self._mentors: dict[tuple[str, int], list] = defaultdict(list)
        self._mentees: dict[tuple[str, int], list] = defaultdict(list)
        self._agreement_dates: dict[str, list[date]] = defaultdict(list)
        for m in dataset.mentorships:
            self.pairs_by_year[m.year].append(m)
            self._mentors[(m.mentee, m.year)].append(m)
            self._mentees[(m.mentor, m.year)].append(m)
            for code in {m.mentor, m.mentee}:
                self._agreement_dates[code].append(m.agreement_date)
        self._news_by_school: dict[str, list] = defaultdict(list)
        for n in reversed(dataset.news):
            for code in dict.fromkeys(n.schools):
                self._news_by_school[code].append(n)
        self._practices_by_school: dict[str, list] = defaultdict(list)
        for p in dataset.practices:
            for code in dict.fromkeys((p.school, *p.schools)):
                self._practices_by_school[code].append(p)
        self.roadmap_states = {r.code: judge_roadmap(r, self.as_of or date(self.year, 12, 31)) for r in dataset.roadmaps}
        self.school_roadmaps = {r.school: r for r in dataset.roadmaps if r.school}
        self.roadmaps = {r.code: r for r in dataset.roadmaps}
        self.documents = {d.code: d for d in dataset.documents}
        self.practices = {p.slug: p for p in dataset.practices}
        self.news = {n.slug: n for n in dataset.news}
        self.section_dates = section_dates(dataset)
        self.obligations = obligations(dataset)
        self.municipal_roadmaps = [r for r in dataset.roadmaps if not r.school]
        # The first year of the programmes: years before it are shown «до начала программы».
        self.programme_start = min((p.period_start for p in dataset.programmes), default=None)
        self.participants_ever = sorted({s.school for s in dataset.statuses if s.status != STATUS_MENTOR})
        self.mentors_ever = sorted({s.school for s in dataset.statuses if s.status == STATUS_MENTOR}
                                   | {m.mentor for m in dataset.mentorships})

    # --- school bundles (generator/build/bundles.py): what a school's files may read ---------------

    _bundle: str | None = None

    @contextmanager
    def bundle(self, code: str) -> Iterator[None]:
        """While a school's own files are rendered, values are limited to what its bundle key
        covers: the school's own series and the published fields of «все школы района»."""
        self._bundle = code
        try:
            yield
        finally:
            self._bundle = None

    def _outside_bundle(self, what: str) -> None:
        if self._bundle is not None:
            raise BuildFailed(f"внутренняя ошибка: файлы школы {self._bundle} читают {what}, а ключ её "
                              "пакета (generator/build/bundles.py) это не учитывает")

    def series(self, indicator: str, scope: str, school: str = "") -> dict[int, IndicatorValue]:
        if self._bundle is not None and not (scope == "school" and school == self._bundle):
            if scope != "all" or indicator not in self._school_level_codes:
                self._outside_bundle(f"ряд {indicator}/{scope}/{school}")
            counts = self.indicators[indicator].kind == "share_of"
            return {y: AggregateView(v.year, v.value, v.suppressed, v.target, v.secondary,
                                     *((v.published_numerator, v.published_denominator) if counts else ()))
                    for y, v in self._by_key.get((indicator, scope, school), {}).items()}
        if scope == "school" and self._computed is not None and school not in self._indexed:
            self._indexed.add(school)
            if school in self.schools:
                for v in self._computed.school(school):
                    self._by_key[(v.indicator, v.scope, v.school)][v.year] = v
        return self._by_key.get((indicator, scope, school), {})

    @property
    def programme_by_year(self) -> dict[int, dict[str, ProgrammeValue]]:
        self._outside_bundle("показатели программы")
        return self._programme_by_year

    def recommendations_for(self, audiences: tuple[str, ...]) -> list[tuple[Programme, Recommendation]]:
        """(programme, recommendation) to any of `audiences`, in the order of AUDIENCES, then programmes."""
        order = list(AUDIENCES)
        found = [(p, r) for p in self.ds.programmes for r in p.recommendations if r.audience in audiences]
        return sorted(found, key=lambda pr: order.index(pr[1].audience))

    def school_in_year(self, code: str, year: int) -> tuple[str, ...]:
        return self.statuses.get(code, {}).get(year, ())

    def mentors_of(self, code: str, year: int) -> list:
        return list(self._mentors.get((code, year), ()))

    def mentees_of(self, code: str, year: int) -> list:
        return list(self._mentees.get((code, year), ()))

    def progress(self, roadmap: Roadmap):
        return progress(self.roadmap_states[roadmap.code])

    def sections(self, roadmap: Roadmap) -> list[tuple[object, list[ItemState]]]:
        states = {id(s.item): s for s in self.roadmap_states[roadmap.code]}
        return [(section, [states[id(i)] for i in section.items]) for section in roadmap.sections]

    # --- information openness: news, practices, documents, cross-links, dates -------------------

    def news_for_school(self, code: str) -> list:
        return list(self._news_by_school.get(code, ()))

    def news_for_item(self, roadmap: Roadmap, number: str) -> list:
        ref = f"{roadmap.code}:{number}"
        return [n for n in reversed(self.ds.news) if ref in n.roadmap_items]

    def practices_by_school(self, code: str) -> list:
        return list(self._practices_by_school.get(code, ()))

    def news_for_practice(self, slug: str) -> list:
        return [n for n in reversed(self.ds.news) if slug in n.practices]

    def item_ref(self, ref: str):
        """(roadmap, item) for 'code:number'."""
        code, _, number = ref.partition(":")
        roadmap = self.roadmaps[code]
        return roadmap, next(i for i in roadmap.items if i.number == number)

    def report_of(self, slug: str):
        return next((n for n in self.ds.news if n.kind == "отчёт" and n.report_for == slug), None)

    def public_news(self) -> list:
        """Newest first. Past announcements without a report stay listed as announcements."""
        return list(reversed(self.ds.news))

    def history(self, roadmap: Roadmap) -> list[tuple]:
        """(date, item, report) newest first: what changed when."""
        rows = [(r.date, item, r) for item in roadmap.items for r in item.reports
                if self.as_of is None or r.date <= self.as_of]
        return sorted(rows, key=lambda row: (row[0], row[1].number), reverse=True)

    def progress_by_year(self, roadmap: Roadmap) -> list[tuple[int, int, int, int]]:
        """(year, deadlines passed that year, of them done on time, done late) as of the data's date: a
        deadline counts in the year it falls in, 31 December included."""
        counts: dict[int, list[int]] = {}
        for st in self.roadmap_states[roadmap.code]:
            for o in st.occurrences:
                if o.state == PENDING:
                    continue
                row = counts.setdefault(o.occurrence.due.year, [0, 0, 0])
                row[0] += 1
                row[1] += o.state == ON_TIME
                row[2] += o.state == LATE
        return [(year, *counts[year]) for year in sorted(counts)]

    def updated(self, *dates) -> date | None:
        """'Last updated' of a page: the latest dated fact it shows, else the data's date."""
        found = [d for d in dates if d is not None and (self.as_of is None or d <= self.as_of)]
        return max(found) if found else self.as_of

    def school_updated(self, code: str) -> date | None:
        dates = list(self._agreement_dates.get(code, ()))
        roadmap = self.school_roadmaps.get(code)
        if roadmap:
            dates += [r.date for i in roadmap.items for r in i.reports]
        dates += [n.date for n in self.news_for_school(code)] + [p.date for p in self.practices_by_school(code)]
        return self.updated(self.as_of if code in self.ds.participants(self.year) else None, *dates)

    @property
    def similar_site(self) -> SiteSimilar | None:
        if self._similar is False:
            self._similar = site_similar(self.ds, self._computed) if self._computed is not None else None
        return self._similar  # type: ignore[return-value]

    def similar(self, code: str) -> list[tuple[School, list[IndicatorValue | None], list[str]]]:
        """The school's similar schools, nearest first: (school, its context values, the statuses of its
        school-level indicators) in the context's year. Covered by the bundle key (similar_site.shown_of)."""
        found = self.similar_site
        if found is None:
            return []
        context = self.ds.site.similar.context if self.ds.site.similar else ()
        return [(self.schools[m], [found.values.get((m, c, found.year)) for c in context],
                 [status_of(found.values.get((m, i.code, found.shown_year))) for i in self.school_level])
                for m in found.groups.members(code)]

    def school_statuses(self, code: str, year: int) -> list[str]:
        """The status of each school-level indicator of a school in a year (the lists' summary)."""
        if year == self.year and code in self._known_statuses:
            return self._known_statuses[code]
        return [status_of(self.series(ind.code, "school", code).get(year)) for ind in self.school_level]

    def main(self, code: str, year: int) -> IndicatorValue | None:
        """The value an indicator is judged by in `year` (see `main_scope`)."""
        return self.series(code, self.main_scope[code]).get(year)

    def participants_of(self, year: int) -> list[str]:
        return sorted(self.ds.participants(year), key=lambda c: self.schools[c].label)

    def improved_any(self, year: int) -> set[str]:
        """Participants that improved in at least one indicator (union of improved:* members)."""
        return {code for key, v in self.programme_by_year.get(year, {}).items() if key.startswith("improved:")
                for code in v.members}

    def improvable(self, year: int) -> set[str]:
        """Participants with a published change in at least one indicator: those that could be
        counted among the improved. None of them is «0 из N», it is nothing to count."""
        return {code for key, v in self.programme_by_year.get(year, {}).items() if key.startswith("improved:")
                for code in v.over}

    def programme_codes(self) -> list[str]:
        fixed = ["participants", "participants_reduction", "repeat_participants", "mentor_agreements", "agreements"]
        return fixed + [f"improved:{i.code}" for i in self.visible if i.kind in ("share", "mean")]

    def section_progress(self, states: list[ItemState]):
        return progress(states)

    def measure_title(self, code: str) -> str:
        return next((m.title for m in self.ds.measures if m.code == code and m.title), code)

    def target_fact(self, target: ProgrammeTarget, year: int) -> IndicatorValue | ProgrammeValue | None:
        self._outside_bundle("target_fact")
        if target.scope == "programme":
            return self.programme_by_year.get(year, {}).get(target.indicator)
        return self.series(target.indicator, target.scope).get(year)

    def target_status(self, target: ProgrammeTarget, year: int) -> str:
        """Status of a programme passport's planned value against the computed fact."""
        fact = self.target_fact(target, year)
        if fact is None or fact.exact is None:
            return "no_data"
        if fact.suppressed:
            return "suppressed"
        indicator = self.indicators.get(target.indicator)
        better = indicator.better if indicator else BETTER[target.indicator.split(":", 1)[0]]
        return judge(fact.exact, None, Target(None, dict(target.plan)), year, better)[1]

    def programme_title(self, code: str) -> str:
        return programme_title(code, self.indicators)

    def programme_unit(self, code: str) -> str:
        return UNITS[code.split(":", 1)[0]]
