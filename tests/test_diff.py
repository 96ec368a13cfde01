"""Change report (python -m generator diff): every change kind on hand-made before/after states."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import run_cli
from generator.release.diff import diff

MINI = Path(__file__).resolve().parent / "fixtures" / "mini"
HEADER = "year,scope,school,indicator,numerator,denominator,value,change,target,status\n"


def edit(path: Path, change) -> None:
    text = path.read_text(encoding="utf-8")
    new = change(text)
    assert new != text, path
    path.write_text(new, encoding="utf-8")


@pytest.fixture(scope="module")
def before_after(tmp_path_factory) -> tuple[Path, Path]:
    """Mini data, and a copy with every kind of change a reviewer must see."""
    root = tmp_path_factory.mktemp("diff")
    old, new = root / "old", root / "new"
    shutil.copytree(MINI, old)
    shutil.copytree(MINI, new)
    # A school added (with a status), a school removed (with all its rows: published figures disappear).
    edit(new / "schools.csv", lambda s: s.replace('6100000002,"МБОУ «Вторая школа»",Вторая школа,Южное поселение,,\n', "")
         + '6100000005,"МБОУ «Новая школа»",Новая школа,Северное поселение,,\n')
    # A status changed: 2023 «ШНОР, ШНСУ» → «ШНСУ».
    edit(new / "statuses.csv", lambda s: s.replace("2022,6100000002,ШНОР\n", "").replace("2023,6100000004,ШНОР\n", "")
         + "2023,6100000005,ШНОР\n")
    edit(new / "mentorships.csv", lambda s: s.replace("2022,6100000003,6100000002,нет,,\n", ""))
    # A value changed: 37 of 40 → 30 of 40 passed; the district value falls below the rule (min 90).
    edit(new / "results.csv", lambda s: "".join(line for line in s.splitlines(True) if ",6100000002," not in line)
         .replace("2023,6100000001,ege_passed,37", "2023,6100000001,ege_passed,30"))
    # A target changed.
    edit(new / "indicators.yml", lambda s: s.replace("targets: {2023: 95}", "targets: {2023: 97}"))
    return old, new


def test_data_folders_every_change_kind(before_after):
    old, new = before_after
    report = diff(old, new)
    md = report.markdown
    # Three school figures, and the 2023 coverage by agreements: the new participant 6100000005 has no
    # mentorship row, so whether it has an agreement is unknown and the share is not computed (issue #20).
    assert report.removed == 4
    assert "| 2023 | mentor_agreements | значение 50 | значение стало пустым |" in md
    # Loud, first: published figures that disappear.
    assert md.index("### ⛔ ВНИМАНИЕ: исчезают опубликованные значения — 4") < md.index("### Сводка")
    assert "**Публикация остановлена** (код выхода 3)" in md
    assert "| 2023 | школа | Вторая школа (6100000002) | Доля сдавших ЕГЭ по русскому языку (ege_rus) | " \
           "числитель 11; знаменатель 12; значение 91,7; цель 95 | строка удалена |" in md
    # Removing a school made a group small: a figure of another school is now hidden — also loud.
    assert "| 2022 | школа | Первая школа (6100000001) | Доля сдавших ЕГЭ по русскому языку (ege_rus) | " \
           "числитель 18; знаменатель 20; значение 90 | значение стало пустым (статус: скрыто (малая группа)) |" in md
    # Schools added and removed, school statuses.
    assert "| добавлена | Новая школа (6100000005) |" in md and "| удалена | Вторая школа (6100000002) |" in md
    assert "| 2023 | Малая школа (6100000004) | ШНОР, ШНСУ | ШНСУ |" in md
    assert "| 2023 | Новая школа (6100000005) | — | ШНОР |" in md
    # Status flip achieved → not achieved, with the values.
    assert "| 2023 | все школы | — | Доля сдавших ЕГЭ по русскому языку (ege_rus) | достигнута | не достигнута | " \
           "95,3 → 88,3 |" in md
    assert "| 2023 | participants_reduction | достигнута | не достигнута |" in md
    # Values changed beyond rounding, with numerator/denominator.
    assert "| 2023 | все школы | — | Доля сдавших ЕГЭ по русскому языку (ege_rus) | 95,3 | 88,3 | −7 | " \
           "101/106 → 83/94 |" in md
    # Targets changed.
    assert "| 2023 | участники программы | — | Доля сдавших ЕГЭ по русскому языку (ege_rus) | 95 | 97 |" in md
    assert "| 2023 | participants | 2 | 3 |" in md  # programme indicators
    summary = md[md.index("### Сводка"):]
    for line in ("| Школы добавлены | 1 |", "| Школы удалены | 1 |", "| Статусы школ изменились (год и школа) | 3 |",
                 "| Достижение цели: достигнута ↔ не достигнута | 2 |", "| Цели изменились | 5 |"):
        assert line in summary


def test_cli_exit_codes_and_accept(before_after, tmp_path):
    old, new = before_after
    proc = run_cli("diff", str(old), str(new))
    assert proc.returncode == 3
    assert proc.stdout.startswith("## Отчёт об изменениях данных")
    assert "исчезают опубликованные значения (строк: 4)" in proc.stderr and "--accept-removals" in proc.stderr
    out = tmp_path / "report.md"
    proc = run_cli("diff", str(old), str(new), "--accept-removals", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "" and "Удаление подтверждено (`--accept-removals`)." in out.read_text(encoding="utf-8")
    proc = run_cli("diff", str(old), str(old))
    assert proc.returncode == 0 and "Изменений нет" in proc.stdout


def test_bad_inputs_are_exit_2(before_after, tmp_path):
    old, _ = before_after
    proc = run_cli("diff", str(old), str(tmp_path / "нет"))
    assert proc.returncode == 2 and "папка не найдена" in proc.stderr and "Traceback" not in proc.stderr
    (tmp_path / "empty").mkdir()
    proc = run_cli("diff", str(tmp_path / "empty"), str(old))
    assert proc.returncode == 2 and "ожидалась папка с данными" in proc.stderr
    broken = tmp_path / "broken"
    shutil.copytree(old, broken)
    (broken / "statuses.csv").write_text("year,school,status\n2023,9999,ШНОР\n", encoding="utf-8")
    proc = run_cli("diff", str(broken), str(old))
    assert proc.returncode == 2 and f"данные в {broken} не прошли проверку" in proc.stderr
    assert "Traceback" not in proc.stderr


def write_open_data(folder: Path, indicators: str, programme: str | None = None, excel: bool = False) -> Path:
    folder.mkdir(parents=True)
    text = HEADER + indicators
    if excel:  # a Russian Excel export: ';', decimal comma, Windows-1251
        text = text.replace(",", ";").replace(".", ",")
        (folder / "indicators.csv").write_bytes(text.encode("cp1251"))
    else:
        (folder / "indicators.csv").write_text(text, encoding="utf-8")
    if programme is not None:
        (folder / "programme.csv").write_text("year,indicator,value,target,status\n" + programme, encoding="utf-8")
    return folder


OLD_ROWS = """\
2024,school,s1,ege,18,20,90,,85,achieved
2024,school,s2,ege,12,20,60,,85,not_achieved
2024,school,s3,ege,10,20,50,,,no_target
2024,school,s4,ege,10,20,50,,85,not_achieved
2024,all,,ege,50,80,62.5,,85,not_achieved
2024,school,s5,ege,10,20,50,,,no_target
"""
NEW_ROWS = """\
2024,school,s1,ege,18,20,90.04,,85,achieved
2024,school,s2,ege,18,20,90,,85,achieved
2024,school,s3,ege,10,20,50.1,,80,not_achieved
2024,school,s4,ege,,,,,85,suppressed
2024,all,,ege,56,80,70,,85,not_achieved
2024,school,s6,ege,1,2,50,,,no_target
"""


def test_open_data_folders(tmp_path):
    old = write_open_data(tmp_path / "old", OLD_ROWS, "2024,participants,5,4,not_achieved\n2024,reduction,20,30,not_achieved\n")
    new = write_open_data(tmp_path / "new", NEW_ROWS, "2024,participants,4,4,achieved\n")
    report = diff(old, new)
    md = report.markdown
    # Disappearing: s4 suppressed (cells emptied), s5 row gone, programme row gone.
    assert report.removed == 3
    assert "| 2024 | школа | s4 | ege | числитель 10; знаменатель 20; значение 50 | значение стало пустым " \
           "(статус: скрыто (малая группа)) |" in md
    assert "| 2024 | школа | s5 | ege | числитель 10; знаменатель 20; значение 50 | строка удалена |" in md
    assert "| 2024 | reduction | значение 20; цель 30 | строка удалена |" in md
    # Rounding (90 → 90.04) is not a change; 50 → 50.1 is.
    assert "| s1 |" not in md.split("### Значения показателей")[1].split("###")[0]
    assert "| 2024 | школа | s3 | ege | 50 | 50,1 | +0,1 | 10/20 → 10/20 |" in md
    assert "| 2024 | школа | s2 | ege | 60 | 90 | +30 | 12/20 → 18/20 |" in md
    # Flip, target appearing, other status change, programme flip, school appearing/disappearing.
    assert "| 2024 | школа | s2 | ege | не достигнута | достигнута | 60 → 90 |" in md
    assert "| 2024 | школа | s3 | ege | — | 80 |" in md
    assert "| 2024 | школа | s3 | ege | цель не задана | не достигнута | 50 → 50,1 |" in md
    assert "| 2024 | participants | не достигнута | достигнута |" in md
    assert "| добавлена | s6 |" in md and "| удалена | s5 |" in md
    assert "Статусы школ (ШНОР, ШНСУ) в открытых данных не публикуются" in md
    assert "Новые значения: 1" in md


def test_excel_export_and_built_site_are_read_alike(tmp_path):
    plain = write_open_data(tmp_path / "plain", OLD_ROWS)
    excel = write_open_data(tmp_path / "excel", OLD_ROWS, excel=True)
    site = tmp_path / "site"
    write_open_data(site / "data", OLD_ROWS)
    for other in (excel, site):
        report = diff(plain, other)
        assert report.removed == 0 and "Изменений нет" in report.markdown, report.markdown
    assert "Показатели программы не сравнивались: нет programme.csv." in diff(plain, excel).markdown


def test_table_cells_are_escaped_and_long_tables_cut(tmp_path):
    rows = "".join(f"2024,school,s|{i}<b>,ege,1,2,50,,,no_target\n" for i in range(5))
    old = write_open_data(tmp_path / "old", rows)
    new = write_open_data(tmp_path / "new", "")
    md = diff(old, new, max_rows=2).markdown
    assert "s\\|0&lt;b&gt;" in md and "<b>" not in md
    assert "… и ещё строк: 3 (полный список: --max-rows 5)." in md
