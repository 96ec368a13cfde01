"""Faults of real deployments on real file systems, not simulated: the output on another file system
than the cache (tmpfs in /dev/shm), a disk that fills up during a build and a destination that turns
read-only (a small tmpfs mounted in a private mount namespace: `unshare -rm`, which this machine and
CI allow; the test fails, it does not skip, where they do not)."""
from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from conftest import REPO, run_cli
from test_faults import FIXTURE, tree

SHM = Path("/dev/shm")


def test_a_site_on_another_file_system_than_the_cache_builds_cold_and_warm(tmp_path, monkeypatch):
    """The cache on the disk of tmp_path, the site on tmpfs: hard links are impossible (EXDEV)."""
    monkeypatch.setenv("SHNOR_CACHE_DIR", str(tmp_path / "cache"))
    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    with tempfile.TemporaryDirectory(dir=SHM) as other:
        assert os.stat(other).st_dev != os.stat(tmp_path).st_dev, "/dev/shm must be another file system"
        out = Path(other) / "site"
        for build in ("cold", "warm"):
            proc = run_cli("build", "--project", str(data), "--out", str(out), "--quiet")
            assert proc.returncode == 0, proc.stderr
            assert proc.stderr == "", proc.stderr  # not even a warning about the cache
        # A change after the warm build: the cached files of the other schools come across as copies.
        results = data / "results.csv"
        results.write_text(results.read_text(encoding="utf-8").replace(",18\n", ",17\n", 1), encoding="utf-8")
        proc = run_cli("build", "--project", str(data), "--out", str(out), "--quiet")
        assert proc.returncode == 0 and proc.stderr == "", proc.stderr
        same_disk = tmp_path / "same" / "site"
        monkeypatch.setenv("SHNOR_CACHE_DIR", str(tmp_path / "cache2"))
        assert run_cli("build", "--project", str(data), "--out", str(same_disk), "--quiet").returncode == 0
        assert tree(out) == tree(same_disk)
        assert all(p.stat().st_nlink == 1 for p in out.rglob("*") if p.is_file())


# Run inside the private mount namespace: build once on a small tmpfs, then break the disk and build
# again; what the test needs afterwards is written to REPORT, outside the tmpfs.
SCENARIO = r"""
set -u
mount -t tmpfs -o size=8m tmpfs "$DISK"
export SHNOR_CACHE_DIR="$DISK/cache"
cp -r "$FIXTURE" "$DISK/data"
state() {  # the site's files with their checksums, and the cache's size in bytes
  (cd "$DISK/site" && find . -type f -exec sha256sum {} + | sort) > "$REPORT/$1.site"
  du -sb "$DISK/cache" | cut -f1 > "$REPORT/$1.cache"
}
"$PYTHON" -m generator build --project "$DISK/data" --out "$DISK/site" --quiet > /dev/null 2> "$REPORT/first.err"
echo $? > "$REPORT/first.rc"
state before
sed -i 's/,18$/,17/' "$DISK/data/results.csv"
case "$FAULT" in
  full)
    avail=$(df -k --output=avail "$DISK" | tail -1)
    dd if=/dev/zero of="$DISK/filler" bs=1k count=$((avail - 300)) 2> /dev/null ;;
  readonly)
    mount -o remount,ro "$DISK" ;;
esac
"$PYTHON" -m generator $COMMAND > /dev/null 2> "$REPORT/second.err"
echo $? > "$REPORT/second.rc"
state after
ls -A "$DISK" > "$REPORT/after.ls"
"""


def broken_disk(tmp_path: Path, fault: str, command: str) -> dict[str, str]:
    disk, report = tmp_path / "disk", tmp_path / "report"
    disk.mkdir()
    report.mkdir()
    env = {**os.environ, "DISK": str(disk), "REPORT": str(report), "FIXTURE": str(FIXTURE),
           "PYTHON": sys.executable, "FAULT": fault, "PYTHONPATH": str(REPO), "NO_MKDOCS_2_WARNING": "1",
           "COMMAND": command.format(disk=shlex.quote(str(disk)))}
    proc = subprocess.run(["unshare", "-rm", "bash", "-c", SCENARIO], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, f"the mount namespace could not be set up: {proc.stderr}"
    return {p.name: p.read_text(encoding="utf-8") for p in report.iterdir()}


@pytest.mark.parametrize("command", ["build --project {disk}/data --out {disk}/site",
                                     "publish --project {disk}/data --dest {disk}/site"])
def test_a_disk_that_fills_up_keeps_the_previous_site_and_a_smaller_cache(tmp_path, command):
    got = broken_disk(tmp_path, "full", command)
    assert got["first.rc"].strip() == "0", got["first.err"]
    assert got["second.rc"].strip() == "1", got["second.err"]
    err = got["second.err"]
    assert "ошибка: на диске нет места: рядом с папкой" in err and "свободно" in err, err
    assert "для сборки нужно около" in err and "прежний сайт не изменён" in err, err
    assert "Traceback" not in err and "ошибка генератора" not in err and "Внутренняя" not in err, err
    assert got["after.site"] == got["before.site"]  # byte for byte the previous site
    assert int(got["after.cache"]) <= int(got["before.cache"])
    # Nothing half-written is left beside the site (the lock file of publish is no leftover).
    assert set(got["after.ls"].split()) - {".site.publish.lock"} == {"cache", "data", "filler", "site"}


def test_a_read_only_destination_is_said_in_russian(tmp_path):
    got = broken_disk(tmp_path, "readonly", "build --project {disk}/data --out {disk}/site")
    assert got["second.rc"].strip() == "1", got["second.err"]
    err = got["second.err"]
    assert "ошибка: папка только для чтения" in err and "прежний сайт не изменён" in err, err
    assert "Traceback" not in err, err
    assert got["after.site"] == got["before.site"]
