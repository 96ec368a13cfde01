"""The build: validate → compute → render into a staging folder → mkdocs build --strict → swap into place.

`generate` is everything before MkDocs: it writes plain Markdown, SVG, open-data files and a
config that INHERITs the repository's mkdocs.yml into a work folder; `build_site` runs the MkDocs
stage (build/mkdocs_stage.py) on it and swaps the result into place. Which schools' files are
reused from the previous build is decided by build/bundles.py.
"""
from __future__ import annotations

import gc
import logging
import pickle
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from generator.errors import BuildFailed, InputError, out_of_space
from generator.files import exchange, read_pickle, walk_files, write_pickle, write_text
from generator.paths import CONTENT, EMBED_TEMPLATES, FEED_TEMPLATES, PAGE_TEMPLATES, PAGES, cache_root
from generator.cache.parsed_files import ParseCache
from generator.cache.sweep import Usage, digests, forget_since, sweep
from generator.load.validation import validate
from generator.compute.computed import Computed, compute_all
from generator.compute.openness import all_warnings
from generator.compute.programme import compute_programme
from generator.charts.store import render_charts
from generator.render.embeds import render_embeds
from generator.render.feeds import render_feed
from generator.render.open_data import open_data_files, school_files, school_rows
from generator.render.pages import render
from generator.build.archive import SnapshotBuild, apply_archive
from generator.build.bundles import BundleCache, bundle_keys, code_version
from generator.compute.similar_site import shown_of, site_similar
from generator.build.kept_by_key import KeptByKey
from generator.build.link_check import check_links
from generator.render.html_tables import html_links
from generator.build.mkdocs_stage import child_config, link_static, prune_site, run_mkdocs, write_stylesheet
from generator.build.page_reuse import PageReuse, surroundings
from generator.render.search_entries import search_entries
from generator.build.precompress import precompress as write_copies

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Summary:
    pages: int
    charts: int
    charts_rendered: int
    warnings: int
    seconds: float
    out: Path | None

    def __str__(self) -> str:
        where = f" Сайт: {self.out / 'index.html'}" if self.out else ""
        return (f"Готово: страниц {self.pages}, графиков {self.charts} (нарисовано заново {self.charts_rendered}), "
                f"предупреждений {self.warnings}, за {self.seconds:.1f} с.{where}")


class Steps:
    """Counted progress lines on stderr: '[2/6] …'."""

    def __init__(self, total: int, enabled: bool):
        self.total, self.done, self.enabled, self.started = total, 0, enabled, time.monotonic()

    def __call__(self, text: str) -> None:
        self.done += 1
        if self.enabled:
            print(f"[{self.done}/{self.total}] {text}", file=sys.stderr, flush=True)


def cache_dir() -> Path:
    return cache_root() / "charts"


def site_pages(project: Path) -> tuple[Path, ...]:
    """The hand-written pages: the generator's generic ones (content/), each replaced by the
    project's own page of the same name (pages/), plus the project's other pages."""
    pages = {p.name: p for p in CONTENT.glob("*.md")}
    own = project / PAGES
    if own.is_dir():
        pages.update({p.name: p for p in own.glob("*.md") if p.is_file() and not p.is_symlink()})
    return tuple(pages[name] for name in sorted(pages))


def generate(data_dir: Path, work: Path, steps: Steps,
             snapshot: SnapshotBuild | None = None) -> tuple[object, dict, int]:
    """Everything before MkDocs: returns (dataset, counts, warnings). Writes only under `work`.
    `snapshot`: given when this is the build of a yearly snapshot (release/snapshot.py)."""
    # Loading builds millions of small objects that live until the end and hold no reference
    # cycles: the cyclic collector would rescan them again and again (40 % of load time at
    # 5,000 schools). It is paused while loading and computing, and what exists then is frozen,
    # so later collections (and forked page and chart workers) never walk it.
    version = code_version()
    parsed = ParseCache(cache_root() / "parse", version)
    gc.disable()
    try:
        result = validate(data_dir, parsed)
        dataset = result.dataset
        values = compute_all(dataset, parsed)
        programme = compute_programme(dataset, values)
    finally:
        gc.enable()
    gc.freeze()
    try:
        return _generate(data_dir, work, steps, result, values, programme, version, parsed.used, snapshot)
    finally:
        gc.unfreeze()


