"""Per-school and per-indicator open data (data/schools/<code>.csv, data/indicators/<code>.csv) and the
Data Package that describes them.

The fixture tests/fixtures/mini is built through the command line, as tests/test_reference.py does, and
every smaller file is checked against data/indicators.csv: the same header, and exactly that file's
lines for the school or the indicator, in its order, byte for byte. The figures named below are those
of the fixture's results.csv, worked out by hand (min_group_size 5).
"""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
import yaml

import reference
from generator.compute.computed import compute
from generator.compute.programme import compute_programme
from generator.load.validation import validate
from generator.render import open_data
from generator.render.open_data import (INDICATOR_COLUMNS, SCHEMA_FILE, datapackage, open_data_files, resource_name,
                                        school_files, school_rows)

HIDDEN = ("numerator", "denominator", "value", "change")  # empty in a suppressed row
NAME = re.compile(r"^[-a-z0-9._/]+$")  # a resource name (Data Package v1)
FIELD_TYPES = {"string", "number", "integer", "boolean", "object", "array", "date", "time", "datetime", "year",
               "yearmonth", "duration", "geopoint", "geojson", "any"}


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    try:
        return reference.build(tmp_path_factory.mktemp("open-data")) / "data"
    except reference.BuildFailed as err:
        failure = str(err)
    pytest.fail(failure, pytrace=False)


def lines(path: Path) -> list[str]:
    return path.read_bytes().decode("utf-8").splitlines(keepends=True)


