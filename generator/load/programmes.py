"""programmes/*.yml → `Programme`: the passport, goals and tasks, targets, and everything else the
municipal documents publish (principles, mechanism, criteria, risks, governance, recommendations)."""
from __future__ import annotations

from generator.errors import Problems
from generator.load.documents import TARGET_SCOPES, code_of, approval, baseline, link, unit_of
from generator.load.fields import Fields
from generator.model import (AUDIENCES, Body, Criterion, Part, Programme, ProgrammeTarget, Recommendation, Risk,
                             Source, Stage)

def programme(doc: object, name: str, problems: Problems) -> Programme | None:
    f = Fields(doc, name, problems)
    if not f.ok:
        return None
    f.only("code", "title", "short_title", "approved", "developers", "executors", "goal", "tasks", "period", "stages",
           "expected_results", "control", "budget", "web_address", "targets", "programme_targets", "title_period",
           "principles", "mechanism", "realisation_indicators", "criteria", "risks", "governance", "recommendations",
           "openness", "parts")
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
        targets.append(ProgrammeTarget(t.text("indicator", required=True), scope, t.text("title"), unit_of(t, "unit") or "",
                                       baseline(t), plan, t.line))
    code = code_of(f)
    if not code or start is None or end is None:
        return None
    return Programme(
        code=code, title=f.text("title", required=True), period_start=start, period_end=end,
        short_title=f.text("short_title"), approved=approval(f),
        developers=f.texts("developers"), executors=f.texts("executors"), goal=f.text("goal"), tasks=f.texts("tasks"),
        stages=tuple(stages), expected_results=f.texts("expected_results"), control=f.text("control"),
        budget=f.text("budget"), web_address=link(f, "web_address"), targets=tuple(targets),
        title_period=_title_period(f), principles=f.texts("principles"), mechanism=f.texts("mechanism"),
        realisation_indicators=f.texts("realisation_indicators"), criteria=_criteria(f), risks=_risks(f),
        governance=_governance(f), recommendations=_recommendations(f), openness=f.texts("openness"),
        parts=_parts(f),
        source=Source(name, f.line),
    )


def _title_period(f: Fields) -> tuple[int, int] | None:
    """The years in the document's title, when they differ from its period (Миллеровский: title
    2021–2023, passport period 2020–2023): both are published as written."""
    years = f.mapping("title_period")
    if years is None or not years.ok:
        return None
    years.only("start", "end")
    start = years.integer("start", required=True, low=1990, high=2100)
    end = years.integer("end", required=True, low=1990, high=2100)
    if start and end and end < start:
        years.error("end", f"конец ({end}) раньше начала ({start})")
    return (start, end) if start and end and end >= start else None


def _criteria(f: Fields) -> tuple[Criterion, ...]:
    out = []
    for c in f.items("criteria"):
        if c.ok:
            c.only("title", "formula", "threshold", "unit", "note")
            title = c.text("title", required=True)
            if title:
                out.append(Criterion(title, c.text("formula"), c.text("threshold"), c.text("unit"), c.text("note")))
    return tuple(out)


def _parts(f: Fields) -> tuple[Part, ...]:
    out = []
    for part in f.items("parts"):
        if part.ok:
            part.only("title", "paragraphs", "items", "place")
            title, paragraphs, items = part.text("title", required=True), part.texts("paragraphs"), part.texts("items")
            place = part.text("place", default="end")
            if place not in ("start", "end"):
                part.error("place", f"ожидалось start (сразу после паспорта) или end (в конце); найдено «{place[:20]}»")
                place = "end"
            if title and not (paragraphs or items):
                part.error("paragraphs", "раздел без текста: укажите paragraphs (абзацы) или items (пункты списка)")
            if title:
                out.append(Part(title, paragraphs, items, place))
    return tuple(out)


def _risks(f: Fields) -> tuple[Risk, ...]:
    out = []
    for r in f.items("risks"):
        if r.ok:
            r.only("risk", "mitigation")
            risk = r.text("risk", required=True)
            if risk:
                out.append(Risk(risk, r.text("mitigation")))
    return tuple(out)


def _governance(f: Fields) -> tuple[Body, ...]:
    out = []
    for b in f.items("governance"):
        if b.ok:
            b.only("body", "functions")
            body = b.text("body", required=True)
            if body:
                out.append(Body(body, b.texts("functions")))
    return tuple(out)


def _recommendations(f: Fields) -> tuple[Recommendation, ...]:
    out = []
    for r in f.items("recommendations"):
        if not r.ok:
            continue
        r.only("audience", "title", "items")
        audience = r.text("audience", required=True)
        if audience and audience not in AUDIENCES:
            r.error("audience", f"ожидалось одно из: {', '.join(AUDIENCES)}; найдено «{audience[:30]}»")
            continue
        items = r.texts("items")  # may be empty: a document that only names whom it addresses
        title = r.text("title") or AUDIENCES.get(audience, "")
        if audience == "other" and not r.text("title"):
            r.error("title", "для audience: other укажите title — кому адресованы рекомендации, как в документе")
        if audience and title:
            out.append(Recommendation(audience, title, items))
    return tuple(out)
