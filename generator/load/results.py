"""results.csv: read and checked school by school.

The file is split into per-school shards (load/shards.py) and each shard is checked by the same
functions as the whole table would be, so messages and line numbers are the same either way. A
shard that an earlier build found valid in the same context (header, measures, share indicators,
allowed years) is not parsed: `ResultRows` parses it when something first asks for its figures.
"""
from __future__ import annotations

from pathlib import Path

from generator.errors import Problems, is_data_file
from generator.model import Figures, Indicator, ResultRows
from generator.cache.parsed_files import MISSING, ParseCache
import hashlib

from generator.load import shards, tables
from generator.load.csv_files import check_header, parse_csv, read_csv_text
from generator.load.sources import Sources, results_table

RESULTS_COLUMNS = (("year", "school", "measure", "value"), ())


def read_results(data_dir: Path, known: set[str], listed: set[str], indicators: list[Indicator],
             bounds: tuple[int, int, int] | None, problems: Problems, cache: ParseCache | None,
             sources: Sources | None = None) -> ResultRows:
    """results.csv, checked school by school; a school's rows that an earlier
    build found valid in the same context are not parsed until something asks for them.
    `sources`: where the tables are (load/sources.py); results in sheets are read whole."""
    name = "results.csv"
    empty = ResultRows(frozenset(), {})
    if sources is not None and sources.sheets(name):
        return _from_sheets(sources, known, listed, indicators, bounds, problems)
    if not is_data_file(data_dir / name, name, problems):
        return empty
    text = read_csv_text(data_dir / name, name, problems)
    if text is None:
        return empty
    source = shards.split(text)
    if source is None:  # not one record per line: the CSV parser reads it whole
        table = parse_csv(text, name, *RESULTS_COLUMNS, problems)
        if table is None:
            return empty
        rows = _checked_rows([table], known, listed, indicators, bounds, problems)
        by_school = _figures_by_school(rows)
        return ResultRows(frozenset(r.year for r in rows), dict.fromkeys(by_school), by_school)
    del text  # the split holds the lines: one copy of a file near the size limit, not two
    if not check_header(list(source.header), name, source.header_line, *RESULTS_COLUMNS, problems):
        return empty
    shares = sorted((i.code, i.numerator, i.denominator) for i in indicators if i.is_share)
    context = repr((source.header_digest, sorted(listed), shares, bounds)).encode("utf-8")
    # Shards found valid in this context by an earlier build: key → the years of their rows.
    valid_before = cache.get("results-valid", context) if cache is not None and bounds is not None else MISSING
    valid_before = valid_before if isinstance(valid_before, dict) else {}
    valid: dict[str, frozenset[int]] = {}
    figures, years = {}, set()

    def parse(school: str, into: Problems) -> Figures:
        parts = shards.shard_tables(name, source, source.shards[school], into)
        return _figures_by_school(_checked_rows(parts, known, listed, indicators, bounds, into)).get(school, {})

    for school, shard in source.shards.items():
        key = f"{school in known} {shard.digest}"
        if key in valid_before:
            valid[key] = valid_before[key]
        else:
            before = problems.total
            figures[school] = parse(school, problems)
            if problems.total == before:
                valid[key] = frozenset(year for year, _ in figures[school])
            years.update(year for year, _ in figures[school])
            continue
        years.update(valid[key])
    if cache is not None and bounds is not None and valid != valid_before:
        cache.put("results-valid", context, valid)
    return ResultRows(frozenset(years), {school: shard.digest for school, shard in source.shards.items()}, figures,
                      lambda school: parse(school, Problems()))


def _from_sheets(sources: Sources, known: set[str], listed: set[str], indicators: list[Indicator],
                 bounds: tuple[int, int, int] | None, problems: Problems) -> ResultRows:
    """Results from sheets of workbooks: each sheet checked whole (a sheet holds one year or all of
    them, so repeats and numerator ≤ denominator never span two sheets). Every school's digest is
    of its figures; the workbook's bytes are in every bundle key anyway (build/bundles.py keys every
    file but results.csv), so any change to a workbook re-renders every school."""
    by_school: dict[str, Figures] = {}
    year_sheets: dict[int, str] = {}
    for place in sources.sheets("results.csv"):
        table = results_table(place, listed, problems)
        if table is None:
            continue
        rows = _checked_rows([table], known, listed, indicators, bounds, problems, table.name)
        for year in sorted({r.year for r in rows}):
            if year in year_sheets:
                problems.add(table.name, 0, "year", f"результаты за {year} год есть и на листе «{year_sheets[year]}»: "
                                                    f"оставьте их на одном листе")
            year_sheets.setdefault(year, place.sheet)
        for school, figures in _figures_by_school(rows).items():
            by_school.setdefault(school, {}).update(figures)
    digests = {school: hashlib.sha256(repr(sorted(figures.items())).encode("utf-8")).hexdigest()
               for school, figures in by_school.items()}
    years = frozenset(year for figures in by_school.values() for year, _ in figures)
    return ResultRows(years, digests, by_school)


def _figures_by_school(rows) -> dict[str, Figures]:
    by_school: dict[str, Figures] = {}
    for r in rows:
        by_school.setdefault(r.school, {})[(r.year, r.measure)] = r.value
    return by_school


def _checked_rows(parts, known: set[str], listed: set[str], indicators: list[Indicator],
                  bounds: tuple[int, int, int] | None, problems: Problems, name: str = "results.csv") -> list:
    """The valid rows of a table given in parts (each part's rows are dropped once checked)."""
    rows: list = []
    lines: dict[tuple[int, str, str], int] = {}
    for table in parts:
        part, _ = tables.results(table, known, listed, problems, lines)
        rows += part
        if bounds is not None:
            tables.check_years(bounds, [table], problems)
    _check_shares(rows, lines, indicators, problems, name)
    return rows


def _check_shares(results, result_lines, indicators: list[Indicator], problems: Problems,
                  name: str = "results.csv") -> None:
    values = {(r.year, r.school, r.measure): r.value for r in results}
    # Each row is visited once per indicator that uses its measure as a numerator, not once per
    # indicator: 12 indicators × 360,000 rows at 5,000 schools made this the slowest check.
    shares: dict[str, list[Indicator]] = {}
    for indicator in indicators:
        if indicator.is_share:
            shares.setdefault(indicator.numerator, []).append(indicator)
    for (year, school, measure), numerator in values.items():
        if numerator is None or measure not in shares:
            continue
        for indicator in shares[measure]:
            denominator = values.get((year, school, indicator.denominator))
            if denominator is not None and numerator > denominator:
                problems.add(name, result_lines[(year, school, measure)], "value",
                             f"числитель {measure} ({numerator}) больше знаменателя {indicator.denominator} "
                             f"({denominator}) для показателя {indicator.code}")
