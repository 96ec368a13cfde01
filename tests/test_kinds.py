"""Indicator kinds (issue #20) against hand-computed expectations: weighted means, shares of schools,
counts of children, municipal criteria with their change, relative and range targets, Russian plural
forms, the precision that shows why a status was given, and unknown agreements.

Every expected figure is worked out in the comment beside it, not taken from the program's output.
"""
from __future__ import annotations

import itertools
from decimal import Decimal
from fractions import Fraction

import pytest

from generator.compute.computed import compute
from generator.compute.programme import compute_programme
from generator.load.validation import validate
from generator.render.figures import Figures
from generator.russian import Word, category
from conftest import run_cli, shown

SCHOOLS6 = "code,name,short_name\n" + "".join(f"s{i},Школа {i},Ш{i}\n" for i in range(1, 7))
# 2023: s1 and s2 take part; s3…s6 are the district's other schools.
STATUSES = """\
year,school,status
2022,s1,ШНОР
2023,s1,ШНОР
2023,s2,ШНСУ
"""


def values(d):
    ds = validate(d).dataset
    return ds, {(v.year, v.scope, v.school, v.indicator): v for v in compute(ds)}


MEAN = """\
- code: math_mean
  title: Средний балл ОГЭ по математике
  unit: б.
  kind: mean
  numerator: math_mean
  participants: math_n
  better: higher
"""


def test_mean_is_weighted_by_participants_and_small_schools_are_hidden(make_data):
    d = make_data({"schools.csv": SCHOOLS6, "statuses.csv": STATUSES, "indicators.yml": MEAN, "results.csv": """\
        year,school,measure,value
        2023,s1,math_mean,60
        2023,s1,math_n,10
        2023,s2,math_mean,40
        2023,s2,math_n,30
        2023,s3,math_mean,90
        2023,s3,math_n,3
        """})
    _, v = values(d)
    assert v[(2023, "school", "s1", "math_mean")].value == 60
    assert v[(2023, "school", "s2", "math_mean")].value == 40
    # s3: 3 examinees < 5 — its mean is a figure about 3 children.
    assert v[(2023, "school", "s3", "math_mean")].suppressed
    # Participants s1, s2: (60·10 + 40·30) / (10 + 30) = 1800 / 40 = 45 — not the mean of means, 50.
    part = v[(2023, "participants", "", "math_mean")]
    assert part.value == 45 and part.denominator == 40
    # All schools: s3 is the only school outside the participants, so all − participants would be
    # s3's own figures (90 · 3 = 270 points of 3 pupils): the all-schools total is hidden as well.
    assert v[(2023, "all", "", "math_mean")].suppressed


def test_mean_without_its_participants_is_not_shown_and_stops_the_group(make_data):
    d = make_data({"schools.csv": SCHOOLS6, "statuses.csv": STATUSES, "indicators.yml": MEAN, "results.csv": """\
        year,school,measure,value
        2023,s1,math_mean,60
        2023,s1,math_n,10
        2023,s2,math_mean,40
        """})
    _, v = values(d)
    s2 = v[(2023, "school", "s2", "math_mean")]
    assert s2.value is None and s2.published_numerator is None  # 40 of an unknown number of pupils
    assert Figures(5).value(s2, validate(d).dataset.indicators[0]) == "нет данных о числе участников"
    # A group mean that silently left s2 out would be s1's 60: no group value.
    part = v[(2023, "participants", "", "math_mean")]
    assert part.value is None and part.status == "no_data"


SCHOOL_SHARE = """\
- code: shnor_positive
  title: Доля ШНОР с положительной динамикой
  unit: "%"
  kind: share_of
  counted: школ
  numerator: shnor_positive_n
  denominator: shnor_total
  better: higher
  rule: {dynamics: positive}
"""


