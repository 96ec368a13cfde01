"""Open data: indicators and programme values as CSV and JSON, described by a Data Package.

Under the site's `data/`:
- `indicators.csv|json` (every published row), `programme.csv|json`;
- `schools/<school code>.csv`: one school's rows of indicators.csv (scope `school`), for every school
  when some indicator is published per school. Part of the school's bundle (`school_files`): a warm
  build links it like the school's page;
- `indicators/<indicator code>.csv`: one indicator's rows of indicators.csv (schools, groups,
  municipality), for every published indicator; cut from indicators.csv on every build;
- `indicators.schema.json`: the Table Schema of all those tables, and `datapackage.json`.

Every per-school and per-indicator file is a table of its own, so each is its own resource of the
Data Package (a resource with a list of paths would be one table cut into chunks). They share one
Table Schema, which a resource may give as a path (Data Package v1 and v2; frictionless-py follows
it). At 5,000 schools (bench/synth.py, 5,016 resources) datapackage.json is then 1.6 MB (56 KB
gzipped); with the schema repeated inline in each resource it would be 12.6 MB (7.2 MB without
indent). indicators.csv and programme.csv keep their inline schemas, as before.
"""
from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from decimal import Decimal

from generator.compute.indicators import IndicatorValue
from generator.model import SCOPES, Dataset
from generator.numbers import plain
from generator.compute.programme import ProgrammeValue

INDICATOR_COLUMNS = ("year", "scope", "school", "indicator", "numerator", "denominator", "value", "change", "target",
                     "status")
PROGRAMME_COLUMNS = ("year", "indicator", "value", "target", "status")
SCOPE_ORDER = {scope: i for i, scope in enumerate(SCOPES)}  # rows sorted as model.SCOPES lists them
HEADER = ",".join(INDICATOR_COLUMNS) + "\n"
FOLDER = "data"  # the open data's folder in the site
SCHEMA_FILE = "indicators.schema.json"


def school_file(code: str) -> str:
    """Where a school's open-data file is, under data/ (URL: /data/schools/<code>.csv)."""
    return f"schools/{code}.csv"


def indicator_file(code: str) -> str:
    """Where an indicator's open-data file is, under data/ (URL: /data/indicators/<code>.csv)."""
    return f"indicators/{code}.csv"


def has_school_files(dataset: Dataset) -> bool:
    """Schools get a file of their own when at least one indicator is published per school."""
    return any(i.publish == "school" for i in dataset.indicators)


def published(dataset: Dataset, values: list[IndicatorValue]) -> list[IndicatorValue]:
    """Apply each indicator's publication level: 'aggregate' drops school rows, 'none' drops all."""
    level = {i.code: i.publish for i in dataset.indicators}
    keep = [v for v in values if level[v.indicator] == "school" or (level[v.indicator] == "aggregate" and v.scope != "school")]
    return sorted(keep, key=lambda v: (v.year, SCOPE_ORDER[v.scope], v.school, v.indicator))


def indicator_records(values: list[IndicatorValue]) -> list[dict[str, str]]:
    return [
        {
            "year": str(v.year), "scope": v.scope, "school": v.school, "indicator": v.indicator,
            "numerator": plain(v.published_numerator), "denominator": plain(v.published_denominator),
            "value": plain(v.value), "change": plain(v.change), "target": plain(v.target), "status": v.status,
        }
        for v in values
    ]


def programme_records(values: list[ProgrammeValue]) -> list[dict[str, str]]:
    ordered = sorted(values, key=lambda v: (v.year, v.indicator))
    return [{"year": str(v.year), "indicator": v.indicator, "value": plain(v.value), "target": plain(v.target),
             "status": v.status} for v in ordered]


def to_csv(records: list[dict[str, str]], columns: tuple[str, ...]) -> str:
    return ",".join(columns) + "\n" + _csv_rows(records, columns)


def _csv_rows(records: list[dict[str, str]], columns: tuple[str, ...]) -> str:
    buffer = io.StringIO()
    csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n").writerows(records)
    return buffer.getvalue()


NUMERIC = {"year", "numerator", "denominator", "value", "change", "target"}


def _json_rows(records: list[dict[str, str]]) -> str:
    def typed(record: dict[str, str]) -> dict[str, object]:
        out: dict[str, object] = {}
        for key, text in record.items():
            if key in NUMERIC:
                out[key] = None if text == "" else (int(text) if "." not in text else float(Decimal(text)))
            else:
                out[key] = text if text != "" else None
        return out

    # One record per line: readable and diff-friendly, and written by json's C encoder
    # (indent= falls back to the pure-Python encoder, 5x slower on 300,000 records).
    return ",\n".join(json.dumps(typed(r), ensure_ascii=False) for r in records)


