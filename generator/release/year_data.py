"""The year's view of the data: what a snapshot of year Y is built from.

`current_year: Y`, `as_of` capped at the cutoff (31 December of Y, or `--date`), rows of later
years dropped from every CSV with a `year` column, programmes and roadmaps approved later dropped,
roadmap reports and news dated later dropped (practices are kept: the bank of practices is not
tied to a year, and news of the year link to them). Files keep their encoding and separator.
Tables kept in workbooks (.xlsx/.ods, load/sources.py) become CSV files of the snapshot, filtered
like the others (a workbook cannot be filtered in place); the site built from them is the same.
"""
from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import yaml

from generator.errors import Problems
from generator.load import sources, workbooks
from generator.load.csv_files import decode, header_separator
from generator.load.results import RESULTS_COLUMNS
from generator.load.validation import (MEASURES_COLUMNS, MENTORSHIPS_COLUMNS, RENAMES_COLUMNS, SCHOOLS_COLUMNS,
                                       STATUSES_COLUMNS)
from generator.load.fields import date_or_none
from generator.load.yaml_files import dump_yaml



def _filter_csv(raw: bytes, year: int) -> tuple[bytes, int]:
    """Drop rows whose `year` is later than `year`; keep encoding and separator. (bytes, rows dropped)."""
    text_, encoding = decode(raw)
    if not text_.strip():
        return raw, 0
    separator = header_separator(text_)
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


COLUMNS = {"schools.csv": SCHOOLS_COLUMNS, "statuses.csv": STATUSES_COLUMNS, "mentorships.csv": MENTORSHIPS_COLUMNS,
           "measures.csv": MEASURES_COLUMNS, "renames.csv": RENAMES_COLUMNS, "results.csv": RESULTS_COLUMNS}


def workbook_tables(source: Path, measures: set[str]) -> tuple[dict[str, bytes], set[str]]:
    """(CSV file name → its UTF-8 text, for every table held in a workbook; the workbooks' names).
    The data was validated before, so the sheets read without problems."""
    problems = Problems()
    found = sources.find(source, problems)
    out: dict[str, bytes] = {}
    for table, places in found.places.items():
        rows: list[dict[str, str]] = []
        columns: tuple[str, ...] = ()
        for place in (p for p in places if p.book is not None):
            if table == "results.csv":
                sheet = sources.results_table(place, measures, problems)
            else:
                sheet = workbooks.read_sheet(place.book, place.sheet, table, *COLUMNS[table], problems)
            if sheet is not None:
                columns = columns or sheet.columns
                rows += [r.values for r in sheet.rows]
        if columns:
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\n")
            writer.writerow(columns)
            writer.writerows([values.get(c, "") for c in columns] for values in rows)
            out[table] = buffer.getvalue().encode("utf-8")
    found.close()
    if problems:  # pragma: no cover - validated data reads without problems
        problems.raise_if_any()
    return out, {book.name for book in found.books}


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
    tables, books = workbook_tables(source, {m.code for m in dataset.measures})
    for name, raw in tables.items():
        raw, count = _filter_csv(raw, year)
        if count:
            dropped[name] = count
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        (target / name).write_bytes(raw)
    for path in sorted(source.rglob("*")):
        name = path.relative_to(source).as_posix()
        parts = path.relative_to(source).parts
        if name in books:
            continue  # its tables are CSV files of the snapshot (above)
        # the project's own archive/ is not data: a snapshot never contains the earlier snapshots
        if path.is_dir() or path.is_symlink() or parts[0] == "archive" or any(p.startswith(".") for p in parts):
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
            out.write_text(dump_yaml(doc), encoding="utf-8", newline="\n")
            continue
        if "/" not in name and name.endswith(".csv"):
            raw, count = _filter_csv(raw, year)
            if count:
                dropped[name] = count
        elif name == "documents.yml" and late_documents:
            doc = yaml.safe_load(raw.decode("utf-8-sig"))
            kept = [d for d in doc if not (isinstance(d, dict) and d.get("code") in late_documents)]
            dropped["documents.yml"] = len(doc) - len(kept)
            raw = dump_yaml(kept).encode("utf-8")
        elif name.startswith("roadmaps/") and name.endswith((".yml", ".yaml")):
            doc = yaml.safe_load(raw.decode("utf-8-sig"))
            count = 0
            for section in (doc or {}).get("sections") or []:
                for item in (section or {}).get("items") or []:
                    reports = (item or {}).get("reports")
                    if isinstance(reports, list):
                        kept = [r for r in reports if not (isinstance(r, dict) and (date_or_none(r.get("date")) or cutoff) > cutoff)]
                        count += len(reports) - len(kept)
                        item["reports"] = kept
            if count:
                dropped["roadmaps/ (отчётов)"] = dropped.get("roadmaps/ (отчётов)", 0) + count
                raw = dump_yaml(doc).encode("utf-8")
        out.write_bytes(raw)
    return dropped