def records(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def fixture_codes() -> tuple[list[str], dict[str, str]]:
    """(school codes, indicator code → publish level) of tests/fixtures/mini."""
    with open(reference.FIXTURE / "schools.csv", encoding="utf-8", newline="") as f:
        schools = [row["code"] for row in csv.DictReader(f)]
    indicators = yaml.safe_load((reference.FIXTURE / "indicators.yml").read_text(encoding="utf-8"))
    return schools, {i["code"]: i.get("publish", "school") for i in indicators}


def test_a_school_file_is_that_schools_rows_of_indicators_csv(data):
    schools, _ = fixture_codes()
    whole = lines(data / "indicators.csv")
    header, body = whole[0], whole[1:]
    assert sorted(p.name for p in (data / "schools").iterdir()) == sorted(f"{code}.csv" for code in schools)
    for code in schools:
        own = lines(data / "schools" / f"{code}.csv")
        assert own[0] == header
        assert own[1:] == [line for line in body if line.split(",")[1:3] == ["school", code]]
        # The same parsed with a CSV reader: only scope «school», only this school, every year of it.
        parsed = records(data / "schools" / f"{code}.csv")
        assert parsed == [r for r in records(data / "indicators.csv") if r["scope"] == "school" and r["school"] == code]
        assert {r["year"] for r in parsed} == {"2022", "2023"}


def test_an_indicator_file_is_that_indicators_rows_of_every_scope(data):
    _, levels = fixture_codes()
    published = [code for code, level in levels.items() if level != "none"]
    assert sorted(p.name for p in (data / "indicators").iterdir()) == sorted(f"{code}.csv" for code in published)
    whole = lines(data / "indicators.csv")
    for code in published:
        own = lines(data / "indicators" / f"{code}.csv")
        assert own[0] == whole[0]
        assert own[1:] == [line for line in whole[1:] if line.split(",")[3] == code]
        scopes = {r["scope"] for r in records(data / "indicators" / f"{code}.csv")}
        assert scopes == ({"participants", "all"} if levels[code] == "aggregate" else {"school", "participants", "all"})
    # Together the indicator files hold indicators.csv's rows, each once.
    together = sorted(line for code in published for line in lines(data / "indicators" / f"{code}.csv")[1:])
    assert together == sorted(whole[1:])


def test_figures_and_suppression_as_worked_out_by_hand(data):
    def row(path: Path, year: str, school: str, indicator: str) -> dict[str, str]:
        found = [r for r in records(path) if (r["year"], r["school"], r["indicator"]) == (year, school, indicator)]
        assert len(found) == 1
        return found[0]

    school = data / "schools"
    # 11 of 12 sat: 91.7 %, target 95.
    assert [row(school / "6100000002.csv", "2023", "6100000002", "ege_rus")[k] for k in INDICATOR_COLUMNS] == [
        "2023", "school", "6100000002", "ege_rus", "11", "12", "91.7", "", "95", "not_achieved"]
    # 3 sat in 2022 and 4 in 2023, fewer than 5: hidden both years, the target still shown.
    for year in ("2022", "2023"):
        hidden = row(school / "6100000004.csv", year, "6100000004", "ege_rus")
        assert hidden["status"] == "suppressed" and all(hidden[k] == "" for k in HIDDEN) and hidden["target"]
    # A count of complaints is not about children: published as it is, with its change.
    complaints = row(school / "6100000001.csv", "2023", "6100000001", "complaints")
    assert (complaints["numerator"], complaints["value"], complaints["change"]) == ("0", "0", "-2")
    # vpr_math_two is published only in aggregate: no school file has it.
    assert not [r for p in school.iterdir() for r in records(p) if r["indicator"] == "vpr_math_two"]
    # Every suppressed row of every file keeps its cells empty, exactly as in indicators.csv.
    for path in [*school.iterdir(), *(data / "indicators").iterdir()]:
        for r in records(path):
            if r["status"] == "suppressed":
                assert all(r[k] == "" for k in HIDDEN), (path.name, r)
    suppressed = {tuple(r.values()) for r in records(data / "indicators.csv") if r["status"] == "suppressed"}
    in_files = {tuple(r.values()) for p in (data / "indicators").iterdir() for r in records(p) if r["status"] == "suppressed"}
    assert in_files == suppressed


def test_format_is_that_of_indicators_csv(data):
    for path in [data / "indicators.csv", *(data / "schools").iterdir(), *(data / "indicators").iterdir()]:
        raw = path.read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw and raw.endswith(b"\n")
        raw.decode("utf-8")
        assert raw.split(b"\n", 1)[0] == ",".join(INDICATOR_COLUMNS).encode()
        # Plain numbers: a point, no thousands separator, no exponent.
        for r in records(path):
            for key in ("numerator", "denominator", "value", "change", "target"):
                assert re.fullmatch(r"(-?\d+(\.\d+)?)?", r[key]), (path.name, key, r[key])


def test_datapackage_describes_every_file_with_the_shared_schema(data):
    package = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    schema = json.loads((data / SCHEMA_FILE).read_text(encoding="utf-8"))
    resources = package["resources"]
    names = [r["name"] for r in resources]
    assert len(names) == len(set(names)) and all(NAME.match(n) for n in names)
    by_path = {r["path"]: r for r in resources}
    # Every open-data file but the schema itself and the package is a resource, and every resource a file.
    written = {p.relative_to(data).as_posix() for p in data.rglob("*") if p.is_file()}
    assert set(by_path) == written - {SCHEMA_FILE, "datapackage.json"}
    # indicators.csv keeps its inline schema; the smaller files name the same one by path.
    assert by_path["indicators.csv"]["schema"] == schema
    assert [f["name"] for f in schema["fields"]] == list(INDICATOR_COLUMNS) and schema["missingValues"] == [""]
    schools, levels = fixture_codes()
    for code in schools:
        res = by_path[f"schools/{code}.csv"]
        assert res["name"] == f"school-{code}" and res["schema"] == SCHEMA_FILE
    for code in (c for c, level in levels.items() if level != "none"):
        res = by_path[f"indicators/{code}.csv"]
        assert res["name"] == f"indicator-{code}" and res["schema"] == SCHEMA_FILE
    assert by_path["schools/6100000001.csv"]["title"] == "Школа: Первая школа"
    # By hand what a Data Package validator checks: a tabular resource is a relative path to a CSV table
    # with a schema whose fields have known types.
    for res in resources:
        assert not res["path"].startswith("/") and ".." not in res["path"].split("/")
        assert res["encoding"] == "utf-8" and res["format"] == res["path"].rsplit(".", 1)[1]
        if res["format"] == "csv":
            assert res["profile"] == "tabular-data-resource" and res["mediatype"] == "text/csv"
            fields = (schema if res["schema"] == SCHEMA_FILE else res["schema"])["fields"]
            assert all(f["type"] in FIELD_TYPES and NAME.match(f["name"]) for f in fields)


def test_resource_names_of_codes_with_capitals_stay_valid_and_distinct():
    names = [resource_name("school-", code) for code in ("Ab-1", "ab-1", "AB-1", "a_b-1", "6100000001")]
    assert names == ["school-.ab-1", "school-ab-1", "school-.a.b-1", "school-a_b-1", "school-6100000001"]
    assert all(NAME.match(n) for n in names)


INDICATORS = """\
- code: pass
  title: Сдали
  unit: "%"
  numerator: passed
  denominator: sat
  better: higher
  rule: {min: 50}
  publish: {publish}
- code: hidden
  title: Только для расчёта
  unit: "%"
  numerator: passed
  denominator: sat
  better: higher
  publish: none
"""
RESULTS = "year,school,measure,value\n2023,s1,passed,37\n2023,s1,sat,80\n2023,s2,passed,70\n2023,s2,sat,100\n"


def files_of(make_data, publish: str):
    ds = validate(make_data({"indicators.yml": INDICATORS.replace("{publish}", publish), "results.csv": RESULTS})).dataset
    values = compute(ds)
    rows = school_rows(ds, values)
    return ds, open_data_files(ds, values, compute_programme(ds, values), rows), school_files(ds, rows, ["s1", "s2", "s3"])


def test_schools_get_no_file_when_nothing_is_published_per_school(make_data):
    ds, shared, own = files_of(make_data, "aggregate")
    assert own == {"s1": {}, "s2": {}, "s3": {}}
    assert sorted(k for k in shared if "/" in k) == ["indicators/pass.csv"]  # `none` has no file
    paths = [r["path"] for r in json.loads(datapackage(ds))["resources"]]
    assert not [p for p in paths if p.startswith("schools/")] and "indicators/hidden.csv" not in paths


def test_a_school_without_figures_gets_the_header_only(make_data):
    ds, shared, own = files_of(make_data, "school")
    assert own["s3"] == {"data/schools/s3.csv": ",".join(INDICATOR_COLUMNS) + "\n"}
    assert own["s1"]["data/schools/s1.csv"].splitlines()[1] == "2023,school,s1,pass,37,80,46.3,,50,not_achieved"
    assert shared["indicators/pass.csv"].count("\n") == 1 + 2 + 2  # header, two schools, participants and all


def test_splitting_by_indicator_is_the_same_with_quoted_fields():
    """No field we write needs quotes, so indicators.csv is split line by line; were one ever quoted,
    the csv module splits it, into the same bytes as csv.DictWriter wrote."""
    plain = "2023,school,s1,a,1,2,50,,,no_target\n2023,school,s1,b,1,2,50,,,no_target\n"
    assert open_data._by_indicator(plain, ["a", "b"]) == {
        "a": open_data.HEADER + plain.splitlines(keepends=True)[0], "b": open_data.HEADER + plain.splitlines(keepends=True)[1]}
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=INDICATOR_COLUMNS, lineterminator="\n")
    rows = [dict(zip(INDICATOR_COLUMNS, ["2023", "school", 'a "b", c', "x", "1", "2", "50", "", "", "no_target"])),
            dict(zip(INDICATOR_COLUMNS, ["2023", "school", "s2", "y", "1", "2", "50", "", "", "no_target"]))]
    writer.writerows(rows)
    quoted = buffer.getvalue()
    split = open_data._by_indicator(quoted, ["x", "y"])
    assert split["x"] + split["y"][len(open_data.HEADER):] == open_data.HEADER + quoted
