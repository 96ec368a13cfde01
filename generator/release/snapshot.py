"""Yearly snapshots: `python -m generator snapshot YEAR` freezes the site of a reporting year.

A snapshot of year Y is a normal build (build/site.py) of the year's view of the data
(release/year_data.py), given a `SnapshotBuild` so that its pages are marked as archived; the
result and its input go into archive/<year>/ with a manifest of checksums (layout: build/archive.py).

Snapshots are immutable. Nothing here writes into an existing `archive/<year>/` except a re-freeze
with an explicit `--correction "reason"`, which replaces the folder in one rename and records the
correction in archive/corrections.yml.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from generator.errors import DataErrors, InputError
from generator.files import combined, exchange, sha256_file, write_atomic
from generator.load.validation import validate
from generator.load.yaml_files import dump_yaml
from generator.build.archive import (ARCHIVE, CORRECTIONS, MANIFEST, Correction, SnapshotBuild, archive_dir_for,
                                     archived_years, read_corrections, read_manifest, tree_hashes,
                                     verify_snapshot)
from generator.build.mkdocs_stage import prune_site
from generator.build.site import build_site
from generator.release.year_data import derive_year_data
from generator.version import fingerprint, generator_version

FORMAT = 1


@dataclass(frozen=True)
class Frozen:
    year: int
    path: Path
    files: int
    size: int
    created_at: date
    dropped: dict[str, int]
    correction: Correction | None


def _append_correction(archive_dir: Path, correction: Correction) -> None:
    path = archive_dir / CORRECTIONS
    items = [{"year": c.year, "date": c.date, "reason": c.reason} for c in read_corrections(archive_dir)]
    items.append({"year": correction.year, "date": correction.date, "reason": correction.reason})
    header = ("# Исправления архивных версий сайта. Файл пишет команда\n"
              "# python -m generator snapshot ГОД --correction \"причина\"; список публикуется на странице «Архив».\n")
    body = dump_yaml(items)
    write_atomic(path, (header + body).encode("utf-8"))


def freeze(data_dir: Path, year: int, archive_dir: Path | None = None, when: date | None = None,
           correction: str | None = None, correction_date: date | None = None, progress: bool = True) -> Frozen:
    """Build the site of `year` into archive/<year>/ (refused if it exists, unless `correction` is given)."""
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
        try:
            build_site(work / "data", work / "site", progress=progress,
                       snapshot=SnapshotBuild(year, created_at, older, fix))
        except DataErrors as err:
            shown = "\n".join(f"  {p}" for p in err.problems[:20])
            raise InputError(
                f"данные прошли проверку, но их срез за {year} год (строки и документы позже {cutoff:%d.%m.%Y} "
                f"убраны) — нет: ошибок {len(err.problems)}:\n{shown}\nОбычно это ссылка из документа {year} года "
                f"на более поздний; исправьте ссылку или заморозьте год с более поздней датой (--date)") from None
        prune_site(work / "site")
        files = tree_hashes(work)
        manifest = {
            "format": FORMAT,
            "year": year,
            "created_at": created_at.isoformat(),
            "as_of": cutoff.isoformat(),
            "generator": {"name": "shnor-site", "version": generator_version(), "sha256": fingerprint()},
            "source": {
                "data_sha256": combined(tree_hashes(data_dir, skip=ARCHIVE)),
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
