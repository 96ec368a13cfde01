"""Render: model + computed values → Markdown pages (through templates/pages) and chart specs."""
from __future__ import annotations

import posixpath
from concurrent.futures import ProcessPoolExecutor
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined

from .charts import ChartSpec, Series, default_workers, fork_context, format_number
from .errors import BuildFailed
from .indicators import Computed, IndicatorValue
from .markdown_text import FILTERS, GLOBALS, link, slug, text
from .model import STATUS_MENTOR, Dataset, Indicator, ProgrammeTarget, Roadmap, Target
from .indicators import judge
from .programme_indicators import BETTER, UNITS, ProgrammeValue
from .openness import SECTION_PAGES, SECTION_TITLES, obligations, section_dates
from .roadmap_status import ItemState, deadline, judge_roadmap, periods, progress

STATUS_WORDS = {
    "achieved": ("✓", "достигнуто"),
    "not_achieved": ("✗", "не достигнуто"),
    "no_data": ("—", "нет данных"),
    "suppressed": ("○", "скрыто"),
    "no_target": ("·", "цель не задана"),
}
STATE_WORDS = {
    "done": ("✓", "выполнено"),
    "in_progress": ("◔", "в работе"),
    "not_started": ("○", "не начато"),
    "overdue": ("!", "просрочено"),
    "cancelled": ("✗", "отменено"),
}
PROGRAMME_TITLES = {
    "participants": "Число школ — участников программы (ШНОР и ШНСУ)",
    "participants_reduction": "Сокращение числа участников к прошлому году",
    "repeat_participants": "Школы, участвующие второй год подряд",
    "mentor_agreements": "Доля участников с подписанным договором со школой-наставником",
    "improved": "Доля участников, улучивших показатель",
}


# A list page with more rows than this is split, so that a phone never loads a list of a whole region:
# schools by district (districts/<slug>/), mentor pairs by year (mentors/<year>/). A municipality's
# lists (tens of schools) stay on one page.
LIST_MAX_ROWS = 200

# A school page lists this many of its latest events (the rest are on the news pages), so the
# page does not grow with every year of news.
SCHOOL_EVENTS = 10


@dataclass
class Rendered:
    pages: dict[str, str] = field(default_factory=dict)  # relative path -> Markdown
    charts: dict[str, ChartSpec] = field(default_factory=dict)  # relative path -> spec
    school_charts: dict[str, dict[str, str]] = field(default_factory=dict)  # code -> indicator -> chart path
    site_data: "SiteData | None" = None


def addresses(base_url: str, code: str) -> dict[str, str]:
    """Absolute addresses a school pastes into its own site; they never change for a code."""
    base = base_url.rstrip("/") + "/"
    return {"page": f"{base}schools/{code}/", "embed": f"{base}embed/{code}/", "badge": f"{base}badge/{code}.svg"}


def environment(templates: Path, bytecode: Path | None = None) -> Environment:
    """`bytecode`: an existing folder for compiled templates, keyed by the generator's code version
    (the options below shape the compiled code; Jinja's own cache key covers only the source)."""
    env = Environment(loader=FileSystemLoader(str(templates)), undefined=StrictUndefined, autoescape=False,
                      keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True,
                      bytecode_cache=FileSystemBytecodeCache(str(bytecode)) if bytecode else None)
    env.filters.update(FILTERS)
    env.globals.update(GLOBALS)
    env.globals["status_words"] = STATUS_WORDS
    env.globals["state_words"] = STATE_WORDS
    return env


def programme_title(code: str, indicators: dict[str, Indicator]) -> str:
    base, _, rest = code.partition(":")
    if base == "improved" and rest in indicators:
        return f"{PROGRAMME_TITLES['improved']} «{indicators[rest].title}»"
    return PROGRAMME_TITLES.get(base, code)


@dataclass(frozen=True)
class AggregateView:
    """What a school's bundle may show of a «все школы района» value: the fields its key covers
    (bundles.published_view). Reading any other field fails the build instead of going stale."""
    year: int
    value: object
    suppressed: bool
    target: object


