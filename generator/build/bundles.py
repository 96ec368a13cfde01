"""Incremental builds: a school's files are reused when nothing they show has changed.

A *bundle* is everything the build writes for one school: its page, its charts, its embed and
badge, its own open-data file (data/schools/<code>.csv) and its rows of the shared open-data
files. Bundles are 90 % of the work before MkDocs and each depends on little: the school's own
rows of results.csv, the flags that secondary suppression put on its values, the published «все
школы района» series, and everything that is not results.csv (other data files, templates,
content pages, the generator's code and library versions). The bundle key hashes exactly that;
a build whose key for a school matches an entry of the previous build links that entry's files
instead of rendering them.

What a bundle may read while it is rendered is enforced, not assumed: `render.site_data.SiteData.bundle`
refuses any series other than the school's own and hands out only the published fields of the
«все школы района» series that the key covers (see there).

Storage (under the cache folder, next to the chart cache):
- `build/blobs/<2 hex>/<sha256>` — rendered files, content-addressed, never modified in place;
- `build/state.pickle` (and `.delta`, see packs) — bundle key → `Entry` for the schools of the
  last build (and of some earlier ones: same key, same files), written atomically. It is our own
  cache, trusted like the checkout; an unreadable one is ignored.
"""
from __future__ import annotations

import errno
import hashlib
import os
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import jinja2
import matplotlib

from generator.files import link, read_pickle, sha256_parts, walk_files, write_atomic, write_pickle
from generator.model import MUNICIPALITY, ResultRows
from generator.paths import REPO
from generator.version import fingerprint
from generator.cache.packs import Pack
from generator.compute.computed import Computed
from generator.render.site_data import published_view

STATE_VERSION = "bundles-3"  # 3: a bundle holds the school's open-data file
TREE = "tree"


@dataclass(frozen=True)
class Entry:
    files: tuple[tuple[str, str], ...]  # path under docs → blob digest (page, embed, badges, data/schools/…csv)
    charts: tuple[tuple[str, str], ...]  # path under docs → chart cache digest
    open_data: Mapping[int, tuple[str, str]]  # year → (CSV rows, JSON records) of the school

    def paths(self) -> list[str]:
        return [path for path, _ in self.files] + [path for path, _ in self.charts]


# --------------------------------------------------------------------------- keys

def _tree_digest(root: Path, skip: frozenset[str], skip_dirs: frozenset[str]) -> list[bytes]:
    """(relative path, bytes) of every regular file under `root`, in a stable order; hidden
    folders (.git of a data repository) are skipped: the generator reads none of them."""
    parts = []
    for path in walk_files(root, skip_dirs):
        relative = path.relative_to(root).as_posix()
        if relative not in skip and path.is_file():
            parts += [relative.encode("utf-8"), path.read_bytes()]
    return parts


def code_version(root: Path = REPO) -> bytes:
    """The generator's code, templates and content pages (version.code_files: a change to any of
    them re-renders every school), and the libraries that shape output. Read on every build,
    never memoised: `serve` rebuilds in one process while templates change."""
    versions = f"{STATE_VERSION} jinja2 {jinja2.__version__} matplotlib {matplotlib.__version__}"
    return sha256_parts(versions.encode(), fingerprint(root).encode()).encode()


def bundle_keys(data_dir: Path, codes: Iterable[str], results: ResultRows, computed: Computed,
                years: tuple[int, ...], school_level: frozenset[str], version: bytes,
                extra: Mapping[str, bytes] | None = None) -> dict[str, str]:
    """School code → key of its bundle in this build. `results`: the digests of each school's
    rows of results.csv (load/shards.py); `school_level`: the indicators published per school,
    the only ones whose «все школы района» series a bundle may show. `version`: code_version().
    `extra`: per school, other figures its page shows (its group of similar schools)."""
    digests = results.digests
    if None in digests.values():  # results.csv was read whole: any change in it re-renders everyone
        shared = sha256_parts((data_dir / "results.csv").read_bytes())
    else:
        shared = digests.get(MUNICIPALITY) or ""
    counted = {i.code for i in computed.dataset.indicators if i.kind == "share_of"}
    everyone = sorted(published_view(v, v.indicator in counted) + (v.indicator,) for v in computed.groups
                      if v.scope == "all" and v.indicator in school_level)
    # Every file of the project but results.csv (keyed per school) and archive/ (copied, never rendered).
    inputs = _tree_digest(data_dir, frozenset({"results.csv"}), frozenset({"archive"})) if data_dir.is_dir() else []
    common = sha256_parts(version, shared.encode(), repr(years).encode(), repr(everyone).encode(), *inputs).encode()
    return {code: sha256_parts(common, code.encode("utf-8"), (digests.get(code) or "").encode(),
                       repr(sorted(computed.flags.get(code, {}).items())).encode(),
                       (extra or {}).get(code, b"")) for code in codes}