def test_share_of_four_schools_is_published_with_its_change(make_data, tmp_path):
    d = make_data({"schools.csv": SCHOOLS6, "statuses.csv": STATUSES, "indicators.yml": SCHOOL_SHARE,
                   "results.csv": """\
        year,school,measure,value
        2022,,shnor_positive_n,1
        2022,,shnor_total,4
        2023,,shnor_positive_n,3
        2023,,shnor_total,4
        """})
    ds, v = values(d)
    m22, m23 = v[(2022, "municipality", "", "shnor_positive")], v[(2023, "municipality", "", "shnor_positive")]
    # 1 of 4 schools = 25 %; 3 of 4 = 75 %; change +50 percentage points; rising: achieved.
    assert not m23.suppressed and m22.value == 25 and m23.value == 75
    assert m23.change == 50 and m23.status == "achieved"
    assert Figures(5).value(m23, ds.indicators[0]).replace("\u00a0", " ") == "3 из 4 школ, 75 %"

    out = tmp_path / "site"
    done = run_cli("build", "--project", str(d), "--out", str(out), "--no-mkdocs")
    assert done.returncode == 0, done.stderr
    page = shown((out / "indicators" / "shnor_positive.md"))
    # The municipality's own value, its change and its status, under the municipality's column.
    row = next(line for line in page.splitlines() if line.startswith("| 2023"))
    assert "3 из 4 школ, 75 % (+50 п. п.)" in row and "достигнуто" in row and "нет данных" not in row
    assert "| Район в целом |" in page
    listing = shown(out / "indicators" / "index.md")
    row = next(line for line in listing.splitlines() if "(shnor_positive/)" in line)
    assert "+50 п. п." in row and "✓ достигнуто" in row
    assert "По школам" not in page  # a municipal criterion has no per-school table
    csv = (out / "data" / "indicators.csv").read_text(encoding="utf-8")
    assert "2023,municipality,,shnor_positive,3,4,75,50,,achieved" in csv


CHILDREN = """\
- code: disabled
  title: Дети-инвалиды
  unit: чел.
  kind: children
  numerator: disabled
"""


def _children_case(make_data, counts: dict[str, int], statuses: str = STATUSES):
    rows = "".join(f"2023,{s},disabled,{n}\n" for s, n in counts.items())
    d = make_data({"schools.csv": SCHOOLS6, "statuses.csv": statuses, "indicators.yml": CHILDREN,
                   "results.csv": "year,school,measure,value\n" + rows})
    return values(d)


def _feasible(shown: dict[str, str], totals: list[tuple[set[str], int]], min_group: int, cap: int = 40):
    """Brute force over what a reader knows: «менее 5» is 1…4, «скрыто» is at least 5 (or it would read
    «менее 5»), a published figure is itself. Every assignment that matches every published total."""
    hidden = sorted(s for s, text in shown.items() if not text.isdigit())
    ranges = [range(1, min_group) if shown[s].startswith("менее") else range(min_group, cap) for s in hidden]
    known = {s: int(t) for s, t in shown.items() if t.isdigit()}
    for combo in itertools.product(*ranges):
        guess = dict(known, **dict(zip(hidden, combo)))
        if all(sum(guess[s] for s in members) == total for members, total in totals):
            yield guess


@pytest.mark.parametrize("counts", [
    {"s1": 1, "s2": 2, "s3": 7, "s4": 9},  # two small ones summing to 3 < 5
    {"s1": 4, "s2": 4, "s3": 12},  # two small ones at their most: 8 = 2 · 4 would pin both
    {"s1": 1, "s2": 6, "s3": 5, "s4": 8},  # one small one beside a participant
    {"s1": 3, "s2": 1, "s3": 1, "s4": 1, "s5": 20},  # many ones
])
def test_small_counts_of_children_are_never_published_nor_recoverable(make_data, counts):
    ds, v = _children_case(make_data, counts)
    figures, indicator = Figures(5), ds.indicators[0]
    shown = {s: figures.value(v[(2023, "school", s, "disabled")], indicator).replace("\u00a0чел.", "")
             .replace("\u00a0", " ") for s in counts}
    for s, n in counts.items():
        if n < 5:
            assert shown[s] == "менее 5", (s, shown)
    totals = []
    for scope, members in (("participants", {"s1", "s2"} & set(counts)), ("all", set(counts))):
        g = v.get((2023, scope, "", "disabled"))
        if g is not None and not g.suppressed:
            totals.append((members, int(g.value)))
    truth_small = {s for s, n in counts.items() if n < 5}
    possible: dict[str, set[int]] = {s: set() for s in counts}
    for guess in _feasible(shown, totals, 5):
        for s in counts:
            possible[s].add(guess[s])
    for s in truth_small:
        assert len(possible[s]) >= 2, f"{s} is recoverable: {possible[s]} from {shown} and {totals}"


