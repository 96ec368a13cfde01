"""CSV files → model rows. Each function records problems and returns what was valid."""
from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from generator.load.csv_files import Row, Table, read_csv
from generator.errors import Problems, is_data_file
from generator.load.fields import parse_date
from generator.model import SCHOOL_STATUSES, Measure, Mentorship, NOT_SIGNED, Rename, Result, School, Source, Status
from generator.numbers import NumberError, parse_number
from generator.urls import safe_url

SCHOOL_CODE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_-]{0,39}$")
NAME_MAX, SHORT_NAME_MAX = 300, 100  # a school's name is a page title and a table cell on every list
MEASURE_CODE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


class Codes(set):
    """Codes defined by a table, and where that table is, for messages: «в schools.csv», or «на листе
    «schools» (данные.xlsx)» when it was read from a workbook (load/sources.py)."""

    def __init__(self, codes=(), where: str = ""):
        super().__init__(codes)
        self.where = where


def where(codes: set, default: str) -> str:
    """«в schools.csv» (default: the CSV file) or where the codes were read from."""
    return getattr(codes, "where", "") or f"в {default}"


def table_place(table: Table | None, default: str) -> str:
    """How messages name the place of a table: «в schools.csv» or «на листе «schools» (данные.xlsx)»."""
    name = getattr(table, "name", None)
    if name is not None and hasattr(name, "sheet"):
        return f"на листе «{name.sheet}» ({name.book})"
    return f"в {default}"


def read_table(data_dir: Path, name: str, required: tuple[str, ...], optional: tuple[str, ...],
               problems: Problems) -> Table | None:
    path = data_dir / name
    if not is_data_file(path, name, problems):
        return None
    return read_csv(path, name, required, optional, problems)


def _web_address(row: Row, table: str, column: str, problems: Problems) -> str:
    """An http(s) address of a page on the school's own site, or "" (with a problem when malformed)."""
    address = row.get(column)
    if address and not (safe_url(address) and address.lower().startswith(("http://", "https://"))):
        what = "сайта" if column == "website" else "страницы"
        problems.add(table, row.line, column, f"ожидался адрес {what} http(s)://…, найдено «{address[:60]}»")
        return ""
    return address


def _year(row: Row, table: str, problems: Problems, column: str = "year") -> int | None:
    text = row.get(column)
    year = _parse_year(text)
    if year is None:
        problems.add(table, row.line, column, f"ожидался год из четырёх цифр (например 2023), найдено «{text[:20]}»")
    return year


@lru_cache(maxsize=1024)  # a table has a handful of distinct years and hundreds of thousands of rows
def _parse_year(text: str) -> int | None:
    return int(text) if re.fullmatch(r"\d{4}", text) and 1990 <= int(text) <= 2100 else None


def _required(row: Row, table: str, column: str, problems: Problems) -> str | None:
    value = row.get(column)
    if not value:
        problems.add(table, row.line, column, "обязательное значение не заполнено")
        return None
    return value


def schools(table: Table, problems: Problems) -> tuple[School, ...]:
    out: dict[str, School] = {}
    for row in table.rows:
        code, name = _required(row, table.name, "code", problems), _required(row, table.name, "name", problems)
        if code is None or name is None:
            continue
        if not SCHOOL_CODE.match(code):
            problems.add(table.name, row.line, "code",
                         f"код школы используется в адресе страницы: только латинские буквы, цифры, «-» и «_» "
                         f"(до 40 символов), найдено «{code[:40]}»")
            continue
        if code in out:
            problems.add(table.name, row.line, "code",
                         f"код школы «{code}» повторяется (уже есть в строке {out[code].source.line})")
            continue
        for column, limit in (("name", NAME_MAX), ("short_name", SHORT_NAME_MAX)):
            if len(row.get(column)) > limit:
                problems.add(table.name, row.line, column, f"слишком длинное название: {len(row.get(column))} символов, "
                                                           f"допустимо не более {limit}")
        website, project_page, roadmap_url = (_web_address(row, table.name, column, problems)
                                              for column in ("website", "project_page", "roadmap_url"))
        out[code] = School(code, name, row.get("short_name") or name, row.get("district"), website,
                           row.get("address"), project_page, roadmap_url, Source(table.name, row.line))
    return tuple(out.values())


