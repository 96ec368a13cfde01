"""Where each table is: `NAME.csv` in the project folder, or a sheet named as the table in a workbook
(`*.xlsx`, `*.ods`) there; and results in the wide form (a row per school, a column per measure).

Sheet names match after strip and casefold: the table's English name (`schools`, `statuses`,
`mentorships`, `measures`, `renames`, `results`) or its Russian one (`школы`, `статусы`,
`наставничество`, `величины`, `переименования`, `результаты`); results may also be split into a
sheet per year, `results 2023` (`results_2023`, `результаты 2023`), beside which one `results`
sheet may hold other years. Other sheets are not read. A table given twice (a CSV file and a sheet,
two sheets, two sheets of one year, one year in two sheets) is a problem naming both. Workbook lock files (`~$книга.xlsx`, `.~lock.книга.ods#`) are skipped.

A results sheet is in the long form when its header has `measure` or `value` (the columns of
results.csv); otherwise it is wide: `school`, the year (a `year` column, or the sheet's name), then
one column per measure code; `name`, `short_name` and `district` columns are allowed and not read
(they help the department find its rows). An empty cell of the wide form is no figure (no row).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import Problems, SheetLine, is_data_file
from generator.load import csv_files, workbooks
from generator.load.csv_files import Row, Table
from generator.load.tables import where
from generator.load.workbooks import BOOK_SUFFIXES, Book

TABLE_FILES = ("schools.csv", "statuses.csv", "mentorships.csv", "measures.csv", "renames.csv", "results.csv")
SHEET_NAMES = {
    "schools": "schools.csv", "школы": "schools.csv",
    "statuses": "statuses.csv", "статусы": "statuses.csv",
    "mentorships": "mentorships.csv", "наставничество": "mentorships.csv",
    "measures": "measures.csv", "величины": "measures.csv",
    "renames": "renames.csv", "переименования": "renames.csv",
    "results": "results.csv", "результаты": "results.csv",
}
_RESULTS_YEAR = re.compile(r"^(?:results|результаты)[ _-]*(\d{4})$")
LONG_RESULTS = ("year", "school", "measure", "value")
WIDE_NOT_READ = ("name", "short_name", "district")


@dataclass(frozen=True)
class Place:
    table: str  # "schools.csv"
    book: Book | None = field(default=None, compare=False)  # None: the CSV file itself
    sheet: str = ""
    year: int | None = None  # of a sheet `results 2023`

    def label(self) -> str:
        return self.table if self.book is None else f"{self.book.name}, лист «{self.sheet}»"


@dataclass
class Sources:
    places: dict[str, list[Place]]
    books: list[Book]

    def present(self, table: str) -> bool:
        return bool(self.places.get(table))

    def sheets(self, table: str) -> list[Place]:
        return [p for p in self.places.get(table, []) if p.book is not None]

    def close(self) -> None:
        """Let the workbooks' files go (calamine keeps each one open)."""
        for book in self.books:
            book.reader.close()


def csv_only(data_dir: Path) -> Sources:
    """The CSV files alone (what a folder without workbooks has)."""
    return Sources({t: [Place(t)] for t in TABLE_FILES if (data_dir / t).exists() or (data_dir / t).is_symlink()}, [])


