"""Yearly snapshots: `python -m generator snapshot YEAR` freezes the site of a reporting year.

Layout of the archive (a folder next to the data folder, `archive/` in the repository):

    archive/<year>/site/        the built site of that year (relative links: works under /archive/<year>/)
    archive/<year>/data/        the input data the snapshot was built from (the year's view of data/)
    archive/<year>/manifest.json  sha256 of every file above, when and from what it was made
    archive/corrections.yml     public list of re-frozen years: year, date, reason

Snapshots are immutable. Nothing here writes into an existing `archive/<year>/` except a re-freeze
with an explicit `--correction "reason"`, which replaces the folder in one rename and records the
correction. The main build (`copy_archive` in site_build.py → `apply_archive` here) verifies every
snapshot against its manifest and copies `site/` and `manifest.json` byte for byte into
`<site>/archive/<year>/`; the raw input data is never published (it holds small groups that the
site suppresses).

A snapshot of year Y is a normal build of a derived data folder: `current_year: Y`, `as_of` capped at
31 December of Y (or `--date`), rows of later years dropped from every CSV with a `year` column,
programmes and roadmaps approved later dropped, roadmap reports and news dated later dropped
(practices are kept: the bank of practices is not tied to a year, and news of the year link to them). During that build a context variable tells `apply_archive` to mark the pages as archived
(banner, header switcher, title) instead of copying the archive.
"""
from __future__ import annotations

import contextvars
import csv
import hashlib
import io
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from .errors import DataErrors, InputError
from .files import write_atomic
from .site_build import TEMPLATES, prune_site
from .markdown_text import russian_date

ARCHIVE = "archive"
MANIFEST = "manifest.json"
CORRECTIONS = "corrections.yml"
FORMAT = 1
YEAR_DIR = re.compile(r"^(19|20)\d\d$")
REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Correction:
    year: int
    date: date
    reason: str


@dataclass(frozen=True)
class Freezing:
    """What the build of a snapshot needs to know (set only while `freeze` builds)."""
    year: int
    created_at: date
    older_years: tuple[int, ...]
    correction: Correction | None


@dataclass(frozen=True)
class Frozen:
    year: int
    path: Path
    files: int
    size: int
    created_at: date
    dropped: dict[str, int]
    correction: Correction | None


_FREEZING: contextvars.ContextVar[Freezing | None] = contextvars.ContextVar("freezing", default=None)


# --- checksums ------------------------------------------------------------------------------------

def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def tree_hashes(root: Path) -> dict[str, str]:
    """Relative POSIX path → sha256 of every regular file under `root`, sorted by path."""
    out: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        if path.is_symlink():
            raise InputError(f"{path}: ссылки (symlink) в архиве не допускаются")
        if path.is_file():
            out[path.relative_to(root).as_posix()] = sha256_file(path)
    return out


def combined(hashes: dict[str, str]) -> str:
    """One checksum for a set of files (same format as `sha256sum` output, sorted)."""
    lines = "".join(f"{sha}  {name}\n" for name, sha in sorted(hashes.items()))
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


def generator_fingerprint() -> str:
    """Checksum of the code, templates and hand-written content that turn data into the site."""
    files = sorted([*REPO.glob("generator/*.py"), *(p for p in (REPO / "templates").rglob("*") if p.is_file()),
                    *REPO.glob("content/*.md"), REPO / "mkdocs.yml"])
    return combined({p.relative_to(REPO).as_posix(): sha256_file(p) for p in files if p.is_file()})


def generator_version() -> str:
    match = re.search(r'^version\s*=\s*"([^"]+)"', (REPO / "pyproject.toml").read_text(encoding="utf-8"), re.M)
    return match.group(1) if match else "unknown"


# --- archive contents ----------------------------------------------------------------------------

def archive_dir_for(data_dir: Path) -> Path:
    """The archive lives next to the data folder: <repo>/data → <repo>/archive."""
    return data_dir.resolve().parent / ARCHIVE


def archived_years(archive_dir: Path) -> list[int]:
    if not archive_dir.is_dir():
        return []
    return sorted(int(p.name) for p in archive_dir.iterdir()
                  if p.is_dir() and not p.is_symlink() and YEAR_DIR.match(p.name))