def to_json(records: list[dict[str, str]]) -> str:
    return _json_array([_json_rows(records)])


def _json_array(parts: list[str]) -> str:
    """Joins runs of records from _json_rows (empty runs are skipped)."""
    parts = [part for part in parts if part]
    return "[\n" + ",\n".join(parts) + "\n]\n" if parts else "[]\n"


def _field(name: str, title: str, kind: str, description: str = "", enum: tuple[str, ...] = ()) -> dict[str, object]:
    field: dict[str, object] = {"name": name, "title": title, "type": kind}
    if description:
        field["description"] = description
    if enum:
        field["constraints"] = {"enum": list(enum)}
    return field


STATUSES = ("achieved", "not_achieved", "no_data", "suppressed", "no_target")


def indicator_schema() -> dict[str, object]:
    """The Table Schema of indicators.csv and of every per-school and per-indicator file."""
    return {"fields": [
        _field("year", "Год", "integer"),
        _field("scope", "Уровень", "string", "school — школа; participants — участники программы; all — все школы; "
               "municipality — муниципалитет", SCOPES),
        _field("school", "Код школы", "string", "Пусто, кроме уровня school"),
        _field("indicator", "Код показателя", "string"),
        _field("numerator", "Числитель", "number"),
        _field("denominator", "Знаменатель", "number"),
        _field("value", "Значение", "number", "Для долей: 100 × числитель / знаменатель, округление до 0,1 "
               "(половина — вверх)"),
        _field("change", "Изменение к прошлому году", "number"),
        _field("target", "Цель", "number"),
        _field("status", "Статус", "string", "", STATUSES),
    ], "missingValues": [""]}


def _resource(name: str, path: str, title: str, schema: dict[str, object] | str | None) -> dict[str, object]:
    """A resource of the package; `schema`: a Table Schema, or the path of one (then a CSV table too)."""
    csv_file = path.endswith(".csv")
    res: dict[str, object] = {"name": name, "path": path, "title": title, "format": "csv" if csv_file else "json",
                              "mediatype": "text/csv" if csv_file else "application/json", "encoding": "utf-8"}
    if csv_file:
        res["profile"] = "tabular-data-resource"
        res["schema"] = schema
    return res


def resource_name(prefix: str, code: str) -> str:
    """A Data Package resource name (lower-case letters, digits, `-._/`) for a school or an indicator
    code: a capital letter becomes `.` and the letter (codes hold no `.`), so two codes never share one."""
    return prefix + "".join(f".{c.lower()}" if "A" <= c <= "Z" else c for c in code)


def datapackage(dataset: Dataset) -> str:
    programme_schema = {"fields": [
        _field("year", "Год", "integer"),
        _field("indicator", "Код показателя программы", "string"),
        _field("value", "Значение", "number"),
        _field("target", "Цель", "number"),
        _field("status", "Статус", "string", "", STATUSES),
    ], "missingValues": [""]}
    site = dataset.site
    schools = sorted(dataset.schools, key=lambda s: s.code) if has_school_files(dataset) else []
    package = {
        "profile": "data-package",
        "name": "shnor-500plus",
        "title": f"Адресная поддержка школ с низкими образовательными результатами: {site.municipality}",
        "description": f"Показатели программ поддержки ШНОР и ШНСУ. Публикует: {site.department}."
                       + (" Демонстрационные данные." if site.demo else ""),
        "homepage": site.base_url,
        "licenses": [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0",
                      "path": "https://creativecommons.org/licenses/by/4.0/"}],
        "resources": [
            _resource("indicators", "indicators.csv", "Показатели школ, групп и муниципалитета", indicator_schema()),
            _resource("indicators-json", "indicators.json", "То же в JSON", None),
            _resource("programme", "programme.csv", "Показатели программы", programme_schema),
            _resource("programme-json", "programme.json", "То же в JSON", None),
            *(_resource(resource_name("indicator-", i.code), indicator_file(i.code), f"Показатель: {i.title}",
                        SCHEMA_FILE) for i in dataset.indicators if i.publish != "none"),
            *(_resource(resource_name("school-", s.code), school_file(s.code), f"Школа: {s.label}", SCHEMA_FILE)
              for s in schools),
        ],
    }
    return json.dumps(package, ensure_ascii=False, indent=2) + "\n"