def find(data_dir: Path, problems: Problems) -> Sources:
    """Every table's place; the CSV file first, then sheets in the order of the books' names."""
    sources = csv_only(data_dir)
    for path in sorted(data_dir.iterdir()) if data_dir.is_dir() else []:
        if path.suffix.lower() not in BOOK_SUFFIXES or path.name.startswith(("~$", ".")):
            continue
        if not is_data_file(path, path.name, problems):
            continue
        book = workbooks.open_book(path, path.name, problems)
        if book is None:
            continue
        sources.books.append(book)
        for sheet in book.sheets:
            key = " ".join(sheet.split()).casefold()
            table, year = SHEET_NAMES.get(key), None
            if table is None and (match := _RESULTS_YEAR.match(key)):
                table, year = "results.csv", int(match.group(1))
            if table is not None:
                sources.places.setdefault(table, []).append(Place(table, book, sheet, year))
    for table, found in sources.places.items():
        # Sheets `results 2023` stand beside each other and beside one `results` sheet; a CSV file
        # stands alone. Two sheets of one year, or a year in two sheets (checked as they are read), are refused.
        by_year = table == "results.csv" and all(p.book is not None for p in found)
        seen: dict[object, Place] = {}
        for place in found:
            key = place.year if by_year else None
            if key in seen:
                what = f"результаты за {key} год заданы" if key else f"таблица {table.removesuffix('.csv')} задана"
                problems.add(place.label(), 0, "", f"{what} дважды: в {seen[key].label()} и здесь; оставьте одно место")
            seen.setdefault(key, place)
    return sources


def read_table(data_dir: Path, sources: Sources, table: str, required: tuple[str, ...], optional: tuple[str, ...],
               problems: Problems) -> Table | None:
    """The table from its CSV file or its sheet; None when it is in neither (or unreadable)."""
    found = sources.places.get(table)
    if not found:
        return None
    place = found[0]
    if place.book is None:
        path = data_dir / table
        if not is_data_file(path, table, problems):
            return None
        return csv_files.read_csv(path, table, required, optional, problems)
    return workbooks.read_sheet(place.book, place.sheet, table, required, optional, problems)


def results_table(place: Place, listed: set[str], problems: Problems) -> Table | None:
    """A results sheet as the long rows of results.csv, whichever form it is in."""
    assert place.book is not None
    grid = workbooks.read_grid(place.book, place.sheet, "results.csv", (*LONG_RESULTS, *WIDE_NOT_READ, *listed),
                               problems)
    if grid is None:
        return None
    fields = [f for _, f, _ in grid.header]
    if "measure" in fields or "value" in fields:
        return workbooks.read_sheet(place.book, place.sheet, "results.csv", LONG_RESULTS, (), problems, grid)
    line = grid.header_row + 1
    ok = True
    seen: set[str] = set()
    for f in fields:
        if f in seen:
            problems.add(grid.name, line, f, "столбец повторяется в заголовке: оставьте один")
            ok = False
        seen.add(f)
    if "school" not in seen:
        problems.add(grid.name, line, "school", "нет обязательного столбца в заголовке (коды школ; широкая форма: "
                                                "строка — школа, столбец — код величины)")
        ok = False
    if "year" in seen and place.year is not None:
        problems.add(grid.name, line, "year", "год указан и в названии листа, и в столбце year: оставьте одно")
        ok = False
    if "year" not in seen and place.year is None:
        problems.add(grid.name, line, "year", "нет столбца year, и год не указан в названии листа (например "
                                              "«results 2023»)")
        ok = False
    measures = [(j, f) for j, f, _ in grid.header if f not in (*LONG_RESULTS, *WIDE_NOT_READ)]
    for _, code in measures:
        if code not in listed:
            problems.add(grid.name, line, code, f"неизвестный код величины «{code[:40]}» в заголовке: его нет "
                                                f"{where(listed, 'measures.csv')} и indicators.yml (в широкой форме каждый столбец, "
                                                f"кроме school, year, name, short_name, district, — код величины)")
            ok = False
    bad = workbooks.check_cells(grid, problems) if ok else None
    if bad is None or grid.header_row in bad:
        return None
    year_place = {"year": ("", f"год из названия листа «{place.sheet}»")} if place.year is not None else {}
    cell = {code: {"value": grid.name.columns[code], "measure": grid.name.columns[code], **year_place}
            for _, code in measures}
    rows = []
    for number, values in workbooks.data_rows(grid, problems, bad):
        year = values["year"] if place.year is None else str(place.year)
        for _, code in measures:
            if values[code]:
                rows.append(Row(SheetLine(number, cell[code]),
                                {"year": year, "school": values["school"], "measure": code, "value": values[code]}))
    return Table(grid.name, LONG_RESULTS, tuple(rows), decimal_comma=False)