def read_manifest(snapshot: Path, year: int | None = None) -> dict:
    path = snapshot / MANIFEST
    year = int(snapshot.name) if year is None else year
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: нет файла manifest.json — это не архивная версия "
                         f"(создавайте архив только командой python -m generator snapshot ГОД)") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InputError(f"{path}: файл не читается как JSON ({err})") from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict) \
            or manifest.get("year") != year:
        raise InputError(f"{path}: ожидался манифест архивной версии за {year} год "
                         f"(поля year и files)")
    return manifest


def verify(root: Path, manifest: dict, prefix: str = "") -> list[str]:
    """Differences between the files under `root` and the manifest entries starting with `prefix`.

    `prefix="site/"` checks a published copy (only the site part, the prefix stripped from names).
    """
    expected = {name[len(prefix):]: sha for name, sha in manifest["files"].items() if name.startswith(prefix)}
    actual = tree_hashes(root)
    if not prefix:
        actual.pop(MANIFEST, None)
    elif MANIFEST not in expected:
        actual.pop(MANIFEST, None)
    problems = [f"файл изменён: {name}" for name in sorted(expected) if name in actual and actual[name] != expected[name]]
    problems += [f"файл удалён: {name}" for name in sorted(expected) if name not in actual]
    problems += [f"лишний файл: {name}" for name in sorted(actual) if name not in expected]
    return problems


def verify_snapshot(snapshot: Path, year: int | None = None) -> list[str]:
    return verify(snapshot, read_manifest(snapshot, year))


def read_corrections(archive_dir: Path) -> list[Correction]:
    path = archive_dir / CORRECTIONS
    if not path.is_file():
        return []
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise InputError(f"{path}: файл не читается как YAML ({err})") from None
    if not isinstance(doc, list):
        raise InputError(f"{path}: ожидался список исправлений (- year: …, date: …, reason: …)")
    out = []
    for number, item in enumerate(doc, 1):
        if not (isinstance(item, dict) and isinstance(item.get("year"), int) and isinstance(item.get("date"), date)
                and isinstance(item.get("reason"), str) and item["reason"].strip()):
            raise InputError(f"{path}: запись {number}: ожидались year (год), date (ГГГГ-ММ-ДД) и reason (текст)")
        out.append(Correction(item["year"], item["date"], item["reason"].strip()))
    return out


def _append_correction(archive_dir: Path, correction: Correction) -> None:
    path = archive_dir / CORRECTIONS
    items = [{"year": c.year, "date": c.date, "reason": c.reason} for c in read_corrections(archive_dir)]
    items.append({"year": correction.year, "date": correction.date, "reason": correction.reason})
    header = ("# Исправления архивных версий сайта. Файл пишет команда\n"
              "# python -m generator snapshot ГОД --correction \"причина\"; список публикуется на странице «Архив».\n")
    body = yaml.safe_dump(items, allow_unicode=True, sort_keys=False, default_flow_style=False, width=1000)
    write_atomic(path, (header + body).encode("utf-8"))


# --- the year's view of the data ----------------------------------------------------------------

def _parse_date(value: object) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        for pattern, order in ((r"^(\d{4})-(\d{2})-(\d{2})$", (1, 2, 3)), (r"^(\d{2})\.(\d{2})\.(\d{4})$", (3, 2, 1))):
            match = re.match(pattern, value.strip())
            if match:
                try:
                    return date(*(int(match.group(i)) for i in order))
                except ValueError:
                    return None
    return None


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: object) -> bool:  # the data reader refuses anchors/aliases
        return True


def _dump_yaml(doc: object) -> str:
    return yaml.dump(doc, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)


def _filter_csv(raw: bytes, year: int) -> tuple[bytes, int]:
    """Drop rows whose `year` is later than `year`; keep encoding and separator. (bytes, rows dropped)."""
    try:
        text_, encoding = raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        text_, encoding = raw.decode("cp1251"), "cp1251"
    lines = text_.splitlines()
    if not lines:
        return raw, 0
    separator = ";" if lines[0].count(";") > lines[0].count(",") else ","
    rows = list(csv.reader(io.StringIO(text_), delimiter=separator))
    header = [h.strip() for h in rows[0]]
    if "year" not in header:
        return raw, 0
    column = header.index("year")
    keep = [rows[0]]
    for row in rows[1:]:
        value = row[column].strip() if column < len(row) else ""
        if value.isdigit() and int(value) > year:
            continue
        keep.append(row)
    dropped = len(rows) - len(keep)
    if not dropped:
        return raw, 0
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=separator, lineterminator="\n").writerows(keep)
    return buffer.getvalue().encode(encoding), dropped


