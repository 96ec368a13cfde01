"""Validate a data directory as a whole and build the model; report every problem at once.

One concern, though past 300 lines: this is where the files meet. Each reader checks its own file's
fields; every check that needs two files (a code named in one and defined in another: schools,
indicators, programmes, roadmaps, the context of site.yml `similar_schools`) is here, in one pass."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from generator.load import documents as docs
from generator.load import programmes as programmes_yml
from generator.load import roadmaps as roadmaps_yml
from generator.load import sources as table_sources
from generator.load import tables
from generator.errors import DataProblem, Problems, is_data_file, os_reason
from generator.paths import PAGES
from generator.model import STATUS_MENTOR, Dataset, Indicator, Measure, Programme, Roadmap, SimilarConfig
from generator.load.documents import PROGRAMME_CODES
from generator.load import content
from generator.load.results import RESULTS_COLUMNS, read_results  # noqa: F401 - the columns of every table are listed here
from generator.cache.parsed_files import ParseCache
from generator.load.yaml_files import read_yaml_file

SCHOOLS_COLUMNS = (("code", "name", "short_name"), ("district", "website", "address", "project_page", "roadmap_url"))
STATUSES_COLUMNS = (("year", "school", "status"), ())
MENTORSHIPS_COLUMNS = (("year", "mentor", "mentee"), ("agreement", "agreement_date", "forms"))
MEASURES_COLUMNS = (("code",), ("title", "unit"))
RENAMES_COLUMNS = (("old_code", "new_code"), ("date", "reason"))


@dataclass(frozen=True)
class Validated:
    dataset: Dataset
    warnings: tuple[DataProblem, ...]


def _yaml_files(data_dir: Path, folder: str, problems: Problems,
                cache: ParseCache | None) -> list[tuple[str, object]]:
    directory = data_dir / folder
    if not directory.is_dir():
        return []
    out = []
    for path in sorted(directory.glob("*.y*ml")):
        name = f"{folder}/{path.name}"
        if not is_data_file(path, name, problems):
            continue
        doc = read_yaml_file(path, name, problems, cache)
        if doc is not None:
            out.append((name, doc))
    return out


class _AnyCode(set):
    """The school codes when schools.csv could not be read: each one is taken as known."""

    def __contains__(self, code: object) -> bool:
        return True


def validate(data_dir: Path, cache: ParseCache | None = None) -> Validated:
    """Read and check everything under data_dir. Raises DataErrors listing every problem.
    `cache`: parsed files of earlier builds (the build passes one; checks never depend on it)."""
    problems, warnings = Problems(), Problems()
    if not data_dir.is_dir():
        problems.add(str(data_dir), 0, "", "папка с данными не найдена")
        problems.raise_if_any()
    found = table_sources.find(data_dir, problems)
    if not (data_dir / "site.yml").exists() and not (data_dir / "site.yml").is_symlink():
        problems.add("site.yml", 0, "", "обязательный файл отсутствует в папке данных")
    for required in ("schools.csv", "statuses.csv"):
        if not found.present(required):
            also = f" (или лист «{required.removesuffix('.csv')}» в книге .xlsx/.ods)" if found.books else ""
            problems.add(required, 0, "", f"обязательный файл отсутствует в папке данных{also}")

    def read_table(name: str, required: tuple[str, ...], optional: tuple[str, ...]):
        return table_sources.read_table(data_dir, found, name, required, optional, problems)

    site = None
    if is_data_file(data_dir / "site.yml", "site.yml", problems):
        doc = read_yaml_file(data_dir / "site.yml", "site.yml", problems, cache)
        if doc is not None:
            site = docs.site(doc, problems)

    schools_table = read_table("schools.csv", *SCHOOLS_COLUMNS)
    schools = tables.schools(schools_table, problems) if schools_table else ()
    known: set[str] = tables.Codes({s.code for s in schools}, tables.table_place(schools_table, "schools.csv"))
    if schools_table is None and found.present("schools.csv"):
        # Unreadable (a NUL byte, a wrong encoding): every code elsewhere would be «не найдена», 4,000
        # follow-on errors before the one cause. Codes are not checked until schools.csv reads.
        known = _AnyCode()
        problems.add("schools.csv", 0, "", "файл не прочитан (причина ниже), поэтому коды школ в других файлах "
                                           "пока не проверялись: исправьте сначала его")
    renames_table = read_table("renames.csv", *RENAMES_COLUMNS)
    renames = tables.renames(renames_table, known, problems) if renames_table and not isinstance(known, _AnyCode) \
        else ()
    statuses_table = read_table("statuses.csv", *STATUSES_COLUMNS)
    statuses = tables.statuses(statuses_table, known, problems) if statuses_table else ()
    mentorships_table = read_table("mentorships.csv", *MENTORSHIPS_COLUMNS)
    mentorships = tables.mentorships(mentorships_table, known, problems) if mentorships_table else ()

    indicators: list[tuple[Indicator, int]] = []
    if is_data_file(data_dir / "indicators.yml", "indicators.yml", problems):
        doc = read_yaml_file(data_dir / "indicators.yml", "indicators.yml", problems, cache)
        if doc is not None:
            indicators = docs.indicators(doc, problems)
    measures_table = read_table("measures.csv", *MEASURES_COLUMNS)
    measures = list(tables.measures(measures_table, problems)) if measures_table else []
    listed = tables.Codes({m.code for m in measures}, tables.table_place(measures_table, "measures.csv"))
    for indicator, line in indicators:
        for role in ("numerator", "denominator"):
            code = getattr(indicator, role)
            if not code:
                continue
            if measures_table is not None and code not in listed:
                problems.add("indicators.yml", line, f"показатель {indicator.code}.{role}",
                             f"код «{code}» не найден в measures.csv")
            elif code not in listed:
                measures.append(Measure(code))
                listed.add(code)

    programmes = [p for p in (programmes_yml.programme(d, n, problems) for n, d in _yaml_files(data_dir, "programmes", problems, cache)) if p]
    roadmaps = [r for r in (roadmaps_yml.roadmap(d, n, problems) for n, d in _yaml_files(data_dir, "roadmaps", problems, cache)) if r]
    news = [n for n in (content.news_item(path, f"news/{path.name}", problems)
                        for path in sorted((data_dir / "news").glob("*.md"))) if n] if (data_dir / "news").is_dir() else []
    practices = [p for p in (content.practice(path, f"practices/{path.name}", problems)
                             for path in sorted((data_dir / "practices").glob("*.md"))) if p] \
        if (data_dir / "practices").is_dir() else []
    documents = []
    if is_data_file(data_dir / "documents.yml", "documents.yml", problems):
        doc = read_yaml_file(data_dir / "documents.yml", "documents.yml", problems, cache)
        if doc is not None:
            documents = content.documents(doc, data_dir, problems)
    _check_content(news, practices, documents, roadmaps, known, problems)
    _check_pages(data_dir, problems)
    _check_unique([(p.code, p.source) for p in programmes], "programme", problems)
    _check_unique([(r.code, r.source) for r in roadmaps], "roadmap", problems)
    _check_programmes(programmes, {i.code for i, _ in indicators}, problems)
    if site is not None and site.similar is not None:
        _check_similar(site.similar, [i for i, _ in indicators], listed, problems)
    _check_roadmaps(roadmaps, {p.code for p in programmes}, known, problems)
    if site is not None:
        roadmaps = [roadmaps_yml.scheduled(r, programmes, site.current_year, problems) for r in roadmaps]

    bounds = _year_bounds(site.current_year, programmes, site.results_since) if site is not None else None
    results = read_results(data_dir, known, listed, [i for i, _ in indicators], bounds, problems, cache, found)
    found.close()  # every table is read by now
    if bounds is not None:
        tables.check_years(bounds, [statuses_table, mentorships_table], problems)
        _check_programme_targets(site.programme_targets, {i.code for i, _ in indicators}, problems)
    pairs_file = mentorships_table.name if mentorships_table is not None else "mentorships.csv"
    if mentorships and statuses:
        _warn_pairs(mentorships, statuses, warnings, pairs_file, tables.table_place(statuses_table, "statuses.csv"))
    if statuses:
        _warn_unknown(mentorships, statuses, warnings, pairs_file)

    problems.raise_if_any()
    assert site is not None  # guaranteed: a missing or broken site.yml is a problem above
    dataset = Dataset(
        site=site, schools=schools, statuses=statuses, mentorships=mentorships, measures=tuple(measures),
        results=results, indicators=tuple(i for i, _ in indicators), programmes=tuple(programmes),
        roadmaps=tuple(roadmaps), renames=renames, news=tuple(sorted(news, key=lambda n: (n.date, n.slug))),
        practices=tuple(sorted(practices, key=lambda p: (p.topic, p.title))), documents=tuple(documents),
    )
    if site.as_of is None:
        dataset = replace(dataset, site=replace(site, as_of=latest_date(dataset)))
    return Validated(dataset, tuple(sorted(warnings.items + warnings.summaries())))


def _check_pages(data_dir: Path, problems: Problems) -> None:
    """pages/*.md: the project's own hand-written pages; the file name becomes the address."""
    folder = data_dir / PAGES
    if not folder.is_dir():
        return
    for path in sorted(folder.iterdir()):
        name = f"{PAGES}/{path.name}"
        if path.name.startswith(".") or not is_data_file(path, name, problems):
            continue
        if path.suffix != ".md":
            problems.add(name, 0, "", "в папке pages/ ожидаются только страницы Markdown (*.md)")
        elif not content.SLUG.match(path.stem):
            problems.add(name, 0, "", f"имя файла становится адресом страницы: строчные латинские буквы, цифры и «-», "
                                      f"найдено «{path.stem[:40]}»")
        else:
            try:
                path.read_bytes().decode("utf-8-sig")
            except UnicodeDecodeError:
                problems.add(name, 0, "", "файл не в кодировке UTF-8: сохраните его как UTF-8")
            except OSError as err:
                problems.add(name, 0, "", f"файл не читается: {os_reason(err)}")


def latest_date(dataset: Dataset) -> date | None:
    """The data's own 'as of' date: the latest dated fact, never the build clock."""
    dates = [m.agreement_date for m in dataset.mentorships if m.agreement_date]
    dates += [r.date for rm in dataset.roadmaps for item in rm.items for r in item.reports]
    dates += [p.approved.date for p in dataset.programmes if p.approved.date]
    return max(dates) if dates else None


def _check_content(news, practices, documents, roadmaps, schools: set[str], problems: Problems) -> None:
    items = {f"{r.code}:{i.number}" for r in roadmaps for i in r.items}
    docs = {d.code for d in documents}
    slugs = {p.slug for p in practices}
    announcements = {n.slug for n in news if n.kind == "анонс"}
    for n in news:
        checks = [("schools", n.schools, schools, "школа с кодом «{}» не найдена " + tables.where(schools, "schools.csv")),
                  ("roadmap_items", n.roadmap_items, items, "пункт дорожной карты «{}» не найден (формат: код_карты:номер)"),
                  ("documents", n.documents, docs, "документ «{}» не найден в documents.yml"),
                  ("practices", n.practices, slugs, "практика «{}» не найдена в practices/")]
        for field, refs, known, message in checks:
            for ref in refs:
                if ref not in known:
                    problems.add(n.source.file, 0, field, message.format(ref))
        if n.report_for and n.report_for not in announcements:
            problems.add(n.source.file, 0, "report_for", f"анонс «{n.report_for}» не найден в news/")
    for p in practices:
        for code in (p.school, *p.schools):
            if code not in schools:
                problems.add(p.source.file, 0, "school", f"школа с кодом «{code}» не найдена {tables.where(schools, 'schools.csv')}")
        for m in p.materials:
            if m.document and m.document not in docs:
                problems.add(p.source.file, 0, "materials", f"документ «{m.document}» не найден в documents.yml")


def _check_unique(items, kind: str, problems: Problems) -> None:
    seen: dict[str, str] = {}
    for code, source in items:
        if code in seen:
            problems.add(source.file, source.line, "code", f"код «{code}» уже использован в {seen[code]}")
        seen.setdefault(code, source.file)


def _check_programmes(programmes: list[Programme], indicator_codes: set[str], problems: Problems) -> None:
    for p in programmes:
        for t in p.targets:
            base = t.indicator.split(":", 1)[0]
            if t.scope == "programme":
                ok = base in PROGRAMME_CODES and (base != "improved" or t.indicator.split(":", 1)[-1] in indicator_codes)
            else:
                ok = t.indicator in indicator_codes
            if not ok:
                problems.add(p.source.file, t.line, "targets.indicator",
                             f"неизвестный показатель «{t.indicator}» (scope: {t.scope}); "
                             "ожидался код из indicators.yml или показатель программы")


def _check_similar(config: SimilarConfig, indicators: list[Indicator], measures: set[str], problems: Problems) -> None:
    """site.yml `similar_schools.context`: codes of indicators whose values are published by school
    (docs/similar-schools.md: a group is found from what every school's page shows, nothing else)."""
    by_code = {i.code: i for i in indicators}
    for i, code in enumerate(config.context):
        line = config.lines[i] if i < len(config.lines) else 0
        where = f"similar_schools.context[{i + 1}]"
        indicator = by_code.get(code)
        if indicator is None and code in measures:
            problems.add("site.yml", line, where,
                         f"«{code[:40]}» — величина из measures.csv, а не показатель: похожие школы подбираются по "
                         f"опубликованным значениям показателей. Объявите в indicators.yml показатель с numerator: "
                         f"{code[:40]} (например, kind: count или children) и укажите здесь его код")
        elif indicator is None:
            problems.add("site.yml", line, where, f"показатель «{code[:40]}» не найден в indicators.yml")
        elif indicator.publish != "school":
            problems.add("site.yml", line, where,
                         f"показатель «{code}» не публикуется по школам (publish: {indicator.publish}): похожие школы "
                         "подбираются только по значениям, опубликованным на странице каждой школы")


def _check_roadmaps(roadmaps: list[Roadmap], programme_codes: set[str], schools: set[str], problems: Problems) -> None:
    for r in roadmaps:
        if r.programme and r.programme not in programme_codes:
            problems.add(r.source.file, r.source.line, "programme", f"программа «{r.programme}» не найдена в programmes/")
        if r.school and r.school not in schools:
            problems.add(r.source.file, r.source.line, "school", f"школа с кодом «{r.school}» не найдена {tables.where(schools, 'schools.csv')}")


def _check_programme_targets(targets, indicator_codes: set[str], problems: Problems) -> None:
    for key in targets:
        if key.startswith("improved:") and key.split(":", 1)[1] not in indicator_codes:
            problems.add("site.yml", 0, f"programme_targets.{key}", "показатель после improved: не найден в indicators.yml")


def _year_bounds(current_year: int, programmes: list[Programme], since: int | None = None) -> tuple[int, int, int]:
    """(first, last allowed reporting year, current year). Data from before the programmes (the
    figures a programme quotes for the years before it began) are accepted from `since`
    (site.yml `results_since`) and shown «до начала программы»."""
    if programmes:
        low = min(p.period_start for p in programmes) - 1  # one baseline year before the first programme
        high = max(p.period_end for p in programmes)
    else:
        low, high = 1990, current_year
    if since is not None:
        low = min(low, since)
    return low, min(high, current_year), current_year


def _warn_pairs(mentorships, statuses, warnings: Problems, file: str = "mentorships.csv",
                statuses_at: str = "в statuses.csv") -> None:
    by_year: dict[int, dict[str, set[str]]] = {}
    for s in statuses:
        by_year.setdefault(s.year, {}).setdefault(s.school, set()).add(s.status)
    for m in mentorships:
        if STATUS_MENTOR not in by_year.get(m.year, {}).get(m.mentor, set()):
            warnings.add(file, 0, "mentor", f"{m.year}: школа {m.mentor} не имеет статуса «наставник» {statuses_at}")
        if not by_year.get(m.year, {}).get(m.mentee, set()) - {STATUS_MENTOR}:
            warnings.add(file, 0, "mentee", f"{m.year}: школа {m.mentee} не имеет статуса ШНОР/ШНСУ {statuses_at}")


def _warn_unknown(mentorships, statuses, warnings: Problems, file: str = "mentorships.csv") -> None:
    """What the site can only show as «нет сведений», with the file and field that would fill it."""
    for m in mentorships:
        if not m.agreement_known:
            warnings.add(file, m.line, "agreement",
                         f"{m.year}: нет сведений о договоре пары {m.mentor} — {m.mentee}; на сайте «нет сведений». "
                         "Укажите номер договора или «нет», если договор не подписан")
    if not mentorships:
        return  # no mentorship file at all: the site says nothing of mentors, one absence, not a warning per school
    paired = {(m.year, m.mentee) for m in mentorships}
    years = {m.year for m in mentorships}
    unpaired = sorted({(s.year, s.school) for s in statuses if s.status != STATUS_MENTOR} - paired)
    for year in sorted({y for y, _ in unpaired} - years):
        warnings.add(file, 0, "year", f"{year}: пар наставничества за этот год нет; у школ-участниц "
                     "на сайте «нет сведений о школе-наставнике»")
    for year, school in unpaired:
        if year not in years:
            continue
        warnings.add(file, 0, "mentee",
                     f"{year}: у школы-участницы {school} нет строки в mentorships.csv; на её странице "
                     "«нет сведений о школе-наставнике»")