def test_a_small_count_hides_its_change(make_data):
    d = make_data({"schools.csv": SCHOOLS6, "statuses.csv": STATUSES, "indicators.yml": CHILDREN,
                   "results.csv": """\
        year,school,measure,value
        2022,s3,disabled,6
        2023,s3,disabled,2
        2022,s4,disabled,9
        2023,s4,disabled,11
        2022,s5,disabled,8
        2023,s5,disabled,9
        """})
    _, v = values(d)
    s3 = v[(2023, "school", "s3", "disabled")]
    assert s3.suppressed and s3.change is None  # 6 − 4 would say it is 2
    assert v[(2023, "school", "s4", "disabled")].change == 2  # 11 − 9, both published


RELATIVE = """\
- code: pass
  title: Сдали
  unit: "%"
  numerator: passed
  denominator: sat
  better: higher
  baseline: {year: 2022}
  targets: {2023: "в 1,2 раза"}
- code: fails
  title: Двойки
  unit: "%"
  numerator: fails_n
  denominator: fails_d
  better: lower
  targets: {2023: "25–30"}
"""


def test_relative_and_range_targets(make_data):
    d = make_data({"schools.csv": SCHOOLS6, "statuses.csv": STATUSES, "indicators.yml": RELATIVE, "results.csv": """\
        year,school,measure,value
        2022,s1,passed,20
        2022,s1,sat,50
        2023,s1,passed,47
        2023,s1,sat,100
        2022,s2,passed,30
        2022,s2,sat,100
        2023,s2,passed,40
        2023,s2,sat,100
        2023,s1,fails_n,29
        2023,s1,fails_d,100
        2023,s2,fails_n,31
        2023,s2,fails_d,100
        """})
    ds, v = values(d)
    s1, s2 = v[(2023, "school", "s1", "pass")], v[(2023, "school", "s2", "pass")]
    # s1: its own 2022 value 20/50 = 40 %, × 1,2 = 48 %; 47 % < 48 %: not achieved.
    assert s1.target == Decimal("48.0") and s1.status == "not_achieved"
    # s2: 30 % × 1,2 = 36 %; 40 % ≥ 36 %: achieved.
    assert s2.target == Decimal("36.0") and s2.status == "achieved"
    # Lower is better, range 25–30: achieved up to its upper bound 30; 29 % yes, 31 % no.
    assert v[(2023, "school", "s1", "fails")].status == "achieved"
    assert v[(2023, "school", "s2", "fails")].status == "not_achieved"
    pass_ind, fails_ind = ds.indicators
    figures = Figures(5)
    assert figures.target(s1, pass_ind, 2023).replace("\u00a0", " ") == "48 % (× 1,2 к 2022)"
    assert figures.target(v[(2023, "school", "s1", "fails")], fails_ind, 2023).replace("\u00a0", " ") == "25–30 %"


