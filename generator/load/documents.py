"""YAML documents → model objects: site settings and indicators, and the field readers that programmes
and roadmaps (load/programmes.py, load/roadmaps.py) share."""
from __future__ import annotations

import re

from generator.errors import Problems
from generator.load.fields import Fields
from generator.model import MUNICIPALITY_KINDS, PUBLISH_LEVELS, Approval, Baseline, Contacts, Indicator, Rule, Site, Target
from generator.urls import safe_url

CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
PROGRAMME_CODES = ("participants", "participants_reduction", "repeat_participants", "mentor_agreements", "improved")
TARGET_SCOPES = ("participants", "all", "municipality", "programme")


def code_of(f: Fields, key: str = "code") -> str:
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
           "as_of", "demo_note", "programme_targets", "results_since", "kind")
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
        results_since=f.integer("results_since", low=1990, high=2100),
        kind=_kind(f),
    )
    return result


def _kind(f: Fields) -> str:
    kind = f.text("kind", default="район")
    if kind not in MUNICIPALITY_KINDS:
        f.error("kind", f"ожидалось одно из: {', '.join(MUNICIPALITY_KINDS)}; найдено «{kind[:20]}»")
        return "район"
    return kind


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
        code = code_of(f)
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
