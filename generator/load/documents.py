"""YAML documents → model objects: site settings, indicators, programmes, roadmaps."""
from __future__ import annotations

import re

from generator.errors import Problems
from generator.load.fields import Fields
from generator.model import (
    PUBLISH_LEVELS, RECURRENCES, REPORT_STATUSES, SITE_SECTIONS, Approval, Baseline, Contacts, Evidence, Indicator, Programme,
    ProgrammeTarget, Report, Roadmap, RoadmapItem, RoadmapSection, Rule, Site, Source, Stage, Target,
)
from generator.urls import safe_url

CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
PROGRAMME_CODES = ("participants", "participants_reduction", "repeat_participants", "mentor_agreements", "improved")
TARGET_SCOPES = ("participants", "all", "municipality", "programme")


def _code(f: Fields, key: str = "code") -> str:
    code = f.text(key, required=True)
    if code and not CODE.match(code):
        f.error(key, f"код используется в адресе страницы: строчные латинские буквы, цифры, «-» и «_», найдено «{code[:40]}»")
        return ""
    return code


def rule(f: Fields) -> Rule | None:
    if not f.ok:
        return None
    keys = [k for k in f.doc if k in ("min", "max", "equals", "dynamics")]
    f.only("min", "max", "equals", "dynamics")
    if len(keys) != 1:
        f.problems.add(f.file, f.line, f.where,
                       "ожидалось ровно одно правило: {min: X}, {max: X}, {equals: X} или {dynamics: positive|negative}")
        return None
    kind = keys[0]
    if kind == "dynamics":
        direction = f.text("dynamics")
        if direction not in ("positive", "negative"):
            f.error("dynamics", f"ожидалось positive или negative, найдено «{direction[:20]}»")
            return None
        return Rule("dynamics", None, direction)
    value = f.number(kind, required=True)
    return Rule(kind, value) if value is not None else None


def target(f: Fields, rule_key: str = "rule", targets_key: str = "targets") -> Target:
    sub = f.mapping(rule_key)
    return Target(rule(sub) if sub else None, f.year_map(targets_key))


def baseline(f: Fields) -> Baseline | None:
    sub = f.mapping("baseline")
    if sub is None or not sub.ok:
        return None
    sub.only("year", "value")
    year, value = sub.integer("year", required=True, low=1990, high=2100), sub.number("value", required=True)
    return Baseline(year, value) if year is not None and value is not None else None


def approval(f: Fields) -> Approval:
    sub = f.mapping("approved")
    if sub is None or not sub.ok:
        return Approval()
    sub.only("by", "number", "date")
    return Approval(sub.text("by"), sub.text("number"), sub.date("date"))


def link(f: Fields, key: str) -> str:
    url = f.text(key)
    if url and not safe_url(url):
        f.error(key, f"недопустимая ссылка «{url[:60]}»: разрешены http(s)://, mailto: и адреса внутри сайта")
        return ""
    return url


def programme_targets(f: Fields) -> dict[str, Target]:
    sub = f.mapping("programme_targets")
    if sub is None or not sub.ok:
        return {}
    out: dict[str, Target] = {}
    for key in sub.doc:
        base = key.split(":", 1)[0]
        if base not in PROGRAMME_CODES:
            sub.error(key, f"неизвестный показатель программы; допустимые: {', '.join(PROGRAMME_CODES)}, improved:<код>")
            continue
        spec = sub.mapping(key)
        if spec is None or not spec.ok:
            continue
        spec.only("rule", "targets")
        out[key] = target(spec)
    return out


def site(doc: object, problems: Problems) -> Site | None:
    f = Fields(doc, "site.yml", problems)
    if not f.ok:
        return None
    f.only("municipality", "region", "department", "contacts", "base_url", "current_year", "min_group_size", "demo",
           "as_of", "demo_note", "programme_targets")
    contacts = Contacts()
    sub = f.mapping("contacts")
    if sub is not None and sub.ok:
        sub.only("address", "phone", "email", "person", "hours")
        contacts = Contacts(sub.text("address"), sub.text("phone"), sub.text("email"), sub.text("person"), sub.text("hours"))
    base_url = f.text("base_url", required=True)
    if base_url and not base_url.lower().startswith(("http://", "https://")):
        f.error("base_url", f"ожидался адрес сайта https://…, найдено «{base_url[:60]}»")
    year = f.integer("current_year", required=True, low=1990, high=2100)
    group = f.integer("min_group_size", default=5, low=1, high=1000)
    result = Site(
        municipality=f.text("municipality", required=True),
        department=f.text("department", required=True),
        base_url=base_url,
        current_year=year or 0,
        min_group_size=group or 5,
        demo=f.boolean("demo"),
        region=f.text("region"),
        contacts=contacts,
        as_of=f.date("as_of"),
        demo_note=f.text("demo_note"),
        programme_targets=programme_targets(f),
    )
    return result


