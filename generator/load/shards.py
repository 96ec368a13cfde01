"""results.csv split by school, so that a rebuild re-reads only the schools whose lines changed.

results.csv is by far the largest input (600,000 lines at 5,000 schools) and one school's rows
depend on nothing in another school's rows: every check on a row (known codes, numbers,
duplicates, numerator ≤ denominator, years) looks only at rows of the same school. So the file
is split into *shards*, one per school ("" — the municipality's rows), each with the digest of its
lines; the shards are then checked exactly as the whole table would be (load/csv_files.py, load/tables.py; see load/results.py),
and a shard whose digest and checking context a previous build found valid is not parsed again.

The split needs no CSV parser only when the file has no quotes and no bare carriage returns:
then one physical line is one record. Any other file is read whole by the CSV parser.
"""
from __future__ import annotations

import hashlib
from itertools import groupby, islice, repeat
from operator import itemgetter, methodcaller
from dataclasses import dataclass
from typing import Iterator

from generator.load.csv_files import Table, make_row, sniff_separator
from generator.errors import Problems
from generator.model import MUNICIPALITY

# Characters that str.splitlines (the parser's header sniffing) treats as line breaks and csv does not.
_OTHER_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


@dataclass(frozen=True)
class Shard:
    school: str
    runs: tuple[tuple[int, int], ...]  # [start, end) ranges of Split.body: the school's lines
    digest: str  # of the header and the school's lines


@dataclass(frozen=True)
class Split:
    header: tuple[str, ...]
    header_line: int
    separator: str
    body: list[str]  # the lines after the header, as written
    first: int  # the line number of body[0]
    shards: dict[str, Shard]
    header_digest: str

    def lines(self, shard: Shard) -> Iterator[tuple[int, str]]:
        """(line number, line) of a shard, one at a time."""
        return ((self.first + i, self.body[i]) for start, end in shard.runs for i in range(start, end))


def split(text: str) -> Split | None:
    """The file by school, or None when a line is not one record (quotes, bare CR, wrong width)."""
    text = text.replace("\r\n", "\n")
    if '"' in text or "\r" in text or any(c in text for c in _OTHER_BREAKS):
        return None
    lines = text.split("\n")
    header_at = next((i for i, line in enumerate(lines) if line.strip()), None)
    if header_at is None:
        return None
    head = lines[header_at]
    separator = sniff_separator(head)
    header = tuple(cell.strip() for cell in head.split(separator))
    if not any(header) or "school" not in header or "year" not in header:
        return None  # the parser reports a missing header or column
    column, width = header.index("school"), len(header)
    body = lines[header_at + 1:]
    if body and body[-1] == "":
        body.pop()  # the file's final newline
    if "" in body or set(map(str.count, body, repeat(separator))) - {width - 1}:
        runs = _runs_checked(body, separator, column, width)
        if runs is None:
            return None
    else:  # every line has `width` cells: the common case, in C-level loops over runs of a school
        schools = map(str.strip, map(itemgetter(column), map(methodcaller("split", separator, column + 1), body)))
        runs = {}
        start = 0
        for school, run in groupby(schools):
            end = start + len(list(run))
            runs.setdefault(school, []).append((start, end))
            start = end
        if MUNICIPALITY in runs:  # records of separators only are blank: the parser skips them
            kept = [(i, i + 1) for a, b in runs.pop(MUNICIPALITY) for i in range(a, b)
                    if body[i].replace(separator, "").strip()]
            if kept:
                runs[MUNICIPALITY] = kept
    shards = {}
    for school, ranges in runs.items():
        text_of = "\n".join([head, *("\n".join(body[a:b]) for a, b in ranges)])
        shards[school] = Shard(school, tuple(ranges), hashlib.sha256(text_of.encode("utf-8")).hexdigest())
    return Split(header, header_at + 1, separator, body, header_at + 2, shards,
                 hashlib.sha256(head.encode("utf-8")).hexdigest())


def _runs_checked(body: list[str], separator: str, column: int, width: int) -> dict[str, list] | None:
    """split() line by line, for files with blank lines or a line of another width (None)."""
    runs: dict[str, list[tuple[int, int]]] = {}
    for i, row in enumerate(body):
        cells = row.split(separator)
        if len(cells) != width:
            if row.replace(separator, "").strip():
                return None  # the CSV parser words the message about the width
            continue  # a blank line, skipped as the parser skips it
        school = cells[column].strip()
        if not school and not row.replace(separator, "").strip():
            continue
        runs.setdefault(school, []).append((i, i + 1))
    return runs


# Lines turned into rows at a time: a row costs about 500 bytes, so a 200 MB file of one school
# (6 million lines) would need 3 GB at once; parts keep it to tens of megabytes.
PART_LINES = 50_000


def shard_tables(name: str, source: Split, shard: Shard, problems: Problems) -> Iterator[Table]:
    """The shard as the CSV parser would have given its rows, in parts of at most PART_LINES."""
    lines = source.lines(shard)
    while True:
        part = list(islice(lines, PART_LINES))
        rows = [make_row(name, source.header, [cell.strip() for cell in row.split(source.separator)], line,
                         source.separator, problems) for line, row in part]
        yield Table(name, source.header, tuple(r for r in rows if r is not None),
                    decimal_comma=source.separator == ";")
        if len(part) < PART_LINES:
            return