# --------------------------------------------------------------------------- storage

class BundleCache:
    """Blobs and the last build's entries under `root` (None: no cache, every bundle renders)."""

    def __init__(self, root: Path | None):
        self.root = root
        self.blobs = root / "blobs" if root else None
        self._state = Pack(root / "state.pickle", STATE_VERSION) if root else None

    def _blob(self, digest: str) -> Path:
        assert self.blobs is not None
        return self.blobs / digest[:2] / digest

    def load(self) -> dict[str, Entry]:
        """Entries by key: the last build's, and possibly older ones (same key, same files)."""
        return self._state.load() if self._state is not None else {}

    def reuse(self, keys: Mapping[str, str], docs: Path, chart_dir: Path | None) -> tuple[dict[str, Entry], dict[str, Entry]]:
        """(the previous build's entries, school → its entry where this build's key matches one).

        The reused schools' files are in `docs` afterwards: the last build's kept docs folder
        already holds the unchanged schools' files (the rest of it is deleted); other reused
        entries are linked from the cache; an entry whose cached files were pruned is not reused
        (the school is simply rendered like a new one)."""
        previous = self.load()
        in_tree, tree_files = self.claim_tree(docs)
        reused = {code: previous[key] for code, key in keys.items() if key in previous and key in in_tree
                  and tree_files.issuperset(previous[key].paths())}
        kept = {path for entry in reused.values() for path in entry.paths()}
        self.clean_tree(docs, tree_files - kept)
        reused.update({code: previous[key] for code, key in keys.items() if code not in reused and key in previous
                       and self.place(previous[key], docs, chart_dir)})
        return previous, reused

    def record(self, previous: dict[str, Entry], keys: Mapping[str, str], reused: Mapping[str, Entry],
               fresh: Mapping[str, tuple[Mapping[str, str], Mapping[str, str], Mapping[int, tuple[str, str]]]],
               docs: Path) -> dict[str, Entry]:
        """This build's entries: the reused ones, and the `fresh` bundles (school → its files,
        its charts as path → chart digest, its open-data rows) stored and linked into `docs`."""
        entries = {keys[code]: entry for code, entry in reused.items()}
        for code, (files, charts, open_data) in fresh.items():
            entries[keys[code]] = self.store(files, charts, open_data, docs)
        if entries != previous:  # the reused entries are the very objects loaded: cheap to compare
            self.save(entries)
        return entries

    def place(self, entry: Entry, docs: Path, chart_dir: Path | None) -> bool:
        """Link the entry's files into `docs`; False (with its files removed again) when any of
        them is no longer in the cache."""
        if self.blobs is None:
            return False
        blobs, docs_dir = str(self.blobs), str(docs)
        sources = [(os.path.join(blobs, digest[:2], digest), path) for path, digest in entry.files]
        if entry.charts:
            if chart_dir is None:
                return False
            sources += [(os.path.join(str(chart_dir), f"{digest}.svg"), path) for path, digest in entry.charts]
        done = []
        try:
            for source, path in sources:
                target = os.path.join(docs_dir, path)
                link(source, target)
                done.append(target)
        except FileNotFoundError:
            for target in done:
                os.unlink(target)
            return False
        return True

    def store(self, files: Mapping[str, str], charts: Mapping[str, str], open_data: Mapping[int, tuple[str, str]],
              docs: Path) -> Entry:
        """A freshly rendered bundle: its files go into the cache and are linked into `docs` from
        there; `charts` (path → chart cache digest) are already in place."""
        entry = Entry(tuple((path, self.put(text)) for path, text in sorted(files.items())),
                      tuple(sorted(charts.items())), open_data)
        self.place(replace(entry, charts=()), docs, None)
        return entry

    def put(self, text: str) -> str:
        """Store a rendered file; returns its digest."""
        data = text.encode("utf-8")
        digest = hashlib.sha256(data).hexdigest()
        if self.blobs is not None and not self._blob(digest).is_file():
            write_atomic(self._blob(digest), data)
        return digest

    # The docs folder of the last finished build, kept whole: the next build takes it over, deletes
    # every file that is not a reused bundle's, and so links nothing for the schools that did not
    # change (tens of thousands of links and folders at 5,000 schools). It holds exactly the files
    # listed in its manifest, walked when it was kept; none of them is ever written in place.

    def claim_tree(self, docs: Path) -> tuple[frozenset[str], frozenset[str]]:
        """Move the kept tree to `docs` (which must not exist): (bundle keys whose files it holds,
        every file in it). Empty sets, and no `docs`, when there is none or it is unusable."""
        if self.root is None:
            return frozenset(), frozenset()
        claimed = docs.with_name(f".{docs.name}-claimed")
        docs.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.rename(self.root / TREE, claimed)  # atomic: two builds never share a tree
        except OSError:
            return frozenset(), frozenset()
        try:
            manifest = read_pickle(claimed / "manifest.pickle")
            if not (isinstance(manifest, tuple) and len(manifest) == 3 and manifest[0] == STATE_VERSION):
                return frozenset(), frozenset()
            os.rename(claimed / "docs", docs)
        except OSError:
            return frozenset(), frozenset()
        finally:
            shutil.rmtree(claimed, ignore_errors=True)
        return frozenset(manifest[1]), frozenset(manifest[2])

    @staticmethod
    def clean_tree(docs: Path, stale: Iterable[str]) -> None:
        """Delete `stale` files of a claimed tree and the folders that this leaves empty (a build
        recreates what it writes; copytree, for one, wants no folder in its way)."""
        folders = set()
        for path in stale:
            try:
                os.unlink(docs / path)
            except FileNotFoundError:  # removed by hand from the cache: nothing to delete
                pass
            parent = os.path.dirname(path)
            while parent and parent not in folders:
                folders.add(parent)
                parent = os.path.dirname(parent)
        for folder in sorted(folders, key=lambda f: f.count("/"), reverse=True):
            try:
                os.rmdir(docs / folder)
            except OSError:  # not empty: a kept file is still in it
                pass

    def keep_tree(self, docs: Path, keys: Iterable[str]) -> None:
        """Keep a finished build's `docs` for the next build (it is moved, not copied)."""
        if self.root is None or not docs.is_dir():
            return
        files = []
        for where, _, names in os.walk(docs):
            base = os.path.relpath(where, docs)
            files += [name if base == "." else f"{base}/{name}" for name in names]
        new = self.root / f"{TREE}.new-{os.getpid()}"
        shutil.rmtree(new, ignore_errors=True)
        new.mkdir(parents=True)
        try:
            os.rename(docs, new / "docs")
        except OSError as err:
            if err.errno != errno.EXDEV:
                shutil.rmtree(new, ignore_errors=True)
                raise
            # The output is on another file system than the cache (a mounted web root): copy.
            try:
                shutil.copytree(docs, new / "docs", copy_function=shutil.copyfile)
            except OSError:
                shutil.rmtree(new, ignore_errors=True)
                raise
        write_pickle(new / "manifest.pickle", (STATE_VERSION, frozenset(keys), frozenset(files)))
        try:
            os.rename(new, self.root / TREE)
        except OSError:  # another build kept its tree first
            shutil.rmtree(new, ignore_errors=True)

    def save(self, entries: dict[str, Entry]) -> None:
        """Record this build's entries (call after load)."""
        if self._state is not None:
            self._state.save(entries)
