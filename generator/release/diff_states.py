"""The two sides of a change report, read into one shape (`State`): a data folder (validated and
computed, so schools and statuses are compared too), an open-data folder, or a built site."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import DataErrors, InputError, os_reason
from generator.load.csv_files import decode, header_separator
from generator.load.validation import validate
from generator.compute.computed import compute
from generator.compute.programme import compute_programme
from generator.render.open_data import indicator_records, programme_records, published

FIGURES = ("numerator", "denominator", "value", "change", "target")  # the published figures of a row


@dataclass
class State:
    label: str
    kind: str  # "data" | "open-data"
    indicators: dict[tuple[str, str, str, str], dict[str, str]]
    programme: dict[tuple[str, str], dict[str, str]] | None
    schools: dict[str, str] | None = None  # code → name (data folders only)
    statuses: dict[tuple[int, str], frozenset[str]] | None = None
    titles: dict[str, str] = field(default_factory=dict)


def _read_csv(path: Path) -> list[dict[str, str]]:
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise InputError(f"{path}: файл не читается ({os_reason(err)})") from None
    text, _ = decode(raw)
    separator = header_separator(text)
    rows = list(csv.DictReader(io.StringIO(text), delimiter=separator))
    decimal_comma = separator == ";"  # an Excel export: decimal comma in the numbers

    def clean(key: str, value: str | None) -> str:
        value = (value or "").strip()
        return value.replace(",", ".") if decimal_comma and key in FIGURES else value

    return [{(k or "").strip(): clean((k or "").strip(), v) for k, v in row.items()} for row in rows]


def _index_indicators(rows: list[dict[str, str]], where: Path) -> dict[tuple[str, str, str, str], dict[str, str]]:
    needed = {"year", "scope", "school", "indicator", "value"}
    if rows and not needed <= rows[0].keys():
        raise InputError(f"{where}: ожидались столбцы {', '.join(sorted(needed))} (открытые данные indicators.csv)")
    return {(r["year"], r["scope"], r.get("school", ""), r["indicator"]): r for r in rows}


def _index_programme(rows: list[dict[str, str]], where: Path) -> dict[tuple[str, str], dict[str, str]]:
    if rows and not {"year", "indicator", "value"} <= rows[0].keys():
        raise InputError(f"{where}: ожидались столбцы year, indicator, value (открытые данные programme.csv)")
    return {(r["year"], r["indicator"]): r for r in rows}


def load_state(path: Path) -> State:
    """A data folder, an open-data folder or a built site."""
    if not path.exists():
        raise InputError(f"{path}: папка не найдена")
    if path.is_dir() and (path / "site.yml").is_file():
        return _load_data(path)
    folder = path
    if path.is_dir() and not (path / "indicators.csv").is_file() and (path / "data" / "indicators.csv").is_file():
        folder = path / "data"
    if not (folder.is_dir() and (folder / "indicators.csv").is_file()):
        raise InputError(f"{path}: ожидалась папка с данными (site.yml), папка открытых данных (indicators.csv) "
                         f"или собранный сайт (data/indicators.csv)")
    programme = None
    if (folder / "programme.csv").is_file():
        programme = _index_programme(_read_csv(folder / "programme.csv"), folder / "programme.csv")
    return State(str(path), "open-data", _index_indicators(_read_csv(folder / "indicators.csv"), folder / "indicators.csv"),
                 programme)


def _load_data(path: Path) -> State:
    try:
        dataset = validate(path).dataset
    except DataErrors as err:
        problems = "\n".join(f"  {p}" for p in err.problems[:20])
        more = f"\n  … и ещё {len(err.problems) - 20}" if len(err.problems) > 20 else ""
        raise InputError(f"данные в {path} не прошли проверку (ошибок {len(err.problems)}):\n{problems}{more}") from None
    values = compute(dataset)
    programme = compute_programme(dataset, values)
    indicators = {(r["year"], r["scope"], r["school"], r["indicator"]): r
                  for r in indicator_records(published(dataset, values))}
    programme_rows = {(r["year"], r["indicator"]): r for r in programme_records(programme)}
    statuses: dict[tuple[int, str], set[str]] = {}
    for s in dataset.statuses:
        statuses.setdefault((s.year, s.school), set()).add(s.status)
    return State(str(path), "data", indicators, programme_rows, {s.code: s.label for s in dataset.schools},
                 {k: frozenset(v) for k, v in statuses.items()}, {i.code: i.title for i in dataset.indicators})
