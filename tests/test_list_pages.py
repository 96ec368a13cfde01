"""Lists of a whole region stay readable on a phone: past LIST_MAX_ROWS rows they are split.

A synthetic region of 400 schools is built with a real `mkdocs build --strict` (every link checked).
Expected groups are computed from the generated CSV files with the standard library.
"""
from __future__ import annotations

import csv
import posixpath
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from generator.render import links
from bench import synth
from generator.render.pages import LIST_MAX_ROWS
from generator.build.site import build_site

SCHOOLS = 400


@pytest.fixture(scope="module")
def region(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("region")
    synth.write(synth.generate(SCHOOLS, 6, 12, seed=3), root / "data")
    build_site(root / "data", root / "site", progress=False)
    return root / "data", root / "site"


def table(data: Path, name: str) -> list[dict[str, str]]:
    with open(data / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def school_links(html: str) -> list[str]:
    """Codes of the school pages a page links to (relative links end in schools/<code>/)."""
    return re.findall(r'href="(?:\.\./)+schools/([0-9A-Za-z_-]+)/"', html)


def test_schools_are_listed_by_district_each_exactly_once(region):
    data, site = region
    schools = table(data, "schools.csv")
    assert len(schools) > LIST_MAX_ROWS
    districts = Counter(s["district"] for s in schools)
    index = (site / "schools" / "index.html").read_text(encoding="utf-8")
    pages = sorted((site / "districts").glob("*/index.html"))
    assert len(pages) == len(districts) > 1
    assert len(re.findall(r'href="\.\./districts/[a-z0-9-]+/"', index)) == len(districts)
    seen: list[str] = []
    for page in pages:
        html = page.read_text(encoding="utf-8")
        codes = school_links(html)
        names = {s["district"] for s in schools if s["code"] in codes}
        assert len(names) == 1, page  # one district per page…
        assert len(codes) == districts[names.pop()]  # …and all of it
        assert len(html.encode("utf-8")) <= 60_000, (page, len(html))  # the school page budget
        seen += codes
    assert sorted(seen) == sorted(s["code"] for s in schools)


def test_mentor_pairs_of_past_years_have_their_own_pages(region):
    data, site = region
    pairs = defaultdict(int)
    for row in table(data, "mentorships.csv"):
        pairs[int(row["year"])] += 1
    assert sum(pairs.values()) > LIST_MAX_ROWS
    latest, *past = sorted(pairs, reverse=True)

    def rows(html: str) -> int:  # a pair is one table row with two school links
        return sum(1 for row in re.findall(r"<tr>(.*?)</tr>", html, re.S) if len(school_links(row)) == 2)

    current = (site / "mentors" / "index.html").read_text(encoding="utf-8")
    assert rows(current) == pairs[latest]
    for year in past:
        page = site / "mentors" / str(year) / "index.html"
        assert rows(page.read_text(encoding="utf-8")) == pairs[year], year
        assert f'href="{year}/"' in current


def test_for_schools_gives_the_address_pattern_instead_of_a_region_sized_table(region):
    data, site = region
    placing = {r["school"] for r in table(data, "statuses.csv")} | {r["mentor"] for r in table(data, "mentorships.csv")}
    html = (site / "for-schools" / "index.html").read_text(encoding="utf-8")
    listed = set(re.findall(r'href="\.\./schools/([0-9A-Za-z_-]+)/#embed"', html))
    if len(placing) <= LIST_MAX_ROWS:
        assert listed == placing
    else:
        assert not listed and "/embed/&lt;код&gt;/" in html


def test_the_same_pages_split_when_the_limit_is_low(tmp_path, monkeypatch):
    """The demo (32 schools) with a limit of 5 rows: the branch a 400-school region may not reach."""
    from conftest import DATA
    from generator.render import pages
    from generator.build import site as site_build

    monkeypatch.setattr(pages, "LIST_MAX_ROWS", 5)
    monkeypatch.setenv("SHNOR_CACHE_DIR", str(tmp_path / "cache"))
    site_build.generate(DATA, tmp_path / "out", site_build.Steps(4, enabled=False))
    docs = tmp_path / "out" / "docs"
    text = (docs / "for-schools.md").read_text(encoding="utf-8")
    assert "#embed" not in text and "/embed/<код>/" in text
    districts = {r["district"] for r in table(DATA, "schools.csv")}
    assert len(list((docs / "districts").glob("*.md"))) == len(districts)
    assert len(list((docs / "mentors").glob("*.md"))) == len({r["year"] for r in table(DATA, "mentorships.csv")}) - 1


@pytest.mark.parametrize("target, start", [
    ("schools/a.md", "schools"), ("schools/a.md", ""), ("index.md", "districts"), ("charts/schools/a/x.svg", "schools"),
    ("schools/a.md#x", "indicators"), ("mentors/2023.md", "mentors"), ("a/b/c.md", "a/b/c"), ("a/b", "a/b/c/d"),
    ("schools", "schools"), ("x.md", "x.md"), ("../up.md", "schools"), ("a/./b.md", "c"),
])
def test_relative_path_is_posix_relpath(target, start):
    assert links.relative_path(target, start) == posixpath.relpath(target, start or ".")