def statuses(table: Table, known: set[str], problems: Problems) -> tuple[Status, ...]:
    out: dict[tuple[int, str, str], int] = {}
    result = []
    for row in table.rows:
        year, school, status = _year(row, table.name, problems), row.get("school"), row.get("status")
        bad = year is None
        if school not in known:
            problems.add(table.name, row.line, "school", f"школа с кодом «{school[:40]}» не найдена {where(known, 'schools.csv')}")
            bad = True
        if status not in SCHOOL_STATUSES:
            problems.add(table.name, row.line, "status",
                         f"ожидалось одно из: {', '.join(SCHOOL_STATUSES)}; найдено «{status[:40]}»")
            bad = True
        if bad:
            continue
        key = (year, school, status)
        if key in out:
            problems.add(table.name, row.line, "status", f"строка повторяет строку {out[key]} (тот же год, школа и статус)")
            continue
        out[key] = row.line
        result.append(Status(year, school, status))
    return tuple(result)


def mentorships(table: Table, known: set[str], problems: Problems) -> tuple[Mentorship, ...]:
    seen: dict[tuple[int, str, str], int] = {}
    result = []
    for row in table.rows:
        year = _year(row, table.name, problems)
        mentor, mentee = row.get("mentor"), row.get("mentee")
        bad = year is None
        for column, code in (("mentor", mentor), ("mentee", mentee)):
            if code not in known:
                problems.add(table.name, row.line, column, f"школа с кодом «{code[:40]}» не найдена {where(known, 'schools.csv')}")
                bad = True
        if mentor == mentee and mentor:
            problems.add(table.name, row.line, "mentee", "школа не может быть наставником самой себе")
            bad = True
        agreement_date = None
        if row.get("agreement_date"):
            try:
                agreement_date = parse_date(row.get("agreement_date"))
            except ValueError as err:
                problems.add(table.name, row.line, "agreement_date", str(err))
                bad = True
        if row.get("agreement_date") and (not row.get("agreement") or row.get("agreement").strip().lower() in NOT_SIGNED):
            problems.add(table.name, row.line, "agreement", "указана дата договора, но нет его номера")
            bad = True
        if bad:
            continue
        key = (year, mentor, mentee)
        if key in seen:
            problems.add(table.name, row.line, "mentee", f"пара повторяет строку {seen[key]} (тот же год, наставник и школа)")
            continue
        seen[key] = row.line
        result.append(Mentorship(year, mentor, mentee, row.get("agreement"), agreement_date, row.get("forms"),
                                 line=row.line))
    return tuple(result)


def measures(table: Table, problems: Problems) -> tuple[Measure, ...]:
    out: dict[str, Measure] = {}
    lines: dict[str, int] = {}
    for row in table.rows:
        code = _required(row, table.name, "code", problems)
        if code is None:
            continue
        if not MEASURE_CODE.match(code):
            problems.add(table.name, row.line, "code",
                         f"код показателя: строчные латинские буквы, цифры и «_», найдено «{code[:40]}»")
            continue
        if code in out:
            problems.add(table.name, row.line, "code", f"код «{code}» повторяется (уже есть в строке {lines[code]})")
            continue
        out[code], lines[code] = Measure(code, row.get("title"), row.get("unit")), row.line
    return tuple(out.values())