def test_a_value_that_decides_its_status_is_shown_precisely(make_data):
    d = make_data({"schools.csv": SCHOOLS6, "statuses.csv": STATUSES, "results.csv": """\
        year,school,measure,value
        2023,s1,passed,7499
        2023,s1,sat,10000
        """, "indicators.yml": """\
        - code: pass
          title: Сдали
          unit: "%"
          numerator: passed
          denominator: sat
          better: higher
          rule: {min: 75}
        """})
    _, v = values(d)
    s1 = v[(2023, "school", "s1", "pass")]
    # 7499/10000 = 74.99 % < 75: «75 %» beside «✗ не достигнуто» would contradict itself.
    assert s1.value == Decimal("74.99") and s1.status == "not_achieved"


@pytest.mark.parametrize("number, form, of", [
    (1, "обращение", "школы"), (2, "обращения", "школ"), (5, "обращений", "школ"), (11, "обращений", "школ"),
    (21, "обращение", "школы"), (22, "обращения", "школ"), (25, "обращений", "школ"), (111, "обращений", "школ"),
    (Decimal("1.5"), "обращения", "школы"),
])
def test_russian_plural_forms(number, form, of):
    # Hand-written forms: «1 обращение, 2 обращения, 5 обращений»; «из 1 школы, из 4 школ, из 21 школы».
    assert Word("обращение", "обращения", "обращений").form(number) == form
    assert Word("школа", "школы", "школ").of(number) == of
    assert category(Decimal("1.5")) == "other" and category(21) == "one"


def test_unit_word_forms_in_indicators(make_data):
    d = make_data({"schools.csv": SCHOOLS6, "statuses.csv": STATUSES, "results.csv": """\
        year,school,measure,value
        2023,s1,seminars,2
        2023,s2,seminars,21
        """, "indicators.yml": """\
        - code: seminars
          title: Семинары
          unit: {one: семинар, few: семинара, many: семинаров}
          numerator: seminars
          better: higher
        """})
    ds, v = values(d)
    figures, indicator = Figures(5), ds.indicators[0]
    assert figures.value(v[(2023, "school", "s1", "seminars")], indicator) == "2\u00a0семинара"
    assert figures.value(v[(2023, "school", "s2", "seminars")], indicator) == "21\u00a0семинар"
    assert figures.value(v[(2023, "all", "", "seminars")], indicator) == "23\u00a0семинара"


def test_an_unknown_unit_word_is_a_russian_error(make_data):
    d = make_data({"indicators.yml": """\
        - code: visits
          title: Визиты
          unit: визитов
          numerator: visits
          better: higher
        """})
    done = run_cli("validate", "--project", str(d))
    assert done.returncode == 2
    assert "indicators.yml" in done.stderr and "unit" in done.stderr and "one" in done.stderr


def test_a_blank_agreement_is_unknown_not_unsigned(make_data):
    d = make_data({"schools.csv": SCHOOLS6, "statuses.csv": STATUSES + "2023,s6,наставник\n", "mentorships.csv": """\
        year,mentor,mentee,agreement,agreement_date,forms
        2023,s6,s1,5/2023,2023-02-01,
        2023,s6,s2,,,
        """})
    validated = validate(d)
    ds = validated.dataset
    prog = {(p.year, p.indicator): p for p in compute_programme(ds, compute(ds))}
    # s2's agreement is not stated: 1 of 2 known signed is not «50 %», it is no share at all.
    assert prog[(2023, "mentor_agreements")].value is None
    assert prog[(2023, "agreements")].value == 1  # one agreement is known to exist
    assert any(w.field == "agreement" and w.file == "mentorships.csv" and w.line == 3 for w in validated.warnings)
    # Stated as «нет»: now it is 50 %.
    (d / "mentorships.csv").write_text("year,mentor,mentee,agreement,agreement_date,forms\n"
                                       "2023,s6,s1,5/2023,2023-02-01,\n2023,s6,s2,нет,,\n", encoding="utf-8")
    ds = validate(d).dataset
    prog = {(p.year, p.indicator): p for p in compute_programme(ds, compute(ds))}
    assert prog[(2023, "mentor_agreements")].value == Decimal("50.0")


# --- the real programmes of shared/sources, as transcribed in examples/ -----------------------------