def derive_year_data(source: Path, dataset, year: int, cutoff: date, target: Path) -> dict[str, int]:
    """Write the year's view of `source` into `target`; return what was dropped (file → count)."""
    dropped: dict[str, int] = {}
    late_programmes = {p.code for p in dataset.programmes if p.approved.date and p.approved.date > cutoff}
    skip_files = {p.source.file for p in dataset.programmes if p.code in late_programmes}
    skip_files |= {r.source.file for r in dataset.roadmaps
                   if r.programme in late_programmes or (r.approved.date and r.approved.date > cutoff)}
    skip_files |= {n.source.file for n in dataset.news if n.date > cutoff}
    # Practices and documents that appeared after the cutoff were not on that year's site, unless
    # something kept still points at them (then dropping them would break the kept item).
    kept_news = [n for n in dataset.news if n.date <= cutoff]
    cited = {slug for n in kept_news for slug in n.practices}
    late_practices = {p.slug for p in dataset.practices if p.date > cutoff and p.slug not in cited}
    skip_files |= {p.source.file for p in dataset.practices if p.slug in late_practices}
    cited_documents = {code for n in kept_news for code in n.documents} | {
        m.document for p in dataset.practices if p.slug not in late_practices for m in p.materials if m.document}
    late_documents = {d.code for d in dataset.documents
                      if d.date and d.date > cutoff and d.code not in cited_documents}
    kept_files = {d.file for d in dataset.documents if d.file and d.code not in late_documents}
    skip_files |= {d.file for d in dataset.documents if d.code in late_documents and d.file not in kept_files}
    for path in sorted(source.rglob("*")):
        name = path.relative_to(source).as_posix()
        if path.is_dir() or path.is_symlink() or any(part.startswith(".") for part in path.relative_to(source).parts):
            continue
        out = target / name
        out.parent.mkdir(parents=True, exist_ok=True)
        if name in skip_files:
            folder = name.split("/", 1)[0]
            dropped[f"{folder}/ (файлов)"] = dropped.get(f"{folder}/ (файлов)", 0) + 1
            continue
        raw = path.read_bytes()
        if name == "site.yml":
            doc = yaml.safe_load(raw.decode("utf-8-sig"))
            doc["current_year"] = year
            doc["as_of"] = cutoff
            out.write_text(_dump_yaml(doc), encoding="utf-8", newline="\n")
            continue
        if "/" not in name and name.endswith(".csv"):
            raw, count = _filter_csv(raw, year)
            if count:
                dropped[name] = count
        elif name == "documents.yml" and late_documents:
            doc = yaml.safe_load(raw.decode("utf-8-sig"))
            kept = [d for d in doc if not (isinstance(d, dict) and d.get("code") in late_documents)]
            dropped["documents.yml"] = len(doc) - len(kept)
            raw = _dump_yaml(kept).encode("utf-8")
        elif name.startswith("roadmaps/") and name.endswith((".yml", ".yaml")):
            doc = yaml.safe_load(raw.decode("utf-8-sig"))
            count = 0
            for section in (doc or {}).get("sections") or []:
                for item in (section or {}).get("items") or []:
                    reports = (item or {}).get("reports")
                    if isinstance(reports, list):
                        kept = [r for r in reports if not (isinstance(r, dict) and (_parse_date(r.get("date")) or cutoff) > cutoff)]
                        count += len(reports) - len(kept)
                        item["reports"] = kept
            if count:
                dropped["roadmaps/ (отчётов)"] = dropped.get("roadmaps/ (отчётов)", 0) + count
                raw = _dump_yaml(doc).encode("utf-8")
        out.write_bytes(raw)
    return dropped


# --- freezing --------------------------------------------------------------------------------------

def exchange(new: Path, old: Path) -> None:
    """Put directory `new` in place of `old` (which may not exist) in one step; `new` then holds the old one.

    Linux renameat2(RENAME_EXCHANGE) swaps two directories atomically: a reader sees either the old or
    the new tree, never none. Elsewhere, two renames (a window of microseconds without `old`).
    """
    if not old.exists():
        os.rename(new, old)
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
        renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        at_fdcwd, rename_exchange = -100, 2
        if renameat2(at_fdcwd, os.fsencode(new), at_fdcwd, os.fsencode(old), rename_exchange) == 0:
            return
    except (OSError, AttributeError):
        pass
    aside = old.with_name(f".{old.name}.old-{os.getpid()}")
    os.rename(old, aside)
    try:
        os.rename(new, old)
    except OSError:
        os.rename(aside, old)
        raise
    os.rename(aside, new)


