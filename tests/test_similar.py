"""Groups of similar schools (compute/similar.py, site.yml `similar_schools`, docs/similar-schools.md).

Every expectation is worked by hand in the comments, with exact fractions.
"""
from __future__ import annotations

import shutil
from decimal import Decimal
from fractions import Fraction

import pytest

from generator.compute.computed import compute_all
from generator.compute.indicators import IndicatorValue
from generator.compute.similar import latest_context_year, published_context, similar_groups
from generator.errors import DataErrors
from generator.load.validation import validate
from generator.model import SimilarConfig

from conftest import REPO, run_cli

A, B = "ctx_lowincome_share", "pupils"

# The region of docs/similar-schools.md: six schools, A = share of pupils from low-income families (%),
# B = number of pupils.
#
#   school   A    B      a = A/10   b = B/100
#   s1      10   100        1          1
#   s2      20   200        2          2
#   s3      20   300        2          3
#   s4      30   300        3          3
#   s5      40   500        4          5
#   s6      60   400        6          4
#
# A: mean 180/6 = 30; deviations −20, −10, −10, 0, 10, 30; squares 400+100+100+0+100+900 = 1600;
#    population variance 1600/6 = 800/3 (SD ≈ 16,33).
# B: mean 1800/6 = 300; deviations −200, −100, 0, 0, 100, 200; squares sum 100000; variance 50000/3.
# z = (x − mean)/SD, so (zᵢ − zⱼ)² = (xᵢ − xⱼ)²/variance and the squared distance is
#    d² = ΔA²/(800/3) + ΔB²/(50000/3) = 3·(10a)²/800 + 3·(100b)²/50000 = 3a²/8 + 3b²/5 = (15a² + 24b²)/40,
# with a, b the differences in tens of per cent and hundreds of pupils. 40·d² of each pair:
#   s1–s2 (1,1) 39    s1–s3 (1,2) 111   s1–s4 (2,2) 156   s1–s5 (3,4) 519   s1–s6 (5,3) 591
#   s2–s3 (0,1) 24    s2–s4 (1,1) 39    s2–s5 (2,3) 276   s2–s6 (4,2) 336
#   s3–s4 (1,0) 15    s3–s5 (2,2) 156   s3–s6 (4,1) 264
#   s4–s5 (1,2) 111   s4–s6 (3,1) 159
#   s5–s6 (2,1) 84
REGION = {"s1": {A: 10, B: 100}, "s2": {A: 20, B: 200}, "s3": {A: 20, B: 300},
          "s4": {A: 30, B: 300}, "s5": {A: 40, B: 500}, "s6": {A: 60, B: 400}}
# The three nearest, by 40·d² (ties by code):
#   s1: s2 39, s3 111, s4 156            s2: s3 24, s1 39, s4 39 (tie: s1 before s4)
#   s3: s4 15, s2 24, s1 111             s4: s3 15, s2 39, s5 111 (s1 156, s6 159 next)
#   s5: s6 84, s4 111, s3 156            s6: s5 84, s4 159, s3 264
GROUPS_OF_3 = {"s1": ("s2", "s3", "s4"), "s2": ("s3", "s1", "s4"), "s3": ("s4", "s2", "s1"),
               "s4": ("s3", "s2", "s5"), "s5": ("s6", "s4", "s3"), "s6": ("s5", "s4", "s3")}


def config(size: int = 3, within: str = "municipality", context: tuple[str, ...] = (A, B)) -> SimilarConfig:
    return SimilarConfig(context, size, within)


def members(result) -> dict[str, tuple[str, ...]]:
    return {school: result.members(school) for school in result.groups}


def test_hand_computed_region():
    result = similar_groups(REGION, config())
    assert members(result) == GROUPS_OF_3
    assert result.taking_part == ("s1", "s2", "s3", "s4", "s5", "s6")
    assert result.used == (A, B) and result.dropped == ()
    assert (result.scales[A].mean, result.scales[A].variance) == (30, Fraction(800, 3))
    assert (result.scales[B].mean, result.scales[B].variance) == (300, Fraction(50000, 3))
    assert [n.distance2 for n in result.groups["s4"]] == [Fraction(15, 40), Fraction(39, 40), Fraction(111, 40)]
    assert [n.distance2 for n in result.groups["s6"]] == [Fraction(84, 40), Fraction(159, 40), Fraction(264, 40)]
    # s3–s4 differ by 10 points of A only: |Δz| = 10/√(800/3) = √(3/8) ≈ 0,612.
    assert result.groups["s3"][0].distance == pytest.approx(0.6124, abs=1e-4)
    # z of s6 on A: (60 − 30)/√(800/3) = 30/16,33 ≈ 1,837.
    assert result.scales[A].z(Fraction(60)) == pytest.approx(1.8371, abs=1e-4)


