"""Keeping the build cache bounded: files that no recent build used are deleted.

The cache stores are content-addressed and only ever grow: every changed school adds its page
and charts, every new version of the generator adds a whole site's worth of blobs and a series
file (about 250 MB at 5,000 schools). CI keeps the cache between runs, so without a sweep it
would grow with every data update and every upgrade.

A finished build records what it used (`Usage`) in `usage/`; then every file of the stores that
none of the last `KEEP_BUILDS` builds used is deleted. Several sites built in turn with one cache
folder therefore keep their files. A file whose inode changed after this build started (written,
or linked by a build running at the same time) is never deleted: that build has not recorded its
usage yet. A build that finds a cached file gone renders it again, so a sweep costs time, never
correctness. Unreadable usage records stop the sweep: nothing is deleted on a guess.
"""
from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from generator.files import MISSING, read_pickle, write_pickle

KEEP_BUILDS = 3
USAGE = "usage"
VERSION = "usage-1"


@dataclass
class Usage:
    """What one build used, by store: file names (charts and blobs: their digests as bytes)."""
    blobs: set[bytes] = field(default_factory=set)  # build/blobs/<2 hex>/<digest>
    charts: set[bytes] = field(default_factory=set)  # charts/<digest>.svg
    parse: set[str] = field(default_factory=set)  # parse/<2 hex>/<name>
    jinja: set[str] = field(default_factory=set)  # jinja/<code version>/

    def update(self, other: Usage) -> None:
        self.blobs |= other.blobs
        self.charts |= other.charts
        self.parse |= other.parse
        self.jinja |= other.jinja


def digests(hexes) -> set[bytes]:
    return {bytes.fromhex(h) for h in hexes}


def record(root: Path, usage: Usage) -> None:
    """Store this build's usage; drop the records older than the last KEEP_BUILDS."""
    folder = root / USAGE
    write_pickle(folder / f"{time.time_ns():020d}-{os.getpid()}.pickle", (VERSION, usage))
    for old in sorted(folder.glob("*.pickle"))[:-KEEP_BUILDS]:
        old.unlink(missing_ok=True)


def recent(root: Path) -> Usage | None:
    """The union of the recorded builds' usage, or None when a record does not load."""
    union = Usage()
    for path in sorted((root / USAGE).glob("*.pickle"))[-KEEP_BUILDS:]:
        stored = read_pickle(path)
        if stored is MISSING or not (isinstance(stored, tuple) and len(stored) == 2 and stored[0] == VERSION
                                     and isinstance(stored[1], Usage)):
            return None
        union.update(stored[1])
    return union


def _old(entry: os.DirEntry, started: float) -> bool:
    try:
        return entry.stat(follow_symlinks=False).st_ctime < started
    except FileNotFoundError:
        return False


def _sweep_files(folder: Path, keep, name_of, started: float) -> tuple[int, int]:
    """Delete the regular files directly in `folder` whose `name_of(name)` is not in `keep`."""
    count = size = 0
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return 0, 0
    for entry in entries:
        if not entry.is_file(follow_symlinks=False):
            continue
        if name_of(entry.name) in keep or not _old(entry, started):
            continue
        try:
            size += entry.stat(follow_symlinks=False).st_size
            os.unlink(entry.path)
            count += 1
        except FileNotFoundError:
            pass
    return count, size


def _hex_name(suffix: str):
    """Names `<sha256 hex><suffix>` → the digest's bytes; anything else (a temporary file left by
    a build that was killed) → b"", which no build uses."""
    def name_of(name: str) -> bytes:
        if not name.endswith(suffix):
            return b""
        stem = name[:len(name) - len(suffix)]
        try:
            return bytes.fromhex(stem) if len(stem) == 64 else b""
        except ValueError:
            return b""
    return name_of


def _folders(parent: Path) -> list[os.DirEntry]:
    try:
        return [entry for entry in os.scandir(parent) if entry.is_dir(follow_symlinks=False)]
    except FileNotFoundError:
        return []


def sweep(root: Path, usage: Usage, started: float) -> tuple[int, int]:
    """Record `usage` (this build's) and delete what no recent build used: (files, bytes) deleted.
    `started`: when this build started (time.time()); younger files are kept."""
    record(root, usage)
    keep = recent(root)
    if keep is None:
        return 0, 0
    count = size = 0

    def add(result: tuple[int, int]) -> None:
        nonlocal count, size
        count, size = count + result[0], size + result[1]

    add(_sweep_files(root / "charts", keep.charts, _hex_name(".svg"), started))
    for shard in _folders(root / "build" / "blobs"):
        add(_sweep_files(Path(shard.path), keep.blobs, _hex_name(""), started))
    for shard in _folders(root / "parse"):
        add(_sweep_files(Path(shard.path), keep.parse, lambda name, s=shard.name: f"{s}/{name}", started))
    for version in _folders(root / "jinja"):
        if version.name not in keep.jinja and _old(version, started):
            shutil.rmtree(version.path, ignore_errors=True)
    return count, size


def forget_since(root: Path, started: float) -> int:
    """Delete the cache files written since `started` (time.time()); bytes freed.

    Called when a build ran out of disk: what it added must not keep the disk full. The modification
    time, not the inode's change time, tells what was written: linking a cached file into a
    build changes only the latter. A later build renders what is gone again."""
    freed = 0
    for where, _, names in os.walk(root):
        for name in names:
            path = os.path.join(where, name)
            try:
                info = os.lstat(path)
                if info.st_mtime >= started:
                    os.unlink(path)
                    freed += info.st_size
            except OSError:
                continue
    return freed
