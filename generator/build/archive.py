"""The archive of yearly snapshots as the main build publishes it, and a snapshot's own build.

Layout of the archive (a folder next to the data folder, `archive/` in the repository):

    archive/<year>/site/        the built site of that year (relative links: works under /archive/<year>/)
    archive/<year>/data/        the input data the snapshot was built from (the year's view of data/)
    archive/<year>/manifest.json  sha256 of every file above, when and from what it was made
    archive/corrections.yml     public list of re-frozen years: year, date, reason

The main build (`apply_archive`) verifies every snapshot against its manifest and copies `site/`
and `manifest.json` byte for byte into `<site>/archive/<year>/`; the raw input data is never
published (it holds small groups that the site suppresses). The build of a snapshot itself
(release/snapshot.py, `freeze`) passes a `SnapshotBuild`: its pages are then marked as archived
(banner, header switcher, title) instead. Snapshots are written only by release/snapshot.py.
"""
from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from generator.errors import InputError
from generator.files import sha256_file
from generator.load.fields import date_or_none
from generator.render.environment import environment
from generator.render.markdown_text import russian_date
from generator.paths import ARCHIVE, PAGE_TEMPLATES

MANIFEST = "manifest.json"
CORRECTIONS = "corrections.yml"
YEAR_DIR = re.compile(r"^(19|20)\d\d$")


@dataclass(frozen=True)
class Correction:
    year: int
    date: date
    reason: str


@dataclass(frozen=True)
class SnapshotBuild:
    """What the build of a snapshot needs to know: given to build_site only by `freeze`."""
    year: int
    created_at: date
    older_years: tuple[int, ...]
    correction: Correction | None


# --- reading and checking snapshots -----------------------------------------------------------------

def tree_hashes(root: Path, skip: str | None = None) -> dict[str, str]:
    """Relative POSIX path → sha256 of every regular file under `root`, sorted by path; `skip`: a
    top-level folder left out (a site project's own archive/ when hashing its data)."""
    out: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        if skip is not None and path.relative_to(root).parts[0] == skip:
            continue
        if path.is_symlink():
            raise InputError(f"{path}: ссылки (symlink) в архиве не допускаются")
        if path.is_file():
            out[path.relative_to(root).as_posix()] = sha256_file(path)
    return out


# --- archive contents ----------------------------------------------------------------------------

def archive_dir_for(project: Path) -> Path:
    """A site project keeps its frozen years in its own archive/ folder."""
    return project.resolve() / ARCHIVE


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



# --- the main build: publish the archive ---------------------------------------------------------

def _page(template: str, bytecode: Path | None, **context: object) -> str:
    return environment(PAGE_TEMPLATES, bytecode).get_template(template).render(**context)


def _snapshot_page(info: SnapshotBuild, bytecode: Path | None) -> str:
    return _page("archive-snapshot.md.j2", bytecode, year=info.year, created_at=info.created_at, correction=info.correction)


def _archive_page(current_year: int, years: list[tuple[int, dict]], corrections: list[Correction],
                  bytecode: Path | None) -> str:
    versions = [{"year": year, "created_at": date_or_none(manifest.get("created_at")),
                 "corrected": bool(manifest.get("correction"))} for year, manifest in sorted(years, reverse=True)]
    return _page("archive.md.j2", bytecode, current_year=current_year, versions=versions,
                 corrections=sorted(corrections, key=lambda c: (c.date, c.year)))


def apply_archive(dataset, data_dir: Path, docs: Path, config: dict, bytecode: Path | None = None,
                  snapshot: SnapshotBuild | None = None) -> None:
    """Publish archive/<year>/ snapshots and the «Архив» page, or — building `snapshot` — mark the
    pages as archived. Called by the build before the MkDocs config is written; sets `extra`
    (versions, snapshot) for the header switcher and the banner. `bytecode`: a folder for compiled
    templates (render.environment)."""
    extra = config.setdefault("extra", {})
    info = snapshot
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
