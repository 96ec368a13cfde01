"""Incremental builds: a warm build that reuses school bundles writes exactly what a cold build writes.

Each scenario builds the demo data once to fill a cache, changes the data, then builds the changed
data twice: warm (with that cache) and cold (with an empty one). The two output folders must be
byte-identical, and the schools rendered again are observed directly (`SiteData.bundle` is entered
once per rendered school file set).
"""
from __future__ import annotations

import csv
import io
import os
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import DATA, REPO
from generator import version
from generator.build import bundles
from generator.render import pages
from generator.build import site as site_build
from generator.build.bundles import BundleCache
from generator.errors import BuildFailed
from generator.compute.computed import compute
from generator.compute.programme import compute_programme
from generator.load.validation import validate


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def build(data: Path, out: Path, cache: Path, monkeypatch) -> tuple[dict, set[str], dict[str, bytes]]:
    """generate() into out/docs with the given cache, then finish the build as build_site does
    (the docs folder is kept for the next build); (counts, schools whose files were rendered, the
    docs folder as generated)."""
    monkeypatch.setenv("SHNOR_CACHE_DIR", str(cache))
    rendered: set[str] = set()
    original = pages.SiteData.bundle

    def recording(self, code):
        rendered.add(code)
        return original(self, code)

    monkeypatch.setattr(pages.SiteData, "bundle", recording)
    _, counts, _ = site_build.generate(data, out, site_build.Steps(4, enabled=False))
    monkeypatch.setattr(pages.SiteData, "bundle", original)
    docs = tree(out / "docs")
    site_build.keep_docs(out)
    return counts, rendered, docs


def rows(data: Path) -> tuple[list[str], list[list[str]]]:
    table = list(csv.reader(io.StringIO((data / "results.csv").read_text(encoding="utf-8"))))
    return table[0], table[1:]


