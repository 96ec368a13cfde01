"""The build: validate → compute → render into a staging folder → mkdocs build --strict → swap into place.

The only MkDocs-specific stage is `run_mkdocs`: everything before it writes plain Markdown,
SVG, open-data files and a config that INHERITs the repository's mkdocs.yml.
"""
from __future__ import annotations

import gc
import json
import logging
import re
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

import yaml

from .bundles import BundleCache, Entry, bundle_keys, code_version
from .cache_sweep import Usage, digests, sweep
from .charts import render_charts
from .embeds import render_embeds
from .feeds import render_feed
from .files import read_pickle, write_pickle
from .errors import BuildFailed, InputError
from .export import open_data_files, school_rows
from .indicators import Computed, compute_all
from .pages import render
from .parse_cache import ParseCache
from .programme_indicators import compute_programme
from .validation import validate

log = logging.getLogger(__name__)
REPO = Path(__file__).resolve().parent.parent
TEMPLATES = REPO / "templates" / "pages"
EMBED_TEMPLATES = REPO / "templates" / "embed"
FEED_TEMPLATES = REPO / "templates" / "feeds"
THEME = REPO / "templates" / "theme"
CONTENT = REPO / "content"
BASE_CONFIG = REPO / "mkdocs.yml"


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


def cache_root() -> Path:
    return Path(os.environ.get("SHNOR_CACHE_DIR", REPO / ".cache"))


def cache_dir() -> Path:
    return cache_root() / "charts"


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def child_config(dataset, docs_dir: Path, site_dir: Path) -> dict:
    site = dataset.site
    return {
        "INHERIT": str(BASE_CONFIG),
        "docs_dir": str(docs_dir),
        "site_dir": str(site_dir),
        "site_name": f"Проект «500+»: {site.municipality}",
        "site_url": site.base_url,
        "copyright": f"{site.department}. Данные — открытая лицензия CC BY 4.0.",
        "theme": {"custom_dir": str(THEME)},
        "extra": {"demo": site.demo, "municipality": site.municipality, "department": site.department,
                  "as_of": site.as_of.isoformat() if site.as_of else "", "demo_note": site.demo_note},
    }


def generate(data_dir: Path, work: Path, steps: Steps) -> tuple[object, dict, int]:
    """Everything before MkDocs: returns (dataset, counts, warnings). Writes only under `work`."""
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
        return _generate(data_dir, work, steps, result, values, programme, version, parsed.used)
    finally:
        gc.unfreeze()


def _generate(data_dir: Path, work: Path, steps: Steps, result, values: Computed, programme,
              version: bytes, parsed: set[str]) -> tuple[object, dict, int]:
    dataset = result.dataset
    for warning in result.warnings:
        log.warning("предупреждение: %s", warning)
    steps(f"Данные проверены: школ {len(dataset.schools)}, показателей {len(dataset.indicators)}")
    steps(f"Показатели рассчитаны: значений {len(values)}, показателей программы {len(programme)}")
    docs = work / "docs"
    # Schools whose bundle key matches the previous build: their files are linked, not rendered.
    bundles, charts_cache = BundleCache(cache_root() / "build"), cache_dir()
    keys = bundle_keys(data_dir, [s.code for s in dataset.schools], dataset.results, values, dataset.years,
                       frozenset(i.code for i in dataset.indicators if i.publish == "school"), version)
    previous = bundles.load()
    # The last build's docs folder, when kept, already holds the unchanged schools' files: the
    # rest of it is deleted. Other reused entries are linked from the cache; an entry whose
    # cached files were pruned is simply rendered like a new one.
    in_tree, tree_files = bundles.claim_tree(docs)
    reuse = {code: previous[key] for code, key in keys.items() if key in previous and key in in_tree
             and tree_files.issuperset(previous[key].paths())}
    kept = {path for entry in reuse.values() for path in entry.paths()}
    bundles.clean_tree(docs, tree_files - kept)
    reuse.update({code: previous[key] for code, key in keys.items() if code not in reuse and key in previous
                  and bundles.place(previous[key], docs, charts_cache)})
    skip = frozenset(reuse)
    bytecode = cache_root() / "jinja" / version.decode()[:16]
    bytecode.mkdir(parents=True, exist_ok=True)
    content = tuple(sorted(CONTENT.glob("*.md")))
    rendered = render(dataset, values, programme, TEMPLATES, content, reuse=skip, bytecode=bytecode)
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
        shutil.copyfile(page, docs / page.name)
    rows = {**{code: entry.open_data for code, entry in reuse.items()},
            **school_rows(dataset, [v for code in fresh for v in values.school(code)])}
    for name, text in open_data_files(dataset, values.groups, programme, rows).items():
        write_text(docs / "data" / name, text)
    steps(f"Страницы записаны: {len(rendered.pages)} (страниц школ из кэша: {len(reuse)})")
    stats = render_charts(rendered.charts, docs, charts_cache)
    steps(f"Графики: {len(rendered.charts)} (нарисовано {stats.rendered}, из кэша {stats.cached})")
    entries: dict[str, Entry] = {keys[code]: entry for code, entry in reuse.items()}
    for code in fresh:
        files = {f"schools/{code}.md": rendered.pages[f"schools/{code}.md"], **embeds.by_school[code]}
        charts = {path: stats.digests[path] for path in rendered.school_charts[code].values()}
        entries[keys[code]] = bundles.store(files, charts, rows.get(code, {}), docs)
    if entries != previous:  # the reused entries are the very objects loaded: cheap to compare
        bundles.save(entries)
    write_pickle(work / BUNDLE_KEYS, sorted(entries))
    school_charts = (digest for entry in entries.values() for _, digest in entry.charts)
    write_pickle(work / USAGE, Usage(blobs=digests(digest for entry in entries.values() for _, digest in entry.files),
                                     charts=digests([*stats.digests.values(), *school_charts]),
                                     parse=set(parsed), jinja={bytecode.name}))
    config = child_config(dataset, docs, work / "site")
    copy_archive(dataset, data_dir, docs, config, bytecode)
    write_text(work / "mkdocs.yml", yaml.safe_dump(config, allow_unicode=True, sort_keys=True))
    counts = {"pages": len(rendered.pages) + len(reuse) + len(content),
              "charts": len(rendered.charts) + sum(len(e.charts) for e in reuse.values()),
              "rendered": stats.rendered, "reused": len(reuse)}
    return dataset, counts, len(result.warnings)