def test_standardisation_decides_the_group():
    """Without standardisation the number of pupils (hundreds) would outweigh the share (tens): s4's raw
    distances are s3 10, s2 √(100+10000) ≈ 100,5, s6 √(900+10000) ≈ 104,4, s5 √(100+40000) ≈ 200,2, so the
    third would be s6; standardised it is s5 (111/40 < 156/40 of s1 < 159/40 of s6)."""
    assert similar_groups(REGION, config()).members("s4") == ("s3", "s2", "s5")


def test_ties_are_broken_by_school_code_not_input_order():
    # s2 is at 39/40 from both s1 and s4: the smaller code comes first, with size 2 only it stays.
    assert similar_groups(REGION, config(size=2)).members("s2") == ("s3", "s1")
    # s1 renamed s9 and given first: now s4 precedes it.
    renamed = {"s9": REGION["s1"], **{k: v for k, v in REGION.items() if k != "s1"}}
    result = similar_groups(renamed, config())
    assert result.members("s2") == ("s3", "s4", "s9")
    assert [n.distance2 for n in result.groups["s2"]] == [Fraction(24, 40), Fraction(39, 40), Fraction(39, 40)]
    # Two schools at exactly the same values: distance 0, each the other's nearest; the rest by code.
    twins = {"b": {A: 1}, "a": {A: 1}, "c": {A: 1}, "d": {A: 4}}
    result = similar_groups(twins, config(size=2, context=(A,)))
    assert result.members("a") == ("b", "c") and result.members("c") == ("a", "b")
    assert result.groups["a"][0].distance2 == 0


def test_missing_values_take_a_school_out_of_every_group():
    # s7 lacks A (not published), s8 has no row at all, s9 has A only. They take no part: the scale stays
    # over s1…s6 (had s7's B = 300 counted, B's variance would be 100000/7, not 50000/3).
    region = {**REGION, "s7": {A: None, B: 300}, "s8": {}, "s9": {A: 30}}
    result = similar_groups(region, config())
    assert members(result) == GROUPS_OF_3
    assert result.taking_part == ("s1", "s2", "s3", "s4", "s5", "s6")
    assert result.scales[B].variance == Fraction(50000, 3)
    assert result.members("s7") == () and "s7" not in result.groups


def test_zero_is_a_value():
    # One measure, x = 0, 1, 3: mean 4/3, variance ((4/3)² + (1/3)² + (5/3)²)/3 = (16+1+25)/27 = 14/9.
    # d²(a,b) = 1/(14/9) = 9/14, d²(b,c) = 4·9/14 = 18/7, d²(a,c) = 9·9/14 = 81/14.
    result = similar_groups({"a": {A: 0}, "b": {A: 1}, "c": {A: 3}}, config(size=1, context=(A,)))
    assert members(result) == {"a": ("b",), "b": ("a",), "c": ("b",)}
    assert result.groups["a"][0].distance2 == Fraction(9, 14)
    assert result.groups["c"][0].distance2 == Fraction(18, 7)


def test_a_measure_with_no_spread_is_dropped():
    # C is 7 at every taking-part school (s10 has C = 100 but no A or B, so it takes no part): variance 0.
    region = {s: {**row, "c": 7} for s, row in REGION.items()} | {"s10": {"c": 100}}
    result = similar_groups(region, config(context=(A, "c", B)))
    assert result.used == (A, B) and result.dropped == ("c",)
    assert members(result) == GROUPS_OF_3
    # With nothing but C there is no distance at all: no groups.
    only_c = similar_groups({s: {"c": 7} for s in REGION}, config(context=("c",)))
    assert only_c.groups == {} and only_c.dropped == ("c",) and only_c.used == ()
    # One school taking part has no spread either, and nobody to compare with.
    alone = similar_groups({"s1": REGION["s1"]}, config())
    assert alone.groups == {} and alone.dropped == (A, B)


def test_size_larger_than_the_schools_available():
    result = similar_groups(REGION, config(size=10))
    assert result.members("s1") == ("s2", "s3", "s4", "s5", "s6")  # 39, 111, 156, 519, 591
    assert result.members("s6") == ("s5", "s4", "s3", "s2", "s1")  # 84, 159, 264, 336, 591
    assert result.members("s2") == ("s3", "s1", "s4", "s5", "s6")  # 24, 39, 39, 276, 336


def test_within_district():
    # Север: s1, s2, s3; Юг: s4, s5; s6 has a blank district. The scale is still the whole region's.
    districts = {"s1": "Север", "s2": "Север", "s3": "Север", "s4": "Юг", "s5": "Юг", "s6": " "}
    result = similar_groups(REGION, config(within="district"), districts)
    assert members(result) == {"s1": ("s2", "s3"), "s2": ("s3", "s1"), "s3": ("s2", "s1"),
                               "s4": ("s5",), "s5": ("s4",)}
    assert result.groups["s4"][0].distance2 == Fraction(111, 40)
    assert result.scales[B].variance == Fraction(50000, 3)
    assert similar_groups(REGION, config(within="district")).groups == {}  # no districts known: no groups