class SiteData:
    """Indexes over the computed values that the templates need; built once per build."""

    def __init__(self, dataset: Dataset, values: list[IndicatorValue] | Computed, programme: list[ProgrammeValue]):
        self.ds = dataset
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
        for v in values.groups if isinstance(values, Computed) else values:
            self._by_key[(v.indicator, v.scope, v.school)][v.year] = v
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
        self.participants_ever = sorted({s.school for s in dataset.statuses if s.status != STATUS_MENTOR})
        self.mentors_ever = sorted({s.school for s in dataset.statuses if s.status == STATUS_MENTOR}
                                   | {m.mentor for m in dataset.mentorships})

    # --- school bundles (generator/bundles.py): what a school's files may read ---------------

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
                              "пакета (generator/bundles.py) это не учитывает")

    def series(self, indicator: str, scope: str, school: str = "") -> dict[int, IndicatorValue]:
        if self._bundle is not None and not (scope == "school" and school == self._bundle):
            if scope != "all" or indicator not in self._school_level_codes:
                self._outside_bundle(f"ряд {indicator}/{scope}/{school}")
            return {y: AggregateView(v.year, v.value, v.suppressed, v.target)
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

    def progress_by_year(self, roadmap: Roadmap) -> list[tuple[int, int, int]]:
        """(year, items due that year, of them done by their deadline's year end)."""
        out = []
        for year in range(min(self.years or [self.year]), self.year + 1):
            due = done = 0
            for st in self.roadmap_states[roadmap.code]:
                item = st.item
                deadlines = [p.end for p in periods(item, date(year, 12, 31)) if p.end.year == year] \
                    if item.recurrence != "once" else ([deadline(item)] if deadline(item) and deadline(item).year == year else [])
                for end in deadlines:
                    due += 1
                    start = date(year, 1, 1) if item.recurrence != "once" else date(1900, 1, 1)
                    if any(r.status == "выполнено" and start <= r.date <= date(year, 12, 31) for r in item.reports):
                        done += 1
            if due:
                out.append((year, due, done))
        return out

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

    def participants_of(self, year: int) -> list[str]:
        return sorted(self.ds.participants(year), key=lambda c: self.schools[c].label)

    def improved_any(self, year: int) -> set[str]:
        """Participants that improved in at least one indicator (union of improved:* members)."""
        return {code for key, v in self.programme_by_year.get(year, {}).items() if key.startswith("improved:")
                for code in v.members}

    def programme_codes(self) -> list[str]:
        fixed = ["participants", "participants_reduction", "repeat_participants", "mentor_agreements"]
        return fixed + [f"improved:{i.code}" for i in self.visible if i.is_share]

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


def _chart_values(series: dict[int, IndicatorValue], years: tuple[int, ...]) -> tuple[float | None, ...]:
    # Suppressed and missing values are gaps: never a zero, never a hidden figure.
    return tuple(float(series[y].value) if y in series and series[y].value is not None else None for y in years)


def _targets(series_list: list[dict[int, IndicatorValue]], years: tuple[int, ...]) -> tuple[float | None, ...]:
    out = []
    for y in years:
        target = next((s[y].target for s in series_list if y in s and s[y].target is not None), None)
        out.append(float(target) if target is not None else None)
    return tuple(out)


def short_alt(spec: ChartSpec) -> str:
    """What the chart shows, with the first and last values; every value is in the table below it."""
    parts = []
    for series in spec.series:
        known = [(y, v) for y, v in zip(spec.years, series.values) if v is not None]
        if not known:
            parts.append(f"{series.label} — нет данных")
        elif len(known) == 1:
            parts.append(f"{series.label} — {format_number(known[0][1], spec.unit)} в {known[0][0]}")
        else:
            (y0, v0), (y1, v1) = known[0], known[-1]
            parts.append(f"{series.label} — {format_number(v0, spec.unit)} в {y0}, "
                         f"{format_number(v1, spec.unit)} в {y1}")
    target = " Цель — пунктир." if any(t is not None for t in spec.targets) else ""
    return f"График «{spec.title}»: {'; '.join(parts)}.{target} Все значения — в таблице под графиком."


def school_chart(sd: SiteData, indicator: Indicator, code: str) -> ChartSpec | None:
    own = sd.series(indicator.code, "school", code)
    if not any(v.value is not None for v in own.values()):
        return None
    everyone = sd.series(indicator.code, "all")
    return ChartSpec(
        title=indicator.title, unit=indicator.unit, years=sd.years,
        series=(Series("Школа", _chart_values(own, sd.years)), Series("Все школы района", _chart_values(everyone, sd.years))),
        targets=_targets([own, everyone], sd.years),
    )


def indicator_chart(sd: SiteData, indicator: Indicator) -> ChartSpec | None:
    groups = [("Участники программы", "participants"), ("Все школы района", "all"), ("Муниципалитет", "municipality")]
    series = [(label, sd.series(indicator.code, scope)) for label, scope in groups]
    series = [(label, s) for label, s in series if any(v.value is not None for v in s.values())]
    if not series:
        return None
    return ChartSpec(title=indicator.title, unit=indicator.unit, years=sd.years,
                     series=tuple(Series(label, _chart_values(s, sd.years)) for label, s in series),
                     targets=_targets([s for _, s in series], sd.years))


def district_groups(schools: list) -> list[tuple[str, str, list]]:
    """(page name, district, its schools) in district order; schools without one go last."""
    by_district: dict[str, list] = defaultdict(list)
    for school in schools:
        by_district[school.district].append(school)
    out, taken = [], set()
    for name in sorted(by_district, key=lambda d: (d == "", d)):
        base = slug(name) if name else "bez-raiona"
        code, n = base, 2
        while code in taken:  # two names that read the same in Latin letters
            code, n = f"{base}-{n}", n + 1
        taken.add(code)
        out.append((code, name or "Район не указан", by_district[name]))
    return out


def render(dataset: Dataset, values: list[IndicatorValue] | Computed, programme: list[ProgrammeValue],
           templates: Path, content_pages: tuple[Path, ...] = (), reuse: frozenset[str] = frozenset(),
           bytecode: Path | None = None) -> Rendered:
    """Every page and chart spec, except the pages and charts of the schools in `reuse`, whose
    bundles (generator/bundles.py) the build takes from its cache."""
    env = environment(templates, bytecode)
    sd = SiteData(dataset, values, programme)
    out = Rendered(site_data=sd)

    jobs: list[tuple[str, str, dict, str | None]] = []

    def page(path: str, template: str, bundle: str | None = None, **context: object) -> None:
        jobs.append((path, template, context, bundle))

    school_charts = out.school_charts
    for code in sd.schools:
        if code in reuse:
            continue
        charts = {}
        with sd.bundle(code):
            for indicator in sd.school_level:
                spec = school_chart(sd, indicator, code)
                if spec is not None:
                    key = f"charts/schools/{code}/{indicator.code}.svg"
                    out.charts[key] = spec
                    charts[indicator.code] = key
        school_charts[code] = charts
    indicator_charts = {}
    for indicator in sd.visible:
        spec = indicator_chart(sd, indicator)
        if spec is not None:
            key = f"charts/indicators/{indicator.code}.svg"
            out.charts[key] = spec
            indicator_charts[indicator.code] = key
    alts = {key: short_alt(spec) for key, spec in out.charts.items()}

    page("index.md", "home.md.j2")
    page("programmes/index.md", "programmes.md.j2")
    for p in dataset.programmes:
        page(f"programmes/{p.code}.md", "programme.md.j2", programme=p)
    page("roadmaps/index.md", "roadmaps.md.j2")
    for r in dataset.roadmaps:
        page(f"roadmaps/{r.code}.md", "roadmap.md.j2", roadmap=r)
    schools = sorted(sd.schools.values(), key=lambda s: s.label)
    districts = district_groups(schools) if len(schools) > LIST_MAX_ROWS else []
    if len(districts) > 1:
        page("schools/index.md", "schools.md.j2", schools=[], districts=districts, district=None)
        for code, name, members in districts:
            page(f"districts/{code}.md", "schools.md.j2", schools=members, districts=[], district=name)
    else:
        page("schools/index.md", "schools.md.j2", schools=schools, districts=[], district=None)
    for code, school in sd.schools.items():
        if code not in reuse:
            own = school_charts[code]  # only its own alt texts: a bundle sees no other school's values
            page(f"schools/{code}.md", "school.md.j2", bundle=code, school=school, charts=own,
                 alts={key: alts[key] for key in own.values()}, urls=addresses(sd.site.base_url, code),
                 school_events=SCHOOL_EVENTS)
    paired = [y for y in reversed(sd.years) if sd.pairs_by_year.get(y)]
    if sum(len(sd.pairs_by_year[y]) for y in paired) > LIST_MAX_ROWS and len(paired) > 1:
        page("mentors.md", "mentors.md.j2", years=paired[:1], other_years=paired[1:], year_page=False)
        for y in paired[1:]:
            page(f"mentors/{y}.md", "mentors.md.j2", years=[y], other_years=[], year_page=True)
    else:
        page("mentors.md", "mentors.md.j2", years=paired, other_years=[], year_page=False)
    page("indicators/index.md", "indicators.md.j2", charts=indicator_charts)
    for indicator in sd.visible:
        page(f"indicators/{indicator.code}.md", "indicator.md.j2", indicator=indicator, charts=indicator_charts,
             alts=alts)
    page("open-data.md", "open-data.md.j2")
    placing = sorted(set(sd.participants_ever) | set(sd.mentors_ever))
    page("for-schools.md", "for-schools.md.j2", addresses=addresses, pattern=addresses(sd.site.base_url, "<код>"),
         listed=placing if len(placing) <= LIST_MAX_ROWS else [], placing=len(placing))
    page("news/index.md", "news-index.md.j2")
    for item in dataset.news:
        page(f"news/{item.slug}.md", "news.md.j2", item=item)
    page("practices/index.md", "practices-index.md.j2")
    for practice in dataset.practices:
        page(f"practices/{practice.slug}.md", "practice.md.j2", practice=practice)
    page("documents.md", "documents.md.j2")
    page("openness.md", "openness.md.j2", section_titles=SECTION_TITLES, section_pages=SECTION_PAGES)
    page("contacts.md", "contacts.md.j2")
    known = {path for path, _, _, _ in jobs} | {f"schools/{code}.md" for code in reuse} \
        | {p.name for p in content_pages}
    out.pages.update(zip((path for path, _, _, _ in jobs), _render_jobs(env, sd, jobs, known)))
    return out


# Rendering pages is pure CPU work over read-only data: past a few hundred pages it is split
# across forked workers, which inherit the data and the compiled templates instead of pickling them.
PARALLEL_PAGES = 400
_JOBS: tuple = ()


def _render_one(env: Environment, sd: SiteData, job: tuple[str, str, dict, str | None], known: set[str]) -> str:
    path, template, context, bundle = job
    render = env.get_template(template).render
    arguments = dict(sd=sd, site=sd.site, page_path=path, page_url=_page_url(path), link=_linker(path, known),
                     **context)
    if bundle is None:
        return render(**arguments)
    with sd.bundle(bundle):
        return render(**arguments)


def _render_slice(bounds: tuple[int, int]) -> list[str]:
    env, sd, jobs, known = _JOBS
    return [_render_one(env, sd, job, known) for job in jobs[bounds[0]:bounds[1]]]


def _render_jobs(env: Environment, sd: SiteData, jobs: list, known: set[str]) -> list[str]:
    workers = default_workers()
    context = fork_context()
    if workers < 2 or len(jobs) < PARALLEL_PAGES or context is None:
        return [_render_one(env, sd, job, known) for job in jobs]
    global _JOBS
    _JOBS = (env, sd, jobs, known)
    try:
        step = max(1, min(64, len(jobs) // (workers * 4)))
        slices = [(start, min(start + step, len(jobs))) for start in range(0, len(jobs), step)]
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            return [text for part in pool.map(_render_slice, slices) for text in part]
    finally:
        _JOBS = ()


def _page_url(path: str):
    start = posixpath.dirname(path)

    def page_url(target: str) -> str:
        # MkDocs resolves links between .md files relative to the linking file.
        return relative_path(target, start)
    return page_url


def relative_path(target: str, start: str) -> str:
    """posixpath.relpath(target, start or '.') for paths under the docs folder, without its
    abspath calls: the region-sized list pages render tens of thousands of links."""
    to, here = target.split("/"), start.split("/") if start else []
    if target.startswith("/") or start.startswith("/") or {"", ".", ".."} & {*to, *here}:
        return posixpath.relpath(target, start or ".")
    common = 0
    while common < len(here) and common < len(to) and here[common] == to[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + to[common:]) or "."


def site_target(url: str, known: set[str]) -> str | None:
    """'/indicators/' → 'indicators/index.md'; '/schools/x/#a' → 'schools/x.md#a'; None when no such page."""
    path, _, fragment = url.partition("#")
    path = path.strip("/")
    candidates = ["index.md"] if not path else [f"{path}/index.md", f"{path}.md", path]
    for candidate in candidates:
        if candidate in known:
            return candidate + (f"#{fragment}" if fragment else "")
    return None


def _linker(path: str, known: set[str]):
    """link() for one page: site-relative targets from data become page-relative .md links."""
    page_url = _page_url(path)

    def page_link(label: object, url: str | None) -> str:
        if url and url.startswith("/") and not url.startswith("//"):
            target = site_target(url, known)
            return link(label, page_url(target)) if target else text(label)
        return link(label, url)
    return page_link
