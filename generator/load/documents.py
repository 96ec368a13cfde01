"""YAML documents → model objects: site settings and indicators, and the field readers that programmes
and roadmaps (load/programmes.py, load/roadmaps.py) share."""
from __future__ import annotations

import re
from decimal import Decimal

from generator.errors import Problems
from generator.numbers import NumberError, parse_number
from generator.load.fields import Fields
from generator.model import INDICATOR_KINDS, Goal, MUNICIPALITY_KINDS, PUBLISH_LEVELS, SIMILAR_WITHIN, Approval, Baseline, Contacts, Indicator, Rule, SimilarConfig, Site, Target
from generator.russian import Unit, Word, unit
from generator.urls import safe_url

CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
PROGRAMME_CODES = ("participants", "participants_reduction", "repeat_participants", "mentor_agreements", "agreements",
                   "improved")
TARGET_SCOPES = ("participants", "all", "municipality", "programme")


def code_of(f: Fields, key: str = "code") -> str:
    code = f.text(key, required=True)
    if code and not CODE.match(code):
        f.error(key, f"код используется в адресе страницы: строчные латинские буквы, цифры, «-» и «_», найдено «{code[:40]}»")
        return ""
    return code


def unit_of(f: Fields, key: str, required: bool = False) -> Unit | None:
    """A unit: a symbol («%», «чел.», «б.»), a word the generator knows («обращений»), or a word with
    its forms ({one: семинар, few: семинара, many: семинаров}), so that a number agrees with it."""
    raw = f.raw(key)
    if isinstance(raw, dict):
        sub = f.mapping(key)
        if sub is None or not sub.ok:
            return None
        sub.only("one", "few", "many")
        forms = [sub.text(k, required=True) for k in ("one", "few", "many")]
        return unit("", Word(*forms)) if all(forms) else None
    text = f.text(key, required=required)
    if not text:
        return None
    found = unit(text)
    if found is None:
        f.error(key, f"«{text[:30]}» — слово, и его форма зависит от числа (1 семинар, 2 семинара, 5 семинаров): "
                     "укажите формы — {one: …, few: …, many: …} — или сокращение с точкой («чел.», «ед.»)")
    return found


def rule(f: Fields) -> Rule | None:
    if not f.ok:
        return None
    keys = [k for k in f.doc if k in RULE_KEYS]
    f.only(*RULE_KEYS)
    if len(keys) != 1:
        f.problems.add(f.file, f.line, f.where,
                       "ожидалось ровно одно правило: {min: X}, {max: X}, {equals: X}, {dynamics: positive|negative}, "
                       "{between: [25, 30]} или {times: 1.3}")
        return None
    kind = keys[0]
    if kind in ("between", "times"):
        raw = f.raw(kind)
        text = f"{raw[0]}–{raw[1]}" if kind == "between" and isinstance(raw, list) and len(raw) == 2 \
            else f"× {raw}" if kind == "times" else str(raw)
        found = parse_goal(text)
        if found is None or isinstance(found, Decimal):
            f.error(kind, "ожидалось {between: [25, 30]} (нижняя и верхняя граница) или {times: 1.3} (во сколько раз "
                    "к базовому году)")
            return None
        return Rule("goal", None, "", found)
    if kind == "dynamics":
        direction = f.text("dynamics")
        if direction not in ("positive", "negative"):
            f.error("dynamics", f"ожидалось positive или negative, найдено «{direction[:20]}»")
            return None
        return Rule("dynamics", None, direction)
    value = f.number(kind, required=True)
    return Rule(kind, value) if value is not None else None


RULE_KEYS = ("min", "max", "equals", "dynamics", "between", "times")
_NUM = r"(\d+(?:[.,]\d+)?)"
_RANGE = re.compile(rf"^{_NUM}\s*%?\s*[–—-]\s*{_NUM}\s*%?$")
_TIMES = re.compile(rf"^(?:[×xх*]|в)\s*{_NUM}(?:\s*раза?)?$")


def parse_goal(text: str) -> Decimal | Goal | None:
    """A year's target as written: «75», «25–30» (a range), «× 1,3» or «в 1,3 раза» (of the baseline)."""
    cleaned = " ".join(str(text).split())
    try:
        return parse_number(cleaned)
    except NumberError:
        pass
    if m := _RANGE.match(cleaned):
        low, high = (parse_number(g) for g in m.groups())
        return Goal(low=low, high=high) if low < high else None
    if m := _TIMES.match(cleaned.lower()):
        factor = parse_number(m.group(1))
        return Goal(factor=factor) if factor > 0 else None
    return None