def test_number_types_give_the_same_groups():
    as_float = {s: {k: float(v) for k, v in row.items()} for s, row in REGION.items()}
    as_decimal = {s: {k: Decimal(v) for k, v in row.items()} for s, row in REGION.items()}
    assert members(similar_groups(as_float, config())) == GROUPS_OF_3
    assert members(similar_groups(as_decimal, config())) == GROUPS_OF_3
    with pytest.raises(ValueError):
        similar_groups({"s1": {A: float("nan")}}, config(context=(A,)))


def value(school: str, indicator: str, exact: Fraction | None, year: int = 2023, scope: str = "school",
          **flags) -> IndicatorValue:
    return IndicatorValue(year, scope, school, indicator, None, None, exact, None, None, "no_target", **flags)


def test_published_context_takes_only_what_the_site_shows():
    values = [
        value("s1", A, Fraction(50, 3)),  # 16,666…: the site shows 16,7
        value("s1", A, Fraction(10), year=2022),  # another year
        value("s1", B, Fraction(120)),
        value("s2", A, Fraction(20), suppressed=True),  # primary suppression
        value("s2", B, Fraction(40)),
        value("s3", A, Fraction(30), suppressed=True, secondary=True),  # secondary suppression
        value("", A, Fraction(25), scope="all"),  # a group's value
        value("x", A, Fraction(25)),  # not a school asked for
    ]
    found = published_context(values, ["s1", "s2", "s3", "s4"], config(), 2023)
    assert found == {"s1": {A: Fraction(167, 10), B: 120}, "s2": {A: None, B: 40}, "s3": {A: None, B: None},
                     "s4": {A: None, B: None}}
    assert latest_context_year(values, config()) is None  # only s1 has both in 2023
    assert latest_context_year(values + [value("s2", A, Fraction(1)), value("s3", A, Fraction(1), year=2024)],
                               config()) == 2023


SIMILAR_SITE = """\
municipality: Тестовый район
department: Отдел образования
base_url: https://example.org/
current_year: 2023
min_group_size: 5
similar_schools:
  context: [ctx_lowincome_share]
  size: 1
"""
INDICATORS = """\
- code: ctx_lowincome_share
  title: Доля детей из малообеспеченных семей
  unit: "%"
  numerator: lowincome
  denominator: pupils
  better: lower
"""
SCHOOLS = """\
code,name,short_name
s1,Школа 1,Ш1
s2,Школа 2,Ш2
s3,Школа 3,Ш3
s4,Школа 4,Ш4
"""
# 1 of 6 = 16,666… shown 16,7; 2 of 10 = 20; 67 of 500 = 13,4; 9 of 10 = 90.
RESULTS = """\
year,school,measure,value
2023,s1,lowincome,1
2023,s1,pupils,6
2023,s2,lowincome,2
2023,s2,pupils,10
2023,s3,lowincome,67
2023,s3,pupils,500
2023,s4,lowincome,9
2023,s4,pupils,10
"""


def test_from_the_data_folder_through_computed_values(make_data):
    """End to end: site.yml read, values computed, the published figures used. From s1's published 16,7 both
    s2 (20) and s3 (13,4) are 3,3 away: a tie, s2 by code. From the exact 16,666… s3 (3,27) would be nearer."""
    data = make_data({"site.yml": SIMILAR_SITE, "indicators.yml": INDICATORS, "schools.csv": SCHOOLS,
                      "results.csv": RESULTS})
    dataset = validate(data).dataset
    assert dataset.site.similar == SimilarConfig(("ctx_lowincome_share",), 1, "municipality")
    assert dataset.site.similar.lines == (7,)
    computed = compute_all(dataset)
    codes = [s.code for s in dataset.schools]
    values = [v for code in codes for v in computed.school(code)]
    context = published_context(values, codes, dataset.site.similar, 2023)
    assert context["s1"] == {A: Fraction(167, 10)}
    result = similar_groups(context, dataset.site.similar)
    # |Δ| from 16,7: s2 3,3, s3 3,3, s4 73,3; from 20: s1 3,3; from 13,4: s1 3,3; from 90: s2 70.
    assert members(result) == {"s1": ("s2",), "s2": ("s1",), "s3": ("s1",), "s4": ("s2",)}
    assert latest_context_year(values, dataset.site.similar) == 2023


