"""A department's site is its own folder: `new` makes one that builds at once, its pages/ replace the
generator's generic pages, and the six example projects (the demo and the five real programmes of
shared/sources) build with a real `mkdocs build --strict`. No page of a real site speaks of a demo
or of another municipality."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from conftest import REPO, run_cli

EXAMPLES = REPO / "examples"
REAL = ("saratov-2021", "kargasok-2020", "millerovo-2021", "dzerzhinsk-2021", "tyumen-2021")
# Words that must not reach a real department's site: the demo's, and the municipalities' names
# (stems, so that every case ending is caught).
DEMO_WORDS = re.compile(r"демонстрац|\bdemo", re.I)
PLACES = {"saratov-2021": "Саратов", "kargasok-2020": "Каргасок", "millerovo-2021": "Миллеров",
          "dzerzhinsk-2021": "Дзержинск", "tyumen-2021": "Тюмен"}


def visible_text(html: str) -> str:
    """The page's text without tags, scripts and styles (what a reader can see or hear)."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S | re.I)
    return re.sub(r"<[^>]+>", " ", html)


def pages_of(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): visible_text(p.read_text(encoding="utf-8"))
            for p in site.rglob("*.html") if "archive" not in p.relative_to(site).parts}


def build(project: Path, out: Path) -> Path:
    proc = run_cli("build", "--project", str(project), "--out", str(out), "--quiet")
    assert proc.returncode == 0, proc.stderr
    return out


def test_new_project_builds_at_once_and_speaks_of_no_one_else(tmp_path):
    project = tmp_path / "site-project"
    proc = run_cli("new", str(project), "--municipality", "Энский район", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    for name in ("site.yml", "schools.csv", "statuses.csv", "mentorships.csv", "requirements.txt", "README.md",
                 ".gitignore", ".github/workflows/pages.yml"):
        assert (project / name).is_file(), name
    assert yaml.safe_load((project / "site.yml").read_text(encoding="utf-8"))["municipality"] == "Энский район"
    assert "shnor-site==" in (project / "requirements.txt").read_text(encoding="utf-8")
    site = build(project, tmp_path / "site")
    pages = pages_of(site)
    assert len(pages) > 10 and "Энский район" in pages["index.html"]
    for path, text in pages.items():
        assert not DEMO_WORDS.search(text), (path, DEMO_WORDS.search(text).group(0))
        for place in PLACES.values():
            assert place not in text, (path, place)


def test_new_refuses_a_folder_with_files(tmp_path):
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("мои заметки", encoding="utf-8")
    proc = run_cli("new", str(tmp_path / "taken"))
    assert proc.returncode == 2 and "не пуста" in proc.stderr and "Traceback" not in proc.stderr
    assert sorted(p.name for p in (tmp_path / "taken").iterdir()) == ["notes.txt"]


def test_project_pages_replace_the_generic_ones(tmp_path):
    project = tmp_path / "p"
    assert run_cli("new", str(project)).returncode == 0
    (project / "pages" / "about.md").write_text("---\ndescription: О сайте\n---\n\n# О сайте\n\nНаш собственный текст.\n",
                                                encoding="utf-8")
    (project / "pages" / "extra.md").write_text("# Ещё страница\n\nТекст.\n", encoding="utf-8")
    out = tmp_path / "out"
    proc = run_cli("build", "--project", str(project), "--out", str(out), "--no-mkdocs", "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert "Наш собственный текст." in (out / "about.md").read_text(encoding="utf-8")
    assert (out / "extra.md").is_file()
    assert (out / "parents.md").read_text(encoding="utf-8") == (REPO / "content" / "parents.md").read_text(encoding="utf-8")


def test_a_bad_page_name_is_a_data_problem(tmp_path):
    project = tmp_path / "p"
    assert run_cli("new", str(project)).returncode == 0
    (project / "pages" / "О сайте.md").write_text("# О сайте\n", encoding="utf-8")
    proc = run_cli("validate", "--project", str(project))
    assert proc.returncode == 2 and "pages/О сайте.md" in proc.stderr and "имя файла становится адресом" in proc.stderr


@pytest.mark.parametrize("name", REAL)
def test_real_programme_builds_strict_without_demo_words(name, tmp_path):
    project = EXAMPLES / name
    assert (project / "site.yml").is_file() and (project / "pages" / "about.md").is_file()
    assert yaml.safe_load((project / "site.yml").read_text(encoding="utf-8")).get("demo") is not True
    site = build(project, tmp_path / "site")
    for path, text in pages_of(site).items():
        assert not DEMO_WORDS.search(text), (path, DEMO_WORDS.search(text).group(0))
        for other, place in PLACES.items():
            if other != name:
                assert place not in text, (path, place)


def test_the_demo_is_an_example_project_too():
    demo = EXAMPLES / "demo"
    assert yaml.safe_load((demo / "site.yml").read_text(encoding="utf-8"))["demo"] is True
    assert (demo / "archive").is_dir() and (demo / "pages" / "about.md").is_file()
    assert not (REPO / "data").exists() and not (REPO / "archive").exists()


def test_version_is_printed():
    proc = run_cli("--version")
    version = re.search(r'^version\s*=\s*"([^"]+)"', (REPO / "pyproject.toml").read_text(encoding="utf-8"), re.M)
    assert proc.returncode == 0 and proc.stdout.strip() == f"shnor-site {version.group(1)}"


def test_diff_compares_with_the_project_by_default():
    demo = str(EXAMPLES / "demo")
    proc = run_cli("diff", demo, "--project", demo, "--max-rows", "5")
    assert proc.returncode == 0, proc.stderr
    assert "Изменений нет" in proc.stdout