def results(table: Table, known_schools: set[str], known_measures: set[str], problems: Problems,
            lines: dict[tuple[int, str, str], int] | None = None,
            ) -> tuple[tuple[Result, ...], dict[tuple[int, str, str], int]]:
    """Returns results and the line of each (year, school, measure) for later cross-checks.
    `lines`: those of earlier parts of the same file, when it is checked in parts (repeats across them)."""
    lines = {} if lines is None else lines
    result = []
    for row in table.rows:
        year = _year(row, table.name, problems)
        school, measure, text = row.get("school"), row.get("measure"), row.get("value")
        bad = year is None
        if school and school not in known_schools:
            problems.add(table.name, row.line, "school", f"школа с кодом «{school[:40]}» не найдена {where(known_schools, 'schools.csv')}")
            bad = True
        if measure not in known_measures:
            problems.add(table.name, row.line, "measure",
                         f"неизвестный код показателя «{measure[:40]}»: его нет {where(known_measures, 'measures.csv')} "
                         f"и indicators.yml")
            bad = True
        value: Decimal | None = None
        if text:
            try:
                value = parse_number(text)
            except NumberError as err:
                problems.add(table.name, row.line, "value", str(err))
                bad = True
            else:
                if value < 0:
                    problems.add(table.name, row.line, "value", f"ожидалось неотрицательное число, найдено «{text}»")
                    bad = True
        if bad:
            continue
        key = (year, school, measure)
        if key in lines:
            who = f"школа {school}" if school else "муниципалитет"
            problems.add(table.name, row.line, "measure",
                         f"повтор: {year}, {who}, {measure} уже есть в строке {lines[key]}")
            continue
        lines[key] = row.line
        result.append(Result(year, school, measure, value))
    return tuple(result), lines


def renames(table: Table, known: set[str], problems: Problems) -> tuple[Rename, ...]:
    """old_code → new_code; chains are followed to the current code, cycles refused."""
    direct: dict[str, tuple[str, int]] = {}
    rows: dict[str, Rename] = {}
    for row in table.rows:
        old, new = _required(row, table.name, "old_code", problems), _required(row, table.name, "new_code", problems)
        if old is None or new is None:
            continue
        if not SCHOOL_CODE.match(old):
            problems.add(table.name, row.line, "old_code", f"недопустимый код «{old[:40]}»")
            continue
        if old in known:
            problems.add(table.name, row.line, "old_code",
                         f"код «{old}» всё ещё есть {where(known, 'schools.csv')}: старый код должен быть удалён из списка школ")
            continue
        if old in direct:
            problems.add(table.name, row.line, "old_code", f"код «{old}» уже переименован в строке {direct[old][1]}")
            continue
        when = None
        if row.get("date"):
            try:
                when = parse_date(row.get("date"))
            except ValueError as err:
                problems.add(table.name, row.line, "date", str(err))
                continue
        direct[old] = (new, row.line)
        rows[old] = Rename(old, new, when, row.get("reason"))
    out = []
    for old, rename in rows.items():
        seen, current = {old}, rename.new
        while current in direct:
            if current in seen:
                problems.add(table.name, direct[old][1], "new_code", f"переименования образуют цикл через «{current}»")
                break
            seen.add(current)
            current = direct[current][0]
        else:
            if current not in known:
                problems.add(table.name, direct[old][1], "new_code", f"школа с кодом «{current}» не найдена {where(known, 'schools.csv')}")
                continue
            out.append(Rename(old, current, rename.date, rename.reason))
    return tuple(out)


def check_years(bounds: tuple[int, int, int], year_tables: list, problems: Problems) -> None:
    """Rows whose `year` is outside (first, last allowed reporting year, current year)."""
    low, high, current_year = bounds
    for table in year_tables:
        if table is None:
            continue
        for row in table.rows:
            text = row.get("year")
            if text.isdigit() and len(text) == 4 and not low <= int(text) <= high:
                why = "позже текущего отчётного года (current_year в site.yml)" if int(text) > current_year \
                    else ("вне периода программ (с учётом базового года); данные за годы до начала программы "
                          "принимаются, если указать results_since в site.yml")
                problems.add(table.name, row.line, "year", f"ожидался год от {low} до {high}, найдено {text}: {why}")
