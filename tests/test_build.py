"""End to end: the real CLI builds the demo with a real `mkdocs build --strict`; pages checked against data.

Expectations are computed here from the raw CSV files with the standard library, independently of the
generator's own modules.
"""
from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from conftest import DATA, REPO, run_cli



def read_csv(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def page_text(path: Path) -> str:
    """Visible text of the main content, whitespace folded."""
    class Text(HTMLParser):
        def __init__(self):
            super().__init__()
            self.parts, self.depth, self.skip = [], 0, 0

        def handle_starttag(self, tag, attrs):
            if tag == "article":
                self.depth += 1
            if tag in ("script", "style"):
                self.skip += 1

        def handle_endtag(self, tag):
            if tag == "article":
                self.depth -= 1
            if tag in ("script", "style"):
                self.skip -= 1

        def handle_data(self, data):
            if self.depth and not self.skip:
                self.parts.append(data)

    parser = Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return re.sub(r"[ \t\r\n]+", " ", " ".join(parser.parts)).strip()  # keep no-break spaces


def share_value(numerator: str, denominator: str, target: Decimal | None = None) -> Decimal:
    """Independent formula: 100 × n / d, half-up to 0.1 — or to as many more places (up to 4) as it
    takes for the shown value to stand on the same side of the target as the exact one (issue #20)."""
    exact = Fraction(100) * Fraction(numerator) / Fraction(denominator)
    for places in range(1, 5):
        quantum = Decimal(1).scaleb(-places)
        value = (Decimal(100) * Decimal(numerator) / Decimal(denominator)).quantize(quantum, ROUND_HALF_UP)
        if target is None or (Fraction(value) > target) - (Fraction(value) < target) == \
                (exact > target) - (exact < target):
            break
    return value


def ru_share(numerator: str, denominator: str, target: Decimal | None = None) -> str:
    """`share_value` in the Russian format with a no-break space before %."""
    text = format(share_value(numerator, denominator, target), "f").replace(".", ",")
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return text + "\u00a0%"


def target_of(ind: dict, year: int) -> Decimal | None:
    """The year's target as indicators.yml writes it: per-year targets, else the rule's threshold."""
    targets = ind.get("targets") or {}
    if year in targets:
        return Decimal(str(targets[year]))
    rule = ind.get("rule") or {}
    for key in ("min", "max", "equals"):
        if key in rule:
            return Decimal(str(rule[key]))
    return None


def test_every_page_type_exists(demo_site):
    for rel in ("index.html", "programmes/index.html", "roadmaps/index.html", "schools/index.html",
                "mentors/index.html", "indicators/index.html", "open-data/index.html", "contacts/index.html",
                "about/index.html", "how-to-read/index.html", "data/indicators.csv", "data/programme.csv",
                "data/indicators.json", "data/programme.json", "data/datapackage.json"):
        assert (demo_site / rel).is_file(), rel
    for programme in (DATA / "programmes").glob("*.yml"):
        code = yaml.safe_load(programme.read_text(encoding="utf-8"))["code"]
        assert (demo_site / "programmes" / code / "index.html").is_file()
    for roadmap in (DATA / "roadmaps").glob("*.yml"):
        code = yaml.safe_load(roadmap.read_text(encoding="utf-8"))["code"]
        assert (demo_site / "roadmaps" / code / "index.html").is_file()


def test_a_page_for_every_school(demo_site):
    schools = read_csv("schools.csv")
    assert len(schools) >= 30
    for school in schools:
        page = demo_site / "schools" / school["code"] / "index.html"
        assert page.is_file(), school["code"]
        assert school["name"] in page_text(page)


def test_school_pages_stay_small_for_a_phone(demo_site):
    # Budget: a school page's HTML ≤ 80 KB, ≤ 16 KB as served gzipped (charts are separate, lazy-loaded
    # files). Issue #9 set 60 KB; issue #22 added the verdicts, the phone cards' labels and the similar
    # schools (the demo's 16 indicators: 76 KB, 15 KB gzipped).
    import gzip
    pages = list((demo_site / "schools").glob("*/index.html"))
    sizes = {p.parent.name: p.stat().st_size for p in pages}
    assert len(sizes) >= 30
    assert max(sizes.values()) <= 80_000, max(sizes.items(), key=lambda item: item[1])
    packed = {p.parent.name: len(gzip.compress(p.read_bytes(), 9)) for p in pages}
    assert max(packed.values()) <= 16_000, max(packed.items(), key=lambda item: item[1])


def test_school_page_shows_its_statuses_and_mentor(demo_site):
    current = int(yaml.safe_load((DATA / "site.yml").read_text(encoding="utf-8"))["current_year"])
    pairs = [p for p in read_csv("mentorships.csv") if int(p["year"]) == current]
    names = {s["code"]: s["short_name"] or s["name"] for s in read_csv("schools.csv")}
    statuses = read_csv("statuses.csv")
    for pair in pairs:
        text = page_text(demo_site / "schools" / pair["mentee"] / "index.html")
        assert f"Школа-наставник: {names[pair['mentor']]}" in text
        if pair["agreement"] == "нет":
            assert "договор ещё не подписан" in text
        elif pair["agreement"]:
            assert f"договор № {pair['agreement']}" in text
        else:
            assert "сведений о договоре нет" in text
        own = sorted(s["status"] for s in statuses if s["school"] == pair["mentee"] and int(s["year"]) == current)
        assert any(status in text for status in own)


def test_school_page_shows_its_values(demo_site):
    indicators = yaml.safe_load((DATA / "indicators.yml").read_text(encoding="utf-8"))
    site = yaml.safe_load((DATA / "site.yml").read_text(encoding="utf-8"))
    current, min_group = int(site["current_year"]), int(site.get("min_group_size", 5))
    figures = {(r["year"], r["school"], r["measure"]): r["value"] for r in read_csv("results.csv")}
    small = small_groups(indicators, figures, min_group)
    checked = suppressed = secondary = 0
    for school in read_csv("schools.csv"):
        text = page_text(demo_site / "schools" / school["code"] / "index.html")
        for ind in indicators:
            if ind.get("unit") != "%" or ind.get("publish", "school") != "school":
                continue
            n = figures.get((str(current), school["code"], ind["numerator"]), "")
            d = figures.get((str(current), school["code"], ind["denominator"]), "")
            if not n or not d or Decimal(d) == 0:
                continue
            # The summary row: title, verdict, then «Значение: …» (the label phones show, generator/render/verdicts.py)
            row = re.search(re.escape(ind["title"]) + r" [^|]*?Значение: (\S+(?:\u00a0%)?)", text)
            assert row, (school["code"], ind["code"])
            if Decimal(d) < min_group:
                assert row.group(1) == "скрыто", (school["code"], ind["code"])
                suppressed += 1
            elif row.group(1) == "скрыто":
                # Secondary suppression: only where a small group hides in the same year and indicator.
                assert (str(current), ind["code"]) in small, (school["code"], ind["code"])
                secondary += 1
            else:
                assert row.group(1) == ru_share(n, d, target_of(ind, current)), (school["code"], ind["code"], n, d)
                checked += 1
    assert checked > 50 and secondary < checked
    assert suppressed >= 1  # the demo exercises small groups


def small_groups(indicators, figures, min_group) -> set[tuple[str, str]]:
    """(year, indicator) pairs where some school's denominator is below the minimum group size."""
    out = set()
    for ind in indicators:
        if ind.get("unit") != "%":
            continue
        for (year, school, measure), value in figures.items():
            if school and measure == ind["denominator"] and value and 0 < Decimal(value) < min_group:
                out.add((year, ind["code"]))
    return out


def test_chart_for_each_school_level_indicator_with_data(demo_site):
    indicators = yaml.safe_load((DATA / "indicators.yml").read_text(encoding="utf-8"))
    min_group = int(yaml.safe_load((DATA / "site.yml").read_text(encoding="utf-8")).get("min_group_size", 5))
    figures = {(r["year"], r["school"], r["measure"]): r["value"] for r in read_csv("results.csv")}
    small = small_groups(indicators, figures, min_group)
    years = sorted({r["year"] for r in read_csv("results.csv")})
    expected = 0
    for school in read_csv("schools.csv"):
        page = (demo_site / "schools" / school["code"] / "index.html").read_text(encoding="utf-8")
        for ind in indicators:
            if ind.get("publish", "school") != "school":
                assert f"/charts/schools/{school['code']}/{ind['code']}.svg" not in page
                continue
            publishable = maybe_hidden = False
            for y in years:
                n = figures.get((y, school["code"], ind["numerator"]), "")
                if ind.get("unit") == "%":
                    d = figures.get((y, school["code"], ind["denominator"]), "")
                    ok = bool(n and d and Decimal(d) >= min_group)
                    publishable |= ok and (y, ind["code"]) not in small
                    maybe_hidden |= ok and (y, ind["code"]) in small
                else:
                    publishable |= bool(n)
            chart = demo_site / "charts" / "schools" / school["code"] / f"{ind['code']}.svg"
            if publishable:
                expected += 1
                assert chart.is_file(), chart
                assert f"charts/schools/{school['code']}/{ind['code']}.svg" in page
            elif not maybe_hidden:
                assert not chart.exists(), chart
    assert expected > 100


class Resources(HTMLParser):
    """Collects every URL the browser would fetch by itself (not plain links)."""

    def __init__(self):
        super().__init__()
        self.fetched: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("src", "data", "poster"):
            if a.get(key):
                self.fetched.append(a[key])
        if a.get("srcset"):
            self.fetched += [part.split()[0] for part in a["srcset"].split(",") if part.strip()]
        fetched_rels = {"stylesheet", "icon", "preload", "prefetch", "modulepreload", "manifest", "apple-touch-icon"}
        if tag == "link" and a.get("href") and fetched_rels & set((a.get("rel") or "").lower().split()):
            self.fetched.append(a["href"])
        if a.get("style"):
            self.fetched += re.findall(r"url\(([^)]+)\)", a["style"])


def test_no_built_file_references_an_external_host(demo_site):
    external = re.compile(r"^\s*['\"]?(https?:)?//", re.I)
    offenders = []
    for page in demo_site.rglob("*.html"):
        parser = Resources()
        parser.feed(page.read_text(encoding="utf-8"))
        offenders += [(str(page.relative_to(demo_site)), url) for url in parser.fetched if external.match(url)]
    for css in demo_site.rglob("*.css"):
        for url in re.findall(r"url\(([^)]+)\)", css.read_text(encoding="utf-8")):
            if external.match(url):
                offenders.append((str(css.relative_to(demo_site)), url))
    # Material's bundle names two loaders that run only for mermaid diagrams (we have none) and in
    # browsers without ResizeObserver; the browser suite checks that no request leaves the server.
    dormant = {"unpkg.com/mermaid@11/dist/mermaid.min.js", "unpkg.com/resize-observer-polyfill"}
    for script in demo_site.rglob("*.js"):
        text = script.read_text(encoding="utf-8", errors="replace")
        found = re.findall(r"(?:fonts\.googleapis|fonts\.gstatic|unpkg\.com|cdn\.jsdelivr)[^\"' ]*", text)
        offenders += [(str(script.relative_to(demo_site)), m) for m in found if m not in dormant]
    assert not offenders, offenders[:10]


def test_open_data_matches_results(demo_site):
    rows = list(csv.DictReader(open(demo_site / "data" / "indicators.csv", encoding="utf-8", newline="")))
    figures = {(r["year"], r["school"], r["measure"]): r["value"] for r in read_csv("results.csv")}
    indicators = {i["code"]: i for i in yaml.safe_load((DATA / "indicators.yml").read_text(encoding="utf-8"))}
    checked = 0
    for row in rows:
        ind = indicators[row["indicator"]]
        if row["scope"] != "school" or ind.get("unit") != "%" or row["status"] == "suppressed" or not row["value"]:
            continue
        n = figures[(row["year"], row["school"], ind["numerator"])]
        d = figures[(row["year"], row["school"], ind["denominator"])]
        expected = share_value(n, d, target_of(ind, int(row["year"])))
        assert Decimal(row["value"]) == expected, row
        checked += 1
    assert checked > 500


def test_bad_data_exits_2_and_writes_nothing(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    with open(data / "results.csv", "a", encoding="utf-8") as fh:
        fh.write("2025,6149009012,ege_rus_passed,-5\n")
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("старый сайт", encoding="utf-8")
    proc = run_cli("build", "--data", str(data), "--out", str(out))
    assert proc.returncode == 2
    line = len((data / "results.csv").read_text(encoding="utf-8").splitlines())
    assert f"results.csv:{line}: value: ожидалось неотрицательное число" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert (out / "index.html").read_text(encoding="utf-8") == "старый сайт"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "site"]  # no leftover build folders


def test_validate_command_on_demo():
    proc = run_cli("validate", "--data", str(DATA))
    assert proc.returncode == 0, proc.stderr
    assert "Данные в порядке" in proc.stdout


def test_roadmap_item_fields_are_separate_list_items(demo_site):
    page = (demo_site / "roadmaps" / "municipal" / "index.html").read_text(encoding="utf-8")
    for label in ("Состояние:", "Срок:", "Ответственные:", "Ожидаемый результат:"):
        assert f"<li><strong>{label}</strong>" in page, label


def test_pages_link_one_stylesheet_that_joins_materials_and_ours(demo_site):
    """At most one render-blocking stylesheet (issue #22): every page links site-bundle.css only, and
    it holds Material's rules and templates/theme's site.css."""
    bundle = (demo_site / "assets" / "stylesheets" / "site-bundle.css").read_text(encoding="utf-8")
    ours = (REPO / "templates" / "theme" / "assets" / "stylesheets" / "site.css").read_text(encoding="utf-8")
    assert ours.strip() in bundle and ".md-typeset" in bundle.split(ours.strip())[0]
    assert "sourceMappingURL" not in bundle
    pages = [demo_site / "index.html", *sorted((demo_site / "schools").glob("*/index.html"))[:6]]
    for page in (p for p in pages if 'http-equiv="refresh"' not in p.read_text(encoding="utf-8")):
        links = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page.read_text(encoding="utf-8"))
        assert len(links) == 1 and links[0].endswith("assets/stylesheets/site-bundle.css"), (page, links)
