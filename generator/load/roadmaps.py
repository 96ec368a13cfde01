"""roadmaps/*.yml → `Roadmap`: sections of numbered items with deadlines as written (read into
schedules by load/deadlines.py, `scheduled`), optional explicit due dates, periods and recurrence, and
reports of their fulfilment."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from generator.errors import Problems
from generator.load.deadlines import DeadlineError, explicit_schedule, parse_deadline
from generator.load.documents import code_of, approval, link
from generator.load.fields import Fields
from generator.model import (RECURRENCES, REPORT_STATUSES, SITE_SECTIONS, Evidence, Frame, Report, Roadmap,
                             RoadmapItem, RoadmapSection, Schedule, Source)

def report(f: Fields) -> Report | None:
    f.only("date", "status", "text", "evidence", "for")
    when = f.date("date", required=True)
    covers = f.date("for")  # a date of the deadline it reports on (e.g. 2021-10-31)
    status = f.text("status", required=True)
    if status and status not in REPORT_STATUSES:
        f.error("status", f"ожидалось одно из: {', '.join(REPORT_STATUSES)}; найдено «{status[:30]}»")
        return None
    evidence = []
    for e in f.items("evidence"):
        if e.ok:
            e.only("title", "url")
            url = link(e, "url")
            if url:
                evidence.append(Evidence(e.text("title") or url, url))
    if when is None or not status:
        return None
    return Report(when, status, f.text("text"), tuple(evidence), covers)


def roadmap_item(f: Fields) -> RoadmapItem | None:
    f.only("number", "title", "deadline", "due", "period", "recurrence", "responsible", "expected_result", "indicator",
           "targets", "openness", "fulfilled_in", "reports")
    fulfilled_in = f.text("fulfilled_in")
    if fulfilled_in and fulfilled_in not in SITE_SECTIONS:
        f.error("fulfilled_in", f"ожидался раздел сайта: {', '.join(SITE_SECTIONS)}; найдено «{fulfilled_in[:30]}»")
        fulfilled_in = ""
    due = f.date("due")
    start = end = None
    period = f.mapping("period")
    if period is not None and period.ok:
        period.only("start", "end")
        start, end = period.date("start", required=True), period.date("end", required=True)
        if start and end and end < start:
            period.error("end", "конец периода раньше начала")
    if due and period is not None:
        f.error("period", "укажите либо due (срок), либо period (период), но не оба")
    recurrence = f.text("recurrence", default="once")
    if recurrence not in RECURRENCES:
        f.error("recurrence", f"ожидалось одно из: {', '.join(RECURRENCES)}; найдено «{recurrence[:20]}»")
        recurrence = "once"
    reports = [r for r in (report(x) for x in f.items("reports") if x.ok) if r]
    number, title = f.text("number", required=True), f.text("title", required=True)
    if not number or not title:
        return None
    return RoadmapItem(
        number=number, title=title, deadline=f.text("deadline"), due=due, period_start=start, period_end=end,
        recurrence=recurrence, responsible=f.text("responsible"), expected_result=f.text("expected_result"),
        indicator=f.text("indicator"), targets=f.year_map("targets", numeric=False), openness=f.boolean("openness"),
        fulfilled_in=fulfilled_in,
        reports=tuple(sorted(reports, key=lambda r: r.date)), source=Source(f.file, f.line),
    )


def roadmap(doc: object, name: str, problems: Problems) -> Roadmap | None:
    f = Fields(doc, name, problems)
    if not f.ok:
        return None
    f.only("code", "title", "programme", "school", "approved", "sections", "period")
    years = None
    sub = f.mapping("period")
    if sub is not None and sub.ok:
        sub.only("start", "end")
        first, last = sub.integer("start", required=True, low=1990, high=2100), sub.integer("end", required=True,
                                                                                          low=1990, high=2100)
        if first is not None and last is not None:
            if last < first:
                sub.error("end", "последний год раньше первого")
            else:
                years = (first, last)
    parsed: list[tuple[Fields, list[tuple[Fields, RoadmapItem]]]] = []
    for s in f.items("sections", required=True):
        if not s.ok:
            continue
        s.only("code", "title", "items")
        items = [(i, item) for i in s.items("items", required=True) if i.ok for item in [roadmap_item(i)] if item]
        parsed.append((s, items))
    # Numbers are unique within a section. Where the document restarts its numbering in every
    # section (Kargasok: 1, 2, … in each), an item is «раздел.пункт» on the site: its section's
    # code and its own number, so that anchors and references stay unique.
    counts: dict[str, int] = {}
    for _, items in parsed:
        for number in {item.number for _, item in items}:
            counts[number] = counts.get(number, 0) + 1
    restarts = any(n > 1 for n in counts.values())
    sections = []
    codes: dict[str, int] = {}
    for s, items in parsed:
        code = s.text("code")
        if restarts and not code:
            s.error("code", "нумерация пунктов начинается заново в каждом разделе: укажите код раздела (например «1» "
                            "или «V»), на сайте пункт будет «код раздела.номер»")
        if code and code in codes:
            s.error("code", f"код раздела «{code}» повторяется (уже есть в строке {codes[code]})")
        codes.setdefault(code, s.line)
        kept, numbers = [], {}
        for i, item in items:
            if item.number in numbers:
                i.error("number", f"номер пункта «{item.number}» повторяется в разделе (уже есть в строке "
                                  f"{numbers[item.number]})")
                continue
            numbers[item.number] = i.line
            kept.append(replace(item, number=f"{code}.{item.number}") if restarts and code else item)
        sections.append(RoadmapSection(code, s.text("title", required=True), tuple(kept)))
    code = code_of(f)
    if not code:
        return None
    return Roadmap(code, f.text("title", required=True), f.text("programme"), f.text("school"), approval(f),
                   tuple(sections), Source(name, f.line), years)


def scheduled(roadmap: Roadmap, programmes, current_year: int, problems: Problems) -> Roadmap:
    """Each item's schedule, read from its deadline as written within the roadmap's frame (its own
    period, else its programme's, else the current year), unless due/period/recurrence give it."""
    programme = next((p for p in programmes if p.code == roadmap.programme), None)
    first, last = roadmap.years or ((programme.period_start, programme.period_end)
                                    if programme and programme.period_start else (current_year, current_year))
    start, end = date(first, 1, 1), date(last or first, 12, 31)
    approved = roadmap.approved.date
    frame = Frame(start, end, approved if approved is not None and start < approved <= end else None)
    sections = []
    for section in roadmap.sections:
        items = []
        for item in section.items:
            schedule = explicit_schedule(item, frame)
            if schedule is None and item.deadline:
                try:
                    schedule = parse_deadline(item.deadline, frame)
                except DeadlineError as err:
                    problems.add(item.source.file, item.source.line, "deadline", str(err))
            if schedule is None:
                schedule = Schedule((), False, "срок не указан")
            items.append(replace(item, schedule=schedule))
        sections.append(replace(section, items=tuple(items)))
    return replace(roadmap, sections=tuple(sections))
