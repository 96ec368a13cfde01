"""The other door (issue #23): the configuration the generator writes builds with ProperDocs, the
maintained fork of MkDocs 1.6, into the same site MkDocs builds (but for the generator's name in
<meta name="generator">). Both run as commands on the same work folder, `--strict`."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import DATA, REPO
from generator.build.site import Steps, generate

META = re.compile(rb'<meta name="generator" content="[^"]*">')


def build_with(tool: str, config: Path, site: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1765756800"}
    proc = subprocess.run([sys.executable, "-m", tool, "build", "--strict", "-f", str(config), "-d", str(site)],
                          capture_output=True, text=True, env=env)
    assert proc.returncode == 0, f"{tool} build failed:\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}"


def test_properdocs_builds_the_same_site(tmp_path, monkeypatch):
    monkeypatch.setenv("SHNOR_CACHE_DIR", str(tmp_path / "cache"))
    work = tmp_path / "work"
    generate(DATA, work, Steps(4, enabled=False))
    build_with("mkdocs", work / "mkdocs.yml", tmp_path / "mkdocs")
    build_with("properdocs", work / "mkdocs.yml", tmp_path / "properdocs")

    def files(root: Path) -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): META.sub(b"", p.read_bytes())
                for p in sorted(root.rglob("*")) if p.is_file() and p.suffix != ".gz"}
    ours, theirs = files(tmp_path / "mkdocs"), files(tmp_path / "properdocs")
    assert ours.keys() == theirs.keys()
    differ = sorted(path for path in ours if ours[path] != theirs[path])
    assert not differ, f"{len(differ)} files differ, e.g. {differ[:5]}"
    assert b"ProperDocs" in (tmp_path / "properdocs" / "index.html").read_bytes()