def target(f: Fields, rule_key: str = "rule", targets_key: str = "targets") -> Target:
    sub = f.mapping(rule_key)
    by_year: dict[int, Decimal | Goal] = {}
    for year, text in f.year_map(targets_key, numeric=False).items():
        found = parse_goal(text)
        if found is None:
            f.error(targets_key, f"{year}: ожидалось число (75), диапазон (25–30) или «× 1,3» (во сколько раз к "
                                 f"базовому году), найдено «{text[:30]}»")
        else:
            by_year[year] = found
    result = Target(rule(sub) if sub else None, by_year)
    if any(isinstance(g, Goal) and g.factor is not None for g in (*by_year.values(), result.rule and result.rule.goal)) \
            and f.mapping("baseline") is None:
        f.error(targets_key if by_year else rule_key, "цель «во сколько раз» считается от базового года: укажите "
                "baseline: {year: 2019} (значение берётся из данных школы или группы за этот год)")
    return result


def baseline(f: Fields) -> Baseline | None:
    sub = f.mapping("baseline")
    if sub is None or not sub.ok:
        return None
    sub.only("year", "value")
    year, value = sub.integer("year", required=True, low=1990, high=2100), sub.number("value")
    return Baseline(year, value) if year is not None else None


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
           "as_of", "demo_note", "programme_targets", "results_since", "kind", "similar_schools")
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
        similar=similar_schools(f),
    )
    return result


def similar_schools(f: Fields) -> SimilarConfig | None:
    """site.yml `similar_schools` (docs/similar-schools.md); load/validation.py checks the codes."""
    sub = f.mapping("similar_schools")
    if sub is None or not sub.ok:
        return None
    sub.only("context", "size", "within")
    raw, texts = sub.raw("context"), sub.texts("context")  # a list (or one code), each code on its line
    if raw in (None, "", []):
        sub.error("context", "укажите показатели, по которым подбираются похожие школы: коды из indicators.yml, "
                             "например context: [ctx_ovz_share, pupils]")
    codes: dict[str, int] = {}
    for i, (code, line) in enumerate(zip(texts, getattr(raw, "lines", [sub.line_of("context")] * len(texts)))):
        if code in codes:
            f.problems.add(f.file, line, f"{sub.name('context')}[{i + 1}]", f"показатель «{code[:40]}» указан дважды")
        codes.setdefault(code, line)
    within = sub.text("within", default="municipality")
    if within not in SIMILAR_WITHIN:
        sub.error("within", f"ожидалось municipality (весь муниципалитет) или district (то же поселение), найдено «{within[:30]}»")
    size = sub.integer("size", default=5, low=1, high=50) or 5
    return SimilarConfig(tuple(codes), size, within, tuple(codes.values())) if codes else None  # within checked above


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
               "explanation", "source", "frequency", "publish", "kind", "counted", "participants")
        code = code_of(f)
        shown = unit_of(f, "unit", required=True)
        unit = str(shown or "")
        kind = f.text("kind", default="share" if unit == "%" else "count")
        if kind not in INDICATOR_KINDS:
            f.error("kind", f"ожидалось одно из: {', '.join(INDICATOR_KINDS)}; найдено «{kind[:20]}»")
            kind = "share" if unit == "%" else "count"
        numerator = f.text("numerator", required=True)
        denominator = f.text("denominator")
        participants = f.text("participants")
        if kind in ("share", "share_of"):
            if unit and unit != "%":
                f.error("unit", f"доля показывается в процентах: unit: \"%\" (вид {kind}), найдено «{unit[:20]}»")
            if not denominator:
                f.error("denominator", "для доли нужен знаменатель (код величины из results.csv)")
        elif denominator:
            f.error("denominator", "знаменатель указывается только для долей (kind: share или share_of)"
                    + ("; у среднего балла число участников — поле participants" if kind == "mean" else ""))
        elif unit == "%":
            f.error("unit", f"«%» — единица доли (kind: share или share_of), а вид показателя — {kind}")
        if kind == "mean" and not participants:
            f.error("participants", "для среднего балла нужна величина с числом участников: без него среднее "
                    "по группе школ не посчитать и малую группу не скрыть")
        elif participants and kind != "mean":
            f.error("participants", "число участников указывается только для среднего балла (kind: mean)")
        counted = None
        if kind == "share_of":
            counted_unit = unit_of(f, "counted", required=True)
            counted = counted_unit.word if counted_unit is not None else None
            if counted_unit is not None and counted is None:
                f.error("counted", "что считается — слово во множественном числе («школ», «педагогов») или его "
                        "формы: {one: школа, few: школы, many: школ}")
        elif f.has("counted"):
            f.error("counted", "поле counted — только для долей школ, педагогов и других единиц (kind: share_of)")
        # Which way is better matters for a target (and «improved»): not for a context measure (the
        # share of children with special needs, the number of pupils) or a given index with no target.
        better = f.text("better", required=f.has("rule") or f.has("targets"))
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
            code=code, title=f.text("title", required=True), group=f.text("group"), unit=shown or Unit(unit),
            numerator=numerator,
            denominator=denominator if kind in ("share", "share_of") else participants if kind == "mean" else "",
            better=better if better in ("higher", "lower") else "",
            target=target(f), explanation=f.text("explanation"), source=f.text("source"),
            frequency=f.text("frequency"), baseline=baseline(f), publish=publish if publish in PUBLISH_LEVELS else "school",
            kind=kind, counted=counted,
        ), f.line))
    return out
