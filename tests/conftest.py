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


