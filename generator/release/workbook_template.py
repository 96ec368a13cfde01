"""`python -m generator template DIR`: an empty workbook of the data contract's tables (issue #24).

Every sheet the reader knows (load/sources.py), its headers (load/validation.py's columns) with a
comment on each header saying what the column holds (Russian, from docs/data-contract.md), and
drop-down lists where the values are fixed: statuses (from a hidden sheet `lists`), school codes
(the `schools` sheet's column A), measure codes (the `measures` sheet's column A), so the lists fill
as the department types. Written with openpyxl into a temporary file and linked into place, so an
existing file is never replaced and no half-written file is left.
"""
from __future__ import annotations

import contextlib
import io
import os
import tempfile
from pathlib import Path

from generator.errors import InputError, os_reason
from generator.load.results import RESULTS_COLUMNS
from generator.load.validation import (MEASURES_COLUMNS, MENTORSHIPS_COLUMNS, RENAMES_COLUMNS, SCHOOLS_COLUMNS,
                                       STATUSES_COLUMNS)
from generator.model import SCHOOL_STATUSES

FILE_NAME = "tables.xlsx"
ROWS = 20_000  # how far down the drop-down lists and checks reach
SCHOOL_CODE = "код школы из листа schools (выберите из списка)"
NOTES = {
    "schools": {
        "code": "Код школы, уникальный и постоянный (рекомендуется ИНН): латинские буквы, цифры, «-» и «_». "
                "Входит в адрес страницы школы — не меняйте его.",
        "name": "Полное название школы, например «МБОУ Курская ООШ».",
        "short_name": "Короткое название для таблиц и графиков, например «Курская ООШ».",
        "district": "Поселение или часть района (необязательно).",
        "website": "Сайт школы https://…; пусто — сайта нет.",
        "address": "Почтовый адрес (необязательно).",
        "project_page": "Адрес вкладки «Проект «500+»» на сайте школы https://… (необязательно).",
        "roadmap_url": "Адрес дорожной карты школы на её сайте https://… (необязательно).",
    },
    "statuses": {
        "year": "Год перечня «500+», в котором школа работает в программе: четыре цифры, например 2024.",
        "school": "Код школы из листа schools (выберите из списка).",
        "status": "ШНОР, ШНСУ или наставник (выберите из списка). Одна строка — один статус.",
    },
    "mentorships": {
        "year": "Год работы пары: четыре цифры.",
        "mentor": "Код школы-наставника из листа schools (выберите из списка).",
        "mentee": "Код школы-участницы (ШНОР/ШНСУ) из листа schools (выберите из списка).",
        "agreement": "Номер договора о сотрудничестве; «нет» — договор не подписан; пусто — сведений нет.",
        "agreement_date": "Дата договора (ячейка в формате даты или ГГГГ-ММ-ДД); без номера договора не допускается.",
        "forms": "Формы поддержки через «;», например «методические семинары; стажировки».",
    },
    "measures": {
        "code": "Код величины: строчные латинские буквы, цифры и «_», например oge_math_passed.",
        "title": "Название величины по-русски.",
        "unit": "Единица: чел., школ, обращений…",
    },
    "renames": {
        "old_code": "Прежний код школы (его уже не должно быть на листе schools).",
        "new_code": "Действующий код школы из листа schools (выберите из списка).",
        "date": "Дата изменения кода (необязательно).",
        "reason": "Причина, например «реорганизация» (необязательно).",
    },
    "results": {
        "year": "Год: четыре цифры.",
        "school": "Код школы из листа schools (выберите из списка); пусто — число относится ко всему муниципалитету.",
        "measure": "Код величины из листа measures (выберите из списка).",
        "value": "Неотрицательное число (количество человек, школ, обращений — не процент); 0 — ноль, пусто — "
                 "нет данных. Можно и широкую форму: лист «results 2024», столбец school и по столбцу на код "
                 "величины (см. docs/data-contract.md).",
    },
}
TABLES = {"schools": SCHOOLS_COLUMNS, "statuses": STATUSES_COLUMNS, "mentorships": MENTORSHIPS_COLUMNS,
          "measures": MEASURES_COLUMNS, "renames": RENAMES_COLUMNS, "results": RESULTS_COLUMNS}
# Columns whose values come from a list: (the list's range, what a wrong value is told).
SCHOOLS_LIST = ("=schools!$A$2:$A$%d" % ROWS, "Код школы должен быть на листе schools.")
LISTS = {
    ("statuses", "status"): ("=lists!$A$2:$A$%d" % (len(SCHOOL_STATUSES) + 1), "Статус: ШНОР, ШНСУ или наставник."),
    ("statuses", "school"): SCHOOLS_LIST,
    ("mentorships", "mentor"): SCHOOLS_LIST,
    ("mentorships", "mentee"): SCHOOLS_LIST,
    ("renames", "new_code"): SCHOOLS_LIST,
    ("results", "school"): SCHOOLS_LIST,
    ("results", "measure"): ("=measures!$A$2:$A$%d" % ROWS, "Код величины должен быть на листе measures."),
}


def workbook_bytes() -> bytes:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    book.remove(book.active)
    for table, (required, optional) in TABLES.items():
        sheet = book.create_sheet(table)
        for j, column in enumerate(required + optional, start=1):
            cell = sheet.cell(1, j, column)
            cell.font = Font(bold=True)
            kind = "обязательный столбец" if column in required else "необязательный столбец"
            comment = Comment(f"{NOTES[table][column]} ({kind})", "генератор сайта")
            comment.width, comment.height = 320, 140
            cell.comment = comment
            letter = get_column_letter(j)
            sheet.column_dimensions[letter].width = max(14, len(column) + 4)
            where = f"{letter}2:{letter}{ROWS}"
            if (table, column) in LISTS:
                formula, error = LISTS[(table, column)]
                check = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=True,
                                       errorTitle="Значение не из списка", error=error)
            elif column == "year":
                check = DataValidation(type="whole", operator="between", formula1="1990", formula2="2100",
                                       allow_blank=True, showErrorMessage=True, errorTitle="Год",
                                       error="Год — четыре цифры, например 2024.")
            else:
                continue
            sheet.add_data_validation(check)
            check.add(where)
        sheet.freeze_panes = "A2"
    lists = book.create_sheet("lists")
    lists["A1"] = "status"
    for i, status in enumerate(SCHOOL_STATUSES, start=2):
        lists.cell(i, 1, status)
    lists.sheet_state = "hidden"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_template(folder: Path) -> Path:
    """DIR/tables.xlsx, never over an existing file (InputError, exit 2)."""
    path = folder / FILE_NAME
    if path.exists() or path.is_symlink():
        raise InputError(f"файл {path} уже есть: шаблон не записан, чтобы не затереть данные. "
                         f"Переименуйте или удалите его, или укажите другую папку")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{FILE_NAME}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(workbook_bytes())
            os.chmod(tmp, 0o644)
            try:
                os.link(tmp, path)  # fails if the file appeared meanwhile: never replaced
            except FileExistsError:
                raise
            except OSError:  # no hard links on this file system (FAT, some mounts)
                if path.exists():
                    raise FileExistsError(path) from None
                os.replace(tmp, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
    except FileExistsError:
        raise InputError(f"файл {path} уже есть: шаблон не записан") from None
    except NotADirectoryError:
        raise InputError(f"{folder} — не папка") from None
    except PermissionError as err:
        raise InputError(f"не удалось записать {path}: {os_reason(err)}") from None
    return path