# --- Yearly snapshots (owner: generator/snapshot.py) ---------------------------------------------
def copy_archive(dataset, data_dir: Path, docs: Path, config: dict, bytecode: Path | None = None) -> None:
    """Publish archive/<year>/ snapshots and the «Архив» page, or mark a snapshot build as archived.

    Copies every snapshot's site/ and manifest.json byte for byte into <docs>/archive/<year>/ after
    checking them against the manifest, writes archive.md and versions.json, and sets `extra`
    (versions, snapshot) for the header switcher and the banner. See generator/snapshot.py.
    """
    from .snapshot import apply_archive

    apply_archive(dataset, data_dir, docs, config, bytecode)
# --- end of yearly snapshots ----------------------------------------------------------------------


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
    """After a finished build: delete the cached files that no recent build used (cache_sweep).
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


def run_mkdocs(config: Path, as_of: date | None = None) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0", "TZ": "UTC", "LC_ALL": "C.UTF-8"}
    # MkDocs stamps its build date into sitemap.xml(.gz): make it the data's date, not the clock.
    stamp = datetime.combine(as_of or date(2000, 1, 1), datetime.min.time(), tzinfo=timezone.utc)
    env["SOURCE_DATE_EPOCH"] = str(int(stamp.timestamp()))
    # No --quiet: in MkDocs 1.6 it filters warnings before the strict-mode counter sees them,
    # so `--strict --quiet` passes a build with warnings. The output is captured instead.
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config)],
                          capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        raise BuildFailed(f"mkdocs build --strict завершился с ошибкой:\n{proc.stdout}{proc.stderr}")


_PRE = re.compile(r"(<pre\b.*?</pre>|<textarea\b.*?</textarea>)", re.S | re.I)
_INDENT = re.compile(r"\n[ \t]+")
_BLANK = re.compile(r"\n{2,}")


def collapse_indentation(html: str) -> str:
    """Drop template indentation and blank lines outside <pre>/<textarea>; a newline stays a space."""
    parts = _PRE.split(html)
    return "".join(part if i % 2 else _BLANK.sub("\n", _INDENT.sub("\n", part)) for i, part in enumerate(parts))


def prune_site(site: Path) -> None:
    """Make the built site smaller without changing what a reader gets.

    Removes files a browser never loads for this site (source maps, search languages other than
    Russian) and re-encodes the search index as UTF-8 instead of \\uXXXX escapes (the same JSON,
    2.4 times smaller for Russian text).
    """
    index = site / "search" / "search_index.json"
    if index.is_file():
        data = json.loads(index.read_text(encoding="utf-8"))
        index.write_text(json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False),
                         encoding="utf-8", newline="\n")
    archive = site / "archive"
    for page in site.rglob("*.html"):
        if archive not in page.parents:  # frozen snapshots are copied byte for byte
            page.write_text(collapse_indentation(page.read_text(encoding="utf-8")), encoding="utf-8", newline="")
    for path in site.rglob("*.map"):
        path.unlink()
    lunr = site / "assets" / "javascripts" / "lunr"
    for name in ("tinyseg.js", "wordcut.js"):
        (lunr / name).unlink(missing_ok=True)
    keep = {"lunr.ru.min.js", "lunr.multi.min.js", "lunr.stemmer.support.min.js"}
    for path in (lunr / "min").glob("*.js") if (lunr / "min").is_dir() else ():
        if path.name not in keep:
            path.unlink()




def swap_into_place(new: Path, out: Path) -> None:
    """Replace `out` with `new` so that readers see either the old site or the new one."""
    if out.exists() and not out.is_dir():
        raise InputError(f"{out} существует и это не папка")
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    if out.exists():
        os.replace(out, old)
    os.replace(new, out)
    shutil.rmtree(old, ignore_errors=True)


def build_site(data_dir: Path, out: Path, with_mkdocs: bool = True, progress: bool = True) -> Summary:
    """Build into a temporary folder next to `out`; `out` changes only when everything succeeded."""
    started, wall = time.monotonic(), time.time()
    steps = Steps(5 if with_mkdocs else 4, progress)
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.build-", dir=out.parent))
    try:
        dataset, counts, warnings = generate(data_dir, work, steps)
        if with_mkdocs:
            run_mkdocs(work / "mkdocs.yml", dataset.site.as_of)
            prune_site(work / "site")
            steps("MkDocs: сайт собран (--strict, без предупреждений)")
            swap_into_place(work / "site", out)
            keep_docs(work)
            tidy_cache(work, wall)
        else:
            swap_into_place(work / "docs", out)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return Summary(counts["pages"], counts["charts"], counts["rendered"], warnings, time.monotonic() - started, out)

