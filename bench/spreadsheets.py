"""Reading results from CSV and from workbooks: which library, measured (issue #24).

    python bench/spreadsheets.py                  # 5,000 schools × 6 years × 12 measures
    python bench/spreadsheets.py --schools 1000   # smaller
    make bench-spreadsheets

The same figures are written once (into bench-output/spreadsheets/): results.csv in the long form
(360,000 rows at 5,000 schools), results-long.xlsx (the same rows), results-wide.xlsx and
results-wide.ods (a sheet per year, a row per school, a column per measure: 6 × 5,000 rows). Then
each reader reads them ROUNDS times, alternating, and the fastest run is reported: the cells as
Python values, nothing else (the generator's own loader is timed too, when it is importable: the
rows it checks, through `generator.load.sources`, with the cyclic collector paused as the build
pauses it). Benchmarks, not tests: compare ratios within one run. Writing the files is not timed.
"""
from __future__ import annotations

import argparse
import csv
import gc
import json
import random
import sys
import time
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
ROUNDS = 3


def figures(schools: int, years: int, measures: int, seed: int = 1):
    """(year, school, measure, value or None) in the order a long results.csv has them."""
    rng = random.Random(seed)
    codes = [f"61{i:08d}" for i in range(schools)]
    names = [f"m{j:02d}_count" for j in range(measures)]
    out = []
    for y in range(years):
        for code in codes:
            for name in names:
                out.append((2020 + y, code, name, None if rng.random() < 0.02 else rng.randint(0, 400)))
    return out, codes, names


def write_files(folder: Path, schools: int, years: int, measures: int) -> dict[str, Path]:
    import openpyxl
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    folder.mkdir(parents=True, exist_ok=True)
    rows, codes, names = figures(schools, years, measures)
    paths = {k: folder / f"{k}-{schools}.{ext}" for k, ext in
             (("csv", "csv"), ("xlsx-long", "xlsx"), ("xlsx-wide", "xlsx"), ("ods-wide", "ods"))}
    stamp = folder / f"done-{schools}-{years}-{measures}"
    if stamp.exists() and all(p.exists() for p in paths.values()):
        return paths
    with paths["csv"].open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(("year", "school", "measure", "value"))
        w.writerows((y, s, m, "" if v is None else v) for y, s, m, v in rows)
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("results")
    sheet.append(("year", "school", "measure", "value"))
    for row in rows:
        sheet.append(row)
    book.save(paths["xlsx-long"])
    wide: dict[int, dict[str, list]] = {}
    index = {name: j for j, name in enumerate(names)}
    for y, s, m, v in rows:
        wide.setdefault(y, {}).setdefault(s, [None] * len(names))[index[m]] = v
    book = openpyxl.Workbook(write_only=True)
    for y, by_school in wide.items():
        sheet = book.create_sheet(f"results {y}")
        sheet.append(("school", *names))
        for s in codes:
            sheet.append((s, *by_school[s]))
    book.save(paths["xlsx-wide"])
    doc = OpenDocumentSpreadsheet()
    for y, by_school in wide.items():
        table = Table(name=f"results {y}")
        header = TableRow()
        for text in ("school", *names):
            cell = TableCell(valuetype="string")
            cell.addElement(P(text=text))
            header.addElement(cell)
        table.addElement(header)
        for s in codes:
            tr = TableRow()
            cell = TableCell(valuetype="string")
            cell.addElement(P(text=s))
            tr.addElement(cell)
            for v in by_school[s]:
                if v is None:
                    tr.addElement(TableCell())
                else:
                    cell = TableCell(valuetype="float", value=v)
                    cell.addElement(P(text=str(v)))
                    tr.addElement(cell)
            table.addElement(tr)
        doc.spreadsheet.addElement(table)
    doc.save(str(paths["ods-wide"]))
    stamp.touch()
    return paths


