"""Warm MkDocs (build/page_reuse.py): after one school's figures change, a full build (MkDocs, pruning
and .gz copies included) that takes the unchanged school pages' HTML from the cache writes exactly
the site a cold build of the same data writes, and MkDocs builds only the changed pages again."""
from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from conftest import DATA
from generator.build import page_reuse
from generator.build.site import build_site


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def change_figure(data: Path, nth: int) -> str:
    """Raise the nth numeric value of results.csv by one; the school's code."""
    table = list(csv.reader(io.StringIO((data / "results.csv").read_text(encoding="utf-8"))))
    header, body = table[0], table[1:]
    value = header.index("value")
    rows = [r for r in body if r[value].isdigit() and int(r[value]) > 20]
    row = rows[nth]
    row[value] = str(int(row[value]) + 1)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([header] + body)
    (data / "results.csv").write_text(buffer.getvalue(), encoding="utf-8")
    return row[header.index("school")]


@pytest.fixture
def stubbed(monkeypatch) -> list[int]:
    """How many pages each build took from the cache."""
    counts: list[int] = []
    original = page_reuse.PageReuse.finish

    def finish(self, docs, site, aside):
        counts.append(len(self.stubbed))
        for page in self.stubbed:  # MkDocs wrote nothing for a stub
            assert not page_reuse.html_path(site, page).exists(), page
        return original(self, docs, site, aside)

    monkeypatch.setattr(page_reuse.PageReuse, "finish", finish)
    return counts


def test_a_warm_build_with_mkdocs_equals_a_cold_one(tmp_path, monkeypatch, stubbed):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    schools = sum(1 for _ in csv.DictReader(open(DATA / "schools.csv", encoding="utf-8-sig")))
    monkeypatch.setenv("SHNOR_CACHE_DIR", str(tmp_path / "cache"))
    build_site(data, tmp_path / "first", progress=False)
    assert stubbed == [0]
    for round_ in range(2):  # the second round starts from a docs folder the first one restored
        change_figure(data, round_ * 7)
        build_site(data, tmp_path / "warm", progress=False)
        monkeypatch.setenv("SHNOR_CACHE_DIR", str(tmp_path / f"empty-{round_}"))
        build_site(data, tmp_path / "cold", progress=False)
        monkeypatch.setenv("SHNOR_CACHE_DIR", str(tmp_path / "cache"))
        assert tree(tmp_path / "warm") == tree(tmp_path / "cold")
        warm, cold = stubbed[-2], stubbed[-1]
        # the changed school's page and those that show its figures (similar schools) are built again
        assert cold == 0 and schools // 2 < warm < schools, stubbed


def test_the_surroundings_follow_config_code_and_page_list():
    config = {"site_name": "Проект", "docs_dir": "/tmp/a/docs", "site_dir": "/tmp/a/site", "extra": {"as_of": "2025-12-15"}}
    pages = ["index.md", "schools/s1.md"]
    base = page_reuse.surroundings(config, b"code", pages)
    moved = {**config, "docs_dir": "/tmp/b/docs", "site_dir": "/tmp/b/site"}  # the work folder is not content
    assert page_reuse.surroundings(moved, b"code", list(reversed(pages))) == base
    assert page_reuse.surroundings({**config, "extra": {"as_of": "2026-01-10"}}, b"code", pages) != base
    assert page_reuse.surroundings(config, b"other code", pages) != base
    assert page_reuse.surroundings(config, b"code", pages + ["news/n.md"]) != base


def test_a_stub_keeps_the_pages_anchors():
    text = "# Школа\n\n### ЕГЭ { #ege data-search-exclude }\n\n<div id=\"similar\"></div>\n"
    stub = page_reuse.stub(text)
    assert f"template: {page_reuse.STUB_TEMPLATE}" in stub and "exclude: true" in stub
    assert '<span id="ege"></span><span id="similar"></span>' in stub


def test_without_a_cache_nothing_is_stubbed_or_stored(tmp_path):
    """A snapshot's build (no cache root): every page goes to MkDocs, nothing is kept."""
    docs, site = tmp_path / "docs", tmp_path / "site"
    (docs / "schools").mkdir(parents=True)
    (docs / "schools" / "s1.md").write_text("# Ш1\n", encoding="utf-8")
    (site / "schools" / "s1").mkdir(parents=True)
    (site / "schools" / "s1" / "index.html").write_text("<h1>Ш1</h1>", encoding="utf-8")
    reuse = page_reuse.PageReuse(None, b"around")
    reuse.prepare(docs, ["schools/s1.md"], tmp_path / "aside")
    assert reuse.stubbed == {} and (docs / "schools" / "s1.md").read_text(encoding="utf-8") == "# Ш1\n"
    assert reuse.finish(docs, site, tmp_path / "aside") == set()