def indicators(doc: object, problems: Problems) -> list[tuple[Indicator, int]]:
    name = "indicators.yml"
    if not isinstance(doc, list):
        problems.add(name, getattr(doc, "line", 1), "", "ожидался список показателей («- code: …» для каждого)")
        return []
    top = Fields({"indicators": doc}, name, problems)
    out: list[tuple[Indicator, int]] = []
    seen: dict[str, int] = {}
    for f in top.items("indicators"):
        f.where = f"показатель {f.doc.get('code', '?')}" if f.ok else f.where
        if not f.ok:
            continue
        f.only("code", "title", "group", "unit", "numerator", "denominator", "better", "rule", "targets", "baseline",
               "explanation", "source", "frequency", "publish")
        code = _code(f)
        unit = f.text("unit", required=True)
        numerator = f.text("numerator", required=True)
        denominator = f.text("denominator")
        if unit == "%" and not denominator:
            f.error("denominator", "для показателя в процентах нужен знаменатель (код показателя из results.csv)")
        if unit and unit != "%" and denominator:
            f.error("denominator", "знаменатель указывается только для показателей в процентах (unit: \"%\")")
        better = f.text("better", required=True)
        if better and better not in ("higher", "lower"):
            f.error("better", f"ожидалось higher или lower, найдено «{better[:20]}»")
        publish = f.text("publish", default="school")
        if publish not in PUBLISH_LEVELS:
            f.error("publish", f"ожидалось одно из: {', '.join(PUBLISH_LEVELS)}; найдено «{publish[:20]}»")
        if not code:
            continue
        if code in seen:
            f.error("code", f"код показателя «{code}» повторяется (уже есть в строке {seen[code]})")
            continue
        seen[code] = f.line
        out.append((Indicator(
            code=code, title=f.text("title", required=True), group=f.text("group"), unit=unit,
            numerator=numerator, denominator=denominator if unit == "%" else "", better=better or "higher",
            target=target(f), explanation=f.text("explanation"), source=f.text("source"),
            frequency=f.text("frequency"), baseline=baseline(f), publish=publish if publish in PUBLISH_LEVELS else "school",
        ), f.line))
    return out


def programme(doc: object, name: str, problems: Problems) -> Programme | None:
    f = Fields(doc, name, problems)
    if not f.ok:
        return None
    f.only("code", "title", "short_title", "approved", "developers", "executors", "goal", "tasks", "period", "stages",
           "expected_results", "control", "budget", "web_address", "targets", "programme_targets")
    period = f.mapping("period", required=True)
    start = end = None
    if period is not None and period.ok:
        period.only("start", "end")
        start = period.integer("start", required=True, low=1990, high=2100)
        end = period.integer("end", required=True, low=1990, high=2100)
        if start and end and end < start:
            period.error("end", f"конец периода ({end}) раньше начала ({start})")
    stages = []
    for s in f.items("stages"):
        if s.ok:
            s.only("title", "start", "end", "description")
            stages.append(Stage(s.text("title", required=True), s.integer("start"), s.integer("end"), s.text("description")))
    targets = []
    for t in f.items("targets"):
        if not t.ok:
            continue
        t.only("indicator", "scope", "title", "unit", "baseline", "plan")
        scope = t.text("scope", default="participants")
        if scope not in TARGET_SCOPES:
            t.error("scope", f"ожидалось одно из: {', '.join(TARGET_SCOPES)}; найдено «{scope[:20]}»")
        plan = t.year_map("plan")
        for year in plan:
            if start and end and not start <= year <= end:
                t.error("plan", f"год {year} вне периода программы {start}–{end}")
        targets.append(ProgrammeTarget(t.text("indicator", required=True), scope, t.text("title"), t.text("unit"),
                                       baseline(t), plan, t.line))
    code = _code(f)
    if not code or start is None or end is None:
        return None
    return Programme(
        code=code, title=f.text("title", required=True), period_start=start, period_end=end,
        short_title=f.text("short_title"), approved=approval(f),
        developers=f.texts("developers"), executors=f.texts("executors"), goal=f.text("goal"), tasks=f.texts("tasks"),
        stages=tuple(stages), expected_results=f.texts("expected_results"), control=f.text("control"),
        budget=f.text("budget"), web_address=link(f, "web_address"), targets=tuple(targets), source=Source(name, f.line),
    )


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
    sections = []
    numbers: dict[str, int] = {}
    for s in f.items("sections", required=True):
        if not s.ok:
            continue
        s.only("code", "title", "items")
        items = []
        for i in s.items("items", required=True):
            if not i.ok:
                continue
            item = roadmap_item(i)
            if item is None:
                continue
            if item.number in numbers:
                i.error("number", f"номер пункта «{item.number}» повторяется (уже есть в строке {numbers[item.number]})")
                continue
            numbers[item.number] = i.line
            items.append(item)
        sections.append(RoadmapSection(s.text("code"), s.text("title", required=True), tuple(items)))
    code = _code(f)
    if not code:
        return None
    return Roadmap(code, f.text("title", required=True), f.text("programme"), f.text("school"), approval(f),
                   tuple(sections), Source(name, f.line))
