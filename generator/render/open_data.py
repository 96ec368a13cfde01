"""Open data: indicators and programme values as CSV and JSON, described by a Data Package."""
from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Collection, Mapping
from decimal import Decimal

from generator.compute.indicators import IndicatorValue
from generator.model import SCOPES, Dataset
from generator.numbers import plain
from generator.compute.programme import ProgrammeValue

INDICATOR_COLUMNS = ("year", "scope", "school", "indicator", "numerator", "denominator", "value", "change", "target",
                     "status")
PROGRAMME_COLUMNS = ("year", "indicator", "value", "target", "status")
SCOPE_ORDER = {scope: i for i, scope in enumerate(SCOPES)}  # rows sorted as model.SCOPES lists them


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


def datapackage(dataset: Dataset) -> str:
    statuses = ("achieved", "not_achieved", "no_data", "suppressed", "no_target")
    indicator_fields = [
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
        _field("status", "Статус", "string", "", statuses),
    ]
    programme_fields = [
        _field("year", "Год", "integer"),
        _field("indicator", "Код показателя программы", "string"),
        _field("value", "Значение", "number"),
        _field("target", "Цель", "number"),
        _field("status", "Статус", "string", "", statuses),
    ]
    site = dataset.site

    def resource(name: str, path: str, fmt: str, fields: list[dict[str, object]], title: str) -> dict[str, object]:
        res: dict[str, object] = {"name": name, "path": path, "title": title, "format": fmt,
                                  "mediatype": "text/csv" if fmt == "csv" else "application/json", "encoding": "utf-8"}
        if fmt == "csv":
            res["profile"] = "tabular-data-resource"
            res["schema"] = {"fields": fields, "missingValues": [""]}
        return res

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
            resource("indicators", "indicators.csv", "csv", indicator_fields, "Показатели школ, групп и муниципалитета"),
            resource("indicators-json", "indicators.json", "json", indicator_fields, "То же в JSON"),
            resource("programme", "programme.csv", "csv", programme_fields, "Показатели программы"),
            resource("programme-json", "programme.json", "json", programme_fields, "То же в JSON"),
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


def open_data_files(dataset: Dataset, values: list[IndicatorValue], programme: list[ProgrammeValue],
                    rows: Mapping[str, SchoolRows] | None = None) -> dict[str, str]:
    """File name → text, ready to write under site/data/.

    The order is that of `published`: by year, then the schools' rows (`rows`, computed from
    `values` unless given, e.g. from cached bundles), then the groups and the municipality.
    """
    if rows is None:
        rows = school_rows(dataset, values)
    groups: dict[int, list[IndicatorValue]] = defaultdict(list)
    for v in published(dataset, [v for v in values if v.scope != "school"]):
        groups[v.year].append(v)
    csv_parts, json_parts = [",".join(INDICATOR_COLUMNS) + "\n"], []
    for year in sorted(set(groups) | {y for school in rows.values() for y in school}):
        for code in sorted(rows):
            part = rows[code].get(year)
            if part is not None:
                csv_parts.append(part[0])
                json_parts.append(part[1])
        records = indicator_records(groups.get(year, []))
        csv_parts.append(_csv_rows(records, INDICATOR_COLUMNS))
        json_parts.append(_json_rows(records))
    programme_rows = programme_records(programme)
    return {
        "indicators.csv": "".join(csv_parts),
        "indicators.json": _json_array(json_parts),
        "programme.csv": to_csv(programme_rows, PROGRAMME_COLUMNS),
        "programme.json": to_json(programme_rows),
        "datapackage.json": datapackage(dataset),
    }