def mini(tmp_path, extra: str):
    data = tmp_path / "mini"
    shutil.copytree(REPO / "tests" / "fixtures" / "mini", data)
    with open(data / "site.yml", "a", encoding="utf-8") as out:
        out.write(extra)
    return data


def test_no_declaration_no_groups():
    assert validate(REPO / "tests" / "fixtures" / "mini").dataset.site.similar is None


def test_declaration_through_the_command_line(tmp_path):
    # tests/fixtures/mini/site.yml has 16 lines: the key starts on line 17.
    data = mini(tmp_path, "similar_schools:\n  context:\n    - ege_rus\n    - complaints\n  size: 3\n"
                          "  within: district\n")
    proc = run_cli("validate", "--project", str(data))
    assert proc.returncode == 0, proc.stderr
    similar = validate(data).dataset.site.similar
    assert similar == SimilarConfig(("ege_rus", "complaints"), 3, "district")
    assert similar.lines == (19, 20)
    # One code as plain text; the defaults.
    data = mini(tmp_path / "one", "similar_schools:\n  context: ege_rus\n")
    assert validate(data).dataset.site.similar == SimilarConfig(("ege_rus",), 5, "municipality")


def test_errors_name_site_yml_line_and_field(tmp_path):
    data = mini(tmp_path, (
        "similar_schools:\n"          # 17
        "  context:\n"                # 18
        "    - ege_rus\n"             # 19
        "    - nope\n"                # 20: no such indicator
        "    - ege_sat\n"             # 21: a measure, not an indicator
        "    - vpr_math_two\n"        # 22: publish: aggregate
        "    - ege_rus\n"             # 23: twice
        "  size: 0\n"                 # 24
        "  within: район\n"           # 25
        "  colour: red\n"             # 26
    ))
    proc = run_cli("validate", "--project", str(data))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()

    def said(start: str) -> bool:
        return any(line.startswith(f"  {start}") for line in lines)

    assert said("site.yml:20: similar_schools.context[2]: показатель «nope» не найден в indicators.yml"), proc.stderr
    assert said("site.yml:21: similar_schools.context[3]: «ege_sat» — величина из measures.csv, а не показатель")
    assert said("site.yml:22: similar_schools.context[4]: показатель «vpr_math_two» не публикуется по школам "
                "(publish: aggregate)")
    assert said("site.yml:23: similar_schools.context[5]: показатель «ege_rus» указан дважды")
    assert said("site.yml:24: similar_schools.size: ожидалось число от 1 до 50, найдено 0")
    assert said("site.yml:25: similar_schools.within: ожидалось municipality")
    assert said("site.yml:26: similar_schools.colour: неизвестное поле")
    assert not any("context[1]" in line for line in lines)


@pytest.mark.parametrize("extra, line, field, message", [
    ("similar_schools: [ege_rus]\n", 17, "similar_schools", "ожидался словарь"),
    ("similar_schools:\n  context: {ege_rus: 1}\n", 18, "similar_schools.context", "ожидался список строк"),
    ("similar_schools:\n  context: []\n", 18, "similar_schools.context", "укажите показатели"),
    ("similar_schools:\n  size: 3\n", 18, "similar_schools.context", "укажите показатели"),
    ("similar_schools:\n  context:\n    - ege_rus\n    - [a, b]\n", 18, "similar_schools.context",
     "ожидался список строк"),
    ("similar_schools:\n  context: [ege_rus]\n  size: пять\n", 19, "similar_schools.size", "ожидалось целое число"),
])
def test_malformed_declarations(tmp_path, extra, line, field, message):
    with pytest.raises(DataErrors) as caught:
        validate(mini(tmp_path, extra))
    found = [p for p in caught.value.problems if p.file == "site.yml"]
    assert [(p.line, p.field) for p in found] == [(line, field)], found
    assert message in found[0].message


def test_fast_search_agrees_with_brute_force_over_every_pair():
    """The float pre-selection must never change a group: 80 schools with many exact ties (small
    integer values), every group checked against an exact brute force written here."""
    import random
    from generator.model import SimilarConfig as Config
    rng = random.Random(7)
    context = {f"s{i:03d}": {"a": Fraction(rng.randint(0, 6)), "b": Fraction(rng.randint(0, 4), 2)} for i in range(80)}
    config = Config(("a", "b"), size=6)
    got = similar_groups(context, config)
    codes = sorted(context)
    stats = {}
    for m in ("a", "b"):
        xs = [context[c][m] for c in codes]
        mean = sum(xs, Fraction(0)) / len(xs)
        stats[m] = sum(((x - mean) ** 2 for x in xs), Fraction(0)) / len(xs)
    for c in codes:
        d = sorted(((sum((context[c][m] - context[o][m]) ** 2 / stats[m] for m in ("a", "b")), o)
                    for o in codes if o != c))
        assert got.members(c) == tuple(o for _, o in d[:6]), c
