"""results.csv split by school: the same rows and the same messages as the CSV parser, and a
school's rows read again only when they changed."""
from __future__ import annotations

import shutil
from dataclasses import fields

import pytest

from conftest import DATA
from test_validation import INDICATOR  # a share indicator: passed / sat
from generator.load import tables as read_tables
from generator.load import shards as results_shards
from generator.load.csv_files import parse_csv
from generator.errors import DataErrors, Problems
from generator.compute.computed import Computed, compute
from generator.cache.parsed_files import ParseCache
from generator.compute.programme import compute_programme
from generator.load.results import RESULTS_COLUMNS
from generator.load.validation import validate


def shard_rows(text: str) -> dict[str, list[tuple[int, list[str]]]]:
    source = results_shards.split(text)
    assert source is not None
    return {school: [(line, [c.strip() for c in row.split(source.separator)]) for line, row in source.lines(shard)]
            for school, shard in source.shards.items()}


def parser_rows(text: str) -> dict[str, list[tuple[int, list[str]]]]:
    table = parse_csv(text, "results.csv", *RESULTS_COLUMNS, Problems())
    out: dict[str, list] = {}
    for row in table.rows:
        out.setdefault(row.get("school"), []).append((row.line, [row.values[c] for c in table.columns]))
    return out


def test_each_school_gets_its_own_lines_with_their_numbers():
    text = ("year,school,measure,value\n2023,s1,sat,10\n2023,s2,sat,7\n2023,,sat,30\n"
            "2023,s1,passed,6\n2022,s2,sat,5\n")
    assert shard_rows(text) == {
        "s1": [(2, ["2023", "s1", "sat", "10"]), (5, ["2023", "s1", "passed", "6"])],
        "s2": [(3, ["2023", "s2", "sat", "7"]), (6, ["2022", "s2", "sat", "5"])],
        "": [(4, ["2023", "", "sat", "30"])],
    }


@pytest.mark.parametrize("text", [
    "year,school,measure,value\r\n2023,s1,sat,10\r\n\r\n2023, s2 ,sat,7\r\n",  # CRLF, a blank line, spaces
    "\n\nyear;school;measure;value\n2023;s1;sat;10,5\n;;;\n2023;;sat;4\n",  # Excel export, separator-only line
    "year,school,measure,value\n2023,s1,sat,10",  # no final newline
    "year,school,measure,value\n2023,s1,sat,1\n2023,s2,sat,2\n2023,s1,sat,3\n,,,\n",
])
def test_lines_are_the_records_the_csv_parser_reads(text):
    assert shard_rows(text) == parser_rows(text)


@pytest.mark.parametrize("text", [
    'year,school,measure,value\n2023,s1,sat,"10"\n',  # quotes: a record may span lines
    "year,school,measure,value\n2023,s1,sat\n",  # another width: the parser words that message
    "year,school,measure,value\n2023,s1,sat,1\r2023,s2,sat,2\n",  # a bare carriage return
    "year,school,measure,value\n2023,s1,sat,1\u20282023\n",  # a break str.splitlines sees and csv does not
])
def test_anything_but_one_record_per_line_is_left_to_the_parser(text):
    assert results_shards.split(text) is None


def test_the_same_messages_whether_split_or_read_whole(make_data):
    rows = ("year,school,measure,value\n2023,s1,sat,10\n2023,s1,passed,11\n2023,s2,sat,abc\n2023,s7,sat,3\n"
            "2023,s2,sat,4\n2030,s3,sat,9\n2023,s3,nosuch,1\n2023,s3,sat,9\n")
    found = []
    # The quoted value sends the second file to the CSV parser as a whole.
    for text in (rows, rows.replace("2023,s3,sat,9\n", '2023,s3,sat,"9"\n')):
        assert (results_shards.split(text) is None) == ('"' in text)
        with pytest.raises(DataErrors) as info:
            validate(make_data({"indicators.yml": INDICATOR, "results.csv": text}))
        found.append([p for p in info.value.problems if p.file == "results.csv"])
    assert found[0] == found[1]
    assert [p.line for p in found[0]] == [3, 4, 5, 7, 8]


def test_rows_found_valid_are_not_parsed_again_until_they_change(make_data, tmp_path, monkeypatch):
    text = "year,school,measure,value\n2023,s1,sat,10\n2023,s1,passed,6\n2023,s2,sat,7\n2023,s3,sat,8\n"
    data = make_data({"indicators.yml": INDICATOR, "results.csv": text})
    cache = ParseCache(tmp_path / "parse", b"v1")
    first = validate(data, cache).dataset
    parsed: list[set[str]] = []
    original = read_tables.results

    def recording(table, *args):
        parsed.append({row.get("school") for row in table.rows})
        return original(table, *args)

    monkeypatch.setattr(read_tables, "results", recording)
    again = validate(data, cache).dataset
    assert parsed == []
    assert again.results == first.results  # compares the figures, parsing them now
    (data / "results.csv").write_text(text.replace("2023,s2,sat,7", "2023,s2,sat,9"), encoding="utf-8")
    parsed.clear()
    changed = validate(data, cache).dataset
    assert parsed == [{"s2"}]
    assert changed.results.figures("s2")[(2023, "sat")] == 9
    (data / "results.csv").write_text(text.replace("2023,s3,sat,8", "2023,s3,passed,abc"), encoding="utf-8")
    with pytest.raises(DataErrors) as info:
        validate(data, cache)
    assert [(p.line, p.field) for p in info.value.problems] == [(5, "value")]


def test_cached_series_give_the_values_of_a_fresh_computation(tmp_path):
    """The demo built once, then one school's figures changed: the values computed with the
    series of the unchanged schools taken from the cache equal a computation from scratch."""
    cache = ParseCache(tmp_path / "parse", b"v1")
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    lines = (data / "results.csv").read_text(encoding="utf-8").split("\n")
    # Figures written with decimals (half a staff position, a trailing zero) in a school that stays cached.
    staff = [i for i, line in enumerate(lines) if ",staff_positions" in line]
    for i, text in zip(staff[-2:], ("10.0", "9.50")):  # positions, then filled ones
        lines[i] = lines[i].rsplit(",", 1)[0] + "," + text
    decimal_school = lines[staff[-1]].split(",")[1]
    (data / "results.csv").write_text("\n".join(lines), encoding="utf-8")
    Computed(validate(data, cache).dataset, cache)
    i = next(i for i, line in enumerate(lines) if ",oge_rus_passed," in line and line.split(",")[3] not in ("", "0"))
    year, school, measure, value = lines[i].split(",")
    lines[i] = f"{year},{school},{measure},{int(value) - 1}"
    assert school != decimal_school
    (data / "results.csv").write_text("\n".join(lines), encoding="utf-8")
    dataset = validate(data, cache).dataset
    warm = Computed(dataset, cache)
    fresh = compute(validate(data).dataset)
    assert warm.values() == fresh
    # Equal Decimals may still print differently (75 and 75.0): the cache must keep the text too.
    def text(v):
        return repr([getattr(v, f.name) for f in fields(v) if f.init])
    assert [text(v) for v in warm.values()] == [text(v) for v in fresh]
    assert compute_programme(dataset, warm) == compute_programme(dataset, fresh)
    assert sum(isinstance(part.primary, bytes) for part in warm.parts.values()) == len(warm.parts) - 1
