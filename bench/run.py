"""Scale benchmark: build synthetic municipalities of N schools, phase by phase, cold and warm.

    python bench/run.py                       # N = 100, 1000, 5000; 6 years, 12 indicators
    python bench/run.py --sizes 100 1000      # fewer sizes
    python bench/run.py --baseline /tmp/old   # also time another checkout's code (see below)
    make bench

For each N: `bench/synth.py` writes bench-output/data-N/; a fresh Python process builds it cold
(an empty cache of its own), COLD_RUNS times in all, the last MKDOCS_RUNS of them with MkDocs;
the cold runs alternate between the sizes, so that slow and fast spells of the machine fall on
every size. Right after the last cold run of a size, WARM_RUNS warm rebuilds follow (the same
cache), each after the figures of one more school changed, the first with MkDocs. The tables take
each phase at the fastest of its runs: the machine's noise is ±20 % per run, more than the
targets' margins. A fresh process per build makes peak RSS per build. Nothing is deleted between
timed builds (see Scratch: on this machine a deletion slows file creation for a minute or more).

The real pipeline is run — `generator.build.site.generate` then `run_mkdocs` — with the phase
functions it imports wrapped in timers, so the benchmark follows whatever generate() does (the
generator's module paths and names are in one table, after TITLES):

    load+validate  validate()
    indicators     compute_all() + compute_programme()
    pages          the rest of generate(): Markdown pages, embeds, feed, open data, copies, config
    charts         render_charts()
    MkDocs build   mkdocs_stage(): run_mkdocs() (mkdocs build --strict, a child process) and the rest
                   of the stage (reused school pages, the generator's files linked in, pruning)

Warm builds reuse the bundles of unchanged schools (generator/build/bundles.py) from the same cache,
and the docs folder the previous build kept there (after MkDocs, as build_site does; the time
that takes is reported, not counted in a phase).

Peak RSS: for the phases in the generator process, its high-water mark at the end of the phase
(ru_maxrss only grows); for charts, also the largest pool worker; for MkDocs, the largest of the
mkdocs process itself. Output size: bytes the phase added (pages: docs/ without
charts; charts: SVG files; MkDocs: the built site/, after mkdocs_stage.prune_site as published). Results: bench-output/results.md and .json.

Benchmarks, not tests: timings on a shared machine are noisy; compare ratios within one run.

--baseline DIR compares with DIR, another checkout of this repository (say `git worktree add
/tmp/old <commit>`): every timed build runs twice, right after each other, by our child and by
DIR's own `bench/run.py --child`, the order swapped every round (the same arguments; cwd and
PYTHONPATH make it import DIR's generator), on the same data (written once per size by our SYNTH), each with folders and a
cache of its own (a side's warm builds reuse its own last cold build's cache). The report adds,
per size and phase, both sides' fastest run, their min–max and whether ours is slower by more
than the baseline's own spread. The child's command line and result JSON are what DIR's old
child understands and writes: keep them as they are.
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

PHASES = ("validate", "indicators", "pages", "charts", "mkdocs")
TITLES = {"validate": "load+validate", "indicators": "indicators", "pages": "pages", "charts": "charts",
          "mkdocs": "MkDocs build", "total": "total"}

# --------------------------------------------------------------------------- the generator's names
# Every module path and name of the generator this file uses is here and nowhere else, so that
# moving modules is an edit of this table alone. The parent imports SYNTH only (the data); the
# child imports the rest, to build and to time the phases.
SYNTH = "bench.synth"  # generate(schools, years, indicators, seed) -> files; write(files, folder)
_SITE_BUILD = "generator.build.site"
BUILD = {  # role: (module, name) the child calls
    "generate": (_SITE_BUILD, "generate"),  # generate(data, work, steps) -> (dataset, counts, warnings)
    "Steps": (_SITE_BUILD, "Steps"),
    "keep_docs": (_SITE_BUILD, "keep_docs"),
    "prune_site": (_SITE_BUILD, "prune_site"),
    "run_mkdocs": (_SITE_BUILD, "run_mkdocs"),  # imported by a helper process (run_mkdocs_measured)
    "mkdocs_stage": (_SITE_BUILD, "mkdocs_stage"),  # absent before issue #23
}
TIMED = {  # role: (module, name) of a phase function; generate() must call it by that module's
    # global name, which the child replaces with a timer (see child for each role's phase)
    "validate": (_SITE_BUILD, "validate"),
    "compute_all": (_SITE_BUILD, "compute_all"),
    "compute_programme": (_SITE_BUILD, "compute_programme"),
    "render_charts": (_SITE_BUILD, "render_charts"),
    "render": (_SITE_BUILD, "render"),
}


# --------------------------------------------------------------------------- measuring helpers

def maxrss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux: KiB


def cpu_seconds() -> float:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def tree_bytes(path: Path, exclude: str | None = None) -> int:
    total = 0
    for root, dirs, files in os.walk(path):
        if exclude is not None and Path(root) == path:
            dirs[:] = [d for d in dirs if d != exclude]
        total += sum(os.lstat(os.path.join(root, f)).st_size for f in files)
    return total


def fmt_mb(nbytes: float | None) -> str:
    if nbytes is None:
        return "—"
    return f"{nbytes / 1e6:.1f} MB" if nbytes >= 1e6 else f"{nbytes / 1e3:.0f} KB"


# --------------------------------------------------------------------------- one build (child process)

class Timer:
    """Wraps phase functions of the generator (TIMED) so their wall time adds up per phase."""

    def __init__(self):
        self.seconds = {p: 0.0 for p in PHASES}
        self.rss = {p: 0.0 for p in PHASES}
        self.extra: dict[str, object] = {}

    def wrap(self, module, name: str, phase: str, after=None) -> None:
        original = getattr(module, name, None)
        if original is None:
            print(f"  (в {module.__name__} нет {name}: фаза {phase} не выделена)", file=sys.stderr)
            return

        def timed(*args, **kwargs):
            started = time.perf_counter()
            result = original(*args, **kwargs)
            self.seconds[phase] += time.perf_counter() - started
            self.rss[phase] = max(self.rss[phase], maxrss_mb())
            if after is not None:
                after(result, args, kwargs)
            return result

        setattr(module, name, timed)


def run_mkdocs_measured(config: Path, as_of) -> tuple[float, float]:
    """BUILD's run_mkdocs in a small helper process; (seconds, peak RSS MB of the mkdocs process).

    The helper reports its RUSAGE_CHILDREN, i.e. mkdocs alone: a process started from this (large)
    one would inherit this one's high-water mark across exec.
    """
    module, name = BUILD["run_mkdocs"]
    code = (f"import sys, datetime, resource; from pathlib import Path; from {module} import {name} as run_mkdocs; "
            "a = sys.argv[2]; run_mkdocs(Path(sys.argv[1]), datetime.date.fromisoformat(a) if a else None); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code, str(config), as_of.isoformat() if as_of else ""], cwd=REPO,
                          stdout=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"mkdocs build failed (exit {proc.returncode})")
    return seconds, int(proc.stdout.split()[-1]) / 1024


def built(role: str):
    """The generator's object for a role in BUILD (imported by the child only)."""
    module, name = BUILD[role]
    return getattr(import_module(module), name)