def freeze(data_dir: Path, year: int, archive_dir: Path | None = None, when: date | None = None,
           correction: str | None = None, correction_date: date | None = None, progress: bool = True) -> Frozen:
    """Build the site of `year` into archive/<year>/ (refused if it exists, unless `correction` is given)."""
    from .site_build import build_site  # imported here: site_build imports this module
    from .validation import validate

    archive_dir = (archive_dir or archive_dir_for(data_dir)).resolve()
    target = archive_dir / str(year)
    if correction is not None and not correction.strip():
        raise InputError("укажите причину исправления: --correction \"что и почему исправлено\"")
    if target.exists() and correction is None:
        created = ""
        try:
            created = f", создана {read_manifest(target).get('created_at', '?')}"
        except InputError:
            pass
        raise InputError(
            f"архивная версия за {year} год уже есть ({target}{created}). Архивные версии не меняются. "
            f"Если в ней ошибка, заморозьте год заново, указав причину — она будет опубликована на странице "
            f"«Архив»: python -m generator snapshot {year} --correction \"что и почему исправлено\"")
    if target.exists() and not (target / MANIFEST).is_file():
        raise InputError(f"{target} существует, но это не архивная версия (нет manifest.json): уберите папку")
    if correction is not None and not target.exists():
        raise InputError(f"архивной версии за {year} год нет — исправлять нечего; уберите --correction")
    previous = sha256_file(target / MANIFEST) if correction is not None else None

    dataset = validate(data_dir).dataset
    current = dataset.site.current_year
    if year > current:
        raise InputError(f"нельзя заморозить {year} год: в данных текущий отчётный год {current} "
                         f"(current_year в site.yml), данных за {year} год ещё нет")
    if not any(s.year == year for s in dataset.statuses):
        raise InputError(f"в statuses.csv нет ни одной строки за {year} год: замораживать нечего")
    end_of_year = date(year, 12, 31)
    cutoff = min(d for d in (end_of_year, dataset.site.as_of, when) if d is not None)
    created_at = when or cutoff
    fix = Correction(year, correction_date or date.today(), " ".join(correction.split())) if correction else None

    archive_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{year}.freeze-", dir=archive_dir))
    try:
        dropped = derive_year_data(data_dir, dataset, year, cutoff, work / "data")
        older = tuple(y for y in archived_years(archive_dir) if y < year)
        token = _FREEZING.set(Freezing(year, created_at, older, fix))
        try:
            build_site(work / "data", work / "site", progress=progress)
        except DataErrors as err:
            shown = "\n".join(f"  {p}" for p in err.problems[:20])
            raise InputError(
                f"данные прошли проверку, но их срез за {year} год (строки и документы позже {cutoff:%d.%m.%Y} "
                f"убраны) — нет: ошибок {len(err.problems)}:\n{shown}\nОбычно это ссылка из документа {year} года "
                f"на более поздний; исправьте ссылку или заморозьте год с более поздней датой (--date)") from None
        finally:
            _FREEZING.reset(token)
        prune_site(work / "site")
        files = tree_hashes(work)
        manifest = {
            "format": FORMAT,
            "year": year,
            "created_at": created_at.isoformat(),
            "as_of": cutoff.isoformat(),
            "generator": {"name": "shnor-site", "version": generator_version(), "sha256": generator_fingerprint()},
            "source": {
                "data_sha256": combined(tree_hashes(data_dir)),
                "current_year": current,
                "as_of": dataset.site.as_of.isoformat() if dataset.site.as_of else None,
                "derived": f"current_year = {year}, as_of = {cutoff.isoformat()}; удалены строки и документы "
                           f"позже этого года и этой даты",
                "dropped": dict(sorted(dropped.items())),
            },
            "correction": None if fix is None else {
                "date": fix.date.isoformat(), "reason": fix.reason, "replaces_manifest_sha256": previous},
            "input_sha256": combined({k: v for k, v in files.items() if k.startswith("data/")}),
            "site_sha256": combined({k: v for k, v in files.items() if k.startswith("site/")}),
            "totals": {"files": len(files), "bytes": sum((work / k).stat().st_size for k in files)},
            "files": files,
        }
        (work / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8",
                                     newline="\n")
        problems = verify_snapshot(work, year)
        assert not problems, problems
        for path in [work, *work.rglob("*")]:  # read-only: an accidental edit needs a deliberate chmod
            if path.is_file():
                path.chmod(0o444)
        exchange(work, target)
        if fix is not None:
            _append_correction(archive_dir, fix)
    finally:
        _rmtree(work)
    return Frozen(year, target, manifest["totals"]["files"], manifest["totals"]["bytes"], created_at,
                  dropped, fix)