SchoolRows = Mapping[int, tuple[str, str]]  # year → (CSV rows, JSON records) of one school


def school_rows(dataset: Dataset, values: list[IndicatorValue],
                schools: Collection[str] | None = None) -> dict[str, dict[int, tuple[str, str]]]:
    """Each school's rows of indicators.csv/.json, per year: part of the school's bundle."""
    level = {i.code: i.publish for i in dataset.indicators}
    grouped: dict[tuple[str, int], list[IndicatorValue]] = defaultdict(list)
    for v in values:
        if v.scope == "school" and level[v.indicator] == "school" and (schools is None or v.school in schools):
            grouped[(v.school, v.year)].append(v)
    out: dict[str, dict[int, tuple[str, str]]] = defaultdict(dict)
    for (school, year), group in grouped.items():
        records = indicator_records(sorted(group, key=lambda v: v.indicator))
        out[school][year] = (_csv_rows(records, INDICATOR_COLUMNS), _json_rows(records))
    return dict(out)


def school_csv(rows: SchoolRows) -> str:
    """A school's own file: the header and its rows of indicators.csv, in the same order (by year,
    then indicator), byte for byte; only the header when nothing of the school is published."""
    return HEADER + "".join(rows[year][0] for year in sorted(rows))


def school_files(dataset: Dataset, rows: Mapping[str, SchoolRows], codes: Iterable[str]) -> dict[str, dict[str, str]]:
    """School → {path under the docs folder: text} of its own open-data file, for its bundle
    (empty when no indicator is published per school). `rows`: as for `open_data_files`."""
    if not has_school_files(dataset):
        return {code: {} for code in codes}
    return {code: {f"{FOLDER}/{school_file(code)}": school_csv(rows.get(code, {}))} for code in codes}


def _by_indicator(body: str, codes: Iterable[str]) -> dict[str, str]:
    """The rows of indicators.csv (without its header) split by indicator, each in the same order
    and as the same bytes. Every field written is a code, a number or a word, so no field is ever
    quoted and a line is a row; should a quote ever appear, the csv module splits it instead."""
    lines: dict[str, list[str]] = {code: [] for code in codes}
    if '"' not in body:
        for line in body.splitlines(keepends=True):
            lines[line.split(",", 4)[3]].append(line)
    else:
        for row in csv.reader(io.StringIO(body, newline="")):
            buffer = io.StringIO()
            csv.writer(buffer, lineterminator="\n").writerow(row)
            lines[row[3]].append(buffer.getvalue())
    return {code: HEADER + "".join(parts) for code, parts in lines.items()}


def open_data_files(dataset: Dataset, values: list[IndicatorValue], programme: list[ProgrammeValue],
                    rows: Mapping[str, SchoolRows] | None = None) -> dict[str, str]:
    """Path under data/ → text: every open-data file but the schools' own (`school_files`).

    The order is that of `published`: by year, then the schools' rows (`rows`, computed from
    `values` unless given, e.g. from cached bundles), then the groups and the municipality.
    """
    if rows is None:
        rows = school_rows(dataset, values)
    groups: dict[int, list[IndicatorValue]] = defaultdict(list)
    for v in published(dataset, [v for v in values if v.scope != "school"]):
        groups[v.year].append(v)
    csv_parts, json_parts = [], []
    for year in sorted(set(groups) | {y for school in rows.values() for y in school}):
        for code in sorted(rows):
            part = rows[code].get(year)
            if part is not None:
                csv_parts.append(part[0])
                json_parts.append(part[1])
        records = indicator_records(groups.get(year, []))
        csv_parts.append(_csv_rows(records, INDICATOR_COLUMNS))
        json_parts.append(_json_rows(records))
    body = "".join(csv_parts)
    programme_rows = programme_records(programme)
    per_indicator = _by_indicator(body, [i.code for i in dataset.indicators if i.publish != "none"])
    return {
        "indicators.csv": HEADER + body,
        "indicators.json": _json_array(json_parts),
        "programme.csv": to_csv(programme_rows, PROGRAMME_COLUMNS),
        "programme.json": to_json(programme_rows),
        **{indicator_file(code): text for code, text in per_indicator.items()},
        SCHEMA_FILE: json.dumps(indicator_schema(), ensure_ascii=False, indent=2) + "\n",
        "datapackage.json": datapackage(dataset),
    }
