"""Precompressed copies of the built site: `X.gz` beside every compressible text file.

Hosting that serves precompressed files (nginx `gzip_static on`, GitLab Pages, Apache with a rewrite
rule) sends `X.gz` with `Content-Encoding: gzip` to a browser that accepts gzip: the best compression,
and none on each request. `build_site` calls `precompress` after MkDocs and `prune_site`, before the
swap, so the published folder is complete at once (docs/publishing.md, «Сжатые копии файлов»).

- Which files: a name ending in one of COMPRESSIBLE, at least MIN_SIZE bytes, when its copy is smaller.
  Never a symlink, never over an `X.gz` already there (MkDocs writes sitemap.xml.gz; a data document
  may be a .gz of its own), never inside an archived year `archive/<year>/`: those are published
  exactly as frozen, every file listed in their manifest (build/archive.py), so a derived file there
  would be one the manifest does not know; a snapshot's own build makes none (`build_site`).
- The bytes: one gzip member with a fixed header (mtime 0, no file name, XFL 2, OS 255) around zlib's
  deflate at level 9, so a copy depends only on its source and zlib's version: two builds are
  byte-identical. (`gzip.compress(mtime=0)` takes another path with another OS byte in some Python
  releases; the header here is ours.)
- Derived, never listed: no manifest or checksum lists a copy. `check` (release/publish.py) requires
  every `X.gz` beside an `X` to gunzip to exactly X, since such a server would send it instead of X.
- Reuse: the last build's copies are kept in one pack file in the cache, indexed by the sha256 of each
  source with the sha256 of its copy. An unchanged source gets its copy back from the pack, checked
  against that digest, instead of being compressed again. The pack holds only the last build's files,
  so it is bounded without the cache sweep; a pack that does not load only costs compression time.
- Two processes (fork) take half the time on two cores; below PARALLEL_MIN bytes one process is faster.
"""
from __future__ import annotations

import hashlib
import logging
import os
import pickle
import stat
import struct
import tempfile
import time
import zlib
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from generator.numbers import ru_figure
from generator.paths import ARCHIVE
from generator.workers import default_workers, fork_context
from generator.build.archive import YEAR_DIR

log = logging.getLogger(__name__)

COMPRESSIBLE = frozenset((".html", ".htm", ".css", ".js", ".mjs", ".json", ".map", ".svg", ".xml", ".csv",
                          ".tsv", ".txt", ".md", ".webmanifest", ".ico", ".atom", ".rss", ".ics", ".yml",
                          ".yaml", ".geojson", ".ttf", ".otf", ".eot", ".wasm"))
MIN_SIZE = 1024  # below this a copy saves less than a packet, and costs a file
LEVEL = 9
SUFFIX = ".gz"
PARALLEL_MIN = 4 << 20  # bytes to compress before a second process pays for its start
PACK = "gzip.pack"  # in the cache folder given to precompress
_MAGIC = b"SHNORGZ1"
_TAG = f"gzip level {LEVEL}, zlib {zlib.ZLIB_RUNTIME_VERSION}, format 1"  # what makes a copy's bytes
_HEADER = b"\x1f\x8b\x08\x00" + b"\x00\x00\x00\x00" + b"\x02\xff"  # gzip, deflate, no flags, mtime 0, XFL, OS


def gzip_bytes(data: bytes) -> bytes:
    """`data` as a gzip file, deterministically (see the module's docstring)."""
    trailer = struct.pack("<LL", zlib.crc32(data), len(data) & 0xFFFFFFFF)
    return _HEADER + zlib.compress(data, LEVEL, wbits=-15) + trailer


def compressible(name: str) -> bool:
    return os.path.splitext(name)[1].lower() in COMPRESSIBLE


@dataclass(frozen=True)
class Stats:
    files: int  # copies written
    reused: int  # of them, taken from the last build's pack
    source_bytes: int  # the size of their sources
    gzip_bytes: int  # the size of the copies
    skipped: int  # compressible files without a copy: small, not smaller compressed, or X.gz already there
    seconds: float

    def __str__(self) -> str:
        return (f"Сжатые копии .gz: файлов {self.files} (из прошлой сборки {self.reused}), "
                f"{_mb(self.source_bytes)} → {_mb(self.gzip_bytes)}, за {self.seconds:.1f} с")


def _mb(size: int) -> str:
    return ru_figure(round(size / 1e6, 1), "МБ")


def _walk(site: str):
    """(folder, sorted names) under `site`, the archived years left out."""
    for where, dirs, names in os.walk(site):
        if os.path.relpath(where, site) == ARCHIVE:
            dirs[:] = [d for d in dirs if not YEAR_DIR.match(d)]
        dirs.sort()
        yield where, sorted(names)


def _candidates(site: str) -> tuple[list[str], int, int]:
    """(relative paths to compress, their total size, compressible files skipped)."""
    found, total, skipped = [], 0, 0
    for where, names in _walk(site):
        present = set(names)
        for name in names:
            if not compressible(name):
                continue
            path = os.path.join(where, name)
            info = os.lstat(path)
            if not stat.S_ISREG(info.st_mode):  # a symlink or anything else: not ours to copy
                continue
            if info.st_size < MIN_SIZE or name + SUFFIX in present:
                skipped += 1
                continue
            found.append(os.path.relpath(path, site))
            total += info.st_size
    return found, total, skipped


