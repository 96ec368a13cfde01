"""Yearly snapshots: freezing, immutability against the manifest, refusal and correction, the archive page.

Real builds (MkDocs) of the small fixture data: one freeze and one main build shared by the module,
plus a rebuild after a data change and one correction.
"""
from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from conftest import run_cli
from generator.errors import InputError
from generator.build.site import build_site
from generator.build.archive import read_corrections, tree_hashes, verify_snapshot
from generator.files import sha256_file
from generator.release.snapshot import freeze

MINI = Path(__file__).resolve().parent / "fixtures" / "mini"


def site_files(manifest: dict) -> dict[str, str]:
    return {name[len("site/"):]: sha for name, sha in manifest["files"].items() if name.startswith("site/")}


@pytest.fixture(scope="module")
def frozen(tmp_path_factory) -> Path:
    """<root>/data (the mini project, current year 2023) with its archive/2022 frozen, <root>/site built with it."""
    root = tmp_path_factory.mktemp("snap")
    shutil.copytree(MINI, root / "data")
    freeze(root / "data", 2022, progress=False)
    build_site(root / "data", root / "site", progress=False)
    return root


def test_freeze_writes_site_data_and_manifest(frozen):
    snapshot = frozen / "data" / "archive" / "2022"
    manifest = json.loads((snapshot / "manifest.json").read_text(encoding="utf-8"))
    assert verify_snapshot(snapshot) == []
    assert manifest["year"] == 2022
    # The date comes from the data (as_of capped at the end of the year), never the clock.
    assert manifest["created_at"] == "2022-12-31" and manifest["as_of"] == "2022-12-31"
    assert manifest["generator"]["version"] and len(manifest["generator"]["sha256"]) == 64
    assert manifest["source"]["current_year"] == 2023 and len(manifest["source"]["data_sha256"]) == 64
    assert manifest["correction"] is None
    assert {"site/index.html", "site/data/indicators.csv", "site/data/programme.csv", "data/site.yml",
            "data/results.csv"} <= manifest["files"].keys()
    for name, sha in manifest["files"].items():
        assert sha256_file(snapshot / name) == sha
    # The year's view of the data: current_year replaced, later rows and reports dropped.
    site = yaml.safe_load((snapshot / "data" / "site.yml").read_text(encoding="utf-8"))
    assert site["current_year"] == 2022 and site["as_of"] == date(2022, 12, 31)
    statuses = (snapshot / "data" / "statuses.csv").read_text(encoding="utf-8")
    assert "2022," in statuses and "2023," not in statuses
    indicators = (snapshot / "site" / "data" / "indicators.csv").read_text(encoding="utf-8")
    assert "\n2022," in indicators and "\n2023," not in indicators
    assert manifest["source"]["dropped"]["statuses.csv"] == 4
    roadmap = (snapshot / "data" / "roadmaps" / "municipal.yml").read_text(encoding="utf-8")
    assert "2023-11-01" not in roadmap and "2022-04-20" in roadmap
    # Small: no source maps, only the Russian search language.
    assert not list((snapshot / "site").rglob("*.map"))
    assert not (snapshot / "site" / "assets" / "javascripts" / "lunr" / "wordcut.js").exists()


def test_snapshot_pages_say_which_year_and_link_to_current(frozen):
    site = frozen / "data" / "archive" / "2022" / "site"
    home = (site / "index.html").read_text(encoding="utf-8")
    school = (site / "schools" / "6100000001" / "index.html").read_text(encoding="utf-8")
    for page, up in ((home, "."), (school, "../..")):
        assert "Архивная версия: данные за 2022 год." in page
        assert f'href="{up}/../../">на главной странице сайта</a>' in page  # the current site, relative
        assert "— архив 2022 года</title>" in page
        assert 'class="site-versions"' in page and "Все версии и исправления" in page
    assert 'href="https://example.org/500plus/archive/2022/schools/6100000001/"' in school  # canonical


def test_main_site_publishes_snapshot_byte_for_byte(frozen):
    manifest = json.loads((frozen / "data" / "archive" / "2022" / "manifest.json").read_text(encoding="utf-8"))
    published = frozen / "site" / "archive" / "2022"
    actual = tree_hashes(published)
    assert actual.pop("manifest.json") == sha256_file(frozen / "data" / "archive" / "2022" / "manifest.json")
    assert actual == site_files(manifest)
    assert not (published / "data" / "site.yml").exists()  # raw input data is never published
    archive_page = (frozen / "site" / "archive" / "index.html").read_text(encoding="utf-8")
    assert 'href="2022/"' in archive_page and 'href="2022/manifest.json"' in archive_page
    assert "31 декабря 2022" in archive_page and "Исправлений не было." in archive_page
    home = (frozen / "site" / "index.html").read_text(encoding="utf-8")
    assert 'href="./archive/2022/">2022 — архив</a>' in home and '<a href="archive/" class="md-nav__link">' in home
    versions = json.loads((frozen / "site" / "versions.json").read_text(encoding="utf-8"))
    assert [v["version"] for v in versions] == ["2023", "archive/2022"]