def child(data: Path, work: Path, cache: Path, label: str, mkdocs: bool = True) -> dict:
    os.environ["SHNOR_CACHE_DIR"] = str(cache)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    started_all = time.perf_counter()
    # the generator is imported here, not at the top: import time is not a phase
    generate, Steps, keep_docs, prune_site = (built(role) for role in ("generate", "Steps", "keep_docs", "prune_site"))

    timer = Timer()

    def charts_done(stats, args, kwargs):
        timer.extra["charts"] = len(args[0])
        timer.extra["charts_rendered"] = stats.rendered
        timer.rss["charts"] = max(timer.rss["charts"], maxrss_mb(resource.RUSAGE_CHILDREN))
        docs = Path(args[1])
        timer.extra["charts_bytes"] = tree_bytes(docs / "charts") if (docs / "charts").exists() else 0

    def rendered(result, args, kwargs):
        timer.extra["pages"] = len(result.pages)

    phases = {  # role in TIMED: (phase, what to note from its result)
        "validate": ("validate", lambda r, a, k: timer.extra.update(schools=len(r.dataset.schools),
                                                                     warnings=len(r.warnings))),
        "compute_all": ("indicators", lambda r, a, k: timer.extra.update(values=len(r))),
        "compute_programme": ("indicators", None),
        "render_charts": ("charts", charts_done),
        "render": ("pages", rendered),  # counted in pages anyway; kept for the page count
    }
    for role, (module, name) in TIMED.items():
        timer.wrap(import_module(module), name, *phases[role])

    work.mkdir(parents=True)  # a folder of its own (Scratch): nothing is deleted before a timed build
    steps = Steps(4, enabled=False)
    import_seconds = time.perf_counter() - started_all
    started = time.perf_counter()
    dataset, counts, warnings = generate(data, work, steps)
    generate_seconds = time.perf_counter() - started
    # pages = everything in generate() that is not validate, indicators or charts
    timer.seconds["pages"] = generate_seconds - timer.seconds["validate"] - timer.seconds["indicators"] \
        - timer.seconds["charts"]
    timer.rss["pages"] = max(timer.rss["pages"], timer.rss["indicators"])
    docs = work / "docs"
    sizes = {"validate": None, "indicators": None, "pages": tree_bytes(docs, exclude="charts"),
             "charts": timer.extra.get("charts_bytes", 0)}
    print(f"  [{label}] до MkDocs {generate_seconds:.1f} с (проверка {timer.seconds['validate']:.1f}, "
          f"показатели {timer.seconds['indicators']:.1f}, страницы {timer.seconds['pages']:.1f}, "
          f"графики {timer.seconds['charts']:.1f}: нарисовано {timer.extra.get('charts_rendered')})"
          + ("; MkDocs…" if mkdocs else ""), file=sys.stderr, flush=True)
    if not mkdocs:  # a repeat of the cold build for its phases only
        keep_docs(work)
        return {"label": label, "seconds": timer.seconds, "before_mkdocs_seconds": generate_seconds}

    site = work / "site"
    try:
        stage = built("mkdocs_stage")
    except (ImportError, AttributeError):  # a baseline from before issue #23: MkDocs alone is timed
        seconds, rss = run_mkdocs_measured(work / "mkdocs.yml", dataset.site.as_of)
        prune_site(site)  # as published (UTF-8 search index, no source maps); not timed
        pages_reused = 0
    else:
        # The whole stage as build_site runs it (reused pages, the generator's files linked into the
        # site, pruning, search entries), MkDocs itself in a helper process for its peak RSS.
        measured: list[float] = []

        def run(config, as_of) -> None:
            measured.append(run_mkdocs_measured(config, as_of)[1])
        started = time.perf_counter()
        pages_reused = stage(work, dataset, None, run)
        seconds, rss = time.perf_counter() - started, measured[0]
    timer.seconds["mkdocs"], timer.rss["mkdocs"] = seconds, rss
    started = time.perf_counter()
    keep_docs(work)  # as build_site finishes: the docs folder is kept for the next build
    keep_seconds = time.perf_counter() - started
    sizes["mkdocs"] = tree_bytes(site)
    school_pages = [p.stat().st_size for p in (site / "schools").glob("*/index.html")]
    search = site / "search" / "search_index.json"
    largest = max(((p.stat().st_size, p) for p in site.rglob("*.html")), default=(0, site))
    result = {
        "label": label,
        "seconds": timer.seconds, "rss_mb": timer.rss, "bytes": sizes,
        "total_seconds": generate_seconds + seconds, "before_mkdocs_seconds": generate_seconds,
        "import_seconds": import_seconds, "keep_docs_seconds": keep_seconds,
        "peak_rss_mb": max(timer.rss.values()),
        "site_bytes": sizes["mkdocs"], "html_pages": sum(1 for _ in site.rglob("*.html")),
        "search_index_bytes": search.stat().st_size if search.exists() else None,
        "school_html_max": max(school_pages, default=0),
        "school_html_median": int(statistics.median(school_pages)) if school_pages else 0,
        "largest_html": [largest[0], str(largest[1].relative_to(site))],
        "cpu_seconds": cpu_seconds(),
        "schools_reused": counts.get("reused", 0),
        "pages_reused": pages_reused,
        **timer.extra,
    }
    print(f"  [{label}] MkDocs {seconds:.1f} с (страниц школ из кэша: {pages_reused}); всего "
          f"{result['total_seconds']:.1f} с, пик RSS {result['peak_rss_mb']:.0f} МБ", file=sys.stderr, flush=True)
    return result