def write_rows(data: Path, header: list[str], body: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([header] + body)
    (data / "results.csv").write_text(buffer.getvalue(), encoding="utf-8")


SIMILAR = re.compile(r"^similar_schools:\n(?:  .*\n)+", re.M)


@pytest.fixture
def setup(tmp_path, monkeypatch):
    """(changed data folder, cache filled by a build of the unchanged demo, helper to compare).
    Without the demo's similar schools: each scenario below counts on a school's figure reaching
    no other school's page (similar schools: test_a_schools_figures_render_the_pages_listing_it)."""
    return make_setup(tmp_path, monkeypatch, similar=False)


def make_setup(tmp_path, monkeypatch, similar: bool):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    if not similar:
        site_yml = data / "site.yml"
        text, found = SIMILAR.subn("", site_yml.read_text(encoding="utf-8"))
        assert found == 1, "the demo's site.yml declares similar_schools"
        site_yml.write_text(text, encoding="utf-8")
    cache = tmp_path / "cache"
    first, rendered, _ = build(data, tmp_path / "first", cache, monkeypatch)
    schools = {row["code"] for row in csv.DictReader(open(DATA / "schools.csv", encoding="utf-8-sig"))}
    assert rendered == schools and first["reused"] == 0

    def warm_equals_cold() -> set[str]:
        warm, again, warm_docs = build(data, tmp_path / "warm", cache, monkeypatch)
        _, _, cold_docs = build(data, tmp_path / "cold", tmp_path / "empty-cache", monkeypatch)
        assert warm_docs == cold_docs
        assert warm["reused"] == len(schools) - len(again)
        return again

    return data, schools, warm_equals_cold


LISTED = re.compile(r'^<td><a href="\.\./(\w+)/">', re.M)  # a member's row of the table (written as HTML)


def listing(docs: dict[str, bytes]) -> dict[str, set[str]]:
    """School → the schools whose «Похожие школы» table lists it, read from the generated Markdown."""
    found: dict[str, set[str]] = {}
    for path, text in docs.items():
        if path.startswith("schools/") and path.endswith(".md") and path != "schools/index.md":
            page = text.decode("utf-8")
            if "## Похожие школы" in page:
                section = page.split("## Похожие школы", 1)[1].split("\n## ", 1)[0]
                for member in LISTED.findall(section):
                    found.setdefault(member, set()).add(path[len("schools/"):-3])
    return found


def test_a_schools_figures_render_the_pages_listing_it(tmp_path, monkeypatch):
    """A school's page shows its similar schools' context and verdicts: changing one school's number
    of pupils (a context measure) renders that school again and every school whose similar-schools
    table lists it, before or after, and warm equals cold."""
    data, schools, warm_equals_cold = make_setup(tmp_path, monkeypatch, similar=True)
    _, _, before = build(data, tmp_path / "before", tmp_path / "cache-before", monkeypatch)
    header, body = rows(data)
    year = max(int(r[0]) for r in body)
    listed_before = listing(before)
    school = max(listed_before, key=lambda c: (len(listed_before[c]), c))
    for r in body:
        if int(r[0]) == year and r[1] == school and r[2] == "pupils_total":
            r[3] = str(int(r[3]) * 3)
    write_rows(data, header, body)
    again = warm_equals_cold()
    _, _, after = build(data, tmp_path / "after", tmp_path / "cache-after", monkeypatch)
    expected = {school} | listed_before.get(school, set()) | listing(after).get(school, set())
    assert len(listed_before[school]) >= 1
    assert expected <= again, sorted(expected - again)


def test_unchanged_data_renders_no_school_again(setup):
    data, schools, warm_equals_cold = setup
    assert warm_equals_cold() == set()


def test_a_figure_of_an_aggregate_only_indicator_renders_only_that_school(setup):
    """vpr_math is published only for groups: no school file shows it, so the school's own files are
    redone (its rows changed) and nobody else's, whatever happens to the group totals."""
    data, schools, warm_equals_cold = setup
    header, body = rows(data)
    i = next(i for i, r in enumerate(body) if r[2] == "vpr_math_grade2" and int(r[3]) > 0)
    body[i][3] = str(int(body[i][3]) - 1)
    write_rows(data, header, body)
    assert warm_equals_cold() == {body[i][1]}


def test_a_published_figure_renders_that_school_and_is_exact(setup):
    data, schools, warm_equals_cold = setup
    header, body = rows(data)
    year = max(int(r[0]) for r in body)
    i = next(i for i, r in enumerate(body) if int(r[0]) == year and r[2] == "oge_rus_passed" and int(r[3]) > 1)
    body[i][3] = str(int(body[i][3]) - 1)
    write_rows(data, header, body)
    again = warm_equals_cold()
    assert body[i][1] in again
    # Either only this school, or every school: the published «все школы района» value moved.
    assert again == {body[i][1]} or again == schools


def test_a_change_that_keeps_the_district_value_renders_only_that_school(setup):
    """The «все школы района» value a school page shows is keyed, its numerator and denominator are
    not: adding to the largest school the district's own proportion (N/g more passed of D/g more sat,
    g = gcd(N, D)) leaves 100·N/D exactly as it was, so only that school is rendered again."""
    data, schools, warm_equals_cold = setup
    school = keep_the_district_value(data)
    assert warm_equals_cold() == {school}


def keep_the_district_value(data: Path) -> str:
    """Change the largest school's oge_rus figures of the last year so that the district's value stays
    the same (see above); returns the school."""
    from math import gcd
    header, body = rows(data)
    year = max(int(r[0]) for r in body)
    sat = {r[1]: int(r[3]) for r in body if int(r[0]) == year and r[2] == "oge_rus_participants" and r[1] and r[3]}
    passed = {r[1]: int(r[3]) for r in body if int(r[0]) == year and r[2] == "oge_rus_passed" and r[1] and r[3]}
    both = sorted(set(sat) & set(passed))
    n, d = sum(passed[c] for c in both), sum(sat[c] for c in both)
    g = gcd(n, d)
    school = max(both, key=lambda c: (sat[c], c))  # never the cheapest partner of a small group
    for r in body:
        if int(r[0]) == year and r[1] == school and r[2] == "oge_rus_passed":
            r[3] = str(passed[school] + n // g)
        if int(r[0]) == year and r[1] == school and r[2] == "oge_rus_participants":
            r[3] = str(sat[school] + d // g)
    write_rows(data, header, body)
    return school


def test_a_schools_open_data_file_is_in_its_bundle(setup, tmp_path):
    """data/schools/<code>.csv is part of the school's bundle: after one school's change only its file
    is written again (every other school's keeps the modification time marked on the kept docs folder:
    taken over or linked, never written), the shared files are all written again, and each school's
    file is still its rows of indicators.csv. (Inode numbers would not tell: a freed one is reused.)"""
    data, schools, warm_equals_cold = setup
    kept = tmp_path / "cache" / "build" / bundles.TREE / "docs" / "data"
    marked = 1_000_000_000 * 10 ** 9  # 2001-09-09, in nanoseconds

    def files() -> dict[str, tuple[int, bytes]]:
        return {p.relative_to(kept).as_posix(): (p.stat().st_mtime_ns, p.read_bytes()) for p in kept.rglob("*.csv")}

    for path in kept.rglob("*.csv"):
        os.utime(path, ns=(marked, marked))
    before = files()
    assert {name for name in before if name.startswith("schools/")} == {f"schools/{code}.csv" for code in schools}
    assert "indicators.csv" in before and [name for name in before if name.startswith("indicators/")]
    school = keep_the_district_value(data)
    assert warm_equals_cold() == {school}
    after = files()  # the warm build's docs folder, kept in its turn
    assert after.keys() == before.keys()
    written = {name for name, (mtime, _) in after.items() if mtime != marked}
    assert written == {f"schools/{school}.csv"} | {name for name in before if not name.startswith("schools/")}
    assert after[f"schools/{school}.csv"][1] != before[f"schools/{school}.csv"][1]
    whole = after["indicators.csv"][1].decode("utf-8").splitlines(keepends=True)
    for code in schools:
        own = after[f"schools/{code}.csv"][1].decode("utf-8").splitlines(keepends=True)
        assert own == whole[:1] + [line for line in whole[1:] if line.split(",")[1:3] == ["school", code]]


def test_suppression_moving_to_another_school_renders_that_school(setup):
    """Pupils move from a big school B to a hidden small school A (fewer than min_group_size): A
    becomes visible, the group totals stay the same to the pupil, and secondary suppression has to
    hide a different school instead. That third school's rows did not change, but its files did."""
    data, schools, warm_equals_cold = setup
    header, body = rows(data)
    year = str(max(int(r[0]) for r in body))
    at = {(r[0], r[1], r[2]): r for r in body}
    small = next(r for r in body if r[0] == year and r[2] == "oge_math_participants" and 0 < int(r[3]) < 5)
    big = next(r for r in body if r[0] == year and r[2] == "oge_math_participants" and int(r[3]) >= 30
               and int(at[(year, r[1], "oge_math_passed")][3]) <= int(r[3]) - 6)
    moved = 6 - int(small[3])
    small[3], big[3] = "6", str(int(big[3]) - moved)
    write_rows(data, header, body)
    again = warm_equals_cold()
    assert {small[1], big[1]} < again < schools


def test_a_change_outside_results_renders_every_school(setup):
    data, schools, warm_equals_cold = setup
    text = (data / "schools.csv").read_text(encoding="utf-8")
    (data / "schools.csv").write_text(text.replace("МБОУ", "МБОУ ", 1), encoding="utf-8")
    assert warm_equals_cold() == schools


def test_a_pruned_cache_entry_is_rendered_again(setup, tmp_path):
    data, schools, warm_equals_cold = setup
    cache = BundleCache(tmp_path / "cache" / "build")
    entry = next(iter(cache.load().values()))
    page, digest = next((path, d) for path, d in entry.files if path.startswith("schools/"))
    (tmp_path / "cache" / "build" / "blobs" / digest[:2] / digest).unlink()
    shutil.rmtree(tmp_path / "cache" / "build" / bundles.TREE)  # or its kept copy would serve
    assert warm_equals_cold() == {page[len("schools/"):-len(".md")]}


def test_without_a_kept_docs_folder_entries_are_linked_from_the_cache(setup, tmp_path):
    """A build that failed after generating keeps no docs folder: the next one links every
    unchanged school's files from the cache instead, with the same output."""
    data, schools, warm_equals_cold = setup
    shutil.rmtree(tmp_path / "cache" / "build" / bundles.TREE)
    assert warm_equals_cold() == set()


def test_the_kept_docs_folder_is_taken_over_and_cleaned(setup, tmp_path):
    """A stale file in the kept folder (a page of a news item deleted since) must not survive."""
    data, schools, warm_equals_cold = setup
    kept = tmp_path / "cache" / "build" / bundles.TREE / "docs"
    news = sorted(p for p in (kept / "news").glob("*.md") if p.name != "index.md")[-1]
    (data / "news" / news.name).unlink()
    assert news.exists()
    assert warm_equals_cold() == schools  # a data file changed; the outputs are compared inside


def test_a_bundle_cannot_read_what_its_key_does_not_cover():
    result = validate(DATA)
    values = compute(result.dataset)
    sd = pages.SiteData(result.dataset, values, compute_programme(result.dataset, values))
    one, other = sorted(sd.schools)[:2]
    school_level = sd.school_level[0].code
    aggregate_only = next(i.code for i in sd.visible if i.publish != "school")
    with sd.bundle(one):
        assert sd.series(school_level, "school", one) == sd._by_key[(school_level, "school", one)]
        view = next(iter(sd.series(school_level, "all").values()))
        # Only the published fields its key covers (site_data.published_view): no exact value, no change.
        assert not hasattr(view, "exact") and view.change is None and isinstance(view.value, (Decimal, type(None)))
        for forbidden in [lambda: sd.series(school_level, "school", other),
                          lambda: sd.series(school_level, "participants"),
                          lambda: sd.series(aggregate_only, "all"),
                          lambda: sd.programme_by_year]:
            with pytest.raises(BuildFailed):
                forbidden()
    assert sd.series(school_level, "school", other)  # outside a bundle everything is readable


def test_a_new_code_version_renders_every_school(setup, monkeypatch):
    data, schools, warm_equals_cold = setup
    monkeypatch.setattr(site_build, "code_version", lambda: b"another version of the generator")
    assert warm_equals_cold() == schools


def test_code_version_follows_every_template_and_source_file(tmp_path):
    """Read afresh on every build: `serve` rebuilds in one process while someone edits templates."""
    for folder in version.CODE_FOLDERS:
        shutil.copytree(REPO / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copyfile(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    seen = {bundles.code_version(tmp_path)}
    for path in ("templates/pages/school.md.j2", "templates/embed/badge.svg.j2", "generator/compute/indicators.py",
                 "content/about.md", "mkdocs.yml"):
        target = tmp_path / path
        target.write_text(target.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        seen.add(bundles.code_version(tmp_path))
    # Code in a new subfolder counts too (the fingerprint once globbed only generator/*.py).
    (tmp_path / "generator" / "newstage").mkdir()
    (tmp_path / "generator" / "newstage" / "module.py").write_text("X = 1\n", encoding="utf-8")
    seen.add(bundles.code_version(tmp_path))
    assert len(seen) == 7
    # The benchmark's data maker and the tests are not the generator: editing them re-renders nothing.
    before = bundles.code_version(tmp_path)
    (tmp_path / "bench").mkdir()
    (tmp_path / "bench" / "synth.py").write_text("# changed\n", encoding="utf-8")
    (tmp_path / "generator" / "notes.txt").write_text("not code\n", encoding="utf-8")
    assert bundles.code_version(tmp_path) == before
    assert "bench/synth.py" not in version.code_files()
    assert "generator/compute/indicators.py" in version.code_files() and "mkdocs.yml" in version.code_files()


def test_a_hidden_folder_in_the_data_changes_nothing(setup):
    """A data folder that is its own git repository: .git changes on every commit, the site does not."""
    data, schools, warm_equals_cold = setup
    (data / ".git").mkdir()
    (data / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    assert warm_equals_cold() == set()
