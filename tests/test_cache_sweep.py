"""The build cache stays bounded: after a finished build, files no recent build used are deleted,
and nothing a recent build (or one running at the same time) needs."""
from __future__ import annotations

import hashlib
import shutil
import time
from pathlib import Path

from conftest import DATA
from test_bundles import build
from generator.cache import sweep as cache_sweep
from generator.build import site as site_build
from generator.cache.sweep import Usage


def finish(data: Path, out: Path, cache: Path, monkeypatch, started: float | None = None) -> tuple[set[str], int]:
    """A build as build_site finishes it, without MkDocs: (the schools whose files were rendered,
    the number of charts drawn)."""
    begun = time.time()
    counts, rendered, _ = build(data, out, cache, monkeypatch)
    site_build.tidy_cache(out, begun if started is None else started)
    shutil.rmtree(out)
    return rendered, counts["rendered"]


def files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def blob(cache: Path, text: bytes) -> Path:
    digest = hashlib.sha256(text).hexdigest()
    return cache / "build" / "blobs" / digest[:2] / digest


def change_figure(data: Path) -> str:
    """Lower one school's count of pupils who passed an exam by one: its page and charts change."""
    path = data / "results.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    i = next(i for i, line in enumerate(lines) if ",oge_rus_passed," in line and line.split(",")[3] not in ("", "0"))
    year, school, measure, value = lines[i].split(",")
    lines[i] = f"{year},{school},{measure},{int(value) - 1}"
    path.write_text("\n".join(lines), encoding="utf-8")
    return school


def test_old_files_of_a_changed_school_are_deleted_and_nothing_in_use(tmp_path, monkeypatch):
    monkeypatch.setattr(cache_sweep, "KEEP_BUILDS", 1)
    data, cache = tmp_path / "data", tmp_path / "cache"
    shutil.copytree(DATA, data)
    monkeypatch.setenv("SHNOR_CACHE_DIR", str(cache))
    site_build.generate(data, tmp_path / "first", site_build.Steps(4, enabled=False))
    code = change_figure(data)  # after generating: the page below shows the old figure
    old_page = (tmp_path / "first" / "docs" / "schools" / f"{code}.md").read_bytes()
    site_build.keep_docs(tmp_path / "first")
    stale_jinja = cache / "jinja" / "0123456789abcdef"  # compiled templates of an older generator
    stale_jinja.mkdir(parents=True)
    (stale_jinja / "x.cache").write_bytes(b"old")
    assert blob(cache, old_page).is_file()

    finish(data, tmp_path / "second", cache, monkeypatch, started=time.time() + 1)
    assert not blob(cache, old_page).exists()
    assert not stale_jinja.exists()
    # Everything the last build used is still there: a rebuild of the same data renders nothing,
    # even without the kept docs folder (its hard links would survive deleted blobs and charts).
    shutil.rmtree(cache / "build" / "tree")
    assert finish(data, tmp_path / "third", cache, monkeypatch) == (set(), 0)


def test_sites_built_in_turn_keep_each_others_files(tmp_path, monkeypatch):
    """Two sites share one cache folder, built A, B, A; they differ in one school's figure, which
    also moves the district's values on every school's charts. With the last three builds' files
    kept, the second build of A draws no chart; keeping only the last build's, it draws again the
    charts that B does not share (deleted after B)."""
    site_a, site_b = tmp_path / "a", tmp_path / "b"
    shutil.copytree(DATA, site_a)
    shutil.copytree(DATA, site_b)
    change_figure(site_b)
    drawn = {}
    for keep in (3, 1):
        monkeypatch.setattr(cache_sweep, "KEEP_BUILDS", keep)
        cache = tmp_path / f"cache-{keep}"
        finish(site_a, tmp_path / "out", cache, monkeypatch)
        assert finish(site_b, tmp_path / "out", cache, monkeypatch, started=time.time() + 1)[1] > 0
        drawn[keep] = finish(site_a, tmp_path / "out", cache, monkeypatch)[1]
    assert drawn[3] == 0 and drawn[1] > 0


def test_young_files_and_unreadable_records_are_kept(tmp_path):
    """A file changed after the build started may belong to a build running at the same time; a
    usage record that does not load means nothing is deleted."""
    cache = tmp_path / "cache"
    used, stray = hashlib.sha256(b"used").hexdigest(), hashlib.sha256(b"stray").hexdigest()
    for digest in (used, stray):
        path = cache / "build" / "blobs" / digest[:2] / digest
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")
        (cache / "charts").mkdir(exist_ok=True)
        (cache / "charts" / f"{digest}.svg").write_bytes(b"<svg/>")
    (cache / "charts" / f".{stray}.svg.1234.tmp").write_bytes(b"half")  # left by a killed build
    usage = Usage(blobs={bytes.fromhex(used)}, charts={bytes.fromhex(used)})
    everything = files(cache)

    assert cache_sweep.sweep(cache, usage, started=time.time() - 3600) == (0, 0)
    assert files(cache) - {p for p in files(cache) if p.startswith("usage/")} == everything

    (cache / "usage" / "99999999999999999999-1.pickle").write_bytes(b"not a pickle")
    cache_sweep.sweep(cache, usage, started=time.time() + 1)
    assert files(cache) - {p for p in files(cache) if p.startswith("usage/")} == everything

    for record in (cache / "usage").iterdir():
        record.unlink()
    assert cache_sweep.sweep(cache, usage, started=time.time() + 1)[0] == 3
    assert files(cache) - {p for p in files(cache) if p.startswith("usage/")} == {
        f"build/blobs/{used[:2]}/{used}", f"charts/{used}.svg"}
