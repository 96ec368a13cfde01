"""roadmaps/*.yml → `Roadmap`: sections of numbered items with deadlines as written, their
machine-readable due dates or periods and recurrence, and reports of their fulfilment."""
from __future__ import annotations

from dataclasses import replace

from generator.errors import Problems
from generator.load.documents import code_of, approval, link
from generator.load.fields import Fields
from generator.model import (RECURRENCES, REPORT_STATUSES, SITE_SECTIONS, Evidence, Report, Roadmap, RoadmapItem,
                             RoadmapSection, Source)

def report(f: Fields) -> Report | None:
    f.only("date", "status", "text", "evidence")
    when = f.date("date", required=True)
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
    return Report(when, status, f.text("text"), tuple(evidence))


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
    f.only("code", "title", "programme", "school", "approved", "sections")
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
                   tuple(sections), Source(name, f.line))
