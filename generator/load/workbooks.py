"""A sheet of a workbook (.xlsx or .ods) → the same `Table` of `Row`s that load/csv_files.py gives.

One concern, though past 300 lines: what a spreadsheet program puts in a cell, turned into the text
the CSV path would have read, with each problem placed at the row and column the program shows.
python-calamine reads the cells (bench/spreadsheets.py: the fastest of the readers measured, for
both formats). What it does not tell — an error cell («#ДЕЛ/0!», «#Н/Д») and a formula saved
without its value both read as an empty cell; merged cells of an .ods — is found in the file's
own XML, which is scanned only when it holds such a cell (a byte search says whether).

Cells become text: a whole number without «.0», other numbers to 15 significant digits (what the
program shows and keeps), no exponent; dates as ISO `YYYY-MM-DD` (and serial numbers in the date
columns, counted from 1899-12-30 as Excel and LibreOffice do); TRUE/FALSE as «да»/«нет»; text
stripped. Headers match after strip and casefold. Blank rows are skipped, as in CSV; columns with
neither header nor data (trailing ones, spacers) are ignored.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

from generator.errors import Problems, Sheet, SheetLine, os_reason
from generator.load.csv_files import MAX_FIELD_CHARS, Row, Table, check_header

MAX_BOOK_BYTES = 200 * 1024 * 1024
BOOK_SUFFIXES = (".xlsx", ".ods")
DATE_COLUMNS = frozenset({"agreement_date", "date"})
SERIAL_EPOCH = date(1899, 12, 30)
# A number in a date column is a date's serial number when it is one of 1990–2100 (32874–73050);
# another number (2023 typed as a year) is left for the date's own check to refuse.
SERIALS = ((date(1990, 1, 1) - SERIAL_EPOCH).days, (date(2100, 12, 31) - SERIAL_EPOCH).days)
# Error values as Excel, LibreOffice, Р7-Офис and МойОфис show them, in English and Russian.
ERROR_TEXTS = frozenset({
    "#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!", "#GETTING_DATA",
    "#ДЕЛ/0!", "#Н/Д", "#ЗНАЧ!", "#ССЫЛКА!", "#ССЫЛ!", "#ИМЯ?", "#ЧИСЛО!", "#ПУСТО!",
})
_LIBREOFFICE_ERROR = re.compile(r"^(?:Err|Ошибка):\d{3}$")
ERROR_HINT = ("в ячейке ошибка формулы «{}»: исправьте формулу или введите значение (пустая ячейка — нет данных)")
NO_VALUE_HINT = ("формула без сохранённого значения: откройте книгу в Excel, LibreOffice Calc, Р7-Офис или МойОфис, "
                 "пересчитайте и сохраните её, или замените формулу значением")

_NS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "calcext": "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0",
    "main": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "rel": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}


def letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: the column's name in the spreadsheet program."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _column_index(name: str) -> int:
    index = 0
    for char in name:
        index = index * 26 + ord(char) - 64
    return index - 1


@dataclass
class Book:
    path: Path
    name: str  # as the problems name it: the file's name in the project folder
    kind: str  # "xlsx" | "ods"
    sheets: list[str]
    reader: object = field(repr=False)  # python_calamine.CalamineWorkbook
    _marks: dict[str, "Marks"] = field(default_factory=dict, repr=False)
    _sheets: dict[str, object] = field(default_factory=dict, repr=False)

    def sheet(self, name: str):
        """The calamine sheet, loaded once (loading is what costs: it parses the sheet's XML)."""
        if name not in self._sheets:
            self._sheets[name] = self.reader.get_sheet_by_name(name)
        return self._sheets[name]

    def marks(self, sheet: str) -> "Marks":
        if sheet not in self._marks:
            try:
                if self.kind == "xlsx":
                    self._marks[sheet] = _xlsx_marks(self, sheet)
                else:  # one content.xml holds every sheet: scanned once for all of them
                    self._marks.update(_ods_marks(self))
                    self._marks.setdefault(sheet, Marks())
            except (KeyError, ValueError, zipfile.BadZipFile, ElementTree.ParseError):
                self._marks[sheet] = Marks(broken=True)  # calamine read it; its XML did not parse here
        return self._marks[sheet]


@dataclass
class Marks:
    """What calamine does not say about a sheet's cells: 0-based (row, column) → the error text,
    the cells holding a formula without its saved value, and merged ranges (r0, c0, r1, c1)."""
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    no_value: set[tuple[int, int]] = field(default_factory=set)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    broken: bool = False


def open_book(path: Path, name: str, problems: Problems) -> Book | None:
    """The workbook, or None with a problem (unreadable, too large, not a workbook, a password)."""
    from python_calamine import CalamineWorkbook, PasswordError

    try:
        size = path.stat().st_size
    except OSError as err:
        problems.add(name, 0, "", f"файл не читается: {os_reason(err)}")
        return None
    if size > MAX_BOOK_BYTES:
        problems.add(name, 0, "", f"файл слишком большой ({size} байт), допустимо не более {MAX_BOOK_BYTES}")
        return None
    kind = path.suffix.lower().lstrip(".")
    try:
        if not zipfile.is_zipfile(path):
            raise ValueError("not a zip")
        reader = CalamineWorkbook.from_path(str(path))
    except PasswordError:
        problems.add(name, 0, "", "книга защищена паролем: сохраните её без пароля")
        return None
    except Exception:  # noqa: BLE001 - any reader failure on a damaged file is the file's problem
        what = "Excel (.xlsx)" if kind == "xlsx" else "OpenDocument (.ods)"
        problems.add(name, 0, "", f"файл не открывается как книга {what}: сохраните его заново в формате {what} "
                                  f"(файлы .xls и .xlsb не принимаются)")
        return None
    return Book(path, name, kind, list(reader.sheet_names), reader)


def cell_text(value: object, column: str) -> str:
    """The text the CSV path would have read for a cell's value."""
    kind = type(value)
    if kind is str:
        return value.strip()  # type: ignore[union-attr]
    if kind is float and column not in DATE_COLUMNS and value.is_integer():  # type: ignore[union-attr]
        return str(int(value))  # type: ignore[arg-type]
    if value is None:
        return ""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        if column in DATE_COLUMNS and float(value).is_integer() and SERIALS[0] <= value <= SERIALS[1]:
            return (SERIAL_EPOCH + timedelta(days=int(value))).isoformat()
        if isinstance(value, int) or value.is_integer():
            return str(int(value))
        return _plain(Decimal(format(value, ".15g")))
    return str(value).strip()  # time, timedelta: the field's own check words the problem


def _plain(number: Decimal) -> str:
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def is_error_text(text: str) -> bool:
    return text in ERROR_TEXTS or bool(_LIBREOFFICE_ERROR.match(text))


@dataclass
class Grid:
    """A sheet's cells, 0-based, as calamine gives them, and the sheet as problems name it."""
    book: Book
    sheet: str
    cells: list[list]
    header_row: int
    header: list[tuple[int, str, str]]  # (column index, field, header as written)
    name: Sheet


def read_grid(book: Book, sheet: str, table: str, fields, problems: Problems) -> Grid | None:
    """The sheet's header found and matched to `fields` (strip + casefold); None when blank."""
    name = Sheet(book.name, sheet, table, {})
    try:
        cells = book.sheet(sheet).to_python(skip_empty_area=False)
    except Exception:  # noqa: BLE001 - calamine's errors on a damaged sheet are the file's problem
        problems.add(name, 0, "", "лист не читается (книга повреждена): откройте книгу в программе и сохраните заново")
        return None
    first = next((i for i, row in enumerate(cells) if any(cell_text(c, "") for c in row)), None)
    if first is None:
        problems.add(name, 1, "", "лист пуст, ожидалась строка заголовка")
        return None
    header = []
    known = {f.casefold(): f for f in fields}
    for j, value in enumerate(cells[first]):
        written = cell_text(value, "")
        if not written:
            continue
        key = written.casefold()
        header.append((j, known.get(key, key), written))
    name.columns.update({f: (letter(j), written) for j, f, written in header})
    return Grid(book, sheet, cells, first, header, name)


def check_cells(grid: Grid, problems: Problems) -> set[int] | None:
    """Error cells, formulas without a value and merged cells inside the table, each a problem;
    the 0-based rows holding them (which data_rows leaves out), or None when the sheet's XML
    could not be read."""
    marks = grid.book.marks(grid.sheet)
    if marks.broken:
        problems.add(grid.name, 0, "", "книга повреждена (её XML не читается): откройте её в программе и сохраните заново")
        return None
    width = max((j for j, _, _ in grid.header), default=-1) + 1
    last = next((i for i in range(len(grid.cells) - 1, grid.header_row - 1, -1)
                 if any(cell_text(v, "") for v in grid.cells[i][:width])), grid.header_row)
    bad: set[int] = set()
    for (i, j), text in sorted(marks.errors.items()):
        if i >= grid.header_row and j < width:
            problems.add(grid.name, i + 1, _field_at(grid, j), ERROR_HINT.format(text))
            bad.add(i)
    for i, j in sorted(marks.no_value):
        if i >= grid.header_row and j < width:
            problems.add(grid.name, i + 1, _field_at(grid, j), NO_VALUE_HINT)
            bad.add(i)
    for r0, c0, r1, c1 in sorted(marks.merged):
        if r1 >= grid.header_row and r0 <= last and c0 < width:  # a merged blank below the table is no harm
            problems.add(grid.name, r0 + 1, _field_at(grid, c0),
                         f"объединённые ячейки {letter(c0)}{r0 + 1}:{letter(c1)}{r1 + 1} внутри таблицы: "
                         f"отмените объединение и заполните значение в каждой ячейке")
            bad.update(range(r0, r1 + 1))
    return bad


def _field_at(grid: Grid, j: int) -> str:
    for index, field_name, _ in grid.header:
        if index == j:
            return field_name
    grid.name.columns.setdefault(f"#{letter(j)}", (letter(j), "без заголовка"))
    return f"#{letter(j)}"


def data_rows(grid: Grid, problems: Problems, skip: set[int] = frozenset()):
    """(row number, {field: text}) of each non-blank row below the header. A problem drops the row:
    an error value typed or pasted as text («#Н/Д»), a value in a column without a header (the
    table's width is its header's), an overlong value."""
    columns = [(j, f) for j, f, _ in grid.header]
    width = max((j for j, _ in columns), default=-1) + 1
    headed = {j for j, _ in columns}
    for i in range(grid.header_row + 1, len(grid.cells)):
        if i in skip:
            continue
        row = grid.cells[i]
        n = len(row)
        values = {f: (v.strip() if type(v) is str else cell_text(v, f)) if j < n and (v := row[j]) is not None else ""
                  for j, f in columns}
        bad = False
        if len(row) > width and any(cell_text(v, "") for v in row[width:]) or len(headed) < width:
            for j, value in enumerate(row):
                if j not in headed and cell_text(value, ""):
                    problems.add(grid.name, i + 1, _field_at(grid, j),
                                 "значение в столбце без заголовка: впишите заголовок столбца или очистите ячейку")
                    bad = True
        for (j, f), text in zip(columns, values.values()):
            if text[:1] == "#" and is_error_text(text) or text[:4] in ("Err:", "Ошиб") and is_error_text(text):
                problems.add(grid.name, i + 1, f, ERROR_HINT.format(text))
                bad = True
            elif len(text) > MAX_FIELD_CHARS:
                problems.add(grid.name, i + 1, f, f"слишком длинное значение (более {MAX_FIELD_CHARS} символов)")
                bad = True
        if not bad and any(values.values()):
            yield i + 1, values


def read_sheet(book: Book, sheet: str, table: str, required: tuple[str, ...], optional: tuple[str, ...],
               problems: Problems, grid: Grid | None = None) -> Table | None:
    """A sheet holding one table in the CSV file's columns (the long form of results too);
    `grid`: the sheet already read with these fields."""
    grid = grid or read_grid(book, sheet, table, required + optional, problems)
    if grid is None:
        return None
    fields = [f for _, f, _ in grid.header]
    if not check_header(fields, grid.name, grid.header_row + 1, required, optional, problems):
        return None
    bad = check_cells(grid, problems)
    if bad is None or grid.header_row in bad:
        return None
    rows = tuple(Row(line, values) for line, values in data_rows(grid, problems, bad))
    return Table(grid.name, tuple(fields), rows, decimal_comma=False)


# --------------------------------------------------------------------------- the files' own XML

def _xml(book: Book, member: str) -> bytes:
    with zipfile.ZipFile(book.path) as z:
        return z.read(member)


def _xlsx_sheet_member(book: Book, sheet: str) -> str | None:
    """The zip member of a sheet: xl/workbook.xml names it, its relationships give the path."""
    try:
        workbook = ElementTree.fromstring(_xml(book, "xl/workbook.xml"))
        rels = ElementTree.fromstring(_xml(book, "xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return None
    target = {r.get("Id"): r.get("Target", "") for r in rels}
    for element in workbook.iter(f"{{{_NS['main']}}}sheet"):
        if element.get("name") == sheet:
            path = target.get(element.get(f"{{{_NS['rel']}}}id"), "")
            return path.lstrip("/") if path.startswith("/") else str(PurePosixPath("xl") / path)
    return None


_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
_TYPE = re.compile(rb'\bt="(\w+)"')
_VALUE = re.compile(rb"<v>([^<]*)</v>")


def _xlsx_marks(book: Book, sheet: str) -> Marks:
    marks = Marks()
    merged = book.sheet(sheet).merged_cell_ranges or []
    marks.merged = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in merged]
    member = _xlsx_sheet_member(book, sheet)
    if member is None:
        return marks
    xml = _xml(book, member)
    if b't="e"' not in xml and b"<f" not in xml:
        return marks  # the common case: no error and no formula in the sheet
    for match in _CELL.finditer(xml):
        attrs, body = match.group(1), match.group(2) or b""
        ref = _REF.search(attrs)
        if ref is None:
            continue
        where = (int(ref.group(2)) - 1, _column_index(ref.group(1).decode()))
        kind = _TYPE.search(attrs)
        kind = kind.group(1) if kind else b"n"
        value = _VALUE.search(body)
        if kind == b"e":
            marks.errors[where] = value.group(1).decode("utf-8", "replace") if value else "#?"
        elif b"<f" in body and kind != b"str" and (value is None or not value.group(1).strip()):
            marks.no_value.add(where)
    return marks


def _ods_marks(book: Book) -> dict[str, Marks]:
    """Every sheet's merged ranges and error cells, from content.xml (rows and columns repeated
    by `number-rows-repeated` and `number-columns-repeated` counted as the program shows them)."""
    xml = _xml(book, "content.xml")
    every = {name: Marks() for name in book.sheets}
    if b'spanned="' not in xml and b'value-type="error"' not in xml:
        return every
    t, calcext = _NS["table"], _NS["calcext"]
    marks, row, column, depth = None, 0, 0, 0
    for event, element in ElementTree.iterparse(io.BytesIO(xml), events=("start", "end")):
        tag = element.tag
        if tag == f"{{{t}}}table":
            if event == "start":
                depth += 1
                if depth == 1:
                    marks, row = every.setdefault(element.get(f"{{{t}}}name", ""), Marks()), 0
            else:
                depth -= 1
                element.clear()
            continue
        if marks is None or depth != 1:
            continue
        if tag == f"{{{t}}}table-row":
            if event == "start":
                column = 0
            else:
                row += int(element.get(f"{{{t}}}number-rows-repeated", "1"))
                element.clear()
        elif tag in (f"{{{t}}}table-cell", f"{{{t}}}covered-table-cell") and event == "end":
            repeat = int(element.get(f"{{{t}}}number-columns-repeated", "1"))
            cols = int(element.get(f"{{{t}}}number-columns-spanned", "1"))
            rows = int(element.get(f"{{{t}}}number-rows-spanned", "1"))
            if cols > 1 or rows > 1:
                marks.merged.append((row, column, row + rows - 1, column + cols - 1))
            if element.get(f"{{{calcext}}}value-type") == "error":
                text = "".join(element.itertext()).strip() or "#?"
                for k in range(min(repeat, 1024)):
                    marks.errors[(row, column + k)] = text
            column += repeat
    return every
