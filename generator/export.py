"""Open data: indicators and programme values as CSV and JSON, described by a Data Package."""
from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from .indicators import IndicatorValue
from .model import Dataset
from .numbers import plain
from .programme_indicators import ProgrammeValue

INDICATOR_COLUMNS = ("year", "scope", "school", "indicator", "numerator", "denominator", "value", "change", "target",
                     "status")
PROGRAMME_COLUMNS = ("year", "indicator", "value", "target", "status")
SCOPE_ORDER = {"school": 0, "participants": 1, "all": 2, "municipality": 3}


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
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    return buffer.getvalue()


NUMERIC = {"year", "numerator", "denominator", "value", "change", "target"}


def to_json(records: list[dict[str, str]]) -> str:
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
    if not records:
        return "[]\n"
    return "[\n" + ",\n".join(json.dumps(typed(r), ensure_ascii=False) for r in records) + "\n]\n"


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
               "municipality — муниципалитет", ("school", "participants", "all", "municipality")),
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


def open_data_files(dataset: Dataset, values: list[IndicatorValue], programme: list[ProgrammeValue]) -> dict[str, str]:
    """File name → text, ready to write under site/data/."""
    indicators = indicator_records(published(dataset, values))
    programme_rows = programme_records(programme)
    return {
        "indicators.csv": to_csv(indicators, INDICATOR_COLUMNS),
        "indicators.json": to_json(indicators),
        "programme.csv": to_csv(programme_rows, PROGRAMME_COLUMNS),
        "programme.json": to_json(programme_rows),
        "datapackage.json": datapackage(dataset),
    }