# --------------------------------------------------------------------------- orchestration (parent)

def change_one_school(src: Path, dst: Path, nth: int = 0) -> str:
    """Copy the data and change one figure of one school: the nth school (in file order) with a
    share of at least 10 pupils in the latest year. Applied to its own output with nth = 0, 1, 2,
    each copy differs from the one before in one school."""
    if dst.exists():
        shutil.rmtree(dst)
    shutil.copytree(src, dst)
    path = dst / "results.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    header, body = rows[0], rows[1:]
    year = max(int(r[0]) for r in body)
    by_key = {(r[0], r[1], r[2]): i for i, r in enumerate(body)}
    seen: list[str] = []
    for i, (y, school, measure, value) in enumerate(body):
        if int(y) != year or not school or school in seen or not measure.endswith("_passed") or value == "":
            continue
        total = body[by_key.get((y, school, measure[: -len("_passed")] + "_total"), i)][3]
        if not total or int(total) < 10:
            continue
        seen.append(school)
        if len(seen) > nth:
            body[i][3] = str(int(value) - 1 if int(value) > 0 else 1)
            buffer = io.StringIO()
            csv.writer(buffer, lineterminator="\n").writerows([header] + body)
            path.write_text(buffer.getvalue(), encoding="utf-8")
            return f"{year}, школа {school}, {measure}: {value} → {body[i][3]}"
    raise SystemExit("не нашлось школы, у которой можно изменить цифру")