def test_rebuild_after_data_change_leaves_snapshot_identical(frozen, tmp_path):
    root = tmp_path / "root"
    shutil.copytree(frozen / "data", root / "data")
    before = tree_hashes(root / "data" / "archive")
    results = root / "data" / "results.csv"
    text = results.read_text(encoding="utf-8")
    assert "2022,6100000001,ege_passed,18\n" in text
    results.write_text(text.replace("2022,6100000001,ege_passed,18\n", "2022,6100000001,ege_passed,11\n"),
                       encoding="utf-8")
    build_site(root / "data", root / "site", progress=False)
    # The current site shows the changed 2022 figure ...
    assert "\n2022,school,6100000001,ege_rus,11,20,55," in (root / "site" / "data" / "indicators.csv").read_text(
        encoding="utf-8")
    # ... the snapshot keeps the published one, byte for byte, in the archive and in the site.
    assert tree_hashes(root / "data" / "archive") == before
    manifest = json.loads((root / "data" / "archive" / "2022" / "manifest.json").read_text(encoding="utf-8"))
    published = tree_hashes(root / "site" / "archive" / "2022")
    published.pop("manifest.json")
    assert published == site_files(manifest)
    assert "\n2022,school,6100000001,ege_rus,18,20,90," in (
        root / "site" / "archive" / "2022" / "data" / "indicators.csv").read_text(encoding="utf-8")


def test_refreeze_is_refused_and_changes_nothing(frozen):
    before = {p: p.stat().st_mtime_ns for p in (frozen / "data" / "archive").rglob("*")}
    proc = run_cli("snapshot", "2022", "--data", str(frozen / "data"), "--quiet")
    assert proc.returncode == 2, proc.stderr
    assert "архивная версия за 2022 год уже есть" in proc.stderr and "--correction" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert {p: p.stat().st_mtime_ns for p in (frozen / "data" / "archive").rglob("*")} == before


@pytest.mark.parametrize("args, message", [
    (("2022", "--correction", "  "), "укажите причину исправления"),
    (("2021", "--correction", "опечатка"), "исправлять нечего"),
    (("2024",), "данных за 2024 год ещё нет"),
    (("2019",), "нет ни одной строки за 2019 год"),
    (("20x2",), "ожидался год из четырёх цифр"),
    (("2022", "--date", "31.12.2022"), "ожидалась дата ГГГГ-ММ-ДД"),
])
def test_bad_snapshot_requests(frozen, args, message):
    proc = run_cli("snapshot", *args, "--data", str(frozen / "data"), "--quiet")
    assert proc.returncode == 2 and message in proc.stderr and "Traceback" not in proc.stderr


def test_tampered_snapshot_stops_the_build(frozen, tmp_path):
    root = tmp_path / "root"
    shutil.copytree(frozen / "data", root / "data")
    page = root / "data" / "archive" / "2022" / "site" / "index.html"
    page.chmod(0o644)
    page.write_text(page.read_text(encoding="utf-8").replace("2022", "2021"), encoding="utf-8")
    (root / "site").mkdir()
    (root / "site" / "old.html").write_text("прежний сайт", encoding="utf-8")
    with pytest.raises(InputError, match="не совпадает со своим manifest.json.*файл изменён: site/index.html"):
        build_site(root / "data", root / "site", progress=False)
    assert [p.name for p in (root / "site").iterdir()] == ["old.html"]
    proc = run_cli("build", "--data", str(root / "data"), "--out", str(root / "site"), "--quiet")
    assert proc.returncode == 2 and "не совпадает со своим manifest.json" in proc.stderr


