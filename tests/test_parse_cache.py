"""Parsed YAML files are reused between builds only when nothing about them could differ."""
import yaml

import pytest

from generator.errors import DataErrors
from generator.cache.parsed_files import MISSING, ParseCache
from generator.load.validation import validate

def test_second_validation_reads_yaml_from_the_cache(make_data, tmp_path, monkeypatch):
    data = make_data()
    first = validate(data, ParseCache(tmp_path / "parse", b"v1")).dataset
    assert list((tmp_path / "parse").rglob("*.pickle"))

    def no_parsing(*args, **kwargs):
        raise AssertionError("a cached file was parsed again")

    monkeypatch.setattr(yaml, "load", no_parsing)
    again = validate(data, ParseCache(tmp_path / "parse", b"v1")).dataset
    assert again == first
    # Another code version shares nothing: the parser runs (and here refuses to).
    with pytest.raises(AssertionError, match="parsed again"):
        validate(data, ParseCache(tmp_path / "parse", b"v2"))


def test_changed_bytes_are_parsed_again(make_data, tmp_path):
    data = make_data()
    cache = ParseCache(tmp_path / "parse", b"v1")
    validate(data, cache)
    site = (data / "site.yml").read_text(encoding="utf-8")
    (data / "site.yml").write_text(site.replace("min_group_size: 5", "min_group_size: 7"), encoding="utf-8")
    assert "min_group_size: 7" in (data / "site.yml").read_text(encoding="utf-8")
    assert validate(data, cache).dataset.site.min_group_size == 7


def test_a_file_with_problems_is_never_stored_and_is_reported_every_time(make_data, tmp_path):
    data = make_data({"roadmaps/s1.yml": "code: [unclosed\n"})
    cache = ParseCache(tmp_path / "parse", b"v1")
    for _ in range(2):
        with pytest.raises(DataErrors) as info:
            validate(data, cache)
        assert [p.file for p in info.value.problems] == ["roadmaps/s1.yml"]
    assert cache.get("yaml", (data / "roadmaps/s1.yml").read_bytes()) is MISSING
    assert cache.get("yaml", (data / "site.yml").read_bytes()) is not MISSING


def test_a_corrupt_entry_is_ignored(make_data, tmp_path):
    data = make_data()
    cache = ParseCache(tmp_path / "parse", b"v1")
    expected = validate(data, cache).dataset
    for entry in (tmp_path / "parse").rglob("*.pickle"):
        entry.write_bytes(b"\x80\x05garbage")
    assert validate(data, cache).dataset == expected