class Scratch:
    """The timed builds' folders, deleted so that no deletion slows a timed build.

    This machine's root file system is ext4 without a journal. Allocating an inode there skips
    the inodes freed in the last minute (six, while their inode table block is still dirty), at
    one buffer-cache lookup per skipped inode (perf: `recently_deleted` in `__ext4_new_inode`,
    56 % of the samples). Right after a build's 100,000 files were deleted, creating a file took
    300–800 µs instead of 40 µs, and a cold build creates 50,000 at 5,000 schools, MkDocs as
    many again. So every timed build gets folders of its own under `runs/`; a folder no longer
    needed is moved (not deleted) to `runs/trash/`, and the trash is deleted only before the first
    and after the last timed build, or when the disk runs short, each time followed by a sync and
    a wait of SETTLE seconds before the next timed build (before the first one always: other
    programs may have just deleted files).
    """

    SETTLE = 61.0  # ext4's RECENTCY_MIN is 60 s; after a sync no inode table block is dirty
    MARK = ".last-deletion"  # wall-clock time of the last deletion, for the next `make bench`

    def __init__(self, out: Path):
        self.out, self.root = out, out / "runs"
        self.trash = self.root / "trash"

    def folder(self, name: str) -> Path:
        return self.root / name

    def discard(self, *folders: Path) -> None:
        self.trash.mkdir(parents=True, exist_ok=True)
        for folder in folders:
            if folder.exists():
                os.rename(folder, self.trash / f"{folder.name}-{time.monotonic_ns()}")

    def delete(self, everything: bool = False) -> None:
        """Delete the trash (or every folder), sync, and start the wait. `everything` also stands
        for files other programs may have deleted just before (a test suite's sites): it always
        syncs and waits."""
        target = self.root if everything else self.trash
        if target.exists() or everything:
            print(f"удаление {target} …", file=sys.stderr, flush=True)
            shutil.rmtree(target, ignore_errors=True)
            os.sync()
            (self.out / self.MARK).write_text(f"{time.time()}\n", encoding="utf-8")

    def settle(self) -> None:
        """Wait until SETTLE seconds have passed since the last deletion (of this or an earlier run)."""
        try:
            last = float((self.out / self.MARK).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        wait = last + self.SETTLE - time.time()
        if wait > 0:
            print(f"пауза {wait:.0f} с после удаления файлов (ext4 без журнала, см. Scratch)", file=sys.stderr,
                  flush=True)
            time.sleep(wait)

    def make_room(self, n: int) -> None:
        """Before a timed build of n schools: empty the trash if the disk could run short."""
        need = 100e6 + 0.8e6 * n  # a cold build with MkDocs leaves about 0.35 MB per school: twice that, and more
        if shutil.disk_usage(self.out).free < 2 * need:
            self.delete()
        self.settle()


@dataclass(frozen=True)
class Side:
    """Whose code a timed build runs: ours (this checkout) or the baseline's (--baseline DIR)."""

    repo: Path
    script: Path  # its bench/run.py, whose --child builds
    tag: str = ""  # "" for ours; names the baseline's result files, folders and labels

    def result(self, n: int, mode: str) -> str:  # "baseline-…": --report's glob of ours must not match it
        return f"{self.tag or 'result'}-{n}-{mode}.json"

    def folder(self, name: str) -> str:
        return f"{self.tag}-{name}" if self.tag else name

    def label(self, label: str) -> str:
        return f"{label} {self.tag}" if self.tag else label

    def env(self) -> dict[str, str] | None:
        if not self.tag:
            return None  # ours: the environment as it is (as before --baseline existed)
        # its own generator first in every process of its build: the child puts its checkout first
        # in sys.path itself and starts its helpers there, this covers anything started elsewhere
        path = os.environ.get("PYTHONPATH")
        return {**os.environ, "PYTHONPATH": os.pathsep.join([str(self.repo)] + ([path] if path else []))}


OURS = Side(REPO, Path(__file__).resolve())


def baseline_side(folder: str, probe_cwd: Path) -> Side:
    """The --baseline checkout, checked before anything is deleted or timed."""
    repo = Path(folder).resolve()
    side = Side(repo, repo / "bench" / "run.py", "baseline")
    if not side.script.is_file():
        raise SystemExit(f"--baseline {folder}: нет {side.script} (нужна другая копия этого репозитория)")
    # A process of its build that is started elsewhere must import its generator, not ours: ask one
    # (in a child process: the parent imports no generator module but SYNTH).
    probe = subprocess.run([sys.executable, "-c", "import generator; print(generator.__file__)"], cwd=probe_cwd,
                           env=side.env(), stdout=subprocess.PIPE, text=True)
    found = Path(probe.stdout.strip()).resolve() if probe.returncode == 0 and probe.stdout.strip() else None
    if found is None or repo not in found.parents:
        raise SystemExit(f"--baseline {folder}: процесс сборки импортирует generator из {found}, а не из {repo}")
    return side


def describe(repo: Path) -> str:
    """The checkout's commit for the report (`-dirty`: with changes not committed)."""
    proc = subprocess.run(["git", "-C", str(repo), "describe", "--always", "--dirty"], stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, text=True)
    return proc.stdout.strip() if proc.returncode == 0 else "?"


def run_child(args, scratch: Scratch, n: int, data: Path, mode: str, cache: Path, mkdocs: bool = True,
              side: Side = OURS) -> dict:
    out = Path(args.out).resolve()
    result_file = out / side.result(n, mode)
    scratch.make_room(n)
    # the same command line for the baseline's child: it is that checkout's unmodified code
    cmd = [sys.executable, str(side.script), "--child", "--data", str(data),
           "--work", str(scratch.folder(side.folder(f"work-{n}-{mode}"))), "--cache", str(cache),
           "--label", side.label(f"N={n} {mode}"), "--result", str(result_file)] + ([] if mkdocs else ["--no-mkdocs"])
    subprocess.run(cmd, check=True, cwd=side.repo, env=side.env())
    return json.loads(result_file.read_text(encoding="utf-8"))


def machine() -> str:
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal"))
        ram = f"{mem / 1024 / 1024:.0f} GB RAM"
    except (OSError, StopIteration):
        ram = "? RAM"
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    return (f"{os.cpu_count()} CPU ({model}), {ram}, Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}, load average at end {load:.1f}")


def phase_table(n: int, cold: dict, warm: dict | None) -> str:
    lines = [f"#### N = {n} schools: {cold.get('pages', '?')} generated pages, {cold.get('charts', '?')} charts, "
             f"{cold.get('values', '?')} indicator values",
             "",
             "| phase | cold, s | peak RSS, MB | output | warm, s | warm peak RSS, MB |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for phase in PHASES:
        w_s = f"{warm['seconds'][phase]:.1f}" if warm else "—"
        w_r = f"{warm['rss_mb'][phase]:.0f}" if warm else "—"
        out = fmt_mb(cold["bytes"][phase])
        if phase == "charts":
            out += f" ({cold.get('charts_rendered', '?')} drawn; warm: {warm.get('charts_rendered', '?') if warm else '—'})"
        if phase == "pages" and warm:
            out += f" (warm: {warm.get('schools_reused', 0)} schools' files reused)"
        lines.append(f"| {TITLES[phase]} | {cold['seconds'][phase]:.1f} | {cold['rss_mb'][phase]:.0f} | {out} | "
                     f"{w_s} | {w_r} |")
    w_total = f"{warm['total_seconds']:.1f}" if warm else "—"
    w_peak = f"{warm['peak_rss_mb']:.0f}" if warm else "—"
    lines.append(f"| **total** | **{cold['total_seconds']:.1f}** | **{cold['peak_rss_mb']:.0f}** | "
                 f"**{fmt_mb(cold['site_bytes'])}** | **{w_total}** | **{w_peak}** |")
    lines += ["", f"Before MkDocs: cold {cold['before_mkdocs_seconds']:.1f} s, warm "
              f"{warm['before_mkdocs_seconds']:.1f} s. Keeping the docs folder for the next build "
              f"(after MkDocs): {cold.get('keep_docs_seconds', 0):.2f} s cold, "
              f"{warm.get('keep_docs_seconds', 0):.2f} s warm. " if warm else "",
              f"Search index {fmt_mb(cold['search_index_bytes'])}; school page HTML median "
              f"{fmt_mb(cold['school_html_median'])}, max {fmt_mb(cold['school_html_max'])}; "
              f"HTML files {cold['html_pages']}"
              + (f", largest {cold['largest_html'][1]} {fmt_mb(cold['largest_html'][0])}" if "largest_html" in cold else "")
              + f"; CPU time (all processes) {cold['cpu_seconds']:.0f} s."]
    return "\n".join(lines)


def targets(results: dict[int, dict]) -> str:
    lines = ["| target | measured | met |", "| --- | --- | --- |"]

    def row(name: str, measured: str, ok: bool | None) -> None:
        lines.append(f"| {name} | {measured} | {'—' if ok is None else ('yes' if ok else '**no**')} |")

    sizes = sorted(results)
    if 1000 in results and 5000 in results:
        a, b = results[1000]["cold"], results[5000]["cold"]
        for phase in PHASES:
            ratio = b["seconds"][phase] / max(a["seconds"][phase], 1e-9)
            row(f"{TITLES[phase]}: time(5000)/time(1000) ≤ 5.5", f"{ratio:.2f}", ratio <= 5.5)
        ratio = b["total_seconds"] / a["total_seconds"]
        row("total: time(5000)/time(1000) ≤ 5.5", f"{ratio:.2f}", ratio <= 5.5)
    elif len(sizes) >= 2:
        lo, hi = sizes[-2], sizes[-1]
        a, b = results[lo]["cold"], results[hi]["cold"]
        limit = 5.5 * hi / lo / 5
        for phase in PHASES:
            ratio = b["seconds"][phase] / max(a["seconds"][phase], 1e-9)
            row(f"{TITLES[phase]}: time({hi})/time({lo}) ≤ {limit:.1f} (linear: {hi / lo:.0f})", f"{ratio:.2f}",
                ratio <= limit)
    for n in sizes:
        cold, warm = results[n]["cold"], results[n].get("warm")
        row(f"N={n} cold: before MkDocs ≤ MkDocs", f"{cold['before_mkdocs_seconds']:.1f} s vs "
            f"{cold['seconds']['mkdocs']:.1f} s", cold["before_mkdocs_seconds"] <= cold["seconds"]["mkdocs"])
        if warm:
            share = warm["before_mkdocs_seconds"] / cold["before_mkdocs_seconds"]
            row(f"N={n} warm: before MkDocs ≤ 10 % of cold", f"{share:.0%} ({warm['before_mkdocs_seconds']:.1f} s)",
                share <= 0.10)
        row(f"N={n}: school page HTML ≤ 60 KB", f"max {fmt_mb(cold['school_html_max'])}",
            cold["school_html_max"] <= 60_000)
        if cold.get("pages"):
            per_page = cold["seconds"]["mkdocs"] * 1000 / cold["pages"]
            row(f"N={n} cold: MkDocs ≤ 10 ms per page", f"{per_page:.1f} ms ({cold['pages']} pages)", per_page <= 10)
        if warm:
            share = warm["total_seconds"] / cold["total_seconds"]
            row(f"N={n} warm: whole build, MkDocs included, ≤ 10 % of cold",
                f"{share:.0%} ({warm['total_seconds']:.1f} s of {cold['total_seconds']:.1f} s)", share <= 0.10)
    if 5000 in results:
        peak = max(results[5000]["cold"]["peak_rss_mb"], results[5000].get("warm", {}).get("peak_rss_mb", 0))
        row("N=5000: peak RSS ≤ 2 GB", f"{peak:.0f} MB", peak <= 2048)
    if 1000 in results:
        size = results[1000]["cold"]["search_index_bytes"] or 0
        row("N=1000: search index ≤ 3 MB", fmt_mb(size), size <= 3_000_000)
    if 5000 in results:
        size = results[5000]["cold"]["search_index_bytes"] or 0
        row("N=5000: search index ≤ 1.5 MB", fmt_mb(size), size <= 1_500_000)
    return "\n".join(lines)


COLD_RUNS = 5  # runs of the phases before MkDocs, each from an empty cache; the tables take the fastest
MKDOCS_RUNS = 2  # of them, the last ones also build with MkDocs (so does the first warm run)
WARM_RUNS = 3  # warm rebuilds, each after one more school's figures changed; the tables take the fastest


def runs_of(entry: dict, kind: str, count: int) -> list[dict]:
    return [entry[mode] for mode in [kind] + [f"{kind}{k}" for k in range(2, count + 1)] if mode in entry]


def fastest(runs: list[dict]) -> dict:
    """The first run with MkDocs (else the first), with each phase before MkDocs at the fastest of `runs`."""
    best = json.loads(json.dumps(next((run for run in runs if with_mkdocs(run)), runs[0])))
    for phase in PHASES[:-1]:
        best["seconds"][phase] = min(run["seconds"][phase] for run in runs)
    best["before_mkdocs_seconds"] = min(run["before_mkdocs_seconds"] for run in runs)
    return best


def with_mkdocs(run: dict) -> bool:
    return "total_seconds" in run  # a run without MkDocs reports only its phases before it


def mkdocs_builds(entry: dict) -> list[dict]:
    """A size's builds that ran MkDocs, cold and warm: they give it the same pages but for the
    figures of one to three schools."""
    return [run for run in runs_of(entry, "cold", COLD_RUNS) + runs_of(entry, "warm", WARM_RUNS) if with_mkdocs(run)]


def best_runs(entry: dict) -> dict:
    """{"cold": …, "warm": …}: the fastest cold and warm build (see fastest); MkDocs at the fastest
    of the cold builds with MkDocs, and of the warm ones."""
    out = dict(entry)
    for kind, count in (("cold", COLD_RUNS), ("warm", WARM_RUNS)):
        runs = runs_of(entry, kind, count)
        if not runs:
            continue
        best = fastest(runs)
        # cold and warm apart: a warm build takes the unchanged school pages from the cache
        built = [run for run in runs if with_mkdocs(run)]
        if built:
            best["seconds"]["mkdocs"] = min(run["seconds"]["mkdocs"] for run in built)
        if with_mkdocs(best):
            best["total_seconds"] = best["before_mkdocs_seconds"] + best["seconds"]["mkdocs"]
        out[kind] = best
    return out


def runs_line(entry: dict, title: str = "Runs") -> str:
    """Every run of a size: before MkDocs by phase, then MkDocs."""
    cold, warm = runs_of(entry, "cold", COLD_RUNS), runs_of(entry, "warm", WARM_RUNS)
    built = mkdocs_builds(entry)
    return (f"{title}, before MkDocs (validate / indicators / pages / charts): "
            + "; ".join(f"{run['label']} {run['before_mkdocs_seconds']:.2f} s ("
                        + " / ".join(f"{run['seconds'][p]:.2f}" for p in PHASES[:-1]) + ")"
                        for run in cold + warm)
            + ". MkDocs: " + ", ".join(f"{run['label']} {run['seconds']['mkdocs']:.1f} s" for run in built)
            + ".")


COMPARED = PHASES[:-1] + ("before", "mkdocs", "total")  # rows of the comparison with --baseline


def side_seconds(entry: dict, kind: str, phase: str) -> list[float]:
    """One side's seconds of a phase in each of its runs of one kind (cold or warm) that measured it.
    MkDocs and total only in the runs with MkDocs; unlike the tables, a warm build's MkDocs is not
    pooled with the cold ones: it has measured systematically slower, which would pass for noise."""
    runs = runs_of(entry, kind, COLD_RUNS if kind == "cold" else WARM_RUNS)
    if phase == "before":
        return [run["before_mkdocs_seconds"] for run in runs]
    if phase == "total":
        return [run["total_seconds"] for run in runs if with_mkdocs(run)]
    return [run["seconds"][phase] for run in runs if phase != "mkdocs" or with_mkdocs(run)]


def fmt_s(seconds: float) -> str:
    return f"{seconds:.3f}" if seconds < 1 else f"{seconds:.2f}" if seconds < 100 else f"{seconds:.1f}"


def spread(seconds: list[float]) -> str:
    if len(seconds) < 2:
        return "— (one run)"
    return f"{max(seconds) / min(seconds) - 1:.1%}" if min(seconds) > 0 else "—"


def verdict(base: list[float], ours: list[float]) -> str:
    """Whether ours is slower than the baseline by more than the baseline's own spread (max/min − 1)."""
    if min(base) <= 0:
        return "can't tell: the baseline measured 0 s"
    change = min(ours) / min(base) - 1
    if len(base) < 2:
        return f"can't tell: one baseline run, so no spread to compare with (ours {change:+.1%})"
    noise = max(base) / min(base) - 1
    if change > noise:
        return f"ours is **slower** than the baseline by more than the baseline's spread ({change:+.1%} > {noise:.1%})"
    faster = min(base) / min(ours) - 1 > noise  # the same test the other way round
    return (f"ours is not slower than the baseline by more than the baseline's spread ({change:+.1%} ≤ {noise:.1%})"
            + ("; it is faster by more than that spread" if faster else ""))


def comparison(n: int, base: dict, ours: dict) -> str:
    titles = {**TITLES, "before": "before MkDocs"}
    lines = [f"#### N = {n}: ours vs baseline", "",
             "| phase | runs, baseline / ours | baseline fastest, s | baseline min–max, s | baseline spread | "
             "ours fastest, s | ours min–max, s | ours spread | ours / baseline |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    said = []
    for kind in ("cold", "warm"):
        for phase in COMPARED:
            b, o = side_seconds(base, kind, phase), side_seconds(ours, kind, phase)
            if not b or not o:
                continue
            name = f"{kind}: {titles[phase]}"
            ratio = f"{min(o) / min(b):.3f}" if min(b) > 0 else "—"
            lines.append(f"| {name} | {len(b)} / {len(o)} | {fmt_s(min(b))} | {fmt_s(min(b))}–{fmt_s(max(b))} | "
                         f"{spread(b)} | {fmt_s(min(o))} | {fmt_s(min(o))}–{fmt_s(max(o))} | {spread(o)} | {ratio} |")
            said.append(f"- {name}: {verdict(b, o)}.")
    return "\n".join(lines + [""] + said + ["", runs_line(base, "Baseline runs")])


def report(results: dict[int, dict], args, changes: dict[int, list[str]],
           baseline: tuple[dict, dict[int, dict]] | None = None) -> str:
    """The tables; with `baseline` (what it is, and its runs per size), a comparison after them."""
    raw = results
    results = {n: best_runs(entry) for n, entry in results.items()}
    parts = [f"### Benchmark: {args.years} years, {args.indicators} indicators, seed {args.seed}", "",
             f"Machine: {machine()}.", "",
             f"Cold: each phase before MkDocs at the fastest of {COLD_RUNS} cold runs (empty cache each time); "
             f"warm: at the fastest of {WARM_RUNS} warm runs (each after one more school's figures changed); "
             f"MkDocs (the whole stage: MkDocs, the reused school pages, the generator's files linked in, pruning) "
             f"at the fastest of the last {MKDOCS_RUNS} cold builds, which ran with it; warm MkDocs: the first "
             "warm build, the only one with it, which takes the unchanged school pages from the cache the last cold "
             "build left.", ""]
    for n in sorted(results):
        parts += [phase_table(n, results[n]["cold"], results[n].get("warm")), ""]
        parts += [runs_line(raw[n]), ""]
        if n in changes:
            parts += ["Warm rebuilds after changing, one more each time: " + "; ".join(changes[n]) + ".", ""]
    parts += ["#### Targets", "", targets(results), ""]
    if baseline is not None:
        about, base = baseline
        parts += ["### Ours vs baseline", "",
                  f"Ours: {REPO} at {about.get('ours', '?')}; baseline: {about.get('dir', '?')} at "
                  f"{about.get('commit', '?')}. Every timed build ran twice, right after each other: by our "
                  "code and by the baseline's (its own child and generator), the order swapped every round "
                  "(ours first in odd rounds), on the same data, each with "
                  "folders and a cache of its own (a side's warm builds reuse the cache of its own last cold "
                  f"build). Fastest: the fastest of a side's runs of that kind ({COLD_RUNS} cold, MkDocs and "
                  f"total in the last {MKDOCS_RUNS} of them; {WARM_RUNS} warm, MkDocs and total in the first); "
                  "min–max and spread (slowest / fastest − 1) over the same runs: a difference within the "
                  "baseline's spread is within this run's own noise.", ""]
        for n in sorted(set(raw) & set(base)):
            parts += [comparison(n, base[n], raw[n]), ""]
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--years", type=int, default=6)
    parser.add_argument("--indicators", type=int, default=12)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", default=str(REPO / "bench-output"))
    parser.add_argument("--no-warm", action="store_true", help="only cold builds")
    parser.add_argument("--report", action="store_true",
                        help="only print the tables from the result-*.json files already in --out "
                             "(with the comparison, if baseline-*.json files are there too)")
    parser.add_argument("--baseline", metavar="DIR",
                        help="another checkout of this repository (an older commit): run every timed build "
                             "by its code too, alternating with ours, and compare")
    # internal: one build in this process
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    parser.add_argument("--work", help=argparse.SUPPRESS)
    parser.add_argument("--cache", help=argparse.SUPPRESS)
    parser.add_argument("--label", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    parser.add_argument("--no-mkdocs", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        result = child(Path(args.data), Path(args.work), Path(args.cache), args.label, not args.no_mkdocs)
        Path(args.result).write_text(json.dumps(result, indent=1), encoding="utf-8")
        return 0

    synth = import_module(SYNTH)  # the one generator module the parent imports

    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    results: dict[int, dict] = {}
    changes: dict[int, list[str]] = {}
    if args.report:  # tables from the builds that have finished (e.g. while N=5000 is still running)
        for path in sorted(out.glob("result-*-*.json")):
            _, n, mode = path.stem.split("-")
            results.setdefault(int(n), {})[mode] = json.loads(path.read_text(encoding="utf-8"))
            change = out / f"change-{n}.txt"
            if change.exists():
                changes[int(n)] = change.read_text(encoding="utf-8").splitlines()
        results = {n: r for n, r in results.items() if any(with_mkdocs(run) for run in runs_of(r, "cold", COLD_RUNS))}
        base: dict[int, dict] = {}
        for path in sorted(out.glob("baseline-*-*.json")):
            _, n, mode = path.stem.split("-")
            base.setdefault(int(n), {})[mode] = json.loads(path.read_text(encoding="utf-8"))
        base = {n: r for n, r in base.items() if any(with_mkdocs(run) for run in runs_of(r, "cold", COLD_RUNS))}
        info = out / "baseline.json"
        print(report(results, args, changes,
                     (json.loads(info.read_text(encoding="utf-8")) if info.exists() else {}, base) if base else None))
        return 0
    sides = [OURS]
    baseline: Side | None = None
    about: dict[str, str] = {}
    if args.baseline:  # checked before anything is deleted
        baseline = baseline_side(args.baseline, out)
        sides.append(baseline)
        about = {"dir": str(baseline.repo), "commit": describe(baseline.repo), "ours": describe(REPO)}
    scratch = Scratch(out)
    scratch.delete(everything=True)  # an earlier `make bench`'s folders (the wait overlaps the data's writing)
    (out / "results-baseline.json").unlink(missing_ok=True)  # an earlier run's; results.json is rewritten too
    if baseline is not None:  # the baseline results of other sizes may be another baseline's
        for stale in out.glob("baseline-*-*.json"):
            stale.unlink()
        (out / "baseline.json").write_text(json.dumps(about, indent=1), encoding="utf-8")
    results_of: dict[Side, dict[int, dict]] = {side: {} for side in sides}
    results = results_of[OURS]
    for n in args.sizes:
        data = out / f"data-{n}"
        print(f"N={n}: синтетические данные → {data}", file=sys.stderr, flush=True)
        if data.exists():
            shutil.rmtree(data)
        synth.write(synth.generate(n, args.years, args.indicators, args.seed), data)  # for both sides
        for stale in [*out.glob(f"result-{n}-*.json"), *out.glob(f"baseline-{n}-*.json")]:
            stale.unlink()
        for side in sides:
            results_of[side][n] = {}

    def compared() -> tuple[dict, dict[int, dict]] | None:
        if baseline is None:
            return None
        return about, {n: r for n, r in results_of[baseline].items()
                       if any(with_mkdocs(run) for run in runs_of(r, "cold", COLD_RUNS))}

    def save() -> None:
        # a size enters the tables once a cold build of it ran MkDocs (the last rounds do)
        done = {n: r for n, r in results.items() if any(with_mkdocs(run) for run in runs_of(r, "cold", COLD_RUNS))}
        (out / "results.json").write_text(json.dumps({str(k): v for k, v in done.items()}, indent=1),
                                          encoding="utf-8")
        if baseline is not None:
            (out / "results-baseline.json").write_text(
                json.dumps({str(k): v for k, v in compared()[1].items()}, indent=1), encoding="utf-8")
        (out / "results.md").write_text(report(done, args, changes, compared()), encoding="utf-8")

    # The cold runs alternate between the sizes (100, 1000, 5000, 100, 1000, 5000, …): this machine
    # has slow and fast spells minutes long, and the ratios compare sizes, so each size gets runs in
    # the same spells. The last MKDOCS_RUNS rounds include MkDocs (so the warm builds start from a
    # cache a full build left, as a publish after a publish does); the others repeat the phases before it. In the last round each size's warm builds follow its cold run at once (same spell
    # again: the warm target compares the two), starting from the cache that run left; each warm
    # build changes one more school, so each has exactly one school to redo.
    # With --baseline, each build is run by ours and at once by the baseline's code, the order
    # swapped every round (A B, B A, A B, …): both sides get every spell of the machine alike, and
    # neither always runs second (in A/A runs the second of a pair was 4–24 % slower in MkDocs).
    for k in range(1, COLD_RUNS + 1):
        for n in args.sizes:
            mode = "cold" if k == 1 else f"cold{k}"
            used: list[Path] = []
            caches: dict[Side, Path] = {}
            for side in (sides if k % 2 else sides[::-1]):
                cache = scratch.folder(side.folder(f"cache-{n}-{mode}"))  # cold means an empty cache of its own
                results_of[side][n][mode] = run_child(args, scratch, n, out / f"data-{n}", mode, cache,
                                                      mkdocs=k > COLD_RUNS - MKDOCS_RUNS, side=side)
                save()
                used += [scratch.folder(side.folder(f"work-{n}-{mode}")), cache]
                caches[side] = cache
            if k == COLD_RUNS and not args.no_warm:
                data, changes[n] = out / f"data-{n}", []
                for w in range(1, WARM_RUNS + 1):
                    warm = "warm" if w == 1 else f"warm{w}"
                    changed = out / f"data-{n}-{warm}"  # the same changed data for both sides
                    changes[n].append(change_one_school(data, changed, nth=w - 1))
                    (out / f"change-{n}.txt").write_text("\n".join(changes[n]) + "\n", encoding="utf-8")
                    for side in (sides if w % 2 else sides[::-1]):  # each side's chain: its last cold build's cache
                        results_of[side][n][warm] = run_child(args, scratch, n, changed, warm, caches[side],
                                                              mkdocs=w == 1, side=side)
                        save()
                        used.append(scratch.folder(side.folder(f"work-{n}-{warm}")))
                    data = changed
            scratch.discard(*used)
    scratch.delete(everything=True)
    text = report(results, args, changes, compared())
    print(text)
    print(f"(также в {out / 'results.md'})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