def _csv_module(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as f:
        return sum(1 for _ in csv.reader(f)) - 1


def _paused_gc(read: Callable[[Path], int | None]) -> Callable[[Path], int | None]:
    """The generator reads its data with the cyclic collector paused (build/site.py): so here too."""
    def timed(path: Path) -> int | None:
        gc.disable()
        try:
            return read(path)
        finally:
            gc.enable()
    return timed


def _generator_csv(path: Path) -> int:
    from generator.errors import Problems
    from generator.load.csv_files import parse_csv, read_csv_text
    from generator.load.results import RESULTS_COLUMNS

    problems = Problems()
    table = parse_csv(read_csv_text(path, "results.csv", problems), "results.csv", *RESULTS_COLUMNS, problems)
    return len(table.rows)


def _openpyxl(path: Path) -> int:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    n = sum(sum(1 for _ in ws.iter_rows(values_only=True)) - 1 for ws in book.worksheets)
    book.close()
    return n


def _calamine(path: Path) -> int:
    from python_calamine import CalamineWorkbook

    with CalamineWorkbook.from_path(str(path)) as book:
        return sum(len(book.get_sheet_by_name(name).to_python(skip_empty_area=False)) - 1 for name in book.sheet_names)


def _pandas(engine: str) -> Callable[[Path], int]:
    def read(path: Path) -> int:
        import pandas

        return sum(len(frame) for frame in pandas.read_excel(path, sheet_name=None, engine=engine).values())
    return read


def _generator_sheets(path: Path) -> int | None:
    """The rows the generator checks, from every results sheet (load/sources.py, load/workbooks.py)."""
    try:
        from generator.load import sources, workbooks
    except ImportError:
        return None
    from generator.errors import Problems

    problems = Problems()
    book = workbooks.open_book(path, path.name, problems)
    listed = {f"m{j:02d}_count" for j in range(99)}
    n = 0
    for sheet in book.sheets:
        year = sheet.split()[-1]
        place = sources.Place("results.csv", book, sheet, int(year) if year.isdigit() else None)
        table = sources.results_table(place, listed, problems)
        n += len(table.rows) if table is not None else 0
    assert not problems, [str(p) for p in problems.items[:3]]
    return n


READERS = {
    "csv": [("csv module", _csv_module), ("generator: parse_csv", _paused_gc(_generator_csv))],
    "xlsx-long": [("openpyxl read_only", _openpyxl), ("python-calamine", _calamine),
                  ("pandas.read_excel (openpyxl)", _pandas("openpyxl")), ("pandas.read_excel (calamine)", _pandas("calamine")),
                  ("generator: workbooks (calamine)", _paused_gc(_generator_sheets))],
    "xlsx-wide": [("openpyxl read_only", _openpyxl), ("python-calamine", _calamine),
                  ("pandas.read_excel (openpyxl)", _pandas("openpyxl")), ("pandas.read_excel (calamine)", _pandas("calamine")),
                  ("generator: workbooks (calamine)", _paused_gc(_generator_sheets))],
    "ods-wide": [("pandas.read_excel (odf = odfpy)", _pandas("odf")), ("python-calamine", _calamine),
                 ("pandas.read_excel (calamine)", _pandas("calamine")), ("generator: workbooks (calamine)", _paused_gc(_generator_sheets))],
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--schools", type=int, default=5000)
    parser.add_argument("--years", type=int, default=6)
    parser.add_argument("--measures", type=int, default=12)
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--skip", nargs="*", default=[], help="reader names to leave out (substring; the CSV "
                                                              "parse_csv baseline always runs)")
    parser.add_argument("--out", default=str(REPO / "bench-output" / "spreadsheets"))
    args = parser.parse_args(argv)
    folder = Path(args.out)
    paths = write_files(folder, args.schools, args.years, args.measures)
    times: dict[tuple[str, str], list[float]] = {}
    counts: dict[tuple[str, str], int] = {}
    for _ in range(args.rounds):
        for kind, readers in READERS.items():
            for name, read in readers:
                if any(s in name for s in args.skip) and name != "generator: parse_csv":
                    continue
                start = time.perf_counter()
                n = read(paths[kind])
                if n is None:
                    continue
                times.setdefault((kind, name), []).append(time.perf_counter() - start)
                print(f"{kind:10} {name:35} {times[(kind, name)][-1]:6.2f} s", file=sys.stderr, flush=True)
                counts[(kind, name)] = n
    lines = [f"Reading results: {args.schools} schools × {args.years} years × {args.measures} measures "
             f"(fastest of {args.rounds}; ratio to CSV through the generator's parse_csv)", "",
             "| file | size | reader | rows | seconds | × CSV |", "| --- | --- | --- | --- | --- | --- |"]
    base = min(times[("csv", "generator: parse_csv")])
    for (kind, name), runs in times.items():
        size = paths[kind].stat().st_size / 1e6
        lines.append(f"| {paths[kind].name} | {size:.1f} MB | {name} | {counts[(kind, name)]} | {min(runs):.2f} | "
                     f"{min(runs) / base:.1f} |")
    text = "\n".join(lines) + "\n"
    print(text)
    (folder / "results.md").write_text(text, encoding="utf-8")
    (folder / "results.json").write_text(json.dumps({f"{k} / {n}": r for (k, n), r in times.items()}, indent=1),
                                         encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