def test_correction_replaces_snapshot_and_is_listed(frozen, tmp_path):
    root = tmp_path / "root"
    shutil.copytree(frozen / "data", root / "data")
    old_manifest = sha256_file(root / "data" / "archive" / "2022" / "manifest.json")
    results = root / "data" / "results.csv"
    results.write_text(results.read_text(encoding="utf-8").replace("2022,6100000001,ege_passed,18\n",
                                                                    "2022,6100000001,ege_passed,19\n"),
                       encoding="utf-8")
    proc = run_cli("snapshot", "2022", "--data", str(root / "data"), "--correction",
                   "Исправлена ошибка в ЕГЭ <script>alert(1)</script> | школа 1", "--correction-date", "2024-02-01",
                   "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert "заморожена заново" in proc.stdout
    snapshot = root / "data" / "archive" / "2022"
    assert verify_snapshot(snapshot) == []
    manifest = json.loads((snapshot / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["correction"]["date"] == "2024-02-01"
    assert manifest["correction"]["replaces_manifest_sha256"] == old_manifest
    assert "\n2022,school,6100000001,ege_rus,19,20,95," in (snapshot / "site" / "data" / "indicators.csv").read_text(
        encoding="utf-8")
    [fix] = read_corrections(root / "data" / "archive")
    assert (fix.year, fix.date) == (2022, date(2024, 2, 1)) and fix.reason.startswith("Исправлена ошибка")
    banner = (snapshot / "site" / "index.html").read_text(encoding="utf-8")
    assert "Исправлена 1 февраля 2024: Исправлена ошибка в ЕГЭ &lt;script&gt;" in banner
    assert not list(root.joinpath("data", "archive").glob(".*"))  # no temporary folders left
    build_site(root / "data", root / "site", progress=False)
    page = (root / "site" / "archive" / "index.html").read_text(encoding="utf-8")
    assert "Исправления архивных версий" in page and "1 февраля 2024" in page
    assert "&lt;script&gt;alert" in page and "<script>alert" not in page
    assert "(исправлена)" in page


def test_demo_carries_past_years_reachable_from_current_site(demo_site):
    archive = Path(__file__).resolve().parent.parent / "examples" / "demo" / "archive"
    years = sorted(int(p.name) for p in archive.iterdir() if p.is_dir() and p.name.isdigit())
    assert len(years) >= 2 and max(years) < 2025
    home = (demo_site / "index.html").read_text(encoding="utf-8")
    for year in years:
        assert verify_snapshot(archive / str(year)) == []
        manifest = json.loads((archive / str(year) / "manifest.json").read_text(encoding="utf-8"))
        published = tree_hashes(demo_site / "archive" / str(year))
        published.pop("manifest.json")
        assert published == site_files(manifest)
        assert f'href="./archive/{year}/">{year} — архив</a>' in home
        assert f"Архивная версия: данные за {year} год." in (
            demo_site / "archive" / str(year) / "index.html").read_text(encoding="utf-8")


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])


def test_year_data_leaves_out_later_practices_and_documents(tmp_path):
    """A snapshot's data is the data as it stood: practices and documents dated after the cutoff are not
    in it, unless something kept still cites them. Expected sets come from the demo's files directly."""
    from conftest import DATA
    from generator.release.year_data import derive_year_data
    from generator.load.validation import validate

    cutoff = date(2024, 12, 31)
    news = [front_matter(p) for p in sorted((DATA / "news").glob("*.md"))]
    kept_news = [n for n in news if n["date"] <= cutoff]
    practices = {p.stem: front_matter(p) for p in sorted((DATA / "practices").glob("*.md"))}
    cited = {slug for n in kept_news for slug in n.get("practices") or ()}
    late_practices = {slug for slug, p in practices.items() if p["date"] > cutoff and slug not in cited}
    cited_documents = {code for n in kept_news for code in n.get("documents") or ()} | {
        m["document"] for slug, p in practices.items() if slug not in late_practices
        for m in p.get("materials") or () if m.get("document")}
    documents = yaml.safe_load((DATA / "documents.yml").read_text(encoding="utf-8"))
    late = {d["code"] for d in documents if d["date"] > cutoff and d["code"] not in cited_documents}
    assert late and late_practices, "the demo should have documents and practices after 2024"

    target = tmp_path / "data"
    derive_year_data(DATA, validate(DATA).dataset, 2024, cutoff, target)
    kept = yaml.safe_load((target / "documents.yml").read_text(encoding="utf-8"))
    assert {d["code"] for d in kept} == {d["code"] for d in documents} - late
    for d in documents:
        if d["code"] in late and d.get("file"):
            assert not (target / d["file"]).exists(), d["file"]
    assert {p.stem for p in (target / "practices").glob("*.md")} == set(practices) - late_practices
    assert validate(target).dataset.site.current_year == 2024  # still valid on its own