def _generate(data_dir: Path, work: Path, steps: Steps, result, values: Computed, programme,
              version: bytes, parsed: set[str], snapshot: SnapshotBuild | None) -> tuple[object, dict, int]:
    dataset = result.dataset
    warnings = all_warnings(result.warnings, dataset)
    for warning in warnings:
        log.warning("предупреждение: %s", warning)
    steps(f"Данные проверены: школ {len(dataset.schools)}, показателей {len(dataset.indicators)}")
    steps(f"Показатели рассчитаны: значений {len(values)}, показателей программы {len(programme)}")
    docs = work / "docs"
    # Schools whose bundle key matches the previous build: their files are linked, not rendered.
    bundles, charts_cache = BundleCache(cache_root() / "build"), cache_dir()
    similar = site_similar(dataset, values)
    keys = bundle_keys(data_dir, [s.code for s in dataset.schools], dataset.results, values, dataset.years,
                       frozenset(i.code for i in dataset.indicators if i.publish == "school"), version,
                       {s.code: shown_of(similar, s.code) for s in dataset.schools} if similar else None)
    previous, reuse = bundles.reuse(keys, docs, charts_cache)
    skip = frozenset(reuse)
    bytecode = cache_root() / "jinja" / version.decode()[:16]
    bytecode.mkdir(parents=True, exist_ok=True)
    content = site_pages(data_dir)
    kept = KeptByKey(cache_root() / "build", keys, reuse)
    rendered = render(dataset, values, programme, PAGE_TEMPLATES, content, reuse=skip, bytecode=bytecode,
                      similar=similar, known_statuses=kept.statuses())
    kept.save_statuses(rendered.site_data)
    embeds = render_embeds(rendered.site_data, EMBED_TEMPLATES, skip=skip, bytecode=bytecode)
    fresh = [code for code in keys if code not in reuse]
    bundled = {f"schools/{code}.md" for code in fresh}  # written with the rest of their bundle below
    for path, text in rendered.pages.items():
        if path not in bundled:
            write_text(docs / path, text)
    for path, text in embeds.shared.items():
        write_text(docs / path, text)
    write_text(docs / "feed.xml", render_feed(rendered.site_data, FEED_TEMPLATES, bytecode))
    for document in dataset.documents:
        if document.file:  # validated: a regular file inside the data folder
            target = docs / document.file
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(data_dir / document.file, target)
    for page in content:
        extra = rendered.appendices.get(page.name, "")
        if extra.strip():
            write_text(docs / page.name, page.read_text(encoding="utf-8").rstrip("\n") + "\n" + extra)
        else:
            shutil.copyfile(page, docs / page.name)
    rows = {**{code: entry.open_data for code, entry in reuse.items()},
            **school_rows(dataset, [v for code in fresh for v in values.school(code)])}
    for name, text in open_data_files(dataset, values.groups, programme, rows).items():
        write_text(docs / "data" / name, text)
    own_data = school_files(dataset, rows, fresh)  # data/schools/<code>.csv: written with its bundle below
    steps(f"Страницы записаны: {len(rendered.pages)} (страниц школ из кэша: {len(reuse)})")
    stats = render_charts(rendered.charts, docs, charts_cache)
    steps(f"Графики: {len(rendered.charts)} (нарисовано {stats.rendered}, из кэша {stats.cached})")
    fresh_bundles = {code: ({f"schools/{code}.md": rendered.pages[f"schools/{code}.md"], **embeds.by_school[code],
                             **own_data[code]},
                            {path: stats.digests[path] for path in rendered.school_charts[code].values()},
                            rows.get(code, {})) for code in fresh}
    entries = bundles.record(previous, keys, reuse, fresh_bundles, docs)
    write_pickle(work / BUNDLE_KEYS, sorted(entries))
    school_charts = (digest for entry in entries.values() for _, digest in entry.charts)
    write_pickle(work / USAGE, Usage(blobs=digests(digest for entry in entries.values() for _, digest in entry.files),
                                     charts=digests([*stats.digests.values(), *school_charts]),
                                     parse=set(parsed), jinja={bytecode.name}))
    # The tables' links, which MkDocs no longer sees (render/html_tables.py): the pages written
    # now, and the links to other pages of the schools' pages taken from the cache.
    fresh_links = {path: html_links(text, path) for path, text in rendered.pages.items()}
    check_links(docs, rendered.pages, kept.links(fresh_links, docs), fresh_links)
    config = child_config(dataset, docs, work / "site")
    write_stylesheet(docs)
    apply_archive(dataset, data_dir, docs, config, bytecode, snapshot)
    write_text(work / "mkdocs.yml", yaml.safe_dump(config, allow_unicode=True, sort_keys=True))
    counts = {"pages": len(rendered.pages) + len(reuse) + len(content),
              "charts": len(rendered.charts) + sum(len(e.charts) for e in reuse.values()),
              "rendered": stats.rendered, "reused": len(reuse)}
    return dataset, counts, len(warnings)


BUNDLE_KEYS = "bundle-keys.pickle"  # in the work folder: the bundles whose files docs/ holds
USAGE = "cache-usage.pickle"  # in the work folder: the cached files this build used


