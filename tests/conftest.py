"""Shared helpers: tiny data directories written inline, as the department would write them."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

SITE = """\
municipality: Тестовый район
department: Отдел образования
base_url: https://example.org/
current_year: 2023
min_group_size: 5
"""
SCHOOLS = """\
code,name,short_name
s1,Школа 1,Ш1
s2,Школа 2,Ш2
s3,Школа 3,Ш3
"""
STATUSES = """\
year,school,status
2022,s1,ШНОР
2023,s1,ШНОР
2023,s2,ШНСУ
"""


def write_data(root: Path, files: dict[str, str]) -> Path:
    base = {"site.yml": SITE, "schools.csv": SCHOOLS, "statuses.csv": STATUSES}
    base.update(files)
    for name, text in base.items():
        if text is None:
            continue
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.fixture
def make_data(tmp_path: Path):
    counter = iter(range(1000))

    def make(files: dict[str, str] | None = None) -> Path:
        return write_data(tmp_path / f"data{next(counter)}", files or {})

    return make


REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "examples" / "demo"  # the demo site project


def run_cli(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    # PYTHONPATH: the checkout's generator, also when the command runs in another folder.
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True, env=env)


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "site"
    proc = run_cli("build", "--data", str(DATA), "--out", str(out), "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert "Готово: страниц" in proc.stdout
    return out




class _Rows(__import__("html.parser").parser.HTMLParser):
    """Table rows of HTML as '| a | b |' lines; a link as [text](href), <strong> as **text**."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.rows, self.row, self.cell, self.href = [], None, None, None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.row = []
        elif tag in ("td", "th"):
            self.cell = []
        elif tag == "a" and self.cell is not None:
            self.href = dict(attrs).get("href", "")
            self.cell.append("[")
        elif tag == "strong" and self.cell is not None:
            self.cell.append("**")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.row is not None and self.cell is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.rows.append("| " + " | ".join(self.row) + " |")
            self.row = None
        elif tag == "a" and self.cell is not None:
            self.cell.append(f"]({self.href})")
        elif tag == "strong" and self.cell is not None:
            self.cell.append("**")

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def table_rows(page: str) -> str:
    """The rows of a generated page's tables (written as HTML, generator/render/html_tables.py),
    one '| cell | cell |' line each, so tests can look for a row as the page shows it. Written
    with html.parser, independently of the generator's cmark-gfm conversion."""
    parser = _Rows()
    parser.feed(page)
    parser.close()
    return "\n".join(parser.rows)


def shown(path: Path) -> str:
    """A generated page's text with its tables' rows first (table_rows), no-break spaces as spaces."""
    text = path.read_text(encoding="utf-8")
    return (table_rows(text) + "\n" + text).replace("\u00a0", " ")
