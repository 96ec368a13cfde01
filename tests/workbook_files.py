"""Workbooks written in tests as a department's spreadsheet program would save them.

`write_xlsx` (openpyxl) and `write_ods` (odfpy) take sheets as lists of rows of Python values:
str, int, float, date, None (an empty cell), or `Formula`/`Error` cells. `typed` turns the text of a
CSV cell into what a person typing it into a spreadsheet gets: numbers become numbers, ISO dates
become date cells, the rest stays text.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path


@dataclass(frozen=True)
class Formula:
    formula: str  # without «=»
    cached: object = None  # the value the program saved with it (None: no value saved)


@dataclass(frozen=True)
class Error:
    text: str  # «#DIV/0!» as stored in the file (Excel stores the English code)


def csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return [row for row in csv.reader(f) if any(cell.strip() for cell in row)]


def typed(text: str, column: str = "") -> object:
    if text == "":
        return None
    if re.fullmatch(r"-?\d{1,15}", text) and not (text.startswith("0") and len(text) > 1):
        return int(text)
    if re.fullmatch(r"-?\d+\.\d+", text):
        return float(text)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return date.fromisoformat(text)
    return text


def typed_rows(rows: list[list[str]]) -> list[list[object]]:
    header, *body = rows
    return [list(header)] + [[typed(cell, column) for cell, column in zip(row, header)] for row in body]


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]], merged: dict[str, list[str]] | None = None) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for i, row in enumerate(rows, start=1):
            for j, value in enumerate(row, start=1):
                cell = sheet.cell(i, j)
                if isinstance(value, Formula):
                    cell.value = "=" + value.formula  # openpyxl saves no cached value
                elif isinstance(value, Error):
                    cell.value = value.text
                    cell.data_type = "e"
                elif value is not None:
                    cell.value = value
                    if isinstance(value, date):
                        cell.number_format = "DD.MM.YYYY"
        for cells in (merged or {}).get(name, []):
            sheet.merge_cells(cells)
    book.save(path)
    return path


def write_ods(path: Path, sheets: dict[str, list[list[object]]], merged: dict[str, list[tuple[int, int, int, int]]] | None = None) -> Path:
    """`merged`: per sheet, (row, column, rows, columns) 0-based spans."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import CoveredTableCell, Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    for name, rows in sheets.items():
        spans = {(r, c): (rs, cs) for r, c, rs, cs in (merged or {}).get(name, [])}
        covered = {(r + i, c + j) for (r, c), (rs, cs) in spans.items() for i in range(rs) for j in range(cs)} - set(spans)
        table = Table(name=name)
        for i, row in enumerate(rows):
            tr = TableRow()
            for j, value in enumerate(row):
                extra = {}
                if (i, j) in spans:
                    extra = {"numberrowsspanned": spans[(i, j)][0], "numbercolumnsspanned": spans[(i, j)][1]}
                if (i, j) in covered:
                    tr.addElement(CoveredTableCell())
                    continue
                if value is None:
                    cell = TableCell(**extra)
                elif isinstance(value, Formula):
                    if value.cached is None:
                        cell = TableCell(formula=f"of:={value.formula}", **extra)
                    else:
                        cell = TableCell(formula=f"of:={value.formula}", valuetype="float", value=value.cached, **extra)
                        cell.addElement(P(text=str(value.cached)))
                elif isinstance(value, Error):
                    cell = TableCell(valuetype="string", stringvalue="", formula="of:=1/0", **extra)
                    cell.setAttrNS("urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0",
                                   "value-type", "error")
                    cell.addElement(P(text=value.text))
                elif isinstance(value, bool):
                    cell = TableCell(valuetype="boolean", booleanvalue="true" if value else "false", **extra)
                    cell.addElement(P(text=str(value).upper()))
                elif isinstance(value, (int, float)):
                    cell = TableCell(valuetype="float", value=value, **extra)
                    cell.addElement(P(text=str(value)))
                elif isinstance(value, date):
                    cell = TableCell(valuetype="date", datevalue=value.isoformat(), **extra)
                    cell.addElement(P(text=value.strftime("%d.%m.%Y")))
                else:
                    cell = TableCell(valuetype="string", **extra)
                    cell.addElement(P(text=str(value)))
                tr.addElement(cell)
            table.addElement(tr)
        doc.spreadsheet.addElement(table)
    doc.save(str(path))
    return path
