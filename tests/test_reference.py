"""Reference output, in the manner of Pelican's functional tests: the build of tests/fixtures/mini
(Markdown, open data, charts, embeds, badges, feed; without MkDocs) must equal tests/reference/mini/ byte
for byte. When a change of the output is intended: make reference, then review git diff tests/reference/.
The build and the comparison are those of tests/reference.py, which also regenerates the tree."""
from pathlib import Path

import pytest

import reference


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    try:
        return reference.build(tmp_path_factory.mktemp("reference"))
    except reference.BuildFailed as err:
        failure = str(err)
    pytest.fail(failure, pytrace=False)  # outside the except: no "during handling" chain in the report


def test_build_matches_reference(built):
    differences = reference.compare(built)
    if differences:
        pytest.fail(differences.report(), pytrace=False)


def test_no_paths_of_this_machine(built):
    # The reference comparison alone would not see the repository's path on the machine that stored it.
    assert reference.machine_paths(built) == []
    assert reference.machine_paths(reference.REFERENCE) == []


def test_report_lists_missing_extra_and_diffs(tmp_path):
    old, new = tmp_path / "old", tmp_path / "new"
    for root, texts in ((old, {"a.md": "one\ntwo\n", "gone.csv": "x\n", "same.json": "{}\n"}),
                        (new, {"a.md": "one\nTWO\n", "new/b.svg": "<svg/>\n", "same.json": "{}\n"})):
        for name, text in texts.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text, encoding="utf-8")
    differences = reference.compare(new, old)
    assert (differences.missing, differences.extra, differences.changed) == (["gone.csv"], ["new/b.svg"], ["a.md"])
    report = differences.report()
    assert "  - gone.csv" in report and "  + new/b.svg" in report
    assert "--- reference/a.md" in report and "-two" in report and "+TWO" in report
    assert report.endswith(f"`{reference.REGENERATE}` and review it: git diff tests/reference/")
    assert not reference.compare(old, old)
