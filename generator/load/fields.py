"""Typed reading of YAML mappings, recording a Russian problem per bad field."""
from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from generator.errors import Problems
from generator.numbers import NumberError, parse_number
from generator.load.yaml_files import LineDict, LineList

# The longest a heading-like text may be: a title goes into <title>, headings, menus and tables, so an
# over-long one (a pasted paragraph, 10,000 characters) breaks every page it appears on.
TITLE_LIMITS = {"title": 500, "short_title": 150, "municipality": 200, "department": 300}
_RU_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


def parse_date(value: Any) -> date:
    """ISO 2021-04-30 or Russian 30.04.2021; raises ValueError with a Russian message."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    match = _RU_DATE.match(text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return date(year, month, day)
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"ожидалась дата ГГГГ-ММ-ДД или ДД.ММ.ГГГГ, найдено «{text[:40]}»") from None


def date_or_none(value: Any) -> date | None:
    """parse_date for our own files (manifests, the year's view of the data): None when absent or not a date."""
    try:
        return parse_date(value) if value is not None else None
    except ValueError:
        return None


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "словарь"
    if isinstance(value, list):
        return "список"
    if value is None:
        return "пусто"
    return f"«{str(value)[:40]}»"


class Fields:
    """Reads the keys of one YAML mapping; every read records problems instead of raising."""

    def __init__(self, doc: Any, file: str, problems: Problems, where: str = "", line: int = 0):
        self.file, self.problems, self.where = file, problems, where
        if isinstance(doc, dict):
            self.doc = doc
            self.line = getattr(doc, "line", line)
            self.ok = True
        else:
            self.doc = LineDict()
            self.doc.lines = {}
            self.line = getattr(doc, "line", line)
            self.ok = False
            problems.add(file, self.line, where, f"ожидался словарь «ключ: значение», найдено {_kind(doc)}")

    def name(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def line_of(self, key: str) -> int:
        if isinstance(self.doc, LineDict):
            return self.doc.line_of(key) or self.line
        return self.line

    def error(self, key: str, message: str) -> None:
        self.problems.add(self.file, self.line_of(key), self.name(key), message)

    def only(self, *allowed: str) -> None:
        for key in self.doc:
            if key not in allowed:
                # `{by: Отдел образования, опеки и попечительства, number: 381}`: the comma inside the
                # value starts a new key with no value. Say so rather than only "unknown field".
                hint = ("; похоже, в значении предыдущего поля есть запятая (внутри {…} запятая разделяет поля): "
                        "возьмите значение в кавычки, например by: \"Отдел образования, опеки и попечительства\""
                        if self.doc[key] is None and (" " in str(key) or not str(key).isascii()) else "")
                self.error(key, f"неизвестное поле; допустимые поля: {', '.join(allowed)}{hint}")

    def has(self, key: str) -> bool:
        return self.doc.get(key) not in (None, "")

    def raw(self, key: str) -> Any:
        return self.doc.get(key)

    def text(self, key: str, required: bool = False, default: str = "") -> str:
        value = self.doc.get(key)
        if value is None or value == "":
            if required:
                self.error(key, "обязательное поле не заполнено")
            return default
        if isinstance(value, (dict, list)):
            self.error(key, f"ожидался текст, найдено {_kind(value)}")
            return default
        if isinstance(value, bool):
            self.error(key, f"ожидался текст, найдено логическое значение {value}; возьмите текст в кавычки")
            return default
        text = str(value).strip()
        limit = TITLE_LIMITS.get(key)
        if limit is not None and len(text) > limit:
            self.error(key, f"слишком длинный текст: {len(text)} символов, допустимо не более {limit} "
                            f"(это заголовок: подробности напишите в другом поле)")
            return text[:limit]
        return text

    def integer(self, key: str, required: bool = False, default: int | None = None,
                low: int | None = None, high: int | None = None) -> int | None:
        value = self.doc.get(key)
        if value is None or value == "":
            if required:
                self.error(key, "обязательное поле не заполнено")
            return default
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            self.error(key, f"ожидалось целое число, найдено {_kind(value)}")
            return default
        try:
            number = int(str(value).strip())
        except ValueError:
            self.error(key, f"ожидалось целое число, найдено {_kind(value)}")
            return default
        if (low is not None and number < low) or (high is not None and number > high):
            self.error(key, f"ожидалось число от {low} до {high}, найдено {number}")
            return default
        return number

    def number(self, key: str, required: bool = False) -> Decimal | None:
        value = self.doc.get(key)
        if value is None or value == "":
            if required:
                self.error(key, "обязательное поле не заполнено")
            return None
        return self.number_value(value, key)

    def number_value(self, value: Any, key: str) -> Decimal | None:
        if isinstance(value, bool) or isinstance(value, (dict, list)):
            self.error(key, f"ожидалось число, найдено {_kind(value)}")
            return None
        try:
            return parse_number(str(value))
        except NumberError as err:
            self.error(key, str(err))
            return None

    def boolean(self, key: str, default: bool = False) -> bool:
        value = self.doc.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.error(key, f"ожидалось true или false, найдено {_kind(value)}")
            return default
        return value

    def date(self, key: str, required: bool = False) -> date | None:
        value = self.doc.get(key)
        if value is None or value == "":
            if required:
                self.error(key, "обязательное поле не заполнено")
            return None
        try:
            return parse_date(value)
        except ValueError as err:
            self.error(key, str(err))
            return None

    def texts(self, key: str) -> tuple[str, ...]:
        value = self.doc.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            return (value.strip(),)
        if not isinstance(value, list) or any(isinstance(v, (dict, list)) or v is None for v in value):
            self.error(key, "ожидался список строк («- текст» на каждой строке)")
            return ()
        return tuple(str(v).strip() for v in value)

    def mapping(self, key: str, required: bool = False) -> "Fields | None":
        value = self.doc.get(key)
        if value is None:
            if required:
                self.error(key, "обязательное поле не заполнено")
            return None
        return Fields(value, self.file, self.problems, self.name(key), self.line_of(key))

    def items(self, key: str, required: bool = False) -> list["Fields"]:
        value = self.doc.get(key)
        if value is None:
            if required:
                self.error(key, "обязательное поле не заполнено")
            return []
        if not isinstance(value, list):
            self.error(key, f"ожидался список, найдено {_kind(value)}")
            return []
        lines = value.lines if isinstance(value, LineList) else [self.line_of(key)] * len(value)
        return [
            Fields(v, self.file, self.problems, f"{self.name(key)}[{i + 1}]", lines[i])
            for i, v in enumerate(value)
        ]

    def year_map(self, key: str, numeric: bool = True) -> dict[int, Any]:
        """{2021: 75, 2022: 83} — year keys, number (or text) values."""
        sub = self.mapping(key)
        if sub is None or not sub.ok:
            return {}
        out: dict[int, Any] = {}
        for raw_year, value in sub.doc.items():
            try:
                year = int(str(raw_year))
                if not 1990 <= year <= 2100:
                    raise ValueError
            except ValueError:
                sub.error(str(raw_year), f"ожидался год (например 2022), найдено «{str(raw_year)[:20]}»")
                continue
            if numeric:
                number = sub.number_value(value, str(raw_year))
                if number is not None:
                    out[year] = number
            else:
                out[year] = "" if value is None else str(value).strip()
        return out
