"""Change report: `python -m generator diff OLD NEW` — what a reviewer must see before publishing.

OLD and NEW are each one of:
- a data folder (has site.yml): validated and computed, so schools and school statuses are compared too;
- an open-data folder (has indicators.csv, optionally programme.csv), e.g. site/data/ or the files
  downloaded from the published site;
- a built site (has data/indicators.csv).

Published figures are the non-empty numeric cells of the open data (numerator, denominator, value,
change, target): a figure that disappears (its row is gone, or the cell becomes empty, e.g. because the
group became too small) is reported first and loudly, and makes the command exit with code 3 unless
`--accept-removals` is given. Value differences up to 0.05 (half of the last published digit) are
rounding, not changes.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from generator.release.diff_states import FIGURES, State, load_state

EXIT_REMOVED = 3  # the exit code of `diff` when published figures disappear (not accepted)
ROUNDING = Decimal("0.05")
PROGRAMME_FIGURES = ("value", "target")
SCOPE_NAMES = {"school": "школа", "participants": "участники программы", "all": "все школы", "municipality": "муниципалитет"}
TARGET_STATUS_NAMES = {"achieved": "достигнута", "not_achieved": "не достигнута", "no_data": "нет данных",
                       "suppressed": "скрыто (малая группа)", "no_target": "цель не задана", "": "—"}
FIGURE_NAMES = {"numerator": "числитель", "denominator": "знаменатель", "value": "значение",
                "change": "изменение", "target": "цель"}
FLIP = {"achieved", "not_achieved"}


@dataclass
class ChangeReport:
    markdown: str
    removed: int  # published figures that disappear
    counts: dict[str, int]


# --- comparing -------------------------------------------------------------------------------------

def _number(text: str) -> Decimal | None:
    if text == "":
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _same(old: str, new: str) -> bool:
    a, b = _number(old), _number(new)
    if a is None or b is None:
        return old == new
    return abs(a - b) <= ROUNDING


def _ru(text: str) -> str:
    return text.replace(".", ",").replace("-", "−") if text else "—"


def _cell(value: object) -> str:
    text = " ".join(str(value).split())
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;") or " "


class _Out:
    def __init__(self, max_rows: int):
        self.lines: list[str] = []
        self.max_rows = max_rows

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)

    def table(self, header: tuple[str, ...], rows: list[tuple[object, ...]], limit: bool = True) -> None:
        self.add("| " + " | ".join(header) + " |", "|" + " --- |" * len(header))
        shown = rows[: self.max_rows] if limit else rows
        for row in shown:
            self.add("| " + " | ".join(_cell(c) for c in row) + " |")
        if len(shown) < len(rows):
            self.add("", f"… и ещё строк: {len(rows) - self.max_rows} (полный список: --max-rows {len(rows)}).")
        self.add("")


def compare(old: State, new: State, accept_removals: bool = False, max_rows: int = 200) -> ChangeReport:
    both_data = old.kind == "data" and new.kind == "data"
    titles = {**old.titles, **new.titles}
    schools = {**(old.schools or {}), **(new.schools or {})}

    def school(code: str) -> str:
        if not code:
            return "—"
        return f"{schools[code]} ({code})" if code in schools else code

    def indicator(code: str) -> str:
        return f"{titles[code]} ({code})" if code in titles else code

    # Published figures that disappear, value/target/status changes of open-data rows.
    removed, changed, targets, flips, other_status, added = [], [], [], [], [], []
    for key in sorted(old.indicators.keys() | new.indicators.keys(), key=_sort_key):
        year, scope, code, ind = key
        where = (year, SCOPE_NAMES.get(scope, scope), school(code), indicator(ind))
        a, b = old.indicators.get(key), new.indicators.get(key)
        if b is None:
            gone = [f for f in FIGURES if a.get(f, "")]
            if gone:
                removed.append((*where, _figures(a, gone), "строка удалена"))
            continue
        if a is None:
            if any(b.get(f, "") for f in FIGURES):
                added.append((*where, _figures(b, [f for f in FIGURES if b.get(f, "")])))
            continue
        gone = [f for f in FIGURES if a.get(f, "") and not b.get(f, "")]
        if gone:
            why = TARGET_STATUS_NAMES.get(b.get("status", ""), b.get("status", ""))
            removed.append((*where, _figures(a, gone), f"значение стало пустым (статус: {why})"))
        if a.get("value", "") and b.get("value", "") and not _same(a["value"], b["value"]):
            delta = _number(b["value"]) - _number(a["value"])
            changed.append((*where, _ru(a["value"]), _ru(b["value"]), _ru(_signed(delta)),
                            f"{_ru(a.get('numerator', ''))}/{_ru(a.get('denominator', ''))} → "
                            f"{_ru(b.get('numerator', ''))}/{_ru(b.get('denominator', ''))}"))
        if not _same(a.get("target", ""), b.get("target", "")) and b.get("target", ""):
            targets.append((*where, _ru(a.get("target", "")), _ru(b.get("target", ""))))
        sa, sb = a.get("status", ""), b.get("status", "")
        if sa != sb:
            row = (*where, TARGET_STATUS_NAMES.get(sa, sa), TARGET_STATUS_NAMES.get(sb, sb), f"{_ru(a.get('value', ''))} → {_ru(b.get('value', ''))}")
            (flips if {sa, sb} == FLIP else other_status).append(row)

    # Programme indicators.
    p_removed, p_changed, p_targets, p_flips, p_other = [], [], [], [], []
    if old.programme is not None and new.programme is not None:
        for key in sorted(old.programme.keys() | new.programme.keys()):
            year, ind = key
            a, b = old.programme.get(key), new.programme.get(key)
            if b is None:
                gone = [f for f in PROGRAMME_FIGURES if a.get(f, "")]
                if gone:
                    p_removed.append((year, ind, _figures(a, gone), "строка удалена"))
                continue
            if a is None:
                continue
            gone = [f for f in PROGRAMME_FIGURES if a.get(f, "") and not b.get(f, "")]
            if gone:
                p_removed.append((year, ind, _figures(a, gone), "значение стало пустым"))
            if a.get("value", "") and b.get("value", "") and not _same(a["value"], b["value"]):
                p_changed.append((year, ind, _ru(a["value"]), _ru(b["value"])))
            if not _same(a.get("target", ""), b.get("target", "")) and b.get("target", ""):
                p_targets.append((year, ind, _ru(a.get("target", "")), _ru(b.get("target", ""))))
            sa, sb = a.get("status", ""), b.get("status", "")
            if sa != sb:
                row = (year, ind, TARGET_STATUS_NAMES.get(sa, sa), TARGET_STATUS_NAMES.get(sb, sb))
                (p_flips if {sa, sb} == FLIP else p_other).append(row)

    # Schools and their statuses.
    if both_data:
        old_codes, new_codes = set(old.schools or {}), set(new.schools or {})
        schools_note = ""
    else:
        old_codes = {k[2] for k in old.indicators if k[2]}
        new_codes = {k[2] for k in new.indicators if k[2]}
        schools_note = ("Сравниваются открытые данные: «школа добавлена» значит, что по ней появились опубликованные "
                        "значения, «удалена» — что все её значения исчезли. Статусы школ (ШНОР, ШНСУ) в открытых "
                        "данных не публикуются и не сравнивались.")
    schools_added = sorted(new_codes - old_codes)
    schools_removed = sorted(old_codes - new_codes)
    status_changes = []
    if both_data:
        for key in sorted(old.statuses.keys() | new.statuses.keys()):
            a, b = old.statuses.get(key, frozenset()), new.statuses.get(key, frozenset())
            if a != b:
                status_changes.append((key[0], school(key[1]), ", ".join(sorted(a)) or "—", ", ".join(sorted(b)) or "—"))

    total_removed = len(removed) + len(p_removed)
    counts = {
        "Исчезают опубликованные значения (строк)": total_removed,
        "Школы добавлены": len(schools_added),
        "Школы удалены": len(schools_removed),
        "Статусы школ изменились (год и школа)": len(status_changes),
        "Значения показателей изменились (больше округления)": len(changed) + len(p_changed),
        "Цели изменились": len(targets) + len(p_targets),
        "Достижение цели: достигнута ↔ не достигнута": len(flips) + len(p_flips),
        "Прочие изменения статуса показателя": len(other_status) + len(p_other),
        "Новые значения (строк)": len(added),
    }

    out = _Out(max_rows)
    out.add("## Отчёт об изменениях данных", "", f"Было: `{_cell(old.label)}` · стало: `{_cell(new.label)}`", "")
    if total_removed:
        verdict = ("Удаление подтверждено (`--accept-removals`)." if accept_removals else
                   "**Публикация остановлена** (код выхода 3). Если удаление намеренное — например, исправлена "
                   "ошибка в данных, — подтвердите его: `--accept-removals` (в CI — переменная ACCEPT_REMOVALS=1).")
        out.add(f"### ⛔ ВНИМАНИЕ: исчезают опубликованные значения — {total_removed}", "",
                "Эти числа уже опубликованы на сайте и в открытых данных; после обновления их не будет. "
                "Их могли скачать и процитировать. " + verdict, "")
        if removed:
            out.table(("Год", "Уровень", "Школа", "Показатель", "Было опубликовано", "Что случилось"), removed)
        if p_removed:
            out.table(("Год", "Показатель программы", "Было опубликовано", "Что случилось"), p_removed)
    elif not any(counts.values()):
        out.add("Изменений нет: опубликованные значения, цели и статусы совпадают.", "")
    out.add("### Сводка", "")
    out.table(("Что изменилось", "Сколько"), [(k, v) for k, v in counts.items()], limit=False)

    if schools_added or schools_removed or schools_note:
        out.add("### Школы", "")
        if schools_note:
            out.add(schools_note, "")
        if schools_added or schools_removed:
            out.table(("Изменение", "Школа"), [("добавлена", school(c)) for c in schools_added]
                      + [("удалена", school(c)) for c in schools_removed])
    if status_changes:
        out.add("### Статусы школ", "")
        out.table(("Год", "Школа", "Было", "Стало"), status_changes)
    if flips or p_flips:
        out.add("### Достижение цели изменилось (достигнута ↔ не достигнута)", "")
        if flips:
            out.table(("Год", "Уровень", "Школа", "Показатель", "Было", "Стало", "Значение"), flips)
        if p_flips:
            out.table(("Год", "Показатель программы", "Было", "Стало"), p_flips)
    if changed:
        out.add(f"### Значения показателей (разница больше {_ru(str(ROUNDING))} — не округление)", "")
        out.table(("Год", "Уровень", "Школа", "Показатель", "Было", "Стало", "Разница", "Числитель/знаменатель"),
                  changed)
    if targets:
        out.add("### Цели", "")
        out.table(("Год", "Уровень", "Школа", "Показатель", "Было", "Стало"), targets)
    if other_status:
        out.add("### Прочие изменения статуса показателя", "")
        out.table(("Год", "Уровень", "Школа", "Показатель", "Было", "Стало", "Значение"), other_status)
    if p_changed or p_targets or p_other:
        out.add("### Показатели программы", "")
        if p_changed:
            out.table(("Год", "Показатель", "Было", "Стало"), p_changed)
        if p_targets:
            out.add("Цели:", "")
            out.table(("Год", "Показатель", "Было", "Стало"), p_targets)
        if p_other:
            out.add("Прочие изменения статуса:", "")
            out.table(("Год", "Показатель", "Было", "Стало"), p_other)
    if added:
        out.add(f"<details><summary>Новые значения: {len(added)}</summary>", "")
        out.table(("Год", "Уровень", "Школа", "Показатель", "Значения"), added)
        out.add("</details>", "")
    if old.programme is None or new.programme is None:
        out.add("Показатели программы не сравнивались: нет programme.csv.", "")
    return ChangeReport("\n".join(out.lines).rstrip("\n") + "\n", total_removed, counts)


def _signed(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text if text.startswith("-") else f"+{text}"


def _figures(row: dict[str, str], names: list[str]) -> str:
    return "; ".join(f"{FIGURE_NAMES.get(n, n)} {_ru(row.get(n, ''))}" for n in names)


def _sort_key(key: tuple[str, str, str, str]) -> tuple:
    year, scope, school, indicator = key
    order = {"school": 0, "participants": 1, "all": 2, "municipality": 3}
    return (year, order.get(scope, 9), school, indicator)


def diff(old: Path, new: Path, accept_removals: bool = False, max_rows: int = 200) -> ChangeReport:
    return compare(load_state(old), load_state(new), accept_removals, max_rows)
