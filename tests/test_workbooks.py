"""Tables in .xlsx and .ods workbooks (issue #24): the same site as from CSV, spreadsheet habits
accepted, every error placed at the sheet, row and column the spreadsheet program shows.

Workbooks are written here with openpyxl and odfpy (tests/workbook_files.py); the fixtures in
tests/fixtures/workbooks/ were saved by LibreOffice Calc (see the README there). Expected messages
are written by hand from the cells each test puts in."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from conftest import DATA, REPO, write_data
from generator.errors import DataErrors
from generator.load.validation import validate
from workbook_files import Error, Formula, csv_rows, typed_rows, write_ods, write_xlsx

TABLES = ("schools", "statuses", "mentorships", "measures", "renames", "results")
FIXTURES = REPO / "tests" / "fixtures" / "workbooks"


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def build(project: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(REPO),
           "SHNOR_CACHE_DIR": str(out.parent / f"cache-{out.name}")}
    return subprocess.run([sys.executable, "-m", "generator", "build", "--project", str(project), "--out", str(out),
                           "--quiet", *extra], cwd=REPO, capture_output=True, text=True, env=env)


def demo_as_workbook(target: Path, write, suffix: str, tables=TABLES, name: str = "данные") -> Path:
    """The demo project with `tables` moved from CSV into one workbook, typed as a person would."""
    shutil.copytree(DATA, target, ignore=shutil.ignore_patterns("archive"))
    sheets = {}
    for table in tables:
        sheets[table] = typed_rows(csv_rows(target / f"{table}.csv"))
        (target / f"{table}.csv").unlink()
    write(target / f"{name}{suffix}", sheets)
    return target


def assert_same_trees(a: Path, b: Path) -> None:
    left, right = tree(a), tree(b)
    assert sorted(left) == sorted(right)
    changed = [name for name in left if left[name] != right[name]]
    assert not changed, changed[:10]


def test_the_demo_from_xlsx_and_from_ods_builds_the_same_site_as_from_csv(tmp_path):
    """With MkDocs for the .xlsx (the whole published site), the generated tree for the .ods."""
    xlsx = demo_as_workbook(tmp_path / "xlsx", write_xlsx, ".xlsx")
    ods = demo_as_workbook(tmp_path / "ods", write_ods, ".ods")
    csv_project = tmp_path / "csv"
    shutil.copytree(DATA, csv_project, ignore=shutil.ignore_patterns("archive"))
    for project, out, extra in ((csv_project, tmp_path / "site-csv", ()), (xlsx, tmp_path / "site-xlsx", ()),
                                (csv_project, tmp_path / "md-csv", ("--no-mkdocs",)),
                                (ods, tmp_path / "md-ods", ("--no-mkdocs",))):
        proc = build(project, out, *extra)
        assert proc.returncode == 0, proc.stderr
    assert_same_trees(tmp_path / "site-csv", tmp_path / "site-xlsx")
    assert_same_trees(tmp_path / "md-csv", tmp_path / "md-ods")
    assert (tmp_path / "site-xlsx" / "schools" / "6149009012" / "index.html").is_file()


def test_results_in_the_wide_form_give_the_same_site_as_the_long_rows(tmp_path):
    """A sheet per year (`results 2021`), a row per school, a column per measure; one year also as a
    sheet with a year column. The CSV side has no rows with an empty value: an empty cell of the wide
    form is no figure."""
    csv_project = tmp_path / "csv"
    shutil.copytree(DATA, csv_project, ignore=shutil.ignore_patterns("archive"))
    header, *body = csv_rows(csv_project / "results.csv")
    body = [row for row in body if row[3] != ""]
    (csv_project / "results.csv").write_text("\n".join(",".join(r) for r in [header, *body]) + "\n", encoding="utf-8")
    wide = tmp_path / "wide"
    shutil.copytree(csv_project, wide)
    (wide / "results.csv").unlink()
    measures = sorted({row[2] for row in body})
    years = sorted({int(row[0]) for row in body})
    sheets: dict[str, list[list]] = {}
    for year in years:
        figures: dict[str, dict[str, str]] = {}
        for y, school, measure, value in body:
            if int(y) == year:
                figures.setdefault(school, {})[measure] = value
        # columns in another order than the CSV's, a school name column for people, codes as text
        columns = list(reversed(measures))
        rows = [["school", "name", *columns]]
        rows += [[school, "школа", *(int(figures[school][m]) if m in figures[school] else None for m in columns)]
                 for school in sorted(figures)]
        if year == years[-1]:
            sheets["results"] = [["Year", *rows[0]]] + [[year, *row] for row in rows[1:]]
        else:
            sheets[f"results {year}"] = rows
    write_xlsx(wide / "результаты.xlsx", sheets)
    for project, out in ((csv_project, tmp_path / "out-csv"), (wide, tmp_path / "out-wide")):
        proc = build(project, out, "--no-mkdocs")
        assert proc.returncode == 0, proc.stderr
    assert_same_trees(tmp_path / "out-csv", tmp_path / "out-wide")


# --------------------------------------------------------------------------- habits

SITE_FILES = {"schools.csv": None, "statuses.csv": None}
HABIT_CSV = {
    "schools.csv": "code,name,short_name\ns1,Школа 1,Ш1\n6149009012,Школа 2,Ш2\n",
    "statuses.csv": "year,school,status\n2022,s1,ШНОР\n2023,s1,ШНОР\n2023,6149009012,ШНСУ\n",
    "mentorships.csv": "year,mentor,mentee,agreement,agreement_date\n2023,6149009012,s1,5/2023,2023-09-04\n",
    "measures.csv": "code,title,unit\nparticipants,Участники,чел.\npassed,Сдали,чел.\nscore,Балл,балл\n",
    "results.csv": "year,school,measure,value\n2023,s1,participants,1234\n2023,s1,passed,1200\n"
                   "2023,s1,score,75.5\n2023,6149009012,score,3\n2022,s1,score,0.3\n",
}


def habit_sheets() -> dict[str, list[list]]:
    return {
        # header with spaces and other case; a trailing empty column and rows (the blank row inside too)
        "Schools": [[" Code ", "NAME", "Short_Name ", None], ["s1", "Школа 1", "Ш1", None], [],
                    [6149009012, "Школа 2", "Ш2", None], [None, None, None, None], []],
        "statuses": [["year", "school", "status"], ["2022", "s1", "ШНОР"], [2023.0, "s1", "ШНОР"],
                     [2023, "6149009012", "ШНСУ"]],
        # the date as a serial number (45173 = 2023-09-04), the year as a formula with its value
        "mentorships": [["year", "mentor", "mentee", "agreement", "agreement_date"],
                        [Formula("2022+1", 2023), 6149009012, "s1", "5/2023", 45173]],
        "measures": [["code", "title", "unit"], ["participants", "Участники", "чел."], ["passed", "Сдали", "чел."],
                     ["score", "Балл", "балл"]],
        # text numbers with a no-break space and a comma; a number as text; a float
        "results": [["year", "school", "measure", "value"], [2023, "s1", "participants", "1\u00a0234"],
                    [2023, "s1", "passed", 1200], [2023, "s1", "score", "75,5"], [2023, 6149009012, "score", "3"],
                    [2022, "s1", "score", 0.1 + 0.2]],
    }


def facts(data: Path):
    ds = validate(data).dataset
    return ([(s.code, s.name, s.short_name) for s in ds.schools], ds.statuses,
            [(m.year, m.mentor, m.mentee, m.agreement, m.agreement_date) for m in ds.mentorships], ds.measures,
            {code: ds.results.figures(code) for code in ("s1", "6149009012")})


@pytest.mark.parametrize("write,suffix", [(write_xlsx, ".xlsx"), (write_ods, ".ods")])
def test_spreadsheet_habits_read_as_the_csv_says(tmp_path, write, suffix):
    csv_data = write_data(tmp_path / "csv", HABIT_CSV)
    book = write_data(tmp_path / "book", SITE_FILES)
    sheets = habit_sheets()
    if suffix == ".ods":  # odfpy writes the formula with its value as LibreOffice would
        pass
    else:  # openpyxl cannot save a formula's value: the .xlsx case is the LibreOffice fixture below
        sheets["mentorships"][1][0] = 2023
    write(book / f"данные{suffix}", sheets)
    expected = facts(csv_data)
    assert facts(book) == expected
    assert expected[2] == [(2023, "6149009012", "s1", "5/2023", date(2023, 9, 4))]
    assert expected[4]["s1"][(2022, "score")] == __import__("decimal").Decimal("0.3")


def test_a_workbook_saved_by_libreoffice_reads_as_the_csv_says(tmp_path):
    """tests/fixtures/workbooks/libreoffice.xlsx and .ods: the habit sheets, formulas with the values
    LibreOffice Calc computed and saved, converted by LibreOffice itself (README there)."""
    csv_data = write_data(tmp_path / "csv", HABIT_CSV)
    expected = facts(csv_data)
    for suffix in (".xlsx", ".ods"):
        book = write_data(tmp_path / suffix.strip("."), SITE_FILES)
        shutil.copy(FIXTURES / f"libreoffice{suffix}", book / f"libreoffice{suffix}")
        assert facts(book) == expected, suffix


# --------------------------------------------------------------------------- errors

def problems_of(data: Path) -> list[str]:
    with pytest.raises(DataErrors) as info:
        validate(data)
    return [str(p) for p in info.value.problems]


def results_book(tmp_path: Path, rows: list[list], write=write_xlsx, suffix=".xlsx", merged=None) -> Path:
    data = write_data(tmp_path / "data", {"measures.csv": "code\nm\nn\n"})
    write(data / f"книга{suffix}", {"results": [["year", "school", "measure", "value"], *rows]}, merged)
    return data


ERROR_XLSX = "книга.xlsx, лист «results», строка {row}, столбец {column} «{header}»: "


def test_error_cells_are_named_by_sheet_row_and_column(tmp_path):
    data = results_book(tmp_path, [[2023, "s1", "m", 1], [2023, "s1", "n", Error("#DIV/0!")],
                                   [2023, "s2", "m", "#ДЕЛ/0!"], [2023, "s2", "n", "#Н/Д"], [Error("#VALUE!"), "s3", "m", 2],
                                   [2023, "s3", "n", "#ЗНАЧ!"]])
    hint = "в ячейке ошибка формулы «{}»: исправьте формулу или введите значение (пустая ячейка — нет данных)"
    assert problems_of(data) == [
        ERROR_XLSX.format(row=3, column="D", header="value") + hint.format("#DIV/0!"),
        ERROR_XLSX.format(row=4, column="D", header="value") + hint.format("#ДЕЛ/0!"),
        ERROR_XLSX.format(row=5, column="D", header="value") + hint.format("#Н/Д"),
        ERROR_XLSX.format(row=6, column="A", header="year") + hint.format("#VALUE!"),
        ERROR_XLSX.format(row=7, column="D", header="value") + hint.format("#ЗНАЧ!"),
    ]


def test_an_error_cell_of_an_ods_is_named_too(tmp_path):
    data = results_book(tmp_path, [[2023, "s1", "m", 1], [], [2023, "s1", "n", Error("#DIV/0!")]], write_ods, ".ods")
    assert problems_of(data) == [
        "книга.ods, лист «results», строка 4, столбец D «value»: в ячейке ошибка формулы «#DIV/0!»: исправьте "
        "формулу или введите значение (пустая ячейка — нет данных)"]


def test_a_formula_saved_without_its_value_asks_to_save_the_book_in_the_program(tmp_path):
    data = results_book(tmp_path, [[2023, "s1", "m", Formula("2+1")]])
    assert problems_of(data) == [
        ERROR_XLSX.format(row=2, column="D", header="value") + "формула без сохранённого значения: откройте книгу "
        "в Excel, LibreOffice Calc, Р7-Офис или МойОфис, пересчитайте и сохраните её, или замените формулу значением"]


@pytest.mark.parametrize("write,suffix,merged", [(write_xlsx, ".xlsx", {"results": ["A3:A4"]}),
                                                 (write_ods, ".ods", {"results": [(2, 0, 2, 1)]})])
def test_merged_cells_inside_the_data_are_refused(tmp_path, write, suffix, merged):
    data = results_book(tmp_path, [[2023, "s1", "m", 1], [2023, "s1", "n", 1], [None, "s2", "m", 2]],
                        write, suffix, merged)
    assert problems_of(data) == [
        f"книга{suffix}, лист «results», строка 3, столбец A «year»: объединённые ячейки A3:A4 внутри таблицы: "
        "отмените объединение и заполните значение в каждой ячейке"]


# Saved by LibreOffice Calc as tests/fixtures/workbooks/libreoffice-errors.xlsx and .ods (make.py there).
ERROR_SHEETS = {"results": [["year", "school", "measure", "value"], [2023, "s1", "m", 1],
                            [2023, "s1", "n", Formula("1/0")], [2023, "s2", "m", 2], [None, "s2", "n", 2]]}
ERROR_MERGED = {"results": ["A4:A5"]}


@pytest.mark.parametrize("suffix", [".xlsx", ".ods"])
def test_errors_in_a_workbook_saved_by_libreoffice(tmp_path, suffix):
    data = write_data(tmp_path / "data", {"measures.csv": "code\nm\nn\n"})
    shutil.copy(FIXTURES / f"libreoffice-errors{suffix}", data / f"libreoffice-errors{suffix}")
    place = f"libreoffice-errors{suffix}, лист «results», строка"
    assert problems_of(data) == [
        f"{place} 3, столбец D «value»: в ячейке ошибка формулы «#DIV/0!»: исправьте формулу или введите значение "
        "(пустая ячейка — нет данных)",
        f"{place} 4, столбец A «year»: объединённые ячейки A4:A5 внутри таблицы: отмените объединение и заполните "
        "значение в каждой ячейке",
    ]


def test_a_wrong_value_names_the_column_as_written_and_the_field(tmp_path):
    data = write_data(tmp_path / "data", {"measures.csv": "code\nm\n"})
    write_xlsx(data / "книга.xlsx", {"Results": [["Year", "School", "Measure", " Value "], [2023, "s1", "m", "много"],
                                                 [2023, "s9", "m", 1]]})
    assert problems_of(data) == [
        "книга.xlsx, лист «Results», строка 2, столбец D «Value»: ожидалось число (например 75 или "
        "75,5), найдено «много»",
        "книга.xlsx, лист «Results», строка 3, столбец B «School»: школа с кодом «s9» не найдена "
        "в schools.csv",
    ]


def test_the_wide_form_places_a_value_at_its_measures_column(tmp_path):
    data = write_data(tmp_path / "data", {"measures.csv": "code\nparticipants\npassed\n", "indicators.yml": """\
        - code: pass_rate
          title: Доля сдавших
          kind: share
          numerator: passed
          denominator: participants
          unit: "%"
          better: higher
        """})
    write_xlsx(data / "книга.xlsx", {"results 2023": [["school", "participants", "passed", "unknown_code"],
                                                      ["s1", 10, "десять", None], ["s2", 4, 5, None]]})
    place = "книга.xlsx, лист «results 2023», строка"
    assert problems_of(data) == [
        f"{place} 1, столбец D «unknown_code»: неизвестный код величины «unknown_code» в заголовке: его нет в "
        "measures.csv и indicators.yml (в широкой форме каждый столбец, кроме school, year, name, short_name, "
        "district, — код величины)"]
    write_xlsx(data / "книга.xlsx", {"results 2023": [["school", "participants", "passed"],
                                                      ["s1", 10, "десять"], ["s2", 4, 5]]})
    assert problems_of(data) == [
        f"{place} 2, столбец C «passed»: ожидалось число (например 75 или 75,5), найдено «десять»",
        f"{place} 3, столбец C «passed»: числитель passed (5) больше знаменателя participants (4) для показателя "
        "pass_rate",
    ]


def test_a_table_given_twice_names_both_places(tmp_path):
    data = write_data(tmp_path / "data", {})
    write_xlsx(data / "книга.xlsx", {"schools": [["code", "name", "short_name"], ["s1", "Школа 1", "Ш1"]]})
    write_ods(data / "ещё.ods", {"Results 2023": [["school"]], "results_2023": [["school"]]})
    assert problems_of(data) == [  # sorted by the place's name («е» before «к»)
        "ещё.ods, лист «results_2023»: результаты за 2023 год заданы дважды: в ещё.ods, лист «Results 2023» и "
        "здесь; оставьте одно место",
        "книга.xlsx, лист «schools»: таблица schools задана дважды: в schools.csv и здесь; оставьте одно место",
    ]


def test_one_year_on_two_results_sheets_is_refused(tmp_path):
    data = write_data(tmp_path / "data", {"measures.csv": "code\nm\n"})
    write_xlsx(data / "книга.xlsx", {"results": [["year", "school", "m"], [2022, "s1", 1], [2023, "s1", 2]],
                                     "results 2023": [["school", "m"], ["s2", 3]]})
    assert problems_of(data) == [
        "книга.xlsx, лист «results 2023», поле year: результаты за 2023 год есть и на листе «results»: оставьте "
        "их на одном листе"]


def test_a_school_code_unknown_to_a_schools_sheet_names_the_sheet(tmp_path):
    data = write_data(tmp_path / "data", {"schools.csv": None, "statuses.csv": "year,school,status\n2023,s7,ШНОР\n"})
    write_xlsx(data / "книга.xlsx", {"школы": [["code", "name", "short_name"], ["s1", "Школа 1", "Ш1"]]})
    assert problems_of(data) == [
        "statuses.csv:2: school: школа с кодом «s7» не найдена на листе «школы» (книга.xlsx)"]


def test_a_file_that_is_not_a_workbook_is_a_problem_and_the_cli_exits_2(tmp_path):
    data = write_data(tmp_path / "data", {})
    (data / "книга.xlsx").write_bytes(b"PK\x03\x04 not really")
    (data / "~$книга.xlsx").write_bytes(b"Excel's lock file")  # skipped
    out = tmp_path / "site"
    proc = build(data, out)
    assert proc.returncode == 2, proc.stderr
    assert "книга.xlsx: файл не открывается как книга Excel (.xlsx): сохраните его заново в формате Excel (.xlsx) " \
           "(файлы .xls и .xlsb не принимаются)" in proc.stderr
    assert "Traceback" not in proc.stderr and "~$" not in proc.stderr
    assert not out.exists()


def test_cli_reports_a_sheet_error_with_exit_2_and_writes_nothing(tmp_path):
    data = results_book(tmp_path, [[2023, "s1", "m", Error("#N/A")]])
    out = tmp_path / "site"
    proc = build(data, out)
    assert proc.returncode == 2
    assert "  книга.xlsx, лист «results», строка 2, столбец D «value»: в ячейке ошибка формулы «#N/A»" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not out.exists()


def test_a_snapshot_of_a_workbook_project_keeps_its_tables_as_csv_of_the_year(tmp_path):
    """A workbook cannot be filtered in place: the snapshot's data holds its tables as CSV files
    without the later years, and the frozen site is the one the CSV project freezes."""
    from generator.release.snapshot import freeze

    mini = REPO / "tests" / "fixtures" / "mini"
    csv_project = tmp_path / "csv"
    shutil.copytree(mini, csv_project)
    book_project = tmp_path / "book"
    shutil.copytree(mini, book_project)
    tables = [t for t in TABLES if (book_project / f"{t}.csv").exists()]
    assert {"schools", "statuses", "results"} <= set(tables)
    sheets = {t: typed_rows(csv_rows(book_project / f"{t}.csv")) for t in tables}
    for t in tables:
        (book_project / f"{t}.csv").unlink()
    write_ods(book_project / "данные.ods", sheets)
    for project in (csv_project, book_project):
        freeze(project, 2022, progress=False)
    frozen_csv, frozen_book = csv_project / "archive" / "2022", book_project / "archive" / "2022"
    assert not (frozen_book / "data" / "данные.ods").exists()
    statuses = (frozen_book / "data" / "statuses.csv").read_text(encoding="utf-8")
    assert statuses.startswith("year,school,status\n") and "2022," in statuses and "2023," not in statuses
    assert tree(frozen_csv / "site") == tree(frozen_book / "site")


def test_a_year_typed_into_a_date_column_is_not_taken_for_a_serial_number(tmp_path):
    """45173 is 2023-09-04; 2023 would be 1905-07-15, outside 1990–2100: left for the date check."""
    data = write_data(tmp_path / "data", {})
    write_xlsx(data / "книга.xlsx", {"mentorships": [["year", "mentor", "mentee", "agreement", "agreement_date"],
                                                     [2023, "s2", "s1", "1/2023", 2023],
                                                     [2023, "s3", "s1", "2/2023", 45173]]})
    problems = problems_of(data)
    assert len(problems) == 1
    assert problems[0].startswith("книга.xlsx, лист «mentorships», строка 2, столбец E «agreement_date»: ")
    assert "2023" in problems[0]
