"""Privacy on the demo: nothing small is published, directly or by subtraction; publication levels hold."""
from __future__ import annotations

import csv
import json
from decimal import Decimal

import yaml

from conftest import DATA


def raw(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def published(site) -> list[dict[str, str]]:
    with open(site / "data" / "indicators.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def setup():
    indicators = {i["code"]: i for i in yaml.safe_load((DATA / "indicators.yml").read_text(encoding="utf-8"))}
    site = yaml.safe_load((DATA / "site.yml").read_text(encoding="utf-8"))
    figures = {(r["year"], r["school"], r["measure"]): r["value"] for r in raw("results.csv")}
    return indicators, int(site.get("min_group_size", 5)), figures


def test_small_groups_never_published(demo_site):
    indicators, min_group, figures = setup()
    rows = {(r["year"], r["school"], r["indicator"]): r for r in published(demo_site) if r["scope"] == "school"}
    small = 0
    for (year, school, code), row in rows.items():
        ind = indicators[code]
        if ind.get("unit") != "%":
            continue
        d = figures.get((year, school, ind["denominator"]), "")
        if d and 0 < Decimal(d) < min_group:
            small += 1
            assert row["status"] == "suppressed"
            assert row["numerator"] == row["denominator"] == row["value"] == row["change"] == "", row
    assert small > 0


def test_no_hidden_figure_recoverable_by_subtraction(demo_site):
    indicators, min_group, figures = setup()
    rows = published(demo_site)
    school_rows = {(r["year"], r["school"], r["indicator"]): r for r in rows if r["scope"] == "school"}
    participants: dict[str, set[str]] = {}
    for s in raw("statuses.csv"):
        if s["status"] in ("ШНОР", "ШНСУ"):
            participants.setdefault(s["year"], set()).add(s["school"])
    everyone = {s["code"] for s in raw("schools.csv")}
    checked = 0
    for group in rows:
        ind = indicators[group["indicator"]]
        if group["scope"] not in ("participants", "all") or ind.get("unit") != "%" or group["value"] == "":
            continue
        if ind.get("publish", "school") != "school":
            continue  # no school rows at all: nothing to subtract
        members = participants.get(group["year"], set()) if group["scope"] == "participants" else everyone
        hidden = Decimal(0)
        for school in members:
            n = figures.get((group["year"], school, ind["numerator"]), "")
            d = figures.get((group["year"], school, ind["denominator"]), "")
            if not n or not d:
                continue  # not in the group total
            row = school_rows[(group["year"], school, group["indicator"])]
            if row["value"] == "":
                hidden += Decimal(d)
        assert hidden == 0 or hidden >= min_group, (group, hidden)
        checked += 1
    assert checked > 50


def test_aggregate_only_indicators_never_per_school(demo_site):
    indicators, _, _ = setup()
    aggregate = [c for c, i in indicators.items() if i.get("publish") == "aggregate"]
    hidden = [c for c, i in indicators.items() if i.get("publish") == "none"]
    assert aggregate, "the demo publishes ВПР only as group figures"
    rows = published(demo_site)
    assert not [r for r in rows if r["indicator"] in aggregate and r["scope"] == "school"]
    assert not [r for r in rows if r["indicator"] in hidden]
    for code in aggregate:
        assert not list((demo_site / "charts" / "schools").glob(f"*/{code}.svg"))
        assert (demo_site / "indicators" / code / "index.html").is_file()
        title = indicators[code]["title"]
        for embed in (demo_site / "embed").glob("*/index.html"):
            assert title not in embed.read_text(encoding="utf-8")
        for school in (demo_site / "schools").glob("*/index.html"):
            assert f'id="{code}"' not in school.read_text(encoding="utf-8")
    index = json.loads((demo_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = [doc["location"] for doc in index["docs"]]
    assert any(loc.startswith("schools/") for loc in locations)
    for code in aggregate:
        assert not [loc for loc in locations if loc.startswith("schools/") and loc.endswith(f"#{code}")]


def test_a_small_denominator_is_hidden_also_without_a_numerator(tmp_path):
    """Three pupils sat the exam and no result was reported: «3» is still a figure about 3 children."""
    from conftest import write_data
    from generator.compute.computed import compute
    from generator.compute.programme import compute_programme
    from generator.load.validation import validate
    from generator.render.open_data import open_data_files, school_rows

    indicators = '- {code: share, title: Доля, unit: "%", numerator: n, denominator: d, better: higher}\n'
    results = "year,school,measure,value\n2023,s1,d,3\n2023,s2,n,6\n2023,s2,d,10\n"
    ds = validate(write_data(tmp_path / "d", {"indicators.yml": indicators, "results.csv": results,
                                              "measures.csv": "code,title,unit\nn,Сдали,чел.\nd,Всего,чел.\n"})).dataset
    values = compute(ds)
    (small,) = [v for v in values if v.school == "s1"]
    assert small.suppressed and small.published_denominator is None and small.published_numerator is None
    rows = list(csv.DictReader(open_data_files(ds, [v for v in values if v.scope != "school"],
                                               compute_programme(ds, values),
                                               school_rows(ds, [v for v in values if v.scope == "school"]))
                               ["indicators.csv"].splitlines()))
    s1 = [r for r in rows if r["school"] == "s1"]
    assert s1 and all(r["denominator"] == "" and r["numerator"] == "" for r in s1), s1