class _Pack:
    """The last build's copies: {sha256 of a source: (offset, length, sha256 of the copy)}; length 0 =
    compressed, it was not smaller. Read with pread on one descriptor, which forked workers share."""

    def __init__(self, path: Path | None):
        self.path, self.index, self.fd, self.start = path, {}, None, 0
        if path is None:
            return
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            return
        try:
            head = os.pread(fd, 16, 0)
            size = struct.unpack(">Q", head[8:])[0] if len(head) == 16 and head[:8] == _MAGIC else 0
            if not 0 < size <= os.fstat(fd).st_size - 16:
                raise ValueError("not a pack")
            tag, index = pickle.loads(os.pread(fd, size, 16))
            if not all(isinstance(v, tuple) and len(v) == 3 for v in index.values()):
                raise ValueError("not a pack")
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, struct.error):
            tag = index = None
        if tag != _TAG or not isinstance(index, dict):
            os.close(fd)
            return
        self.index, self.fd, self.start = index, fd, 16 + size

    def get(self, source: bytes) -> bytes | None:
        """The copy kept for the source with this digest (b"" when none was smaller), or None."""
        entry = self.index.get(source)
        if entry is None or self.fd is None:
            return None
        offset, length, digest = entry
        if not length:
            return b""
        try:
            copy = os.pread(self.fd, length, self.start + offset)
        except OSError:
            return None
        return copy if len(copy) == length and hashlib.sha256(copy).digest() == digest else None

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def same(self, entries: dict[bytes, tuple[int, bytes]]) -> bool:
        return self.fd is not None and {k: (v[1], v[2]) for k, v in self.index.items()} == entries


_state: tuple[str, _Pack] | None = None  # (site, pack) for the worker function; forked workers inherit it


def _one(rel: str) -> tuple[str, int, int, bytes, bytes, bool]:
    """Compress one file (or take its copy from the pack): (path, size, copy size or 0 when there is
    no copy, sha256 of the source, sha256 of the copy, reused)."""
    assert _state is not None
    site, pack = _state
    path = os.path.join(site, rel)
    with open(path, "rb") as handle:
        data = handle.read()
    source = hashlib.sha256(data).digest()
    copy = pack.get(source)
    reused = copy is not None
    if copy is None:
        copy = gzip_bytes(data)
    if not copy or len(copy) >= len(data):
        return rel, len(data), 0, source, b"", reused
    with open(path + SUFFIX, "xb") as handle:  # the site folder is this build's own: nothing is there
        handle.write(copy)
    return rel, len(data), len(copy), source, hashlib.sha256(copy).digest(), reused


def precompress(site: Path, cache: Path | None = None, workers: int | None = None) -> Stats:
    """Write `X.gz` beside every compressible file of the built `site`. `cache`: the folder of the
    pack of copies kept between builds (None: compress everything, keep nothing)."""
    global _state
    started = time.monotonic()
    site_dir = str(site)
    rels, total, skipped = _candidates(site_dir)
    pack = _Pack(cache / PACK if cache is not None else None)
    workers = default_workers() if workers is None else workers
    context = fork_context() if workers > 1 and total >= PARALLEL_MIN else None
    _state = (site_dir, pack)
    try:
        if context is None:
            results = [_one(rel) for rel in rels]
        else:
            with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
                results = list(pool.map(_one, rels, chunksize=max(1, min(64, len(rels) // (workers * 8)))))
    finally:
        _state = None
        pack.close()
    written = [r for r in results if r[2]]
    if cache is not None:
        _keep(cache / PACK, site_dir, results, pack)
    return Stats(len(written), sum(1 for r in written if r[5]), sum(r[1] for r in written),
                 sum(r[2] for r in written), skipped + len(results) - len(written), time.monotonic() - started)


def _keep(path: Path, site: str, results: list, old: _Pack) -> None:
    """Write this build's copies as the pack the next build reuses (unless it is the same one). The
    site is complete without it: a failure is only logged."""
    entries = {source: (size, digest) for _, _, size, source, digest, _ in results}
    if old.same(entries):
        return
    index, offset = {}, 0
    for _, _, size, source, digest, _ in results:
        if source not in index:
            index[source] = (offset if size else 0, size, digest)
            offset += size
    head = pickle.dumps((_TAG, index), protocol=pickle.HIGHEST_PROTOCOL)
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(_MAGIC + struct.pack(">Q", len(head)) + head)
            done = set()
            for rel, _, size, source, _, _ in results:
                if size and source not in done:
                    done.add(source)
                    with open(os.path.join(site, rel + SUFFIX), "rb") as copy:
                        handle.write(copy.read())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
        tmp = None
    except OSError as err:
        log.warning("сжатые копии не сохранены в кэше (%s): следующая сборка сожмёт файлы заново", err)
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def check(site: Path) -> list[str]:
    """Problems of the site's `X.gz` files that have an `X` beside them (outside the archived years,
    which their manifests check): each must gunzip to exactly X."""
    import gzip

    problems = []
    site_dir = str(site)
    for where, names in _walk(site_dir):
        present = set(names)
        for name in names:
            if not name.endswith(SUFFIX) or name[:-len(SUFFIX)] not in present:
                continue
            copy, source = os.path.join(where, name), os.path.join(where, name[:-len(SUFFIX)])
            if not os.path.isfile(source):
                continue
            try:
                with open(copy, "rb") as a, open(source, "rb") as b:
                    same = gzip.decompress(a.read()) == b.read()
            except (OSError, EOFError, zlib.error):
                same = False
            if not same:
                rel = os.path.relpath(copy, site_dir).replace(os.sep, "/")
                problems.append(f"{rel}: сжатая копия не совпадает с {name[:-len(SUFFIX)]} (веб-сервер со сжатыми "
                                f"копиями отдал бы её вместо него)")
    return problems
