"""`python -m generator template DIR` (issue #24): an empty workbook of every table, headers with
comments, drop-down lists for the fixed values; filled in, it is read like the CSV files."""
from __future__ import annotations

from pathlib import Path

import openpyxl

from conftest import SITE, run_cli, write_data
from generator.load.validation import validate


def written(tmp_path: Path) -> Path:
    proc = run_cli("template", str(tmp_path / "project"))
    assert proc.returncode == 0, proc.stderr
    path = tmp_path / "project" / "tables.xlsx"
    assert f"Записан шаблон {path}" in proc.stdout
    return path


def test_every_sheet_with_its_headers_and_a_comment_on_each(tmp_path):
    book = openpyxl.load_workbook(written(tmp_path))
    assert book.sheetnames == ["schools", "statuses", "mentorships", "measures", "renames", "results", "lists"]
    headers = {ws.title: [c.value for c in ws[1]] for ws in book.worksheets}
    assert headers["schools"] == ["code", "name", "short_name", "district", "website", "address", "project_page",
                                  "roadmap_url"]
    assert headers["statuses"] == ["year", "school", "status"]
    assert headers["mentorships"] == ["year", "mentor", "mentee", "agreement", "agreement_date", "forms"]
    assert headers["measures"] == ["code", "title", "unit"]
    assert headers["renames"] == ["old_code", "new_code", "date", "reason"]
    assert headers["results"] == ["year", "school", "measure", "value"]
    for ws in book.worksheets[:-1]:
        for cell in ws[1]:
            assert cell.comment is not None and len(cell.comment.text) > 20, (ws.title, cell.value)
    assert book["statuses"]["C1"].comment.text.startswith("ШНОР, ШНСУ или наставник")
    assert "(обязательный столбец)" in book["schools"]["A1"].comment.text
    assert "(необязательный столбец)" in book["schools"]["D1"].comment.text
    assert book["lists"].sheet_state == "hidden"
    assert [c.value for c in book["lists"]["A"]] == ["status", "ШНОР", "ШНСУ", "наставник"]


def test_drop_down_lists_where_the_values_are_fixed(tmp_path):
    book = openpyxl.load_workbook(written(tmp_path))

    def lists(sheet: str) -> dict[str, str]:
        return {str(v.sqref): v.formula1 for v in book[sheet].data_validations.dataValidation if v.type == "list"}

    assert lists("statuses") == {"C2:C20000": "=lists!$A$2:$A$4", "B2:B20000": "=schools!$A$2:$A$20000"}
    assert lists("mentorships") == {"B2:B20000": "=schools!$A$2:$A$20000", "C2:C20000": "=schools!$A$2:$A$20000"}
    assert lists("results") == {"B2:B20000": "=schools!$A$2:$A$20000", "C2:C20000": "=measures!$A$2:$A$20000"}
    assert lists("renames") == {"B2:B20000": "=schools!$A$2:$A$20000"}
    years = [v for v in book["results"].data_validations.dataValidation if v.type == "whole"]
    assert [(str(v.sqref), v.formula1, v.formula2) for v in years] == [("A2:A20000", "1990", "2100")]


def test_the_filled_template_is_read_as_the_data(tmp_path):
    path = written(tmp_path)
    project = path.parent
    write_data(project, {"schools.csv": None, "statuses.csv": None})
    assert (project / "site.yml").read_text(encoding="utf-8") == SITE
    book = openpyxl.load_workbook(path)
    book["schools"].append(["s1", "Школа 1", "Ш1"])
    book["statuses"].append([2023, "s1", "ШНОР"])
    book["measures"].append(["m", "Величина", "чел."])
    book["results"].append([2023, "s1", "m", 4])
    book.save(path)
    ds = validate(project).dataset
    assert [s.code for s in ds.schools] == ["s1"]
    assert [(s.year, s.school, s.status) for s in ds.statuses] == [(2023, "s1", "ШНОР")]
    assert ds.results.figures("s1") == {(2023, "m"): 4}


def test_an_existing_file_is_never_replaced(tmp_path):
    path = written(tmp_path)
    path.write_bytes(b"the department's own data")
    proc = run_cli("template", str(path.parent))
    assert proc.returncode == 2
    assert proc.stderr == (f"ошибка: файл {path} уже есть: шаблон не записан, чтобы не затереть данные. "
                           "Переименуйте или удалите его, или укажите другую папку\n")
    assert path.read_bytes() == b"the department's own data"
    assert sorted(p.name for p in path.parent.iterdir()) == ["tables.xlsx"]  # no temporary file left
