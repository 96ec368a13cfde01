"""Open data files, and the Excel-export CSV form giving byte-identical output."""
import csv
import io
import json

from generator.render.open_data import open_data_files
from generator.compute.computed import compute
from generator.compute.programme import compute_programme
from generator.load.validation import validate

INDICATORS = """\
- code: pass
  title: Сдали
  unit: "%"
  numerator: passed
  denominator: sat
  better: higher
  rule: {min: 50}
- code: vpr
  title: ВПР
  unit: "%"
  numerator: vpr_n
  denominator: vpr_d
  better: lower
  rule: {max: 20}
  publish: aggregate
- code: hidden
  title: Только для расчёта
  unit: "%"
  numerator: h_n
  denominator: h_d
  better: higher
  publish: none
"""
RESULTS = """\
year,school,measure,value
2023,s1,passed,37
2023,s1,sat,80
2023,s2,passed,"75,5"
2023,s2,sat,100
2023,s1,vpr_n,3
2023,s1,vpr_d,30
2023,s1,h_n,1
2023,s1,h_d,10
"""
SCHOOLS = "code,name,short_name\ns1,Школа «Первая»,Первая\ns2,Школа 2,Ш2\ns3,Школа 3,Ш3\n"


def files_for(data_dir):
    ds = validate(data_dir).dataset
    values = compute(ds)
    return open_data_files(ds, values, compute_programme(ds, values))


def test_indicator_csv_columns_rounding_and_publish_levels(make_data):
    out = files_for(make_data({"indicators.yml": INDICATORS, "results.csv": RESULTS, "schools.csv": SCHOOLS}))
    rows = list(csv.DictReader(io.StringIO(out["indicators.csv"])))
    assert list(rows[0]) == ["year", "scope", "school", "indicator", "numerator", "denominator", "value", "change",
                             "target", "status"]
    s1 = next(r for r in rows if r["scope"] == "school" and r["school"] == "s1" and r["indicator"] == "pass")
    assert (s1["numerator"], s1["denominator"], s1["value"], s1["target"], s1["status"]) == (
        "37", "80", "46.3", "50", "not_achieved")
    s2 = next(r for r in rows if r["scope"] == "school" and r["school"] == "s2" and r["indicator"] == "pass")
    assert s2["numerator"] == "75.5" and s2["value"] == "75.5"
    # publish: aggregate -> no school rows, group rows present; publish: none -> nothing at all
    assert not [r for r in rows if r["indicator"] == "vpr" and r["scope"] == "school"]
    assert [r for r in rows if r["indicator"] == "vpr" and r["scope"] == "participants"]
    assert not [r for r in rows if r["indicator"] == "hidden"]
    # sorted: year, then scope school < participants < all < municipality
    order = [(r["year"], r["scope"]) for r in rows]
    assert order == sorted(order, key=lambda k: (k[0], ["school", "participants", "all", "municipality"].index(k[1])))
    # participants: (37 + 75.5) / 180 = 62.5 %
    part = next(r for r in rows if r["scope"] == "participants" and r["indicator"] == "pass")
    assert part["value"] == "62.5"


def test_json_and_datapackage(make_data):
    out = files_for(make_data({"indicators.yml": INDICATORS, "results.csv": RESULTS, "schools.csv": SCHOOLS}))
    records = json.loads(out["indicators.json"])
    first = next(r for r in records if r["school"] == "s1" and r["indicator"] == "pass")
    assert first["value"] == 46.3 and first["year"] == 2023 and first["change"] is None
    package = json.loads(out["datapackage.json"])
    names = [r["path"] for r in package["resources"]]
    assert names == ["indicators.csv", "indicators.json", "programme.csv", "programme.json",
                     "indicators/pass.csv", "indicators/vpr.csv", "schools/s1.csv", "schools/s2.csv", "schools/s3.csv"]
    fields = [f["name"] for f in package["resources"][0]["schema"]["fields"]]
    assert fields == list(csv.DictReader(io.StringIO(out["indicators.csv"])).fieldnames)
    prog = list(csv.DictReader(io.StringIO(out["programme.csv"])))
    assert list(prog[0]) == ["year", "indicator", "value", "target", "status"]
    # improved:hidden is still computed for the programme although the indicator is not published
    assert any(r["indicator"] == "improved:hidden" for r in prog)


def test_excel_export_form_gives_identical_output(make_data):
    utf8 = make_data({"indicators.yml": INDICATORS, "results.csv": RESULTS, "schools.csv": SCHOOLS})
    excel = make_data({"indicators.yml": INDICATORS})
    # The same tables as Excel saves them: Windows-1251, ';' separator, decimal comma, CRLF.
    for name, text in (("results.csv", RESULTS), ("schools.csv", SCHOOLS)):
        rows = list(csv.reader(io.StringIO(text)))
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(rows)
        (excel / name).write_bytes(buffer.getvalue().encode("cp1251"))
    (excel / "statuses.csv").write_bytes((utf8 / "statuses.csv").read_text("utf-8").replace(",", ";").encode("cp1251"))
    assert b";" in (excel / "results.csv").read_bytes() and b"75,5" in (excel / "results.csv").read_bytes()
    assert files_for(utf8) == files_for(excel)


def test_utf8_bom_accepted(make_data):
    plain_dir = make_data({"schools.csv": SCHOOLS})
    bom_dir = make_data()
    (bom_dir / "schools.csv").write_bytes(b"\xef\xbb\xbf" + SCHOOLS.encode("utf-8"))
    assert validate(plain_dir).dataset.schools == validate(bom_dir).dataset.schools


def test_output_is_stable_across_runs(make_data):
    d = make_data({"indicators.yml": INDICATORS, "results.csv": RESULTS, "schools.csv": SCHOOLS})
    assert files_for(d) == files_for(d)