def keep_docs(work: Path) -> None:
    """After a finished build: hand its docs folder to the next build (BundleCache.keep_tree).
    The site is already in place: a cache that cannot take it only makes the next build slower."""
    try:
        keys = pickle.loads((work / BUNDLE_KEYS).read_bytes())  # ours, just written: an error is a bug
        BundleCache(cache_root() / "build").keep_tree(work / "docs", keys)
    except OSError as err:
        log.warning("папка сборки не сохранена в кэше (%s): следующая сборка возьмёт файлы школ из кэша по одному",
                    err)


def tidy_cache(work: Path, started: float) -> None:
    """After a finished build: delete the cached files that no recent build used (cache/sweep.py).
    `started`: the build's start (time.time()). A failure only leaves the cache larger."""
    usage = read_pickle(work / USAGE)
    if not isinstance(usage, Usage):
        return
    try:
        files, size = sweep(cache_root(), usage, started)
    except OSError as err:
        log.warning("кэш сборки не очищен от старых файлов (%s)", err)
        return
    if files:
        log.info("кэш сборки: удалено файлов, не нужных последним сборкам: %d (%.1f МБ)", files, size / 1e6)


def swap_into_place(new: Path, out: Path) -> None:
    """Replace `out` with `new` so that readers see either the old site or the new one."""
    if out.exists() and not out.is_dir():
        raise InputError(f"{out} существует и это не папка")
    exchange(new, out)
    shutil.rmtree(new, ignore_errors=True)  # now the old site, if there was one


def reusable_pages(work: Path, dataset, snapshot: SnapshotBuild | None) -> PageReuse:
    """Stub the school pages whose HTML the last build left in the cache (build/page_reuse.py);
    never in the build of a snapshot, which must stand alone."""
    docs = work / "docs"
    config = yaml.safe_load((work / "mkdocs.yml").read_text(encoding="utf-8"))
    markdown_pages = [p.relative_to(docs).as_posix() for p in walk_files(docs) if p.suffix == ".md"]
    pages = PageReuse(cache_root() / "build" if snapshot is None else None,
                      surroundings(config, code_version(), markdown_pages))
    schools = [f"schools/{school.code}.md" for school in dataset.schools]
    pages.prepare(docs, [page for page in schools if (docs / page).is_file()], work / "aside")
    usage = read_pickle(work / USAGE)
    if isinstance(usage, Usage):  # the blobs it links must survive this build's sweep
        usage.blobs |= {bytes.fromhex(d) for d in pages.stubbed.values()}
        write_pickle(work / USAGE, usage)
    return pages


def mkdocs_stage(work: Path, dataset, snapshot: SnapshotBuild | None = None,
                 run: Callable[[Path, date | None], None] | None = None) -> int:
    """MkDocs on the work folder and what completes its site: the generator's own files linked in,
    the pruning, the schools' search entries, the reused school pages. Returns how many school
    pages came from the cache. `run`: how to run MkDocs (the benchmark measures it in a process of its own)."""
    pages = reusable_pages(work, dataset, snapshot)
    (run or run_mkdocs)(work / "mkdocs.yml", dataset.site.as_of)  # looked up now: tests replace it
    link_static(work / "docs", work / "site")
    prune_site(work / "site", search_entries(dataset))
    pages.finish(work / "docs", work / "site", work / "aside")
    return len(pages.stubbed)


def build_site(data_dir: Path, out: Path, with_mkdocs: bool = True, progress: bool = True,
               snapshot: SnapshotBuild | None = None, precompress: bool = True) -> Summary:
    """Build into a temporary folder next to `out`; `out` changes only when everything succeeded.
    `snapshot`: the yearly snapshot this build is (release/snapshot.py `freeze`), or None.
    `precompress`: write `X.gz` copies into the built site (build/precompress.py); never for a
    snapshot, whose manifest lists its files (the main build leaves archived years as frozen)."""
    started, wall = time.monotonic(), time.time()
    precompress = precompress and with_mkdocs and snapshot is None
    steps = Steps((6 if precompress else 5) if with_mkdocs else 4, progress)
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.build-", dir=out.parent))
    try:
        dataset, counts, warnings = generate(data_dir, work, steps, snapshot)
        if with_mkdocs:
            reused = mkdocs_stage(work, dataset, snapshot)
            steps("MkDocs: сайт собран (--strict, без предупреждений)"
                  + (f"; страниц школ из кэша: {reused}" if reused else ""))
            if precompress:
                steps(str(write_copies(work / "site", cache_root() / "precompress")))
            swap_into_place(work / "site", out)
            keep_docs(work)
            tidy_cache(work, wall)
        else:
            swap_into_place(work / "docs", out)
    except (OSError, BuildFailed) as err:
        if out_of_space(err):
            shutil.rmtree(work, ignore_errors=True)
            forget_since(cache_root(), wall)  # the cache must not keep the disk full
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return Summary(counts["pages"], counts["charts"], counts["rendered"], warnings, time.monotonic() - started, out)