def _build(project, out):
    done = run_cli("build", "--project", str(project), "--out", str(out), "--no-mkdocs")
    assert done.returncode == 0, done.stderr
    return out


def test_tyumen_school_criteria_with_four_schools(tmp_path):
    """Tyumen's «доля ШНОР с положительной динамикой — не менее 25 %» and «адресная помощь — 100 %», with
    the city's figures for 4 ШНОР (the document gives none: these rows are the test's)."""
    import shutil
    from conftest import REPO
    project = tmp_path / "tyumen"
    shutil.copytree(REPO / "examples" / "tyumen-2021", project)
    (project / "results.csv").write_text(
        "year,school,measure,value\n2020,,shnor_positive,0\n2020,,shnor_total,4\n"
        "2021,,shnor_positive,1\n2021,,shnor_total,4\n2021,,shnor_supported,3\n", encoding="utf-8")
    out = _build(project, tmp_path / "site")
    listing = shown(out / "indicators" / "index.md")
    positive = next(line for line in listing.splitlines() if "(shnor_positive_dynamics/)" in line)
    support = next(line for line in listing.splitlines() if "(shnor_support/)" in line)
    # 1 of 4 = 25 % ≥ 25 %: achieved; 0 of 4 → 1 of 4 is +25 percentage points. Not «скрыто»: schools.
    assert "1 из 4 школ, 25 %" in positive and "+25 п. п." in positive and "✓ достигнуто" in positive
    # 3 of 4 = 75 % < 100 %: not achieved.
    assert "3 из 4 школ, 75 %" in support and "✗ не достигнуто" in support
    assert "скрыто" not in positive + support
    page = shown(out / "indicators" / "shnor_positive_dynamics.md")
    assert "| Город в целом |" in page and "Итог — по городу в целом" in page
    row = next(line for line in page.splitlines() if line.startswith("| 2021"))
    assert "1 из 4 школ, 25 % (+25 п. п.)" in row and "✓ достигнуто" in row
    csv = (out / "data" / "indicators.csv").read_text(encoding="utf-8")
    assert "2021,municipality,,shnor_positive_dynamics,1,4,25,25,25,achieved" in csv


def test_millerovo_context_and_relative_scores_as_published(tmp_path):
    """The «Типовая характеристика школ» table as examples/millerovo-2021 transcribes it."""
    from conftest import REPO
    out = _build(REPO / "examples" / "millerovo-2021", tmp_path / "site")
    csv = (out / "data" / "indicators.csv").read_text(encoding="utf-8").splitlines()
    rows = {(r.split(",")[1], r.split(",")[2], r.split(",")[3], r.split(",")[0]): r for r in csv[1:]}
    # Relative mean scores are the school's own: Титовская СОШ 2018 72, 2019 61, 2020 79 (as printed).
    assert rows[("school", "titovskaya-sosh", "ege_rus_relative_score", "2020")].split(",")[6] == "79"
    # … and never summed: no value for all schools (it was «398 б.» when summed).
    assert rows[("all", "", "ege_rus_relative_score", "2020")].split(",")[6] == ""
    # Дети-инвалиды: В-Таловская 1 → hidden; nowhere is a count 1–4 of one school published.
    source = {}
    for line in (REPO / "examples" / "millerovo-2021" / "results.csv").read_text(encoding="utf-8").splitlines()[1:]:
        year, school, measure, value = line.split(",")
        if measure.startswith("ctx_") and value:
            source[(school, measure)] = int(value)
    for (school, measure), n in source.items():
        published = rows[("school", school, measure, "2020")].split(",")[6]
        if n < 5:
            assert published == "", (school, measure, n)
        else:
            assert published in ("", str(n))
    page = shown(out / "schools" / "v-talovskaya-sosh.md")
    assert "| 2020 | менее 5 чел. |" in page  # its 1 disabled child
    listing = (out / "indicators" / "ege_rus_relative_score.md").read_text(encoding="utf-8")
    assert "не считается" in listing
