"""Render: model + computed values → every Markdown page and chart spec of the site.

`render` lists the pages (path, template, context) — the site's routing, see docs/DESIGN.md
«URLs» — and renders them through templates/pages, in forked workers past PARALLEL_PAGES.
"""
from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment

from generator.model import Dataset
from generator.workers import default_workers, fork_context
from generator.compute.indicators import IndicatorValue
from generator.compute.computed import Computed
from generator.compute.openness import SECTION_PAGES, SECTION_TITLES
from generator.compute.programme import ProgrammeValue
from generator.compute.similar_site import SiteSimilar
from generator.charts.spec import ChartSpec, alt_text
from generator.render.chart_specs import indicator_chart, school_chart
from generator.render.environment import environment
from generator.render.html_tables import tables_to_html
from generator.render.links import addresses, linker, page_url_for
from generator.render.markdown_text import slug
from generator.render.site_data import SiteData

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
    appendices: dict[str, str] = field(default_factory=dict)  # hand-written page -> Markdown appended to it
    site_data: "SiteData | None" = None


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
           bytecode: Path | None = None, similar: SiteSimilar | None | bool = False,
           known_statuses: dict[str, list[str]] | None = None) -> Rendered:
    """Every page and chart spec, except the pages and charts of the schools in `reuse`, whose
    bundles (generator/build/bundles.py) the build takes from its cache."""
    env = environment(templates, bytecode, min_group=dataset.site.min_group_size)
    sd = SiteData(dataset, values, programme, similar, known_statuses)
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
    alts = {key: alt_text(spec) for key, spec in out.charts.items()}

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
    placing_schools = [sd.schools[code] for code in placing]
    page("openness.md", "openness.md.j2", section_titles=SECTION_TITLES, section_pages=SECTION_PAGES,
         tabs=placing_schools if len(placing) <= LIST_MAX_ROWS else [], tab_count=len(placing),
         tab_done=sum(1 for s in placing_schools if s.project_page),
         roadmap_done=sum(1 for s in placing_schools if s.roadmap_url))
    page("contacts.md", "contacts.md.j2")
    known = {path for path, _, _, _ in jobs} | {f"schools/{code}.md" for code in reuse} \
        | {p.name for p in content_pages}
    out.pages.update(zip((path for path, _, _, _ in jobs), _render_jobs(env, sd, jobs, known)))
    # The programmes' recommendations to parents and pupils go on the parents' page (hand-written).
    if "parents.md" in {p.name for p in content_pages}:
        out.appendices["parents.md"] = _render_one(
            env, sd, ("parents.md", "recommendations.md.j2", {"audiences": ("parents", "pupils")}, None), known)
    return out


# Tables of schools: search finds each school by its own entry (render/search_entries.py), so
# these lists would only repeat every name in the index (at 5,000 schools, most of its size).
UNSEARCHED_TABLES = frozenset({"schools.md.j2", "indicator.md.j2", "mentors.md.j2"})

# Rendering pages is pure CPU work over read-only data: past a few hundred pages it is split
# across forked workers, which inherit the data and the compiled templates instead of pickling them.
PARALLEL_PAGES = 400
_JOBS: tuple = ()


def _render_one(env: Environment, sd: SiteData, job: tuple[str, str, dict, str | None], known: set[str]) -> str:
    path, template, context, bundle = job
    render = env.get_template(template).render
    arguments = dict(sd=sd, site=sd.site, page_path=path, page_url=page_url_for(path), link=linker(path, known),
                     **context)
    searchable = template not in UNSEARCHED_TABLES
    if bundle is None:
        return tables_to_html(render(**arguments), path, searchable)
    with sd.bundle(bundle):
        return tables_to_html(render(**arguments), path, searchable)


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
