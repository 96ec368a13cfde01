"""CSV reading in the two forms the department produces.

UTF-8 (with or without BOM) separated by ``,``, or a Russian-locale Excel export:
Windows-1251, separated by ``;``, decimal comma. Both give the same rows.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from generator.errors import UTF16_HINT, Problems, is_utf16, read_limited

MAX_CSV_BYTES = 200 * 1024 * 1024
MAX_FIELD_CHARS = 20_000


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, str]

    def get(self, column: str) -> str:
        return self.values.get(column, "")


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    decimal_comma: bool


def decode(raw: bytes) -> tuple[str, str]:
    """Return text and the encoding that worked: UTF-8 first, then Windows-1251."""
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("cp1251"), "cp1251"


def sniff_separator(header: str) -> str:
    return ";" if header.count(";") > header.count(",") else ","


def header_separator(text: str) -> str:
    """The separator of a file's header: its first line that is not blank (as parse_csv finds it)."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    return sniff_separator(header)


def read_csv_text(path: Path, name: str, problems: Problems) -> str | None:
    """The text of a CSV file in either encoding, or None with a problem."""
    raw = read_limited(path, name, MAX_CSV_BYTES, problems)
    if raw is None:
        return None
    if is_utf16(raw):
        problems.add(name, 1, "", UTF16_HINT)
        return None
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        problems.add(name, line, "", "файл содержит двоичные данные, ожидалась таблица CSV (UTF-8 или Windows-1251)")
        return None
    try:
        text, encoding = decode(raw)
    except UnicodeDecodeError as err:  # pragma: no cover - cp1251 decodes almost anything
        problems.add(name, 0, "", f"кодировка не распознана: {err.reason}")
        return None
    if encoding == "cp1251" and "\x98" in text:
        problems.add(name, 0, "", "кодировка не распознана: сохраните файл как UTF-8 или «CSV (разделители — точка с запятой)»")
        return None
    return text


def read_csv(
    path: Path,
    name: str,
    required: tuple[str, ...],
    optional: tuple[str, ...],
    problems: Problems,
) -> Table | None:
    """Read a CSV file, checking its header. Problems are recorded, never raised."""
    text = read_csv_text(path, name, problems)
    return None if text is None else parse_csv(text, name, required, optional, problems)


def parse_csv(text: str, name: str, required: tuple[str, ...], optional: tuple[str, ...],
              problems: Problems) -> Table | None:
    lines = text.splitlines()
    first = next((i for i, ln in enumerate(lines) if ln.strip()), None)
    if first is None:
        problems.add(name, 1, "", f"файл пуст, ожидалась строка заголовка: {', '.join(required)}")
        return None
    separator = sniff_separator(lines[first])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, quotechar='"', strict=True)
    header: list[str] | None = None
    rows: list[Row] = []
    start = 1
    try:
        for record in reader:
            line = start
            start = reader.line_num + 1
            if not any(cell.strip() for cell in record):
                continue
            cells = [cell.strip() for cell in record]
            if header is None:
                header = cells
                if not check_header(header, name, line, required, optional, problems):
                    return None
                continue
            row = make_row(name, header, cells, line, separator, problems)
            if row is not None:
                rows.append(row)
    except csv.Error as err:
        problems.add(name, reader.line_num, "", f"строка CSV не разбирается ({err}); проверьте кавычки")
        return None
    if header is None:  # pragma: no cover - guarded by the blank check above
        return None
    return Table(name, tuple(header), tuple(rows), decimal_comma=separator == ";")


def make_row(name: str, header: list[str] | tuple[str, ...], cells: list[str], line: int, separator: str,
             problems: Problems) -> Row | None:
    """A data row from its stripped cells, or None with a problem (wrong width, overlong value)."""
    if len(cells) != len(header):
        problems.add(
            name, line, "",
            f"ожидалось столбцов: {len(header)} (как в заголовке), найдено: {len(cells)}; "
            f"проверьте разделитель «{separator}» и кавычки",
        )
        return None
    long = next((c for c, v in zip(header, cells) if len(v) > MAX_FIELD_CHARS), None)
    if long:
        problems.add(name, line, long, f"слишком длинное значение (более {MAX_FIELD_CHARS} символов)")
        return None
    return Row(line, dict(zip(header, cells)))


def check_header(
    header: list[str], name: str, line: int, required: tuple[str, ...], optional: tuple[str, ...], problems: Problems
) -> bool:
    ok = True
    seen: set[str] = set()
    for column in header:
        if column in seen:
            problems.add(name, line, column, "столбец повторяется в заголовке: оставьте один")
            ok = False
        seen.add(column)
        if column not in required and column not in optional:
            allowed = ", ".join(required + optional)
            problems.add(name, line, column or "(пусто)", f"неизвестный столбец; допустимые столбцы: {allowed}")
            ok = False
    for column in required:
        if column not in seen:
            problems.add(name, line, column, "нет обязательного столбца в заголовке")
            ok = False
    return ok
