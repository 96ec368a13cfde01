"""bench.synth: deterministic synthetic data that passes validation and has realistic shapes."""
from __future__ import annotations

import csv
import io
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from bench import synth
from generator.compute.computed import compute
from generator.model import STATUS_MENTOR
from generator.load.validation import validate

from conftest import REPO, run_cli

N, YEARS, INDICATORS = 50, 6, 12


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "data"
    proc = subprocess.run([sys.executable, "-m", "bench.synth", "--schools", str(N), "--years", str(YEARS),
                           "--indicators", str(INDICATORS), "--seed", "7", "--out", str(out)],
                          cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return out


@pytest.fixture(scope="module")
def dataset(data):
    return validate(data).dataset


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_same_bytes(data, tmp_path):
    synth.write(synth.generate(N, YEARS, INDICATORS, seed=7), tmp_path / "again")
    assert _files(tmp_path / "again") == _files(data)


def test_other_seed_other_data():
    assert synth.generate(N, YEARS, INDICATORS, seed=7) != synth.generate(N, YEARS, INDICATORS, seed=8)


def test_validates_with_the_cli(data):
    proc = run_cli("validate", "--data", str(data))
    assert proc.returncode == 0, proc.stderr
    assert f"школ {N}, показателей {INDICATORS}" in proc.stdout


def test_files_of_the_contract(data):
    names = set(_files(data))
    assert {"site.yml", "schools.csv", "statuses.csv", "mentorships.csv", "measures.csv", "results.csv",
            "indicators.yml", "roadmaps/municipal.yml"} <= names
    assert sum(n.startswith("programmes/") for n in names) == 1
    assert 1 <= sum(n.startswith("roadmaps/school-") for n in names) <= 5


def test_shape(dataset):
    assert len(dataset.schools) == N
    assert dataset.years == tuple(range(synth.CURRENT_YEAR - YEARS + 1, synth.CURRENT_YEAR + 1))
    indicators = dataset.indicators
    assert len(indicators) == INDICATORS
    assert sum(i.is_share for i in indicators) == INDICATORS - 1  # mostly %, one count
    assert {i.publish for i in indicators} >= {"school", "aggregate"}


def test_about_15_percent_participants(dataset):
    for year in dataset.years:
        share = len(dataset.participants(year)) / N
        assert 0.10 <= share <= 0.20, (year, share)


def test_mentor_pairs(dataset):
    mentors = {(s.year, s.school) for s in dataset.statuses if s.status == STATUS_MENTOR}
    assert dataset.mentorships
    for m in dataset.mentorships:
        assert (m.year, m.mentor) in mentors
        assert m.mentee in dataset.participants(m.year)
    signed = sum(m.signed for m in dataset.mentorships) / len(dataset.mentorships)
    assert 0.5 < signed < 1  # most, not all, pairs have an agreement


def test_roadmaps_have_a_status_history(dataset):
    school_maps = [r for r in dataset.roadmaps if r.school]
    assert school_maps and any(not r.school for r in dataset.roadmaps)
    histories = [item.reports for r in dataset.roadmaps for item in r.items if len(item.reports) > 1]
    assert histories
    for reports in histories:
        assert [r.date for r in reports] == sorted(r.date for r in reports)
    assert {r.status for item in (i for r in dataset.roadmaps for i in r.items) for r in item.reports} \
        >= {"не начато", "в работе", "выполнено"}


def test_small_groups_and_missing_figures(data, dataset):
    values = compute(dataset)
    statuses = Counter(v.status for v in values if v.scope == "school")
    assert statuses["suppressed"] > 0  # cohorts under min_group_size
    assert statuses["no_data"] > 0
    rows = list(csv.DictReader(io.StringIO((data / "results.csv").read_text(encoding="utf-8"))))
    assert any(r["value"] == "" for r in rows)  # reported empty
    assert any(r["school"] == "" for r in rows)  # municipality-level figures
    per_school_year = Counter((r["year"], r["school"]) for r in rows if r["school"])
    assert len(set(per_school_year.values())) > 1  # some schools report fewer figures
