"""Publishing: build into a temporary folder, check, swap atomically; a failure leaves the old site."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

import generator.build.site as site_build
from conftest import REPO, run_cli
from generator.errors import BuildFailed
from generator.release.publish import check_site, publish
from generator.build.archive import tree_hashes
from generator.files import exchange
from generator.release.snapshot import freeze

MINI = Path(__file__).resolve().parent / "fixtures" / "mini"


def old_site(dest: Path) -> dict[str, str]:
    (dest / "schools").mkdir(parents=True)
    (dest / "index.html").write_text("<p>прежний сайт</p>", encoding="utf-8")
    (dest / "schools" / "index.html").write_text("<p>прежние школы</p>", encoding="utf-8")
    return tree_hashes(dest)


def leftovers(parent: Path) -> list[str]:
    """Hidden files a publish left next to the site, but its lock file (kept: see publish._publishing)."""
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(".") and not p.name.endswith(".publish.lock"))


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """Mini data with a frozen 2022, published over an old site."""
    root = tmp_path_factory.mktemp("pub")
    shutil.copytree(MINI, root / "data")
    freeze(root / "data", 2022, progress=False)
    old_site(root / "www" / "site")
    result = publish(root / "data", root / "www" / "site", progress=False)
    assert result.links > 500
    return root


def test_publish_replaces_the_site(published):
    site = published / "www" / "site"
    assert "прежний сайт" not in (site / "index.html").read_text(encoding="utf-8")
    assert (site / "archive" / "2022" / "index.html").is_file() and (site / "archive" / "index.html").is_file()
    assert leftovers(site.parent) == []
    assert check_site(site)[0] == []


def test_build_failing_halfway_leaves_old_site(tmp_path, monkeypatch):
    dest = tmp_path / "www" / "site"
    before = old_site(dest)
    real = site_build.run_mkdocs

    def fails_after_writing(config, as_of=None):
        real(config, as_of)  # MkDocs has written the whole new site into the temporary folder ...
        raise BuildFailed("mkdocs build --strict завершился с ошибкой: сбой посреди сборки")  # ... then it fails

    monkeypatch.setattr(site_build, "run_mkdocs", fails_after_writing)
    with pytest.raises(BuildFailed, match="сбой посреди сборки"):
        publish(MINI, dest, progress=False)
    assert tree_hashes(dest) == before
    assert leftovers(dest.parent) == []


def test_failed_checks_leave_old_site(tmp_path, monkeypatch):
    dest = tmp_path / "www" / "site"
    before = old_site(dest)
    real = site_build.run_mkdocs

    def breaks_a_link(config, as_of=None):
        real(config, as_of)
        shutil.rmtree(config.parent / "site" / "mentors")  # a page the navigation links to

    monkeypatch.setattr(site_build, "run_mkdocs", breaks_a_link)
    with pytest.raises(BuildFailed, match="(?s)не прошёл проверку перед публикацией.*index.html: ссылка никуда не ведёт: mentors/"):
        publish(MINI, dest, progress=False)
    assert tree_hashes(dest) == before
    assert leftovers(dest.parent) == []


def test_bad_data_leaves_old_site(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    (data / "statuses.csv").write_text("year,school,status\n2023,нет-такой,ШНОР\n", encoding="utf-8")
    dest = tmp_path / "www" / "site"
    before = old_site(dest)
    proc = run_cli("publish", "--data", str(data), "--dest", str(dest), "--quiet")
    assert proc.returncode == 2 and "Данные не прошли проверку" in proc.stderr and "Traceback" not in proc.stderr
    assert tree_hashes(dest) == before
    assert leftovers(dest.parent) == []


def test_check_site_finds_broken_links_foreign_resources_and_archive_edits(published, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(published / "www" / "site", site)
    page = site / "about" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "</body>", '<script src="https://cdn.example.com/x.js"></script><a href="../nowhere/">x</a>'
                   '<a href="/about/">y</a></body>'), encoding="utf-8")
    (site / "archive" / "2022" / "index.html").write_text("изменено", encoding="utf-8")
    (site / "versions.json").unlink()
    problems, _ = check_site(site)
    text = "\n".join(problems)
    assert "нет обязательного файла versions.json" in text
    assert "archive/2022: файл изменён: index.html" in text
    assert "about/index.html: загружается ресурс с другого сайта: https://cdn.example.com/x.js" in text
    assert "about/index.html: ссылка никуда не ведёт: ../nowhere/" in text
    assert "about/index.html: ссылка от корня сервера «/about/»" in text


def test_exchange_swaps_two_folders(tmp_path):
    new, old = tmp_path / "new", tmp_path / "old"
    new.mkdir()
    old.mkdir()
    (new / "a").write_text("новый", encoding="utf-8")
    (old / "a").write_text("старый", encoding="utf-8")
    exchange(new, old)
    assert (old / "a").read_text(encoding="utf-8") == "новый" and (new / "a").read_text(encoding="utf-8") == "старый"
    fresh = tmp_path / "fresh"
    exchange(new, fresh)  # no previous folder: a plain rename
    assert (fresh / "a").read_text(encoding="utf-8") == "старый" and not new.exists()


def test_refuses_unsafe_destinations(tmp_path):
    proc = run_cli("publish", "--data", str(MINI), "--dest", ".", "--quiet")
    assert proc.returncode == 2 and "только в отдельную папку сайта" in proc.stderr
    file = tmp_path / "site"
    file.write_text("файл", encoding="utf-8")
    proc = run_cli("publish", "--data", str(MINI), "--dest", str(file), "--quiet")
    assert proc.returncode == 2 and "это не папка" in proc.stderr


def test_make_publish_target():
    dry = subprocess.run(["make", "-n", "publish", "DEST=/srv/www/500plus"], cwd=REPO, capture_output=True, text=True)
    assert dry.returncode == 0, dry.stderr
    assert ".venv/bin/python -m generator publish --project examples/demo --dest /srv/www/500plus" in dry.stdout
    missing = subprocess.run(["make", "publish"], cwd=REPO, capture_output=True, text=True)
    assert missing.returncode == 2 and "Укажите папку сайта: make publish DEST=" in missing.stderr
