"""Roadmap deadlines as orders write them («ежегодно октябрь, декабрь, март, май», «3 квартал 2021
года», «до 30.04.2021») → a schedule of dated occurrences. Pure. The reading of every wording is
docs/deadlines-spec.md; the department's version is docs/data-contract.md §10.

A wording is one or two clauses («сентябрь 2021, далее ежегодно февраль – март»). A clause is either
one-off (a date, a month, a period, a quarter, years) or a cycle (yearly, by months, by school year,
quarterly, monthly, continuous); a cycle's occurrences are those due inside the roadmap's frame.
One concern past 300 lines: the clause patterns, the cycles they make and the text that shows the
reading on the page are one reading of one wording, and change together.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date, timedelta

from babel.dates import format_date

from generator.model import Frame, Occurrence, RoadmapItem, Schedule
from generator.russian import RU

__all__ = ["DeadlineError", "Frame", "Occurrence", "Schedule", "parse_deadline", "explicit_schedule"]


class DeadlineError(ValueError):
    """A wording the reader does not know; the message is Russian and names the closest forms."""


# Accepted forms, for the error message's «например».
EXAMPLES = (
    "до 30.04.2021", "не позднее 1 сентября 2021 г.", "март 2021", "февраль – март 2021", "сентябрь 2021 – май 2022",
    "3 квартал 2021 года", "IV квартал 2021", "2021-2024", "до 2024 года", "до декабря 2020", "ежегодно",
    "ежегодно, сентябрь", "ежегодно октябрь, декабрь, март, май", "ежегодно, апрель – май", "ежеквартально",
    "4 квартал каждого учебного года", "ежемесячно", "постоянно", "с сентября 2021 года", "в течение года",
    "в течение учебного года", "согласно графику", "по мере необходимости",
    "сентябрь 2021, далее ежегодно февраль – март",
)
_MONTH_STEMS = (("январ", 1), ("феврал", 2), ("март", 3), ("апрел", 4), ("ма", 5), ("июн", 6), ("июл", 7),
                ("август", 8), ("сентябр", 9), ("октябр", 10), ("ноябр", 11), ("декабр", 12))
MONTH = r"(январ[ьяе]|феврал[ьяе]|марта?|марте|апрел[ьяе]|ма[йяе]|июн[ьяе]|июл[ьяе]|августа?|августе|" \
        r"сентябр[ьяе]|октябр[ьяе]|ноябр[ьяе]|декабр[ьяе])"
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
QUARTER = r"(iv|i{1,3}|[1-4])"
NOT_JUDGED = {"согласно графику": "согласно графику", "по графику": "по графику",
              "по мере необходимости": "по мере необходимости", "по необходимости": "по необходимости"}


def _month(word: str) -> int:
    for stem, number in _MONTH_STEMS:
        if word.startswith(stem):
            return number
    raise AssertionError(word)  # MONTH matched it


def _normal(text: str) -> str:
    s = " ".join(str(text).lower().replace("ё", "е").split())
    s = re.sub(r"\s*[‐‑–—-]\s*", " - ", s)
    s = re.sub(r"(\d{4})\s*(?:гг?\.?|годы|года|год)(?=$|[\s,.;])", r"\1", s)
    s = re.sub(r"(\d{4}) - (\d{4})", r"\1-\2", s)
    return s.strip(" .,;")


def _end_of_month(year: int, month: int) -> date:
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def _day(d: date, year: bool = True) -> str:
    return format_date(d, format="d MMMM y" if year else "d MMMM", locale=RU)


def _date(day: str, month: str, year: str, text: str) -> date:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise DeadlineError(f"в сроке «{text}» нет такой даты: {day}.{month}.{year}; например: «до 30.04.2021», "
                            "«до 29.02.2024» (в високосный год)") from None


# --- one clause --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Clause:
    dues: tuple[tuple[date | None, date], ...]  # (period start or None, due) of a one-off clause
    cycle: str = ""  # "" one-off; "year" | "school" | "quarter" | "month" | "school_quarter"
    months: tuple[tuple[int, int], ...] = ()  # cycle by months: (first month, last month) of each item
    since: date | None = None  # a cycle that begins at a date («с сентября 2021», «ежегодно с 2021»)
    coverage: bool = False
    text: str = ""


def _one_off(start: date | None, due: date, text: str) -> _Clause:
    return _Clause(((start, due),), text=text)


def _clause(s: str, original: str, frame: Frame) -> _Clause | None:
    if m := re.fullmatch(r"(?:до|не позднее|к)?\s*(\d{1,2})\.(\d{1,2})\.(\d{4})", s):
        due = _date(*m.groups(), original)
        return _one_off(None, due, f"до {_day(due)}")
    if m := re.fullmatch(rf"(?:до|не позднее|к)?\s*(\d{{1,2}})\s+{MONTH}\s+(\d{{4}})", s):
        due = _date(m.group(1), str(_month(m.group(2))), m.group(3), original)
        return _one_off(None, due, f"до {_day(due)}")
    if m := re.fullmatch(rf"до\s+{MONTH}\s+(\d{{4}})", s):  # before that month: «до декабря 2020» → 30.11
        due = date(int(m.group(2)), _month(m.group(1)), 1) - timedelta(days=1)
        return _one_off(None, due, f"до {_day(due)}")
    if m := re.fullmatch(r"до\s+(\d{4})", s):  # «до 2024 года»: before that year
        due = date(int(m.group(1)) - 1, 12, 31)
        return _one_off(None, due, f"до {_day(due)}")
    if m := re.fullmatch(rf"{QUARTER}\s*квартал\s+(\d{{4}})", s):
        q, year = _ROMAN[m.group(1)], int(m.group(2))
        start, due = date(year, 3 * q - 2, 1), _end_of_month(year, 3 * q)
        return _one_off(start, due, f"{_roman(q)} квартал {year}: до {_day(due)}")
    if m := re.fullmatch(rf"{QUARTER}\s*квартал\s+каждого\s+учебного\s+года", s):
        q = _ROMAN[m.group(1)]
        first = (9 + 3 * (q - 1) - 1) % 12 + 1  # school-year quarters: IX–XI, XII–II, III–V, VI–VIII
        return _Clause((), "school_quarter", ((first, (first + 1) % 12 + 1),),
                       text=f"{_roman(q)} квартал учебного года")
    if m := re.fullmatch(r"(\d{4})-(\d{4})", s):
        a, b = int(m.group(1)), int(m.group(2))
        if b < a:
            raise DeadlineError(f"в сроке «{original}» второй год раньше первого")
        return _one_off(date(a, 1, 1), date(b, 12, 31), f"{a}–{b}: до {_day(date(b, 12, 31))}")
    if m := re.fullmatch(r"(\d{4})", s):
        y = int(m.group(1))
        return _one_off(date(y, 1, 1), date(y, 12, 31), f"{y}: до {_day(date(y, 12, 31))}")
    if m := re.fullmatch(rf"{MONTH}(?:\s+(\d{{4}}))?\s+-\s+{MONTH}\s+(\d{{4}})", s):
        first, last, year = _month(m.group(1)), _month(m.group(3)), int(m.group(4))
        first_year = int(m.group(2)) if m.group(2) else year - (first > last)
        start, due = date(first_year, first, 1), _end_of_month(year, last)
        return _one_off(start, due, f"с {_day(start)} по {_day(due)}")
    if m := re.fullmatch(rf"{MONTH}\s+(\d{{4}})", s):
        due = _end_of_month(int(m.group(2)), _month(m.group(1)))
        return _one_off(due.replace(day=1), due, f"до {_day(due)}")
    if m := re.fullmatch(rf"с\s+{MONTH}\s+(\d{{4}})", s):
        since = date(int(m.group(2)), _month(m.group(1)), 1)
        return _Clause((), "quarter", since=since, coverage=True, text=f"постоянно с {_day(since)}")
    if s in ("постоянно", "пополнение ежеквартальное"):
        return _Clause((), "quarter", coverage=True, text="постоянно")
    if s == "ежеквартально":
        return _Clause((), "quarter", text="ежеквартально")
    if s == "ежемесячно":
        return _Clause((), "month", text="ежемесячно")
    if s == "в течение учебного года":
        return _Clause((), "school", ((9, 8),), text="в течение учебного года")
    if m := re.fullmatch(r"(?:ежегодно|в течение года)(?:\s+с\s+(\d{4}))?", s):
        since = date(int(m.group(1)), 1, 1) if m.group(1) else None
        return _Clause((), "year", ((1, 12),), since=since, text="ежегодно")
    body = re.sub(r"^ежегодно[,:]?\s*", "", s)
    items = [p.strip() for p in re.split(r",|\s+и\s+", body) if p.strip()]
    months = []
    for item in items:
        if m := re.fullmatch(rf"{MONTH}(?:\s+-\s+{MONTH})?", item):
            first = _month(m.group(1))
            months.append((first, _month(m.group(2)) if m.group(2) else first))
        else:
            return None
    if not months:
        return None
    lasts = [last for _, last in months]
    wraps = any(b < a for a, b in zip(lasts, lasts[1:])) or any(last < first for first, last in months)
    return _Clause((), "school" if wraps else "year", tuple(months), text="ежегодно")


def _month_name(month: int) -> str:
    return format_date(date(2001, month, 1), format="LLLL", locale=RU)


def _roman(q: int) -> str:
    return ("I", "II", "III", "IV")[q - 1]


# --- cycles --------------------------------------------------------------------------------------------

def _cycle_dues(clause: _Clause, frame: Frame) -> list[tuple[date, date, int]]:
    """(item start, due, school year or 0) of the cycle, one year beyond the frame on either side."""
    out = []
    years = range(frame.start.year - 2, frame.end.year + 2)
    if clause.cycle == "quarter":
        for y in years:
            for q in range(1, 5):
                out.append((date(y, 3 * q - 2, 1), _end_of_month(y, 3 * q), 0))
    elif clause.cycle == "month":
        for y in years:
            for month in range(1, 13):
                out.append((date(y, month, 1), _end_of_month(y, month), 0))
    else:
        school = clause.cycle in ("school", "school_quarter")
        for y in years:  # y: the calendar year, or the school year's first calendar year
            for first, last in clause.months:
                last_year = y + (school and last < 9)
                first_year = y + (school and first < 9)
                if first_year > last_year:  # a range that wraps past 1 January («сентябрь – май»)
                    first_year = last_year - 1
                out.append((date(first_year, first, 1), _end_of_month(last_year, last), y if school else 0))
    return sorted(set(out), key=lambda x: (x[1], x[0]))


def _cycle(clause: _Clause, frame: Frame, after: date | None) -> list[Occurrence]:
    dues = _cycle_dues(clause, frame)
    begin = max(d for d in (frame.start, frame.since, clause.since, after and after + timedelta(days=1))
                if d is not None)
    chosen = []
    previous_due: date | None = None
    for item_start, due, school_year in dues:
        start = previous_due + timedelta(days=1) if previous_due is not None else item_start
        previous_due = due
        if clause.coverage:
            start = max(start, item_start)
        if begin <= due <= frame.end:
            chosen.append((Occurrence(max(start, begin), due, clause.coverage), school_year))
    if clause.cycle in ("school", "school_quarter"):
        complete = [o for o, y in chosen if date(y, 9, 1) >= frame.start and date(y + 1, 8, 31) <= frame.end]
        if complete:
            return complete
    return [o for o, _ in chosen]


def _cycle_text(clause: _Clause, occurrences: list[Occurrence]) -> str:
    if not occurrences:
        return f"{clause.text}: в пределах программы сроков нет"
    if len(occurrences) == 1 and not clause.coverage:
        return f"до {_day(occurrences[0].due)}"
    first, last = occurrences[0].due, occurrences[-1].due
    if clause.cycle == "quarter":
        what = "отчёт в каждом квартале" if clause.coverage else "в конце каждого квартала"
        return f"{what}, с {_day(occurrences[0].start)} по {_day(last)}"
    if clause.cycle == "month":
        return f"в конце каждого месяца, с {_day(occurrences[0].start)} по {_day(last)}"
    days = ", ".join(_day(_end_of_month(2001, b), year=False) for _, b in clause.months)
    if clause.cycle in ("school", "school_quarter"):
        first_sy = first.year - (first.month < 9)
        last_sy = last.year - (last.month < 9)
        label = f"{first_sy}/{(first_sy + 1) % 100:02d}" + (
            f"–{last_sy}/{(last_sy + 1) % 100:02d}" if last_sy != first_sy else "")
        if clause.cycle == "school_quarter":
            (first_month, last_month), = clause.months
            months = f"{_month_name(first_month)} – {_month_name(last_month)}"
            return f"{clause.text} ({months}): до {days} каждого учебного года, {label}"
        return f"{days} каждого учебного года, {label}"
    years = f"{first.year}–{last.year}" if last.year != first.year else f"{first.year}"
    return f"{days} каждого года, {years}"


# --- the wording -------------------------------------------------------------------------------------

def parse_deadline(text: str, frame: Frame) -> Schedule:
    """The schedule of a deadline as written; DeadlineError when the wording is not one of the forms
    of docs/deadlines-spec.md."""
    s = _normal(text)
    if not s:
        raise DeadlineError(_unknown(text))
    if s in NOT_JUDGED:
        return Schedule((), False, f"не оценивается: срок «{NOT_JUDGED[s]}», даты не указаны")
    parts = [p.strip(" ,") for p in re.split(r",?\s*далее\s+|\s+(?=пополнение ежеквартальное)", s) if p.strip(" ,")]
    occurrences: list[Occurrence] = []
    texts = []
    for part in parts:
        clause = _clause(part, text, frame)
        if clause is None:
            raise DeadlineError(_unknown(text))
        if clause.cycle:
            after = occurrences[-1].due if occurrences else None
            found = _cycle(clause, frame, after)
            texts.append(_cycle_text(clause, found))
        else:
            found = [Occurrence(frame.start if not occurrences else occurrences[-1].due + timedelta(days=1), due)
                     for _, due in clause.dues]
            texts.append(clause.text)
        occurrences.extend(found)
    return Schedule(tuple(occurrences), True, "; далее ".join(texts))


def _unknown(text: str) -> str:
    close = difflib.get_close_matches(_normal(text), [_normal(e) for e in EXAMPLES], n=3, cutoff=0.3)
    shown = [e for e in EXAMPLES if _normal(e) in close] or list(EXAMPLES[:4])
    return (f"срок «{str(text)[:60]}» не удалось прочитать; например: " + "; ".join(f"«{e}»" for e in shown)
            + ". Все формы — в docs/data-contract.md, раздел 10; или задайте даты полями due / period")


def explicit_schedule(item: RoadmapItem, frame: Frame) -> Schedule | None:
    """The schedule the explicit fields give (due, period, recurrence), which override the wording;
    None when the item has none of them."""
    if item.due is None and item.period_end is None and item.recurrence == "once":
        return None
    begin = item.period_start or item.due or frame.start
    last = item.period_end or frame.end
    if item.recurrence == "once":
        due = item.due or item.period_end
        return Schedule((Occurrence(frame.start, due),), True, f"до {_day(due)}")
    if item.recurrence == "yearly":
        month, day = (item.due.month, item.due.day) if item.due else (12, 31)
        dues = [_safe(y, month, day) for y in range(begin.year, last.year + 1)]
        dues = [d for d in dues if begin <= d <= last]
        text = f"{_day(dues[0], year=False) if dues else ''} каждого года"
        # The first window opens with the item's period, or with the frame (a report before the first
        # deadline counts for it), not on the deadline day itself.
        occurrences, start = [], item.period_start or frame.start
        for d in dues:
            occurrences.append(Occurrence(start, d))
            start = d + timedelta(days=1)
        return Schedule(tuple(occurrences), True, text)
    clause = _Clause((), "month" if item.recurrence == "monthly" else "quarter", since=begin,
                     coverage=item.recurrence == "continuous", text=item.recurrence)
    found = [o for o in _cycle(clause, Frame(frame.start, last), None)]
    return Schedule(tuple(found), True, _cycle_text(clause, found))


def _safe(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:  # 29 February in a common year
        return date(year, month, 28)
