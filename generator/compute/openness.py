"""Information openness: when each site section was last updated, judged against the data's date."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from generator.errors import DataProblem, Problems
from generator.model import Dataset, NewsItem, RoadmapItem

QUARTER = timedelta(days=92)
SECTION_TITLES = {
    "home": "Главная", "programmes": "Программы", "roadmaps": "Дорожные карты", "schools": "Школы",
    "mentors": "Наставничество", "indicators": "Показатели", "open-data": "Открытые данные", "news": "Новости и события",
    "practices": "Банк лучших практик", "documents": "Документы", "parents": "Родителям", "for-schools": "Для школ",
    "feed": "Лента новостей (RSS/Atom)",
}
SECTION_PAGES = {
    "home": "index.md", "programmes": "programmes/index.md", "roadmaps": "roadmaps/index.md",
    "schools": "schools/index.md", "mentors": "mentors.md", "indicators": "indicators/index.md",
    "open-data": "open-data.md", "news": "news/index.md", "practices": "practices/index.md",
    "documents": "documents.md", "parents": "parents.md", "for-schools": "for-schools.md", "feed": "news/index.md",
}


def _latest(dates) -> date | None:
    dates = [d for d in dates if d is not None]
    return max(dates) if dates else None


def section_dates(ds: Dataset) -> dict[str, date | None]:
    """The latest dated fact each section is made of (never the build clock)."""
    as_of = ds.site.as_of
    upto = (lambda d: d is not None and (as_of is None or d <= as_of))
    news = _latest(n.date for n in ds.news if upto(n.date))
    # A roadmap published on approval is an update of the section; later, its reports are.
    reports = _latest([*(r.date for rm in ds.roadmaps for i in rm.items for r in i.reports if upto(r.date)),
                       *(rm.approved.date for rm in ds.roadmaps if upto(rm.approved.date))])
    return {
        "home": as_of, "schools": as_of, "indicators": as_of, "open-data": as_of, "for-schools": as_of,
        "programmes": _latest(p.approved.date for p in ds.programmes),
        "roadmaps": reports,
        "mentors": _latest(m.agreement_date for m in ds.mentorships),
        "news": news, "feed": news,
        "practices": _latest(p.date for p in ds.practices if upto(p.date)),
        "documents": _latest(d.date for d in ds.documents if upto(d.date)),
        "parents": None,
    }


@dataclass(frozen=True)
class Obligation:
    roadmap: str
    item: RoadmapItem
    section: str
    updated: date | None
    due: bool  # older than one quarter at the data's date


def obligations(ds: Dataset) -> list[Obligation]:
    dates = section_dates(ds)
    as_of = ds.site.as_of
    out = []
    for roadmap in ds.roadmaps:
        for item in roadmap.items:
            if not item.openness:
                continue
            section = item.fulfilled_in
            own = _latest(r.date for r in item.reports if as_of is None or r.date <= as_of)
            updated = _latest([dates.get(section), own]) if section else own
            # Not due before the obligation begins: its period's start, or the deadline of a one-off
            # item (Kargasok 1.3 «до декабря 2020, пополнение ежеквартальное» is no failure in June).
            continuous = [o.start for o in item.schedule.occurrences if o.coverage] if item.schedule else []
            begins = continuous[0] if continuous else item.period_start or (item.due if item.recurrence == "once" else None)
            started = as_of is not None and (begins is None or as_of > begins)
            due = started and (updated is None or as_of - updated > QUARTER)
            out.append(Obligation(roadmap.code, item, section, updated, due))
    return out


def unreported_announcements(ds: Dataset) -> list[NewsItem]:
    """Past announcements with no report after them: for the department, never shown publicly."""
    reported = {n.report_for for n in ds.news if n.kind == "отчёт" and n.report_for}
    as_of = ds.site.as_of
    return [n for n in ds.news if n.kind == "анонс" and n.slug not in reported and n.event_date is not None
            and as_of is not None and n.event_date < as_of]


def openness_warnings(ds: Dataset) -> list[DataProblem]:
    """What the department should publish and has not: past announcements without a report, and
    openness obligations whose section was not updated for more than a quarter. Never shown on
    the site; printed by `validate` and `build` next to the data's own warnings."""
    warnings = Problems()
    for item in unreported_announcements(ds):
        warnings.add(item.source.file, 1, "kind",
                     f"анонс мероприятия {item.event_date:%d.%m.%Y} без отчёта: опубликуйте отчёт (kind: отчёт, "
                     f"report_for: {item.slug}); на сайте это не показывается")
    for ob in obligations(ds):
        if ob.due:
            when = f"{ob.updated:%d.%m.%Y}" if ob.updated else "нет данных"
            warnings.add(ob.item.source.file, ob.item.source.line, f"пункт {ob.item.number}",
                         f"раздел «{ob.section or 'не указан'}» обновлялся более квартала назад (последнее обновление: "
                         f"{when}); обновите его или добавьте отчёт о выполнении")
    return warnings.items


def all_warnings(data: tuple[DataProblem, ...], ds: Dataset) -> tuple[DataProblem, ...]:
    """The data's own warnings (load/validation) and the openness warnings, in one sorted list."""
    return tuple(sorted((*data, *openness_warnings(ds))))
