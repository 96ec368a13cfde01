"""Two builds of the same data are byte-identical, whatever the machine's time zone or locale."""
import hashlib
import os
import subprocess
import sys
from pathlib import Path

from conftest import REPO

FIXTURE = Path(__file__).parent / "fixtures" / "mini"


def digest(site: Path) -> dict[str, str]:
    return {str(p.relative_to(site)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def build(out: Path, tz: str, lang: str, cache: Path) -> None:
    env = {**os.environ, "TZ": tz, "LANG": lang, "LC_ALL": lang, "SHNOR_CACHE_DIR": str(cache),
           "PYTHONHASHSEED": "random"}
    proc = subprocess.run([sys.executable, "-m", "generator", "build", "--data", str(FIXTURE), "--out", str(out),
                           "--quiet"], cwd=REPO, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_two_builds_are_byte_identical(tmp_path):
    # Separate chart caches: the second build renders its charts afresh.
    build(tmp_path / "a", "Asia/Vladivostok", "C.UTF-8", tmp_path / "cache-a")
    build(tmp_path / "b", "America/Los_Angeles", "C", tmp_path / "cache-b")
    a, b = digest(tmp_path / "a"), digest(tmp_path / "b")
    assert a.keys() == b.keys()
    assert [k for k in a if a[k] != b[k]] == []
    sitemap = (tmp_path / "a" / "sitemap.xml").read_text(encoding="utf-8")
    assert "<lastmod>2023-11-01</lastmod>" in sitemap  # the data's as_of date, not today