def _rmtree(path: Path) -> None:
    def make_writable(func, name, _exc):  # read-only files of a replaced snapshot
        os.chmod(os.path.dirname(name), 0o755)
        os.chmod(name, 0o644)
        func(name)

    if path.exists():
        shutil.rmtree(path, onerror=make_writable)


# --- the main build: publish the archive ---------------------------------------------------------

def _page(template: str, bytecode: Path | None, **context: object) -> str:
    from .pages import environment  # the same filters as every other page

    return environment(TEMPLATES, bytecode).get_template(template).render(**context)


def _snapshot_page(info: Freezing, bytecode: Path | None) -> str:
    return _page("archive-snapshot.md.j2", bytecode, year=info.year, created_at=info.created_at, correction=info.correction)


def _archive_page(current_year: int, years: list[tuple[int, dict]], corrections: list[Correction],
                  bytecode: Path | None) -> str:
    versions = [{"year": year, "created_at": _parse_date(manifest.get("created_at")),
                 "corrected": bool(manifest.get("correction"))} for year, manifest in sorted(years, reverse=True)]
    return _page("archive.md.j2", bytecode, current_year=current_year, versions=versions,
                 corrections=sorted(corrections, key=lambda c: (c.date, c.year)))


def apply_archive(dataset, data_dir: Path, docs: Path, config: dict, bytecode: Path | None = None) -> None:
    """Called by site_build.copy_archive before the MkDocs config is written. `bytecode`: a folder
    for compiled templates (pages.environment)."""
    extra = config.setdefault("extra", {})
    info = _FREEZING.get()
    if info is not None:
        extra["snapshot"] = {
            "year": info.year, "created_at": info.created_at.isoformat(),
            "created_at_text": russian_date(info.created_at), "older": list(info.older_years),
            "correction": None if info.correction is None else {
                "date": info.correction.date.isoformat(), "date_text": russian_date(info.correction.date),
                "reason": " ".join(info.correction.reason.split())},
        }
        config["site_name"] = f"{config.get('site_name', '')} — архив {info.year} года"
        if config.get("site_url"):
            config["site_url"] = config["site_url"].rstrip("/") + f"/{ARCHIVE}/{info.year}/"
        (docs / "archive.md").write_text(_snapshot_page(info, bytecode), encoding="utf-8", newline="\n")
        return

    archive_dir = archive_dir_for(data_dir)
    years: list[tuple[int, dict]] = []
    for year in archived_years(archive_dir):
        snapshot = archive_dir / str(year)
        manifest = read_manifest(snapshot)
        problems = verify(snapshot, manifest)
        if problems:
            shown = "; ".join(problems[:5]) + (f" и ещё {len(problems) - 5}" if len(problems) > 5 else "")
            raise InputError(f"архивная версия {snapshot} не совпадает со своим manifest.json ({shown}). "
                             f"Архивные версии не меняются: верните файлы (git checkout -- {ARCHIVE}/{year}) "
                             f"или заморозьте год заново с --correction \"причина\"")
        # copyfile: the bytes, not the read-only mode of the archive files
        shutil.copytree(snapshot / "site", docs / ARCHIVE / str(year), copy_function=shutil.copyfile)
        shutil.copyfile(snapshot / MANIFEST, docs / ARCHIVE / str(year) / MANIFEST)
        years.append((year, manifest))
    corrections = read_corrections(archive_dir)
    current = dataset.site.current_year
    (docs / "archive.md").write_text(_archive_page(current, years, corrections, bytecode), encoding="utf-8", newline="\n")
    versions = [{"version": str(current), "title": f"{current} (актуальная версия)", "aliases": ["latest"],
                 "path": ""}]
    versions += [{"version": f"{ARCHIVE}/{y}", "title": f"{y} (архив)", "aliases": [], "path": f"{ARCHIVE}/{y}/"}
                 for y, _ in sorted(years, reverse=True)]
    (docs / "versions.json").write_text(json.dumps(versions, ensure_ascii=False, indent=1) + "\n", encoding="utf-8",
                                        newline="\n")
    extra["current_year"] = current
    extra["versions"] = [y for y, _ in sorted(years, reverse=True)]
